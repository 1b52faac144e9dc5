import { sql } from 'kysely';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { ActivityKind } from '../domain/services.ts';
import { MAX_NOTE, romeDay } from '../domain/services.ts';
import { activitiesOf } from './referrals.ts';
import { type AgencyDeps, isUuid } from './scopes.ts';

/**
 * What an APL operator sees: only the people with an open referral to their agency, and of them only
 * what the accredited service needs — name, contacts, the referral (service, day, note), the tier —
 * and the activities of their agency on those referrals. Never conditionality, never other services.
 */

const NO_AGENCY = '00000000-0000-0000-0000-000000000000';

/** The open referrals to the operator's agency, newest first. Each shown person is an audited read. */
export async function aplCaseload(deps: AgencyDeps, op: SessionUser) {
  const rows = await deps.db
    .selectFrom('agency_referrals as r')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'r.region_code').onRef('u.id', '=', 'r.citizen_id'),
    )
    .select([
      'r.id',
      'r.citizen_id',
      'r.service',
      'r.starts_on',
      'r.created_at',
      'u.given_name',
      'u.family_name',
    ])
    .where('r.region_code', '=', op.regionCode)
    .where('r.agency_id', '=', op.agencyId ?? NO_AGENCY)
    .where('r.status', '=', 'open')
    .orderBy('r.created_at', 'desc')
    .limit(500)
    .execute();
  await deps.audit.recordReads(
    op,
    'agency_referral',
    'referral',
    rows.map((r) => ({ subjectId: r.citizen_id, objectId: r.id })),
  );
  return rows;
}

/** One referred person as the agency sees them; null when not referred (open) to this agency. */
export async function aplPerson(deps: AgencyDeps, op: SessionUser, personId: string) {
  if (!isUuid(personId) || op.role !== 'apl_operator' || !op.agencyId) return null;
  const referrals = await deps.db
    .selectFrom('agency_referrals')
    .select(['id', 'service', 'starts_on', 'note', 'created_at'])
    .where('region_code', '=', op.regionCode)
    .where('citizen_id', '=', personId)
    .where('agency_id', '=', op.agencyId)
    .where('status', '=', 'open')
    .orderBy('created_at', 'desc')
    .execute();
  if (referrals.length === 0) return null;
  const person = await deps.db
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as c', (j) =>
      j.onRef('c.region_code', '=', 'u.region_code').onRef('c.user_id', '=', 'u.id'),
    )
    .select([
      'u.id',
      'u.given_name',
      'u.family_name',
      sql<string | null>`coalesce(c.email, u.email)`.as('email'),
      sql<string | null>`coalesce(c.mobile, u.phone)`.as('mobile'),
    ])
    .where('u.region_code', '=', op.regionCode)
    .where('u.id', '=', personId)
    .where('u.role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  const tier = await deps.db
    .selectFrom('tier_assignments')
    .select('tier')
    .where('region_code', '=', op.regionCode)
    .where('user_id', '=', personId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  // Only this agency's activities, on the referrals it holds now.
  const activities = (
    await activitiesOf(
      deps.db,
      op.regionCode,
      referrals.map((r) => r.id),
    )
  ).filter((a) => referrals.some((r) => r.id === a.referral_id));
  await deps.audit.recordReads(
    op,
    'agency_referral',
    'referral',
    referrals.map((r) => ({ subjectId: personId, objectId: r.id })),
  );
  return { person, tier: tier?.tier ?? null, referrals, activities };
}

export type ActivityInput = { referralId: string; day: string; kind: ActivityKind; outcome: string };
export type ActivityResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

/** The agency records an activity on one of its open referrals: not in the future, not before it starts. */
export async function recordAgencyActivity(
  deps: AgencyDeps,
  op: SessionUser,
  personId: string,
  input: ActivityInput,
  now = new Date(),
): Promise<ActivityResult> {
  if (!isUuid(personId) || !op.agencyId) return { ok: false, errors: { _form: 'errors.notFound' } };
  if (!isUuid(input.referralId)) return { ok: false, errors: { referral: 'errors.choose' } };
  const outcome = input.outcome.trim();
  if (outcome.length === 0) return { ok: false, errors: { outcome: 'errors.required' } };
  if (outcome.length > MAX_NOTE) return { ok: false, errors: { outcome: 'errors.tooLong' } };
  if (input.day > romeDay(now)) return { ok: false, errors: { day: 'agencies.errors.dayInFuture' } };
  const agencyId = op.agencyId;
  return deps.db.transaction().execute(async (trx): Promise<ActivityResult> => {
    const referral = await trx
      .selectFrom('agency_referrals')
      .select(['id', 'starts_on', 'service'])
      .where('region_code', '=', op.regionCode)
      .where('id', '=', input.referralId)
      .where('citizen_id', '=', personId)
      .where('agency_id', '=', agencyId)
      .where('status', '=', 'open')
      .forUpdate()
      .executeTakeFirst();
    if (!referral) return { ok: false, errors: { referral: 'errors.choose' } };
    if (input.day < referral.starts_on.toISOString().slice(0, 10))
      return { ok: false, errors: { day: 'agencies.errors.beforeReferral' } };
    const { id } = await trx
      .insertInto('agency_activities')
      .values({
        region_code: op.regionCode,
        referral_id: referral.id,
        citizen_id: personId,
        agency_id: agencyId,
        occurred_on: input.day,
        kind: input.kind,
        outcome,
        recorded_by: op.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'agency.activity.recorded',
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: personId,
        purpose: 'referral',
        objectType: 'agency_activity',
        objectId: id,
        details: { referralId: referral.id, service: referral.service, kind: input.kind, day: input.day },
      },
      trx,
    );
    return { ok: true, id };
  });
}
