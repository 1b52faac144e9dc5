import { type RawBuilder, sql } from 'kysely';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { type CaseloadFilters, PAGE_SIZE } from '../domain/filters.ts';

/**
 * The caseload of a CPI office (issue 8, item 1). The people of an office: those assigned to it
 * (case_assignments), else those whose latest pact, else latest appointment, else latest message
 * thread is with it (the same order as the messages context's `followersOf`). Every query is scoped
 * to the operator's Region and office; a person of another office or Region is "not found".
 */
export type CaseloadDeps = Pick<CaseworkPorts, 'db' | 'audit'>;
type Operator = Pick<SessionUser, 'id' | 'role' | 'regionCode' | 'officeId' | 'agencyId'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export type CaseRow = {
  id: string;
  given_name: string;
  family_name: string;
  fiscal_code: string | null;
  operator_id: string | null;
  operator_given_name: string | null;
  operator_family_name: string | null;
  tier: number | null;
  open_alerts: number;
  next_appointment: Date | null;
  last_contact: Date | null;
  open_conditionality: number;
  benefits: string[];
};

/**
 * A person's current office, as SQL on `u` (their users row): their case assignment, else their
 * latest pact, else their latest appointment, else their latest message thread. The one rule for
 * "the people of an office" (the caseload, campaigns).
 */
export const CURRENT_OFFICE = sql`coalesce(
  (select ca.office_id from case_assignments ca where ca.region_code = u.region_code and ca.citizen_id = u.id),
  (select p.office_id from pacts p where p.region_code = u.region_code and p.citizen_id = u.id
    order by p.created_at desc limit 1),
  (select coalesce(a.office_id, s.office_id) from appointments a join agenda_slots s
      on s.region_code = a.region_code and s.id = a.slot_id
    where a.region_code = u.region_code and a.citizen_id = u.id order by a.booked_at desc limit 1),
  (select t.office_id from message_threads t where t.region_code = u.region_code and t.citizen_id = u.id
    order by t.created_at desc limit 1))`;

/**
 * The people of the office with what the filters need, as a common table expression `people`.
 * `only` narrows it to some ids (assignment checks).
 */
function peopleOfOffice(regionCode: string, officeId: string, now: Date, only?: readonly string[]) {
  const onlyIds = only ? sql`and u.id = any(${sql.val([...only])}::uuid[])` : sql``;
  return sql`
    with candidates as (
      select citizen_id from case_assignments where region_code = ${regionCode} and office_id = ${officeId}
      union select citizen_id from pacts where region_code = ${regionCode} and office_id = ${officeId}
      union select a.citizen_id from appointments a join agenda_slots s
        on s.region_code = a.region_code and s.id = a.slot_id
        where a.region_code = ${regionCode}
          and (a.office_id = ${officeId} or (a.office_id is null and s.office_id = ${officeId}))
      union select citizen_id from message_threads where region_code = ${regionCode} and office_id = ${officeId}
    ),
    people as (
      select u.id, u.given_name, u.family_name, u.fiscal_code,
        ca.operator_id, op.given_name as operator_given_name, op.family_name as operator_family_name,
        ${CURRENT_OFFICE} as office_id,
        (select ta.tier from tier_assignments ta where ta.region_code = u.region_code and ta.user_id = u.id
          order by ta.created_at desc limit 1)::int as tier,
        (select count(*) from coach_alerts ca2 where ca2.region_code = u.region_code and ca2.citizen_id = u.id
          and ca2.closed_at is null)::int as open_alerts,
        (select min(s.starts_at) from appointments a join agenda_slots s
            on s.region_code = a.region_code and s.id = a.slot_id
          where a.region_code = u.region_code and a.citizen_id = u.id and a.status = 'booked'
            and s.starts_at >= ${now}) as next_appointment,
        greatest(
          (select max(s.starts_at) from appointments a join agenda_slots s
              on s.region_code = a.region_code and s.id = a.slot_id
            where a.region_code = u.region_code and a.citizen_id = u.id and a.status = 'attended'),
          (select max(m.created_at) from messages m join message_threads t
              on t.region_code = m.region_code and t.id = m.thread_id
            where t.region_code = u.region_code and t.citizen_id = u.id)
        ) as last_contact,
        (select count(*) from conditionality_events c where c.region_code = u.region_code and c.citizen_id = u.id
          and c.status <> 'decided')::int as open_conditionality,
        array(
          select distinct case when b in ('adi', 'sfl') then 'adi_sfl' else b end from (
            select unnest(cp.benefits) as b from citizen_profiles cp
              where cp.region_code = u.region_code and cp.user_id = u.id
            union all
            select bo.benefit from benefit_obligations bo
              where bo.region_code = u.region_code and bo.citizen_id = u.id and bo.active
          ) x where b <> 'none' order by 1
        ) as benefits
      from candidates c
      join users u on u.region_code = ${regionCode} and u.id = c.citizen_id and u.role = 'citizen'
      left join case_assignments ca on ca.region_code = u.region_code and ca.citizen_id = u.id
      left join users op on op.region_code = ca.region_code and op.id = ca.operator_id
      where true ${onlyIds}
    )`;
}

