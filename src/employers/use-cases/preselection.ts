/**
 * CPI pre-selection (§2.2 "preselezione … garanzia della validità dei CV"): an employer asks a CPI
 * office for a shortlist for one of its published vacancies; an operator takes the request, ranks
 * people with the matcher (only people who agreed to be found), adds them, reads and validates their
 * CV (audited, purpose 'preselection'), asks each one's consent, and sends the consented ones; the
 * employer reads the shortlist (audited) and rates it. Region-scoped everywhere; a request of another
 * company or Region is "not found".
 */
import { sql } from 'kysely';
import { explainPeopleForVacancy } from '../../matching/contract.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { EmployerDeps } from '../deps.ts';

type Deps = EmployerDeps;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const NOBODY = '00000000-0000-0000-0000-000000000000';
export const PURPOSE = 'preselection';

export async function officesOf(db: Db, regionCode: string) {
  return db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('region_code', '=', regionCode)
    .orderBy('name')
    .execute();
}

export async function publishedVacanciesOf(db: Db, user: SessionUser) {
  return db
    .selectFrom('vacancies')
    .select(['id', 'title'])
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId ?? NOBODY)
    .where('status', '=', 'published')
    .orderBy('title')
    .orderBy('id')
    .execute();
}

// ── Employer ────────────────────────────────────────────────────────────────────────────────────

export async function requestShortlist(
  deps: Deps,
  user: SessionUser,
  input: { vacancyId: string; officeId: string; note: string },
): Promise<{ ok: true; id: string } | { ok: false; field: 'vacancy' | 'office' }> {
  if (!user.companyId) return { ok: false, field: 'vacancy' };
  const companyId = user.companyId;
  const vacancy = isUuid(input.vacancyId)
    ? await deps.db
        .selectFrom('vacancies')
        .select(['id', 'title'])
        .where('region_code', '=', user.regionCode)
        .where('company_id', '=', companyId)
        .where('id', '=', input.vacancyId)
        .where('status', '=', 'published')
        .executeTakeFirst()
    : undefined;
  if (!vacancy) return { ok: false, field: 'vacancy' };
  const office = isUuid(input.officeId)
    ? await deps.db
        .selectFrom('offices')
        .select(['id', 'email'])
        .where('region_code', '=', user.regionCode)
        .where('id', '=', input.officeId)
        .executeTakeFirst()
    : undefined;
  if (!office) return { ok: false, field: 'office' };
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('shortlist_requests')
      .values({
        region_code: user.regionCode,
        company_id: companyId,
        vacancy_id: vacancy.id,
        office_id: office.id,
        requested_by: user.id,
        note: input.note || null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const t = translator('it');
    await deps.notifier.email(trx, {
      key: `preselection:${row.id}:requested`,
      to: office.email,
      subject: t('preselection.mail.requestedSubject', { vacancy: vacancy.title }),
      text: t('preselection.mail.requestedText', {
        vacancy: vacancy.title,
        url: `${deps.config.publicUrl}/operatore/preselezioni/${row.id}`,
      }),
    });
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'preselection.requested',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'shortlist_request',
        objectId: row.id,
      },
      trx,
    );
    return row.id;
  });
  return { ok: true, id };
}

function requestsQuery(db: Db | Tx, regionCode: string) {
  return db
    .selectFrom('shortlist_requests as r')
    .innerJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 'r.region_code').onRef('v.id', '=', 'r.vacancy_id'),
    )
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'r.region_code').onRef('c.id', '=', 'r.company_id'),
    )
    .innerJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 'r.region_code').onRef('o.id', '=', 'r.office_id'),
    )
    .select([
      'r.id',
      'r.status',
      'r.note',
      'r.office_id',
      'r.operator_id',
      'r.vacancy_id',
      'r.company_id',
      'r.requested_by',
      'r.created_at',
      'r.sent_at',
      'r.rating',
      'r.rating_comment',
      'v.title as vacancy',
      'c.name as company',
      'o.name as office',
    ])
    .where('r.region_code', '=', regionCode);
}

export type RequestRow = Awaited<ReturnType<typeof employerRequests>>[number];

