/**
 * Applications: a citizen applies with their CV (snapshotted), follows the status and may withdraw;
 * the employer (their own company's vacancies only) opens the application (viewed, audited read) and
 * moves it to interview, rejected or hired. Hired writes the employment outcome and the national
 * 'placement' event in the same transaction; the person is told by e-mail in their language.
 */
import { sql } from 'kysely';
import { type Actor, type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import type { ApplicationStatus } from '../adapters/jobs-tables.ts';
import { canDecide, canWithdraw, type EmployerAction, viewedStatus } from '../domain/applications.ts';
import { UUID } from './search.ts';

export type ApplicationDeps = { db: Db; audit: AuditLog; notifier: Notifier; config: { publicUrl: string } };
type Person = Pick<SessionUser, 'id' | 'regionCode' | 'role' | 'officeId' | 'agencyId'>;
type Employer = Person & { companyId: string | null };

export const MAX_MESSAGE = 2000;

export type ApplyResult = 'ok' | 'not_found' | 'no_cv' | 'already';

function isUnique(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}

/** The person's application to a vacancy (any status), if any. */
export async function applicationOn(db: Db | Tx, citizen: Person, vacancyId: string) {
  if (!UUID.test(vacancyId)) return undefined;
  return db
    .selectFrom('applications')
    .select(['id', 'status', 'created_at'])
    .where('region_code', '=', citizen.regionCode)
    .where('citizen_id', '=', citizen.id)
    .where('vacancy_id', '=', vacancyId)
    .executeTakeFirst();
}

/** Whether the person has a CV (and its version). */
export async function cvOf(db: Db, citizen: Person) {
  return db
    .selectFrom('cvs')
    .select(['id', 'version', 'updated_at'])
    .where('region_code', '=', citizen.regionCode)
    .where('citizen_id', '=', citizen.id)
    .executeTakeFirst();
}

/** Apply to a live vacancy of the person's Region with their current CV (snapshotted). */
export async function apply(
  deps: ApplicationDeps,
  citizen: Person,
  vacancyId: string,
  message: string,
): Promise<{ result: ApplyResult; id?: string }> {
  if (citizen.role !== 'citizen' || !UUID.test(vacancyId)) return { result: 'not_found' };
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const v = await trx
        .selectFrom('vacancies')
        .select(['id', 'company_id', 'title'])
        .where('region_code', '=', citizen.regionCode)
        .where('id', '=', vacancyId)
        .where('status', '=', 'published')
        .where(sql<boolean>`expires_on >= current_date`)
        .executeTakeFirst();
      if (!v) return { result: 'not_found' as const };
      const existing = await applicationOn(trx, citizen, vacancyId);
      if (existing) return { result: 'already' as const, id: existing.id };
      const cv = await trx
        .selectFrom('cvs')
        .select(['document', 'version'])
        .where('region_code', '=', citizen.regionCode)
        .where('citizen_id', '=', citizen.id)
        .executeTakeFirst();
      if (!cv) return { result: 'no_cv' as const };
      const row = await trx
        .insertInto('applications')
        .values({
          region_code: citizen.regionCode,
          vacancy_id: vacancyId,
          citizen_id: citizen.id,
          cv_snapshot: JSON.stringify(cv.document),
          cv_version: cv.version,
          message: message.trim() === '' ? null : message.trim(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('application_events')
        .values({
          region_code: citizen.regionCode,
          application_id: row.id,
          status: 'sent',
          actor_id: citizen.id,
        })
        .execute();
      await deps.audit.record(
        {
          regionCode: citizen.regionCode,
          action: 'jobs.application_sent',
          outcome: 'ok',
          actor: actorOf(citizen),
          subjectId: citizen.id,
          purpose: 'job_application',
          objectType: 'application',
          objectId: row.id,
          details: { vacancy: vacancyId, cvVersion: cv.version },
        },
        trx,
      );
      // The company's users learn of it by e-mail (in their language), in the same transaction.
      const recruiters = await trx
        .selectFrom('users')
        .select(['id', 'email', 'given_name', 'preferred_language'])
        .where('region_code', '=', citizen.regionCode)
        .where('company_id', '=', v.company_id)
        .where('role', '=', 'employer')
        .where('disabled_at', 'is', null)
        .where('email', 'is not', null)
        .limit(50)
        .execute();
      for (const r of recruiters) {
        const t = translator(isLang(r.preferred_language) ? r.preferred_language : 'it');
        await deps.notifier.email(trx, {
          key: `application-new:${citizen.regionCode}:${row.id}:${r.id}`,
          to: r.email as string,
          subject: t('jobs.mail.new.subject', { title: v.title }),
          text: t('jobs.mail.new.text', {
            name: r.given_name,
            title: v.title,
            url: `${deps.config.publicUrl}/azienda/candidature/${row.id}`,
          }),
        });
      }
      return { result: 'ok' as const, id: row.id };
    });
  } catch (error) {
    // Two submissions at once: the database's unique key keeps one.
    if (isUnique(error)) return { result: 'already' };
    throw error;
  }
}

/** The person's applications, newest first, with their history. */
export async function myApplications(db: Db, citizen: Person) {
  const rows = await db
    .selectFrom('applications as a')
    .innerJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 'a.region_code').onRef('v.id', '=', 'a.vacancy_id'),
    )
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'v.region_code').onRef('c.id', '=', 'v.company_id'),
    )
    .select([
      'a.id',
      'a.status',
      'a.created_at',
      'a.vacancy_id',
      'v.title',
      'c.name as company_name',
      sql<boolean>`v.status = 'published' and v.expires_on >= current_date`.as('live'),
    ])
    .where('a.region_code', '=', citizen.regionCode)
    .where('a.citizen_id', '=', citizen.id)
    .orderBy('a.created_at', 'desc')
    .limit(200)
    .execute();
  const events =
    rows.length === 0
      ? []
      : await db
          .selectFrom('application_events')
          .select(['application_id', 'status', 'note', 'at'])
          .where('region_code', '=', citizen.regionCode)
          .where(
            'application_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('at')
          .execute();
  return rows.map((r) => ({ ...r, events: events.filter((e) => e.application_id === r.id) }));
}

