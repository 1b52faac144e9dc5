import { sql } from 'kysely';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { EmployerDeps } from '../deps.ts';
import { romeDay, UUID_RE } from '../domain/vacancy.ts';
import { checkVacancyWording, type WordingMatch } from '../domain/wording.ts';
import { loadVacancy, recordVacancyEvent, type VacancyPorts, type VacancyRow } from './vacancies.ts';

/**
 * CPI moderation (role cpi_operator, Region-scoped): the queue of submitted vacancies, the automatic
 * wording check (discriminatory wording blocks publication), publishing and rejecting with a reason;
 * the employer is told by e-mail. Also the daily expiry of published vacancies.
 */
export type QueueItem = {
  id: string;
  title: string;
  companyName: string;
  submittedAt: Date;
  expiresOn: string;
  flagged: boolean;
};

export function wordingOf(
  v: Pick<VacancyRow, 'title' | 'description' | 'safetyInfo' | 'contractType'>,
): WordingMatch[] {
  return checkVacancyWording(
    { title: v.title, description: v.description, safety_info: v.safetyInfo },
    { contractType: v.contractType },
  );
}

const moderationQueueQuery = compiledOnce((db, v: { regionCode: string }) =>
  db
    .selectFrom('vacancies as v')
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'v.region_code').onRef('c.id', '=', 'v.company_id'),
    )
    .select([
      'v.id',
      'v.title',
      'v.description',
      'v.safety_info',
      'v.contract_type',
      'v.updated_at',
      'v.expires_on',
      'c.name',
    ])
    .where('v.region_code', '=', v.regionCode)
    // A literal, not a parameter: the partial index of the queue (migration 0040) matches it.
    .where('v.status', '=', sql.lit('submitted'))
    .orderBy('v.updated_at')
    .orderBy('v.id')
    .limit(500),
);

export async function moderationQueue(db: Db, user: SessionUser): Promise<QueueItem[]> {
  const rows = await moderationQueueQuery(db, { regionCode: user.regionCode });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    companyName: r.name,
    submittedAt: r.updated_at,
    expiresOn: r.expires_on.toISOString().slice(0, 10),
    flagged:
      wordingOf({
        title: r.title,
        description: r.description,
        safetyInfo: r.safety_info,
        contractType: r.contract_type,
      }).length > 0,
  }));
}

/** A vacancy of the operator's Region, in any status (actions are offered only while submitted). */
export function vacancyForModeration(db: Db, user: SessionUser, id: string, lang?: string) {
  return loadVacancy(db, user.regionCode, id, null, lang);
}

export type ModerationResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'wrong_status' | 'blocked' | 'expired' };

/** The employer who created the vacancy: e-mail and language. */
async function employerContact(trx: Tx, regionCode: string, userId: string) {
  return trx
    .selectFrom('users')
    .select(['email', 'preferred_language', 'given_name'])
    .where('region_code', '=', regionCode)
    .where('id', '=', userId)
    .executeTakeFirst();
}

async function tellEmployer(
  deps: Pick<EmployerDeps, 'notifier' | 'config'>,
  trx: Tx,
  v: { regionCode: string; id: string; title: string; createdBy: string },
  kind: 'published' | 'rejected' | 'expired',
  key: string,
  reason: string | null,
): Promise<void> {
  const to = await employerContact(trx, v.regionCode, v.createdBy);
  if (!to?.email) return;
  const t = translator(isLang(to.preferred_language) ? to.preferred_language : 'it');
  const link = `${deps.config.publicUrl.replace(/\/+$/, '')}/azienda/offerte/${v.id}`;
  await deps.notifier.email(trx, {
    key,
    to: to.email,
    subject: t(`vacancies.mail.${kind}Subject`, { title: v.title }),
    text: t(`vacancies.mail.${kind}Body`, {
      name: to.given_name,
      title: v.title,
      reason: reason ?? '',
      link,
    }),
  });
}