export async function employerRequests(db: Db, user: SessionUser) {
  return requestsQuery(db, user.regionCode)
    .where('r.company_id', '=', user.companyId ?? NOBODY)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .execute();
}

export async function employerRequest(db: Db | Tx, user: SessionUser, id: string) {
  if (!isUuid(id)) return undefined;
  return requestsQuery(db, user.regionCode)
    .where('r.company_id', '=', user.companyId ?? NOBODY)
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export type CvView = { document: unknown; version: number } | null;

/**
 * The shortlist as the company sees it once sent: only the people who consented and whose CV the
 * CPI validated, with that CV. Each person shown is an audited read.
 */
export async function employerShortlist(deps: Deps, user: SessionUser, requestId: string) {
  const rows = await deps.db
    .selectFrom('shortlist_candidates as s')
    .innerJoin('shortlist_requests as r', (j) =>
      j.onRef('r.region_code', '=', 's.region_code').onRef('r.id', '=', 's.request_id'),
    )
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 's.region_code').onRef('u.id', '=', 's.citizen_id'),
    )
    .leftJoin('cvs as cv', (j) =>
      j.onRef('cv.region_code', '=', 's.region_code').onRef('cv.citizen_id', '=', 's.citizen_id'),
    )
    .select(['s.citizen_id', 's.score', 'u.given_name', 'u.family_name', 'cv.document', 'cv.version'])
    .where('s.region_code', '=', user.regionCode)
    .where('s.request_id', '=', requestId)
    .where('r.company_id', '=', user.companyId ?? NOBODY)
    .where('r.status', '=', 'sent')
    .where('s.consent', '=', 'given')
    .where('s.cv_validated', '=', true)
    .orderBy('s.score', 'desc')
    .orderBy('s.citizen_id')
    .execute();
  await deps.audit.recordReads(
    actorOf(user),
    'cv',
    PURPOSE,
    rows.map((r) => ({ subjectId: r.citizen_id, objectId: requestId })),
  );
  return rows;
}

export async function rateShortlist(
  deps: Deps,
  user: SessionUser,
  id: string,
  rating: number,
  comment: string,
): Promise<'ok' | 'not_found' | 'not_sent'> {
  return deps.db.transaction().execute(async (trx) => {
    const r = await employerRequest(trx, user, id);
    if (!r) return 'not_found';
    if (r.status !== 'sent') return 'not_sent';
    await trx
      .updateTable('shortlist_requests')
      .set({ rating, rating_comment: comment || null, rated_at: new Date() })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'preselection.rated',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'shortlist_request',
        objectId: id,
        details: { rating },
      },
      trx,
    );
    return 'ok';
  });
}

// ── CPI operator ────────────────────────────────────────────────────────────────────────────────

/** The Region's requests, those of the operator's office first, open ones before closed ones. */
export async function operatorRequests(db: Db, user: SessionUser) {
  return requestsQuery(db, user.regionCode)
    .orderBy(sql`case when r.office_id = ${user.officeId ?? NOBODY}::uuid then 0 else 1 end`)
    .orderBy(sql`case r.status when 'requested' then 0 when 'in_progress' then 1 else 2 end`)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .execute();
}

export async function operatorRequest(db: Db | Tx, user: SessionUser, id: string) {
  if (!isUuid(id)) return undefined;
  return requestsQuery(db, user.regionCode).where('r.id', '=', id).executeTakeFirst();
}

export async function takeRequest(
  deps: Deps,
  user: SessionUser,
  id: string,
): Promise<'ok' | 'not_found' | 'state'> {
  return deps.db.transaction().execute(async (trx) => {
    const r = await operatorRequest(trx, user, id);
    if (!r) return 'not_found';
    const updated = await trx
      .updateTable('shortlist_requests')
      .set({ status: 'in_progress', operator_id: user.id })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .where('status', '=', 'requested')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return 'state';
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'preselection.taken',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'shortlist_request',
        objectId: id,
      },
      trx,
    );
    return 'ok';
  });
}