function whereOf(f: CaseloadFilters, me: string, officeId: string, now: Date): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`office_id = ${officeId}`];
  if (f.q) {
    const q = f.q.toUpperCase();
    const like = `${q.replace(/[%_\\]/g, '')}%`;
    parts.push(
      sql`(fiscal_code = ${q} or upper(family_name) like ${like} or upper(given_name) like ${like})`,
    );
  }
  if (f.tier === 'none') parts.push(sql`tier is null`);
  else if (f.tier) parts.push(sql`tier = ${Number(f.tier)}`);
  if (f.alerts) parts.push(sql`open_alerts > 0`);
  if (f.conditionality) parts.push(sql`open_conditionality > 0`);
  const week = new Date(now.getTime() + 7 * 86_400_000);
  if (f.appointment === 'week') parts.push(sql`next_appointment < ${week}`);
  else if (f.appointment === 'any') parts.push(sql`next_appointment is not null`);
  else if (f.appointment === 'none') parts.push(sql`next_appointment is null`);
  if (f.contact === 'never') parts.push(sql`last_contact is null`);
  else if (f.contact) {
    const since = new Date(now.getTime() - Number(f.contact) * 86_400_000);
    parts.push(sql`(last_contact is null or last_contact < ${since})`);
  }
  if (f.benefit === 'none') parts.push(sql`cardinality(benefits) = 0`);
  else if (f.benefit) parts.push(sql`${f.benefit} = any(benefits)`);
  if (f.operator === 'me') parts.push(sql`operator_id = ${me}`);
  else if (f.operator === 'none') parts.push(sql`operator_id is null`);
  else if (f.operator) parts.push(sql`operator_id = ${f.operator}`);
  return sql.join(parts, sql` and `);
}

function orderOf(f: CaseloadFilters): RawBuilder<unknown> {
  const dir = sql.raw(f.dir === 'desc' ? 'desc' : 'asc');
  const name = sql`upper(family_name) ${dir}, upper(given_name) ${dir}, id`;
  switch (f.sort) {
    case 'tier':
      return sql`tier ${dir} nulls last, ${name}`;
    case 'next':
      return sql`next_appointment ${dir} nulls last, ${name}`;
    case 'contact':
      return sql`last_contact ${dir} nulls first, ${name}`;
    case 'alerts':
      return sql`open_alerts ${dir}, ${name}`;
    default:
      return name;
  }
}

/** One page of the office's caseload, with the total for paging. */
export async function listCaseload(
  db: Db,
  op: Operator,
  f: CaseloadFilters,
  now: Date,
): Promise<{ rows: CaseRow[]; total: number }> {
  if (op.role !== 'cpi_operator' || !op.officeId) return { rows: [], total: 0 };
  const offset = (f.page - 1) * PAGE_SIZE;
  const { rows } = await sql<CaseRow & { total: number }>`
    ${peopleOfOffice(op.regionCode, op.officeId, now)}
    select *, count(*) over ()::int as total from people
    where ${whereOf(f, op.id, op.officeId, now)}
    order by ${orderOf(f)}
    limit ${PAGE_SIZE} offset ${offset}`.execute(db);
  if (rows.length === 0 && offset > 0) {
    // Past the last page: count alone, so the page can offer to go back.
    const { rows: c } = await sql<{ total: number }>`
      ${peopleOfOffice(op.regionCode, op.officeId, now)}
      select count(*)::int as total from people where ${whereOf(f, op.id, op.officeId, now)}`.execute(db);
    return { rows: [], total: c[0]?.total ?? 0 };
  }
  return { rows, total: rows[0]?.total ?? 0 };
}

/** The operators of the office (active CPI operators), by name. */
export async function operatorsOfOffice(db: Db | Tx, regionCode: string, officeId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name'])
    .where('region_code', '=', regionCode)
    .where('office_id', '=', officeId)
    .where('role', '=', 'cpi_operator')
    .where('disabled_at', 'is', null)
    .orderBy('family_name')
    .orderBy('given_name')
    .execute();
}

