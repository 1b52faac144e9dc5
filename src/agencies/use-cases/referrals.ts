import { sql } from 'kysely';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { ReferralStatus } from '../adapters/agency-tables.ts';
import { type AgencyService, addDays, MAX_NOTE, romeDay } from '../domain/services.ts';
import { type AgencyDeps, agenciesAccreditedFor, isUuid } from './scopes.ts';

/** How far ahead a referral may start (the agency must be accredited on that day). */
export const MAX_DAYS_AHEAD = 90;

export type Referral = {
  id: string;
  citizen_id: string;
  agency_id: string;
  agency_name: string;
  agency_address: string;
  service: string;
  starts_on: Date;
  note: string;
  chosen_agency_id: string | null;
  override_reason: string | null;
  status: ReferralStatus;
  created_at: Date;
  ended_at: Date | null;
  end_note: string | null;
};

function referralQuery(db: Db | Tx, regionCode: string) {
  return db
    .selectFrom('agency_referrals as r')
    .innerJoin('agencies as a', (j) =>
      j.onRef('a.region_code', '=', 'r.region_code').onRef('a.id', '=', 'r.agency_id'),
    )
    .select([
      'r.id',
      'r.citizen_id',
      'r.agency_id',
      'a.name as agency_name',
      'a.address as agency_address',
      'r.service',
      'r.starts_on',
      'r.note',
      'r.chosen_agency_id',
      'r.override_reason',
      'r.status',
      'r.created_at',
      'r.ended_at',
      'r.end_note',
    ])
    .where('r.region_code', '=', regionCode);
}

/** Every referral of a person (newest first), for the CPI and the person. */
export async function referralsOf(db: Db | Tx, regionCode: string, personId: string): Promise<Referral[]> {
  return referralQuery(db, regionCode)
    .where('r.citizen_id', '=', personId)
    .orderBy('r.created_at', 'desc')
    .execute();
}

export type Activity = {
  id: string;
  referral_id: string;
  occurred_on: Date;
  kind: string;
  outcome: string;
  agency_name: string;
  author: string;
};

/** The activities recorded on these referrals, newest first. */
export async function activitiesOf(
  db: Db | Tx,
  regionCode: string,
  referralIds: string[],
): Promise<Activity[]> {
  if (referralIds.length === 0) return [];
  return db
    .selectFrom('agency_activities as x')
    .innerJoin('agencies as a', (j) =>
      j.onRef('a.region_code', '=', 'x.region_code').onRef('a.id', '=', 'x.agency_id'),
    )
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'x.region_code').onRef('u.id', '=', 'x.recorded_by'),
    )
    .select([
      'x.id',
      'x.referral_id',
      'x.occurred_on',
      'x.kind',
      'x.outcome',
      'a.name as agency_name',
      sql<string>`u.given_name || ' ' || u.family_name`.as('author'),
    ])
    .where('x.region_code', '=', regionCode)
    .where('x.referral_id', 'in', referralIds)
    .orderBy('x.occurred_on', 'desc')
    .orderBy('x.created_at', 'desc')
    .execute();
}

/** The person's choice for a service: undefined = never chose, null = no preference. */
export async function choiceOf(
  db: Db | Tx,
  regionCode: string,
  personId: string,
  service: AgencyService,
): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('agency_choices')
    .select('agency_id')
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .where('service', '=', service)
    .executeTakeFirst();
  return row ? row.agency_id : undefined;
}

export type ReferInput = {
  service: AgencyService;
  day: string;
  agencyId: string;
  note: string;
  reason: string;
};
export type ReferResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

/** The day window a referral may start in, from `now`. */
export function referralWindow(now: Date): { min: string; max: string } {
  const today = romeDay(now);
  return { min: today, max: addDays(today, MAX_DAYS_AHEAD) };
}

/**
 * A CPI operator refers a person of their Region to an agency for a service. The agency must be
 * accredited for the service on the referral's day; when the person chose an agency that could be
 * chosen, choosing another needs a written reason (recorded). One open referral per person and
 * service. The person is e-mailed in the same transaction. Returns i18n keys per field on refusal.
 */
