import type { SessionUser } from '../../platform/auth/session.ts';
import type { CaseworkDeps } from './help-requests.ts';

export const READ_PURPOSES = [
  'interview',
  'taking_charge',
  'help_request',
  'conditionality_check',
  'appointment',
] as const;
export type ReadPurpose = (typeof READ_PURPOSES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An operator opens a person's record. The Region scope is part of the query itself, so a person of
 * another Region is simply not found (no existence leak). APL operators see only the people
 * referred to them: referrals arrive with the casework issue, so for now they see no one.
 */
export async function readPersonRecord(
  deps: CaseworkDeps,
  operator: SessionUser,
  personId: string,
  purpose: ReadPurpose,
) {
  if (!UUID.test(personId) || operator.role === 'apl_operator') return null;
  const person = await deps.db
    .selectFrom('users')
    .select([
      'id',
      'region_code',
      'given_name',
      'family_name',
      'fiscal_code',
      'birth_date',
      'email',
      'phone',
      'is_minor',
      'created_at',
    ])
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', personId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  await deps.audit.record({
    regionCode: person.region_code,
    action: 'read.person',
    outcome: 'ok',
    actor: {
      id: operator.id,
      role: operator.role,
      regionCode: operator.regionCode,
      officeId: operator.officeId,
      agencyId: operator.agencyId,
    },
    subjectId: person.id,
    purpose,
    objectType: 'person',
    objectId: person.id,
  });
  return person;
}

/** Search by codice fiscale or family name within the operator's Region. Results are not audited
 * reads of the record; opening one is. */
export async function searchPeople(deps: CaseworkDeps, operator: SessionUser, query: string) {
  const q = query.trim().toUpperCase();
  if (q.length < 3 || operator.role === 'apl_operator') return [];
  return deps.db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name'])
    .where('region_code', '=', operator.regionCode)
    .where('role', '=', 'citizen')
    .where((eb) =>
      eb.or([
        eb('fiscal_code', '=', q),
        eb(eb.fn('upper', ['family_name']), 'like', `${q.replace(/[%_\\]/g, '')}%`),
      ]),
    )
    .orderBy('family_name')
    .limit(20)
    .execute();
}

/** "Chi ha consultato i miei dati": every read of this person's data by someone else. */
export async function whoReadMyData(deps: CaseworkDeps, me: SessionUser) {
  return deps.db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'a.actor_id'))
    .leftJoin('offices as o', (j) => j.onRef('o.id', '=', 'a.actor_office_id'))
    .leftJoin('agencies as g', (j) => j.onRef('g.id', '=', 'a.actor_agency_id'))
    .select([
      'a.at',
      'a.action',
      'a.purpose',
      'a.actor_role',
      'a.on_behalf_of',
      'u.given_name',
      'u.family_name',
      'o.name as office_name',
      'g.name as agency_name',
    ])
    .where('a.region_code', '=', me.regionCode)
    .where('a.subject_id', '=', me.id)
    .where('a.action', 'like', 'read.%')
    .where((eb) => eb.or([eb('a.actor_id', 'is', null), eb('a.actor_id', '!=', me.id)]))
    .orderBy('a.at', 'desc')
    .limit(500)
    .execute();
}