/** The person withdraws an open application of theirs. */
export async function withdraw(
  deps: ApplicationDeps,
  citizen: Person,
  applicationId: string,
): Promise<'ok' | 'not_found' | 'closed'> {
  if (citizen.role !== 'citizen' || !UUID.test(applicationId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom('applications')
      .select(['id', 'status'])
      .where('region_code', '=', citizen.regionCode)
      .where('id', '=', applicationId)
      .where('citizen_id', '=', citizen.id)
      .forUpdate()
      .executeTakeFirst();
    if (!a) return 'not_found';
    if (!canWithdraw(a.status)) return 'closed';
    await setStatus(trx, citizen.regionCode, applicationId, 'withdrawn', citizen.id, null);
    await deps.audit.record(
      {
        regionCode: citizen.regionCode,
        action: 'jobs.application_withdrawn',
        outcome: 'ok',
        actor: actorOf(citizen),
        subjectId: citizen.id,
        purpose: 'job_application',
        objectType: 'application',
        objectId: applicationId,
      },
      trx,
    );
    return 'ok';
  });
}

async function setStatus(
  trx: Tx,
  regionCode: string,
  applicationId: string,
  status: ApplicationStatus,
  actorId: string,
  note: string | null,
): Promise<void> {
  await trx
    .updateTable('applications')
    .set({ status, updated_at: new Date() })
    .where('region_code', '=', regionCode)
    .where('id', '=', applicationId)
    .execute();
  await trx
    .insertInto('application_events')
    .values({ region_code: regionCode, application_id: applicationId, status, actor_id: actorId, note })
    .execute();
}

const NO_COMPANY = '00000000-0000-0000-0000-000000000000';

/** A vacancy of the employer's own company (any status), or undefined. */
export async function ownVacancy(db: Db, employer: Employer, vacancyId: string) {
  if (employer.role !== 'employer' || !UUID.test(vacancyId)) return undefined;
  return db
    .selectFrom('vacancies')
    .select(['id', 'title', 'status'])
    .where('region_code', '=', employer.regionCode)
    .where('company_id', '=', employer.companyId ?? NO_COMPANY)
    .where('id', '=', vacancyId)
    .executeTakeFirst();
}

/** The applications to one of the employer's vacancies (names shown: each is an audited read). */
export async function vacancyApplications(deps: ApplicationDeps, employer: Employer, vacancyId: string) {
  const vacancy = await ownVacancy(deps.db, employer, vacancyId);
  if (!vacancy) return null;
  const rows = await deps.db
    .selectFrom('applications as a')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'a.region_code').onRef('u.id', '=', 'a.citizen_id'),
    )
    .select(['a.id', 'a.status', 'a.created_at', 'a.citizen_id', 'u.given_name', 'u.family_name'])
    .where('a.region_code', '=', employer.regionCode)
    .where('a.vacancy_id', '=', vacancyId)
    .orderBy('a.created_at')
    .limit(1000)
    .execute();
  await deps.audit.recordReads(
    employer as Actor,
    'application',
    'recruitment',
    rows.map((r) => ({ subjectId: r.citizen_id, objectId: r.id })),
  );
  return { vacancy, rows };
}

/**
 * One application of the employer's company with the CV snapshot. The first opening turns 'sent'
 * into 'viewed'; every opening is an audited read.
 */