export async function shortlistOf(db: Db | Tx, regionCode: string, requestId: string) {
  return db
    .selectFrom('shortlist_candidates as s')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 's.region_code').onRef('u.id', '=', 's.citizen_id'),
    )
    .leftJoin('cvs as cv', (j) =>
      j.onRef('cv.region_code', '=', 's.region_code').onRef('cv.citizen_id', '=', 's.citizen_id'),
    )
    .select([
      's.citizen_id',
      's.score',
      's.cv_validated',
      's.consent',
      'u.given_name',
      'u.family_name',
      sql<boolean>`cv.id is not null`.as('has_cv'),
    ])
    .where('s.region_code', '=', regionCode)
    .where('s.request_id', '=', requestId)
    .orderBy('s.score', 'desc')
    .orderBy('s.citizen_id')
    .execute();
}

/** Ranked people for the request's vacancy, with their explanation and name (an audited read). */
export async function suggestions(
  deps: Deps,
  user: SessionUser,
  requestId: string,
  vacancyId: string,
  lang: 'it' | 'en' | 'ar',
) {
  const ranked = await deps.matcher.rankPeopleForVacancy(user.regionCode, vacancyId, { limit: 20 });
  if (ranked.length === 0) return [];
  const ids = ranked.map((r) => r.citizenId);
  const explained = await explainPeopleForVacancy(
    deps.db,
    user.regionCode,
    vacancyId,
    ids,
    lang,
    deps.matcher.facts,
  );
  const people = await deps.db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name'])
    .where('region_code', '=', user.regionCode)
    .where('id', 'in', ids)
    .execute();
  const names = new Map(people.map((p) => [p.id, p]));
  const rows = ranked
    .filter((r) => names.has(r.citizenId))
    .map((r) => ({ ...r, person: names.get(r.citizenId)!, explanation: explained.get(r.citizenId) ?? null }));
  await deps.audit.recordReads(
    actorOf(user),
    'match',
    PURPOSE,
    rows.map((r) => ({ subjectId: r.citizenId, objectId: requestId })),
  );
  return rows;
}

type OpenRequest =
  | { error: 'not_found' | 'state' }
  | { error: null; request: NonNullable<Awaited<ReturnType<typeof operatorRequest>>> };

async function openRequest(trx: Tx, user: SessionUser, id: string): Promise<OpenRequest> {
  const r = await operatorRequest(trx, user, id);
  if (!r) return { error: 'not_found' };
  if (r.status !== 'in_progress') return { error: 'state' };
  return { error: null, request: r };
}

/** Add a person who agreed to be found; the score is the matcher's own explanation. */
export async function addCandidate(
  deps: Deps,
  user: SessionUser,
  requestId: string,
  citizenId: string,
): Promise<'ok' | 'not_found' | 'state' | 'not_visible'> {
  if (!isUuid(citizenId)) return 'not_visible';
  return deps.db.transaction().execute(async (trx) => {
    const open = await openRequest(trx, user, requestId);
    if (open.error !== null) return open.error;
    const visible = await trx
      .selectFrom('candidate_visibility')
      .select('citizen_id')
      .where('region_code', '=', user.regionCode)
      .where('citizen_id', '=', citizenId)
      .where('visible', '=', true)
      .executeTakeFirst();
    if (!visible) return 'not_visible';
    const explained = await explainPeopleForVacancy(
      deps.db,
      user.regionCode,
      open.request.vacancy_id,
      [citizenId],
      'it',
    );
    const score = explained.get(citizenId)?.score ?? 0;
    await trx
      .insertInto('shortlist_candidates')
      .values({
        region_code: user.regionCode,
        request_id: requestId,
        citizen_id: citizenId,
        score,
        added_by: user.id,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'preselection.candidate_added',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: citizenId,
        purpose: PURPOSE,
        objectType: 'shortlist_request',
        objectId: requestId,
      },
      trx,
    );
    return 'ok';
  });
}

