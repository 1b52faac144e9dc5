import { type ExpressionBuilder, sql } from 'kysely';
import { hasCodiceFiscaleShape } from '../../identity/domain/codice-fiscale.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { CaseworkDeps } from './help-requests.ts';

export const READ_PURPOSES = [
  'interview',
  'taking_charge',
  'help_request',
  'conditionality_check',
  'appointment',
] as const;
export type ReadPurpose = (typeof READ_PURPOSES)[number];

/** The person (a `users` row) has an open referral to this agency, in the same Region. */
function referredTo(agencyId: string) {
  return (eb: ExpressionBuilder<Database, 'users'>) =>
    eb.exists(
      eb
        .selectFrom('agency_referrals as r')
        .select('r.id')
        .whereRef('r.region_code', '=', 'users.region_code')
        .whereRef('r.citizen_id', '=', 'users.id')
        .where('r.agency_id', '=', agencyId)
        .where('r.status', '=', 'open'),
    );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** APL operators never read a person's record for a conditionality check (not the agency's task). */
const APL_PURPOSES: readonly ReadPurpose[] = ['interview', 'taking_charge', 'help_request', 'appointment'];

/**
 * An operator opens a person's record. The Region scope is part of the query itself, so a person of
 * another Region is simply not found (no existence leak). An APL operator sees only the people with
 * an open referral to their agency (src/agencies), and of them not the fiscal code or birth date:
 * only what the accredited service needs.
 */