export async function openApplication(deps: ApplicationDeps, employer: Employer, applicationId: string) {
  if (employer.role !== 'employer' || !UUID.test(applicationId)) return null;
  const row = await deps.db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom('applications as a')
      .innerJoin('vacancies as v', (j) =>
        j.onRef('v.region_code', '=', 'a.region_code').onRef('v.id', '=', 'a.vacancy_id'),
      )
      .innerJoin('users as u', (j) =>
        j.onRef('u.region_code', '=', 'a.region_code').onRef('u.id', '=', 'a.citizen_id'),
      )
      .select([
        'a.id',
        'a.status',
        'a.created_at',
        'a.citizen_id',
        'a.cv_snapshot',
        'a.cv_version',
        'a.message',
        'a.vacancy_id',
        'v.title',
        'u.given_name',
        'u.family_name',
      ])
      .where('a.region_code', '=', employer.regionCode)
      .where('a.id', '=', applicationId)
      .where('v.company_id', '=', employer.companyId ?? NO_COMPANY)
      .forUpdate('a')
      .executeTakeFirst();
    if (!a) return null;
    const next = viewedStatus(a.status);
    if (next) {
      await setStatus(trx, employer.regionCode, a.id, next, employer.id, null);
      a.status = next;
    }
    return a;
  });
  if (!row) return null;
  await deps.audit.recordReads(employer as Actor, 'application', 'recruitment', [
    { subjectId: row.citizen_id, objectId: row.id },
  ]);
  const events = await deps.db
    .selectFrom('application_events')
    .select(['status', 'note', 'at'])
    .where('region_code', '=', employer.regionCode)
    .where('application_id', '=', row.id)
    .orderBy('at')
    .execute();
  return { ...row, events };
}

export type DecideResult = { result: 'ok' | 'not_found' | 'wrong_status'; vacancyId?: string };

/** The employer moves an application of their company to interview, rejected or hired. */
export async function decide(
  deps: ApplicationDeps,
  employer: Employer,
  applicationId: string,
  action: EmployerAction,
  note: string | null,
  startedOn: string,
): Promise<DecideResult> {
  if (employer.role !== 'employer' || !UUID.test(applicationId)) return { result: 'not_found' };
  return deps.db.transaction().execute(async (trx): Promise<DecideResult> => {
    const a = await trx
      .selectFrom('applications as a')
      .innerJoin('vacancies as v', (j) =>
        j.onRef('v.region_code', '=', 'a.region_code').onRef('v.id', '=', 'a.vacancy_id'),
      )
      .innerJoin('companies as c', (j) =>
        j.onRef('c.region_code', '=', 'v.region_code').onRef('c.id', '=', 'v.company_id'),
      )
      .innerJoin('users as u', (j) =>
        j.onRef('u.region_code', '=', 'a.region_code').onRef('u.id', '=', 'a.citizen_id'),
      )
      .leftJoin('citizen_profiles as p', (j) =>
        j.onRef('p.region_code', '=', 'a.region_code').onRef('p.user_id', '=', 'a.citizen_id'),
      )
      .select([
        'a.id',
        'a.status',
        'a.citizen_id',
        'a.vacancy_id',
        'v.title',
        'v.contract_type',
        'c.name as company_name',
        'c.vat_number',
        'u.given_name',
        'u.fiscal_code',
        'u.preferred_language',
        sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      ])
      .where('a.region_code', '=', employer.regionCode)
      .where('a.id', '=', applicationId)
      .where('v.company_id', '=', employer.companyId ?? NO_COMPANY)
      .forUpdate('a')
      .executeTakeFirst();
    if (!a) return { result: 'not_found' };
    if (!canDecide(a.status, action)) return { result: 'wrong_status', vacancyId: a.vacancy_id };
    await setStatus(trx, employer.regionCode, a.id, action, employer.id, note);
    if (action === 'hired') {
      await trx
        .insertInto('employment_outcomes')
        .values({
          region_code: employer.regionCode,
          user_id: a.citizen_id,
          started_on: startedOn,
          source: 'application',
        })
        .execute();
      await trx
        .insertInto('national_outbox')
        .values({
          region_code: employer.regionCode,
          idempotency_key: `placement:${a.id}`,
          kind: 'placement',
          payload: JSON.stringify({
            applicationId: a.id,
            vacancyId: a.vacancy_id,
            citizenId: a.citizen_id,
            fiscalCode: a.fiscal_code,
            companyVat: a.vat_number,
            contractType: a.contract_type,
            startedOn,
          }),
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute();
    }
    await deps.audit.record(
      {
        regionCode: employer.regionCode,
        action: `jobs.application_${action}`,
        outcome: 'ok',
        actor: actorOf(employer),
        subjectId: a.citizen_id,
        purpose: 'recruitment',
        objectType: 'application',
        objectId: a.id,
        details: action === 'hired' ? { vacancy: a.vacancy_id, startedOn } : { vacancy: a.vacancy_id },
      },
      trx,
    );
    if (a.email) {
      const lang = isLang(a.preferred_language) ? a.preferred_language : 'it';
      const t = translator(lang);
      const values = { name: a.given_name, title: a.title, company: a.company_name };
      await deps.notifier.email(trx, {
        key: `application-${action}:${employer.regionCode}:${a.id}`,
        to: a.email,
        subject: t(`jobs.mail.${action}.subject`, values),
        text: `${t(`jobs.mail.${action}.text`, values)}${note ? `\n\n${t('jobs.mail.note', { note })}` : ''}\n\n${t('jobs.mail.footer')}`,
      });
    }
    return { result: 'ok', vacancyId: a.vacancy_id };
  });
}