/** The candidate's CV as the operator reads it (audited, purpose 'preselection'). */
export async function candidateCv(deps: Deps, user: SessionUser, requestId: string, citizenId: string) {
  if (!isUuid(citizenId)) return undefined;
  const r = await operatorRequest(deps.db, user, requestId);
  if (!r) return undefined;
  const row = await deps.db
    .selectFrom('shortlist_candidates as s')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 's.region_code').onRef('u.id', '=', 's.citizen_id'),
    )
    .leftJoin('cvs as cv', (j) =>
      j.onRef('cv.region_code', '=', 's.region_code').onRef('cv.citizen_id', '=', 's.citizen_id'),
    )
    .select([
      's.citizen_id',
      's.cv_validated',
      's.consent',
      'u.given_name',
      'u.family_name',
      'cv.document',
      'cv.version',
    ])
    .where('s.region_code', '=', user.regionCode)
    .where('s.request_id', '=', requestId)
    .where('s.citizen_id', '=', citizenId)
    .executeTakeFirst();
  if (!row) return undefined;
  await deps.audit.recordReads(actorOf(user), 'cv', PURPOSE, [{ subjectId: citizenId, objectId: requestId }]);
  return { request: r, candidate: row };
}

export async function validateCv(
  deps: Deps,
  user: SessionUser,
  requestId: string,
  citizenId: string,
): Promise<'ok' | 'not_found' | 'state' | 'no_cv'> {
  if (!isUuid(citizenId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const open = await openRequest(trx, user, requestId);
    if (open.error !== null) return open.error;
    const c = await trx
      .selectFrom('shortlist_candidates as s')
      .leftJoin('cvs as cv', (j) =>
        j.onRef('cv.region_code', '=', 's.region_code').onRef('cv.citizen_id', '=', 's.citizen_id'),
      )
      .select(['s.citizen_id', 'cv.id as cv_id'])
      .where('s.region_code', '=', user.regionCode)
      .where('s.request_id', '=', requestId)
      .where('s.citizen_id', '=', citizenId)
      .executeTakeFirst();
    if (!c) return 'not_found';
    if (!c.cv_id) return 'no_cv';
    await trx
      .updateTable('shortlist_candidates')
      .set({ cv_validated: true, validated_by: user.id })
      .where('region_code', '=', user.regionCode)
      .where('request_id', '=', requestId)
      .where('citizen_id', '=', citizenId)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'preselection.cv_validated',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: citizenId,
        purpose: PURPOSE,
        objectType: 'shortlist_request',
        objectId: requestId,
      },
      trx,
    );
    return 'ok';
  });
}

/** E-mail every candidate with a validated CV whose consent is still pending; returns how many. */
export async function askConsent(
  deps: Deps,
  user: SessionUser,
  requestId: string,
): Promise<{ ok: true; count: number } | { ok: false; error: 'not_found' | 'state' | 'none_validated' }> {
  return deps.db.transaction().execute(async (trx) => {
    const open = await openRequest(trx, user, requestId);
    if (open.error !== null) return { ok: false as const, error: open.error };
    const people = await trx
      .selectFrom('shortlist_candidates as s')
      .innerJoin('users as u', (j) =>
        j.onRef('u.region_code', '=', 's.region_code').onRef('u.id', '=', 's.citizen_id'),
      )
      .leftJoin('citizen_profiles as p', (j) =>
        j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
      )
      .select([
        'u.id',
        'u.given_name',
        'u.preferred_language',
        sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      ])
      .where('s.region_code', '=', user.regionCode)
      .where('s.request_id', '=', requestId)
      .where('s.cv_validated', '=', true)
      .where('s.consent', '=', 'pending')
      .execute();
    if (people.length === 0) return { ok: false as const, error: 'none_validated' as const };
    for (const p of people) {
      if (!p.email) continue;
      const t = translator(isLang(p.preferred_language) ? p.preferred_language : 'it');
      await deps.notifier.email(trx, {
        key: `preselection:${requestId}:consent:${p.id}`,
        to: p.email,
        subject: t('preselection.mail.consentSubject', { company: open.request.company }),
        text: t('preselection.mail.consentText', {
          name: p.given_name,
          company: open.request.company,
          vacancy: open.request.vacancy,
          url: `${deps.config.publicUrl}/preselezioni/${requestId}`,
        }),
      });
    }
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'preselection.consent_asked',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'shortlist_request',
        objectId: requestId,
        details: { count: people.length },
      },
      trx,
    );
    return { ok: true as const, count: people.length };
  });
}