async function lockSubmitted(trx: Tx, user: SessionUser, id: string) {
  return trx
    .selectFrom('vacancies')
    .select([
      'status',
      'title',
      'description',
      'safety_info',
      'contract_type',
      'expires_on',
      'created_by',
      'company_id',
    ])
    .where('region_code', '=', user.regionCode)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Publish a submitted vacancy: refused while the wording check finds anything, or once expired. */
export async function publishVacancy(
  deps: VacancyPorts,
  user: SessionUser,
  id: string,
  now: Date,
): Promise<ModerationResult> {
  if (!UUID_RE.test(id)) return { ok: false, reason: 'not_found' };
  return deps.db.transaction().execute(async (trx): Promise<ModerationResult> => {
    const v = await lockSubmitted(trx, user, id);
    if (!v) return { ok: false, reason: 'not_found' };
    if (v.status !== 'submitted') return { ok: false, reason: 'wrong_status' };
    const matches = wordingOf({
      title: v.title,
      description: v.description,
      safetyInfo: v.safety_info,
      contractType: v.contract_type,
    });
    if (matches.length) return { ok: false, reason: 'blocked' };
    if (v.expires_on.toISOString().slice(0, 10) <= romeDay(now)) return { ok: false, reason: 'expired' };
    await trx
      .updateTable('vacancies')
      .set({
        status: 'published',
        published_at: now,
        moderated_by: user.id,
        moderated_at: now,
        moderation_reason: null,
        updated_at: now,
      })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .execute();
    const eventId = await recordVacancyEvent(trx, user.regionCode, id, 'published', user.id, now);
    await trx
      .insertInto('national_outbox')
      .values({
        region_code: user.regionCode,
        idempotency_key: `vacancy.published:${user.regionCode}:${id}:${eventId}`,
        kind: 'vacancy.published',
        payload: JSON.stringify({ vacancyId: id, companyId: v.company_id, publishedAt: now.toISOString() }),
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'vacancy.published',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'vacancy',
        objectId: id,
      },
      trx,
    );
    await tellEmployer(
      deps,
      trx,
      { regionCode: user.regionCode, id, title: v.title, createdBy: v.created_by },
      'published',
      `vacancy-published:${eventId}`,
      null,
    );
    return { ok: true };
  });
}

/** Reject a submitted vacancy with the reason the employer will read. */
export async function rejectVacancy(
  deps: VacancyPorts,
  user: SessionUser,
  id: string,
  reason: string,
  now: Date,
): Promise<ModerationResult> {
  if (!UUID_RE.test(id)) return { ok: false, reason: 'not_found' };
  return deps.db.transaction().execute(async (trx): Promise<ModerationResult> => {
    const v = await lockSubmitted(trx, user, id);
    if (!v) return { ok: false, reason: 'not_found' };
    if (v.status !== 'submitted') return { ok: false, reason: 'wrong_status' };
    await trx
      .updateTable('vacancies')
      .set({
        status: 'rejected',
        moderation_reason: reason,
        moderated_by: user.id,
        moderated_at: now,
        updated_at: now,
      })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .execute();
    const eventId = await recordVacancyEvent(trx, user.regionCode, id, 'rejected', user.id, now, reason);
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'vacancy.rejected',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'vacancy',
        objectId: id,
        details: { reason },
      },
      trx,
    );
    await tellEmployer(
      deps,
      trx,
      { regionCode: user.regionCode, id, title: v.title, createdBy: v.created_by },
      'rejected',
      `vacancy-rejected:${eventId}`,
      reason,
    );
    return { ok: true };
  });
}

export const EXPIRY_JOB = 'vacancies-expiry';

/**
 * The daily job: published vacancies whose last day (Rome) is before today become `expired`, with an
 * event and an e-mail to the employer. Idempotent: a second run the same day finds nothing.
 */
export async function expireVacancies(
  deps: Pick<EmployerDeps, 'db' | 'notifier' | 'config'>,
  now: Date,
): Promise<{ expired: number }> {
  const today = romeDay(now);
  const regions = await deps.db.selectFrom('regions').select('region_code').orderBy('region_code').execute();
  let expired = 0;
  for (const { region_code: regionCode } of regions) {
    expired += await deps.db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('vacancies')
        .set({ status: 'expired', updated_at: now })
        .where('region_code', '=', regionCode)
        .where('status', '=', 'published')
        .where('expires_on', '<', today as unknown as Date)
        .returning(['region_code', 'id', 'title', 'created_by'])
        .execute();
      for (const r of rows) {
        const eventId = await recordVacancyEvent(trx, r.region_code, r.id, 'expired', null, now);
        await tellEmployer(
          deps,
          trx,
          { regionCode: r.region_code, id: r.id, title: r.title, createdBy: r.created_by },
          'expired',
          `vacancy-expired:${eventId}`,
          null,
        );
      }
      return rows.length;
    });
  }
  return { expired };
}

/** In a worker process: the expiry at 06:15 Rome time. */
export async function startExpiryJob(
  deps: Pick<EmployerDeps, 'db' | 'notifier' | 'config' | 'queue'>,
): Promise<void> {
  const boss = deps.queue.boss;
  await boss.createQueue(EXPIRY_JOB);
  await boss.schedule(EXPIRY_JOB, '15 6 * * *', {}, { tz: 'Europe/Rome' });
  await boss.work(EXPIRY_JOB, { pollingIntervalSeconds: 30 }, async () => {
    await expireVacancies(deps, new Date());
  });
}