export type Workload = {
  id: string;
  given_name: string;
  family_name: string;
  people: number;
  appointments_week: number;
};

/** Per operator of the office: people assigned, and appointments booked in the next 7 days. */
export async function workloadOf(
  db: Db,
  op: Operator,
  now: Date,
): Promise<{ operators: Workload[]; unassigned: number }> {
  if (op.role !== 'cpi_operator' || !op.officeId) return { operators: [], unassigned: 0 };
  const week = new Date(now.getTime() + 7 * 86_400_000);
  const operators = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.given_name', 'u.family_name'])
    .select([
      sql<number>`(select count(*)::int from case_assignments ca where ca.region_code = u.region_code
        and ca.office_id = u.office_id and ca.operator_id = u.id)`.as('people'),
      sql<number>`(select count(*)::int from appointments a join agenda_slots s
        on s.region_code = a.region_code and s.id = a.slot_id
        where s.region_code = u.region_code and s.operator_id = u.id and a.status = 'booked'
        and s.starts_at >= ${now} and s.starts_at < ${week})`.as('appointments_week'),
    ])
    .where('u.region_code', '=', op.regionCode)
    .where('u.office_id', '=', op.officeId)
    .where('u.role', '=', 'cpi_operator')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .execute();
  const { rows } = await sql<{ n: number }>`
    ${peopleOfOffice(op.regionCode, op.officeId, now)}
    select count(*)::int as n from people where office_id = ${op.officeId} and operator_id is null`.execute(
    db,
  );
  return { operators, unassigned: rows[0]?.n ?? 0 };
}

/** The people among `ids` who belong to the operator's office now (inside the caller's transaction). */
async function ofMyOffice(db: Db | Tx, op: Operator, ids: readonly string[], now: Date) {
  const { rows } = await sql<{
    id: string;
    operator_id: string | null;
    given_name: string;
    family_name: string;
  }>`
    ${peopleOfOffice(op.regionCode, op.officeId ?? '', now, ids)}
    select id, operator_id, given_name, family_name from people where office_id = ${op.officeId}`.execute(db);
  return rows;
}

/** A person of the office with their assignment and its history, or null ("not found"). */
export async function caseOf(db: Db, op: Operator, personId: string, now: Date) {
  if (op.role !== 'cpi_operator' || !op.officeId || !isUuid(personId)) return null;
  const [person] = await ofMyOffice(db, op, [personId], now);
  if (!person) return null;
  const history = await db
    .selectFrom('case_assignment_history as h')
    .leftJoin('users as f', (j) =>
      j.onRef('f.region_code', '=', 'h.region_code').onRef('f.id', '=', 'h.from_operator_id'),
    )
    .innerJoin('users as t', (j) =>
      j.onRef('t.region_code', '=', 'h.region_code').onRef('t.id', '=', 'h.to_operator_id'),
    )
    .innerJoin('users as a', (j) =>
      j.onRef('a.region_code', '=', 'h.region_code').onRef('a.id', '=', 'h.actor_id'),
    )
    .select([
      'h.id',
      'h.kind',
      'h.reason',
      'h.at',
      'f.given_name as from_given_name',
      'f.family_name as from_family_name',
      't.given_name as to_given_name',
      't.family_name as to_family_name',
      'a.given_name as actor_given_name',
      'a.family_name as actor_family_name',
    ])
    .where('h.region_code', '=', op.regionCode)
    .where('h.citizen_id', '=', personId)
    .orderBy('h.at', 'desc')
    .limit(200)
    .execute();
  const current = person.operator_id
    ? await db
        .selectFrom('users')
        .select(['id', 'given_name', 'family_name'])
        .where('region_code', '=', op.regionCode)
        .where('id', '=', person.operator_id)
        .executeTakeFirst()
    : undefined;
  return { person, current: current ?? null, history };
}

export type AssignResult = { ok: true; changed: number } | { ok: false; error: 'operator' | 'people' };

/**
 * Assign the chosen people to an operator of the same office, in one transaction: every person must
 * still be of the office (else nothing changes), each change is kept in the history and audited.
 */