/** Send the shortlist: only consented people with a validated CV; refused when there is none. */
export async function sendShortlist(
  deps: Deps,
  user: SessionUser,
  requestId: string,
): Promise<'ok' | 'not_found' | 'state' | 'none_consented'> {
  return deps.db.transaction().execute(async (trx) => {
    const open = await openRequest(trx, user, requestId);
    if (open.error !== null) return open.error;
    const locked = await trx
      .selectFrom('shortlist_requests')
      .select('status')
      .where('region_code', '=', user.regionCode)
      .where('id', '=', requestId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status !== 'in_progress') return 'state';
    const { n } = await trx
      .selectFrom('shortlist_candidates')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('region_code', '=', user.regionCode)
      .where('request_id', '=', requestId)
      .where('consent', '=', 'given')
      .where('cv_validated', '=', true)
      .executeTakeFirstOrThrow();
    if (Number(n) === 0) return 'none_consented';
    await trx
      .updateTable('shortlist_requests')
      .set({ status: 'sent', sent_at: new Date() })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', requestId)
      .execute();
    const requester = await trx
      .selectFrom('users')
      .select(['email', 'preferred_language'])
      .where('region_code', '=', user.regionCode)
      .where('id', '=', open.request.requested_by)
      .executeTakeFirst();
    if (requester?.email) {
      const t = translator(isLang(requester.preferred_language) ? requester.preferred_language : 'it');
      await deps.notifier.email(trx, {
        key: `preselection:${requestId}:sent`,
        to: requester.email,
        subject: t('preselection.mail.sentSubject', { vacancy: open.request.vacancy }),
        text: t('preselection.mail.sentText', {
          vacancy: open.request.vacancy,
          count: Number(n),
          url: `${deps.config.publicUrl}/azienda/preselezioni/${requestId}`,
        }),
      });
    }
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'preselection.sent',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'shortlist_request',
        objectId: requestId,
        details: { candidates: Number(n) },
      },
      trx,
    );
    return 'ok';
  });
}

// ── Citizen ─────────────────────────────────────────────────────────────────────────────────────

export async function citizenInvitation(db: Db | Tx, user: SessionUser, requestId: string) {
  if (!isUuid(requestId)) return undefined;
  return db
    .selectFrom('shortlist_candidates as s')
    .innerJoin('shortlist_requests as r', (j) =>
      j.onRef('r.region_code', '=', 's.region_code').onRef('r.id', '=', 's.request_id'),
    )
    .innerJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 'r.region_code').onRef('v.id', '=', 'r.vacancy_id'),
    )
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'r.region_code').onRef('c.id', '=', 'r.company_id'),
    )
    .select([
      'r.id',
      'r.status',
      'r.vacancy_id',
      's.consent',
      's.cv_validated',
      'v.title as vacancy',
      'c.name as company',
    ])
    .where('s.region_code', '=', user.regionCode)
    .where('s.request_id', '=', requestId)
    .where('s.citizen_id', '=', user.id)
    .executeTakeFirst();
}

export async function answerConsent(
  deps: Deps,
  user: SessionUser,
  requestId: string,
  answer: 'given' | 'refused',
): Promise<'ok' | 'not_found' | 'state'> {
  return deps.db.transaction().execute(async (trx) => {
    const inv = await citizenInvitation(trx, user, requestId);
    if (!inv) return 'not_found';
    if (inv.status !== 'in_progress' || !inv.cv_validated) return 'state';
    await trx
      .updateTable('shortlist_candidates')
      .set({ consent: answer, consent_at: new Date() })
      .where('region_code', '=', user.regionCode)
      .where('request_id', '=', requestId)
      .where('citizen_id', '=', user.id)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: `preselection.consent_${answer}`,
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: user.id,
        objectType: 'shortlist_request',
        objectId: requestId,
      },
      trx,
    );
    return 'ok';
  });
}