export async function readPersonRecord(
  deps: CaseworkDeps,
  operator: SessionUser,
  personId: string,
  purpose: ReadPurpose,
) {
  if (!UUID.test(personId)) return null;
  const apl = operator.role === 'apl_operator';
  if (apl && (!operator.agencyId || !APL_PURPOSES.includes(purpose))) return null;
  const found = await deps.db
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
    .$if(apl, (q) => q.where(referredTo(operator.agencyId ?? '')))
    .executeTakeFirst();
  if (!found) return null;
  const person = apl ? { ...found, fiscal_code: null, birth_date: null } : found;
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

/**
 * Search by codice fiscale, surname, or surname and given name ("Rossi Al") within the operator's
 * Region (an APL operator: among the people referred to their agency), in alphabetical order
 * (surname, then given name), at most 20. Each result carries what tells namesakes apart: for a CPI
 * operator the birth date and codice fiscale, for an APL operator (who is not shown those) the email.
 * Results are not audited reads of the record; opening one is.
 *
 * A text with the shape of a codice fiscale is looked up as one; any other text is a name. No
 * surname has that shape (it has digits or their omocodic letters in fixed places), and every
 * fiscal code kept is checked at registration, so neither way misses what the other would find.
 * Each name way walks the index `users_citizen_name_order` in order and stops at the 20th name
 * (migration 0039); "surname given-name" is a second way, in the same statement.
 */
export async function searchPeople(deps: CaseworkDeps, operator: SessionUser, query: string) {
  // LIKE's wildcards are not searched for (as before); what is left must still be 3 characters.
  const q = query.trim().toUpperCase().replace(/\s+/g, ' ');
  const prefix = q.replace(/[%_\\]/g, '');
  const apl = operator.role === 'apl_operator';
  if (prefix.length < 3 || (apl && !operator.agencyId)) return [];
  const ways = apl ? APL_SEARCH : CPI_SEARCH;
  const where = apl
    ? { regionCode: operator.regionCode, agencyId: operator.agencyId ?? '' }
    : { regionCode: operator.regionCode };
  let rows: PersonFound[];
  if (hasCodiceFiscaleShape(q)) {
    rows = await ways.byFiscalCode(deps.db, { ...where, fiscalCode: q });
  } else {
    // "ROSSI AL": the whole surname, then the start of the given name (a surname may hold spaces: "DE
    // LUCA MARIO" is the surname "DE LUCA" and the name "MARIO").
    const space = prefix.lastIndexOf(' ');
    const family = prefix.slice(0, space);
    const given = prefix.slice(space + 1);
    const range = { ...where, from: prefix, to: nextPrefix(prefix) };
    rows =
      space > 0 && space < prefix.length - 1
        ? await ways.bySurnameOrFullName(deps.db, {
            ...range,
            family,
            givenFrom: given,
            givenTo: nextPrefix(given),
          })
        : await ways.bySurname(deps.db, range);
  }
  // An APL operator is not shown the fiscal code or birth date (as in the record, above).
  return rows.map((r) => (apl ? { ...r, birth_date: null, fiscal_code: null } : { ...r, email: null }));
}

type PersonFound = {
  id: string;
  given_name: string;
  family_name: string;
  birth_date: Date | null;
  fiscal_code: string | null;
  email: string | null;
};

/**
 * The search's statements, built once each (an operator's search is asked often: bench/load.ts).
 * An APL operator's also ask for an open referral to their agency (`agencyId`).
 */
function searchStatements(apl: boolean) {
  type Where = { regionCode: string; agencyId?: string };
  const surname = sql<string>`upper(family_name) collate "C"`;
  const givenName = sql<string>`upper(given_name) collate "C"`;
  const citizens = (db: Db, v: Where) =>
    db
      .selectFrom('users')
      .select(['id', 'given_name', 'family_name', 'birth_date', 'fiscal_code', 'email'])
      .where('region_code', '=', v.regionCode)
      .where('role', '=', 'citizen')
      .$if(apl, (qb) => qb.where(referredTo(v.agencyId ?? '')));
  // The first 20 in alphabetical order (the order of the index, which the name ways walk).
  const first20 = (qb: ReturnType<typeof citizens>) =>
    qb.orderBy(surname).orderBy(givenName).orderBy('id').limit(20);
  // "Starts with" as a range in code point order (what LIKE 'ROSSI%' means in the "C" collation):
  // PostgreSQL estimates a range well, and walks the index from its start.
  const bySurname = (db: Db, v: Where & { from: string; to: string }) =>
    first20(citizens(db, v).where(surname, '>=', v.from).where(surname, '<', v.to));
  return {
    byFiscalCode: compiledOnce((db, v: Where & { fiscalCode: string }) =>
      citizens(db, v).where('fiscal_code', '=', v.fiscalCode),
    ),
    bySurname: compiledOnce(bySurname),
    bySurnameOrFullName: compiledOnce(
      (db, v: Where & { from: string; to: string; family: string; givenFrom: string; givenTo: string }) => {
        const keys = [surname.as('surname_key'), givenName.as('given_key')] as const;
        const byFullName = first20(
          citizens(db, v)
            .where(surname, '=', v.family)
            .where(givenName, '>=', v.givenFrom)
            .where(givenName, '<', v.givenTo),
        );
        // Nobody is found both ways: a surname cannot be "ROSSI" and start with "ROSSI AL".
        const both = db
          .selectFrom(bySurname(db, v).select(keys).as('a'))
          .selectAll()
          .unionAll(db.selectFrom(byFullName.select(keys).as('b')).selectAll());
        return db
          .selectFrom(both.as('found'))
          .select(['id', 'given_name', 'family_name', 'birth_date', 'fiscal_code', 'email'])
          .orderBy('surname_key')
          .orderBy('given_key')
          .orderBy('id')
          .limit(20);
      },
    ),
  };
}
const CPI_SEARCH = searchStatements(false);
const APL_SEARCH = searchStatements(true);

/** The first string after every string that starts with `prefix`, in code point ("C") order. */
export function nextPrefix(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop()?.codePointAt(0) ?? 0;
  // Past the last code point, or into the surrogates (not characters), step over them.
  if (last >= 0x10ffff) return chars.length > 0 ? nextPrefix(chars.join('')) : '\u{10FFFF}';
  return chars.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1);
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