export async function assignPeople(
  deps: CaseloadDeps,
  op: SessionUser,
  personIds: readonly string[],
  toOperatorId: string,
  now: Date,
): Promise<AssignResult> {
  if (op.role !== 'cpi_operator' || !op.officeId) return { ok: false, error: 'people' };
  const ids = [...new Set(personIds)];
  if (ids.length === 0 || !ids.every(isUuid)) return { ok: false, error: 'people' };
  if (!isUuid(toOperatorId)) return { ok: false, error: 'operator' };
  const officeId = op.officeId;
  return deps.db.transaction().execute(async (trx) => {
    const target = (await operatorsOfOffice(trx, op.regionCode, officeId)).find((o) => o.id === toOperatorId);
    if (!target) return { ok: false, error: 'operator' } as const;
    // Lock the people's current assignments so that two assignments at once do not cross.
    await trx
      .selectFrom('case_assignments')
      .select('citizen_id')
      .where('region_code', '=', op.regionCode)
      .where('citizen_id', 'in', ids)
      .forUpdate()
      .execute();
    const people = await ofMyOffice(trx, op, ids, now);
    if (people.length !== ids.length) return { ok: false, error: 'people' } as const;
    const changing = people.filter((p) => p.operator_id !== toOperatorId);
    for (const p of changing) {
      await trx
        .insertInto('case_assignments')
        .values({
          region_code: op.regionCode,
          citizen_id: p.id,
          office_id: officeId,
          operator_id: toOperatorId,
          assigned_by: op.id,
          assigned_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['region_code', 'citizen_id']).doUpdateSet({
            office_id: officeId,
            operator_id: toOperatorId,
            assigned_by: op.id,
            assigned_at: now,
          }),
        )
        .execute();
      await trx
        .insertInto('case_assignment_history')
        .values({
          region_code: op.regionCode,
          citizen_id: p.id,
          office_id: officeId,
          from_operator_id: p.operator_id,
          to_operator_id: toOperatorId,
          kind: 'assigned',
          reason: null,
          actor_id: op.id,
          at: now,
        })
        .execute();
      await deps.audit.record(
        {
          regionCode: op.regionCode,
          action: 'caseload.assigned',
          outcome: 'ok',
          actor: actorOf(op),
          subjectId: p.id,
          purpose: 'caseload_management',
          objectType: 'case_assignment',
          objectId: p.id,
          details: { from: p.operator_id, to: toOperatorId, bulk: ids.length },
        },
        trx,
      );
    }
    return { ok: true, changed: changing.length } as const;
  });
}

export type TransferResult = { ok: true } | { ok: false; error: 'notFound' | 'operator' | 'same' };

/** Move one person to another operator of the office, with the reason; the history keeps both. */
export async function transferPerson(
  deps: CaseloadDeps,
  op: SessionUser,
  personId: string,
  toOperatorId: string,
  reason: string,
  now: Date,
): Promise<TransferResult> {
  if (op.role !== 'cpi_operator' || !op.officeId || !isUuid(personId))
    return { ok: false, error: 'notFound' };
  if (!isUuid(toOperatorId)) return { ok: false, error: 'operator' };
  const officeId = op.officeId;
  return deps.db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('case_assignments')
      .select('citizen_id')
      .where('region_code', '=', op.regionCode)
      .where('citizen_id', '=', personId)
      .forUpdate()
      .execute();
    const [person] = await ofMyOffice(trx, op, [personId], now);
    if (!person) return { ok: false, error: 'notFound' } as const;
    const target = (await operatorsOfOffice(trx, op.regionCode, officeId)).find((o) => o.id === toOperatorId);
    if (!target) return { ok: false, error: 'operator' } as const;
    if (person.operator_id === toOperatorId) return { ok: false, error: 'same' } as const;
    await trx
      .insertInto('case_assignments')
      .values({
        region_code: op.regionCode,
        citizen_id: personId,
        office_id: officeId,
        operator_id: toOperatorId,
        assigned_by: op.id,
        assigned_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['region_code', 'citizen_id']).doUpdateSet({
          office_id: officeId,
          operator_id: toOperatorId,
          assigned_by: op.id,
          assigned_at: now,
        }),
      )
      .execute();
    await trx
      .insertInto('case_assignment_history')
      .values({
        region_code: op.regionCode,
        citizen_id: personId,
        office_id: officeId,
        from_operator_id: person.operator_id,
        to_operator_id: toOperatorId,
        kind: person.operator_id ? 'transferred' : 'assigned',
        reason,
        actor_id: op.id,
        at: now,
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'caseload.transferred',
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: personId,
        purpose: 'caseload_management',
        objectType: 'case_assignment',
        objectId: personId,
        details: { from: person.operator_id, to: toOperatorId, reason },
      },
      trx,
    );
    return { ok: true } as const;
  });
}