export async function refer(
  deps: AgencyDeps,
  op: SessionUser,
  personId: string,
  input: ReferInput,
  now = new Date(),
): Promise<ReferResult> {
  const { min, max } = referralWindow(now);
  if (input.day < min || input.day > max) return { ok: false, errors: { day: 'agencies.errors.dayWindow' } };
  if (!isUuid(personId)) return { ok: false, errors: { _form: 'errors.notFound' } };
  return deps.db.transaction().execute(async (trx): Promise<ReferResult> => {
    const person = await trx
      .selectFrom('users as u')
      .leftJoin('citizen_profiles as c', (j) =>
        j.onRef('c.region_code', '=', 'u.region_code').onRef('c.user_id', '=', 'u.id'),
      )
      .select([
        'u.id',
        'u.given_name',
        'u.preferred_language',
        sql<string | null>`coalesce(c.email, u.email)`.as('email'),
      ])
      .where('u.region_code', '=', op.regionCode)
      .where('u.id', '=', personId)
      .where('u.role', '=', 'citizen')
      .executeTakeFirst();
    if (!person) return { ok: false, errors: { _form: 'errors.notFound' } };
    // Serialise referrals of one person and service: the unique index is the final word.
    await sql`select pg_advisory_xact_lock(hashtext(${`referral:${op.regionCode}:${person.id}:${input.service}`}))`.execute(
      trx,
    );
    const open = await trx
      .selectFrom('agency_referrals')
      .select('id')
      .where('region_code', '=', op.regionCode)
      .where('citizen_id', '=', person.id)
      .where('service', '=', input.service)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) return { ok: false, errors: { service: 'agencies.errors.alreadyOpen' } };
    const accredited = await agenciesAccreditedFor(trx, op.regionCode, input.service, input.day);
    const agency = accredited.find((a) => a.id === input.agencyId);
    if (!agency) return { ok: false, errors: { agency: 'agencies.errors.notAccredited' } };
    const chosen = (await choiceOf(trx, op.regionCode, person.id, input.service)) ?? null;
    const choiceAvailable = chosen !== null && accredited.some((a) => a.id === chosen);
    const overriding = choiceAvailable && chosen !== agency.id;
    const reason = input.reason.trim();
    if (overriding && reason.length === 0)
      return { ok: false, errors: { reason: 'agencies.errors.reasonRequired' } };
    const note = input.note.trim();
    if (note.length > MAX_NOTE) return { ok: false, errors: { note: 'errors.tooLong' } };
    if (reason.length > MAX_NOTE) return { ok: false, errors: { reason: 'errors.tooLong' } };
    const { id } = await trx
      .insertInto('agency_referrals')
      .values({
        region_code: op.regionCode,
        citizen_id: person.id,
        agency_id: agency.id,
        service: input.service,
        starts_on: input.day,
        note,
        chosen_agency_id: chosen,
        override_reason: overriding ? reason : null,
        referred_by: op.id,
        office_id: op.officeId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'agency.referral.created',
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: person.id,
        purpose: 'referral',
        objectType: 'agency_referral',
        objectId: id,
        details: {
          agencyId: agency.id,
          service: input.service,
          startsOn: input.day,
          chosenAgencyId: chosen,
          choiceHonoured: !overriding,
          ...(overriding ? { overrideReason: reason } : {}),
        },
      },
      trx,
    );
    if (person.email) {
      const t = translator(isLang(person.preferred_language) ? person.preferred_language : 'it');
      await deps.notifier.email(trx, {
        key: `agency-referral:${id}`,
        to: person.email,
        subject: t('agencies.notify.subject'),
        text: t('agencies.notify.text', {
          name: person.given_name,
          agency: agency.name,
          address: agency.address,
          service: t(`agencies.services.${input.service}`),
          day: input.day,
          link: `${deps.config.publicUrl}/agenzia`,
        }),
      });
    }
    return { ok: true, id };
  });
}

/** The CPI closes (done) or withdraws an open referral of a person of its Region. False = not found. */
export async function endReferral(
  deps: AgencyDeps,
  op: SessionUser,
  personId: string,
  referralId: string,
  status: 'closed' | 'withdrawn',
  note: string,
): Promise<boolean> {
  if (!isUuid(personId) || !isUuid(referralId)) return false;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('agency_referrals')
      .set({ status, ended_at: new Date(), ended_by: op.id, end_note: note.trim() || null })
      .where('region_code', '=', op.regionCode)
      .where('id', '=', referralId)
      .where('citizen_id', '=', personId)
      .where('status', '=', 'open')
      .returning(['id', 'agency_id', 'service'])
      .executeTakeFirst();
    if (!row) return false;
    await tellPersonEnded(trx, deps, op.regionCode, personId, row, status);
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: `agency.referral.${status}`,
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: personId,
        purpose: 'referral',
        objectType: 'agency_referral',
        objectId: row.id,
        details: { agencyId: row.agency_id, service: row.service },
      },
      trx,
    );
    return true;
  });
}

/** The person is told, in their language, that a referral was completed or withdrawn. */
async function tellPersonEnded(
  trx: Tx,
  deps: AgencyDeps,
  regionCode: string,
  personId: string,
  referral: { id: string; agency_id: string; service: string },
  status: 'closed' | 'withdrawn',
): Promise<void> {
  const p = await trx
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as c', (j) =>
      j.onRef('c.region_code', '=', 'u.region_code').onRef('c.user_id', '=', 'u.id'),
    )
    .innerJoin('agencies as a', (j) =>
      j.on('a.region_code', '=', regionCode).on('a.id', '=', referral.agency_id),
    )
    .select([
      'u.given_name',
      'u.preferred_language',
      'a.name as agency',
      sql<string | null>`coalesce(c.email, u.email)`.as('email'),
    ])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', personId)
    .executeTakeFirst();
  if (!p?.email) return;
  const t = translator(isLang(p.preferred_language) ? p.preferred_language : 'it');
  await deps.notifier.email(trx, {
    key: `agency-referral:${referral.id}:${status}`,
    to: p.email,
    subject: t(`agencies.notify.${status}Subject`),
    text: t(`agencies.notify.${status}Text`, {
      name: p.given_name,
      agency: p.agency,
      service: t(`agencies.services.${referral.service}`),
      link: `${deps.config.publicUrl}/agenzia`,
    }),
  });
}
