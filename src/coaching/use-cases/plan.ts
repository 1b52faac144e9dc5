import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { type Actor, type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import { compiledOnce, withDates } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ActionKind } from '../adapters/coaching-tables.ts';
import type { PeerPayload } from './peer.ts';

export type PlanDeps = { db: Db; audit: AuditLog };
type Operator = Actor & { id: string; regionCode: string; role: string; officeId: string | null };
type Citizen = Actor & { id: string; regionCode: string };

/** The person's latest pact (coach and office), if any. */
export async function latestPact(db: Db, regionCode: string, citizenId: string) {
  return db
    .selectFrom('pacts')
    .select(['id', 'coach_id', 'office_id', 'agency_id'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * May this operator manage the person's plan? The e-coach, an operator of the pact's CPI (or of its
 * agency for an APL operator); without a pact, any CPI operator of the Region. Returns the person or null.
 */
export async function personForOperator(db: Db, op: Operator, citizenId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(citizenId)) return null;
  const person = await db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name'])
    .where('region_code', '=', op.regionCode)
    .where('id', '=', citizenId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  const pact = await latestPact(db, op.regionCode, citizenId);
  const agencyId = (op as { agencyId?: string | null }).agencyId ?? null;
  const allowed = pact
    ? pact.coach_id === op.id ||
      (op.role === 'cpi_operator' && op.officeId === pact.office_id) ||
      (op.role === 'apl_operator' && agencyId !== null && agencyId === pact.agency_id)
    : op.role === 'cpi_operator';
  return allowed ? { ...person, pact: pact ?? null } : null;
}

export type NewAction = {
  kind: ActionKind;
  title: string;
  target: number | null;
  dueDate: string;
  appointmentId: string | null;
};

export async function addAction(
  deps: PlanDeps,
  op: Operator,
  citizenId: string,
  a: NewAction,
): Promise<string | null> {
  const person = await personForOperator(deps.db, op, citizenId);
  if (!person) return null;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('plan_actions')
      .values({
        region_code: op.regionCode,
        citizen_id: citizenId,
        coach_id: person.pact?.coach_id ?? null,
        pact_id: person.pact?.id ?? null,
        kind: a.kind,
        title: a.title,
        target: a.kind === 'apply_vacancies' ? a.target : null,
        due_date: a.dueDate,
        appointment_id: a.kind === 'attend_appointment' ? a.appointmentId : null,
        created_by: op.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'coaching.action_added',
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: citizenId,
        purpose: 'action_plan',
        objectType: 'plan_action',
        objectId: row.id,
        details: { kind: a.kind },
      },
      trx,
    );
    return row.id;
  });
}

export async function editAction(
  deps: PlanDeps,
  op: Operator,
  citizenId: string,
  actionId: string,
  e: { title: string; target: number | null; dueDate: string },
): Promise<boolean> {
  const person = await personForOperator(deps.db, op, citizenId);
  if (!person || !/^[0-9a-f-]{36}$/i.test(actionId)) return false;
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('plan_actions')
      .set({
        title: e.title,
        target: sql<number | null>`case when kind = 'apply_vacancies' then ${e.target}::int else null end`,
        due_date: e.dueDate,
        updated_at: sql<Date>`now()`,
      })
      .where('region_code', '=', op.regionCode)
      .where('citizen_id', '=', citizenId)
      .where('id', '=', actionId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    // A lower target may already be reached.
    await trx
      .updateTable('plan_actions')
      .set({ status: 'done', done_at: sql<Date>`now()` })
      .where('region_code', '=', op.regionCode)
      .where('id', '=', actionId)
      .where('kind', '=', 'apply_vacancies')
      .where(sql<boolean>`progress >= target`)
      .execute();
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'coaching.action_edited',
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: citizenId,
        purpose: 'action_plan',
        objectType: 'plan_action',
        objectId: actionId,
        details: {},
      },
      trx,
    );
    return true;
  });
}

export async function cancelAction(deps: PlanDeps, op: Operator, citizenId: string, actionId: string) {
  const person = await personForOperator(deps.db, op, citizenId);
  if (!person || !/^[0-9a-f-]{36}$/i.test(actionId)) return false;
  const r = await deps.db
    .updateTable('plan_actions')
    .set({ status: 'cancelled', updated_at: sql<Date>`now()` })
    .where('region_code', '=', op.regionCode)
    .where('citizen_id', '=', citizenId)
    .where('id', '=', actionId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export type EvidenceItem = {
  id: string;
  kind: 'link' | 'upload' | 'automatic';
  url: string | null;
  filename: string | null;
  size: number | null;
  created_at: Date;
};

const actionRows = (db: Db, v: { regionCode: string; citizenId: string }) =>
  db
    .selectFrom('plan_actions')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('plan_evidence')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('plan_evidence.action_id', '=', 'plan_actions.id')
        .whereRef('plan_evidence.region_code', '=', 'plan_actions.region_code')
        .as('evidence_count'),
    )
    .where('region_code', '=', v.regionCode)
    .where('citizen_id', '=', v.citizenId)
    .where('status', '<>', 'cancelled')
    .orderBy('due_date')
    .orderBy('created_at');
const actionsQuery = compiledOnce(actionRows);

/** The person's actions (not cancelled), each with its evidence, oldest first. */
export async function listActions(db: Db, regionCode: string, citizenId: string) {
  return withEvidence(db, regionCode, citizenId, await actionsQuery(db, { regionCode, citizenId }));
}

type ActionRow = Awaited<ReturnType<typeof actionsQuery>>[number];

async function withEvidence(db: Db, regionCode: string, citizenId: string, actions: ActionRow[]) {
  // Most plans have no evidence yet: then the second query is not needed.
  const evidence = !actions.some((a) => (a.evidence_count ?? 0) > 0)
    ? []
    : await db
        .selectFrom('plan_evidence as e')
        .innerJoin('plan_actions as a', (j) =>
          j.onRef('a.region_code', '=', 'e.region_code').onRef('a.id', '=', 'e.action_id'),
        )
        .select(['e.id', 'e.action_id', 'e.kind', 'e.url', 'e.filename', 'e.created_at'])
        .select(sql<number | null>`octet_length(e.content)`.as('size'))
        .where('e.region_code', '=', regionCode)
        .where('a.citizen_id', '=', citizenId)
        .orderBy('e.created_at')
        .execute();
  return actions.map((a) => ({
    ...a,
    evidence: evidence.filter((e) => e.action_id === a.id) as (EvidenceItem & { action_id: string })[],
  }));
}

/**
 * The person's plan page in one statement (decision 0012): their actions as a JSON array (times made
 * Dates again here) with the latest monthly peer feedback and whether they opted out of it.
 */
export async function citizenPlanOf(db: Db, regionCode: string, citizenId: string) {
  const [row] = await citizenPlanQuery(db, { regionCode, citizenId });
  const actions: ActionRow[] = (row?.actions ?? []).map((a) =>
    withDates(a, ['due_date', 'created_at', 'updated_at', 'done_at']),
  );
  return {
    actions: await withEvidence(db, regionCode, citizenId, actions),
    peer: { payload: row?.peer_payload ?? null, optedOut: Boolean(row?.peer_opted_out) },
  };
}
const citizenPlanQuery = compiledOnce((db, v: { regionCode: string; citizenId: string }) =>
  db.selectNoFrom((eb) => [
    jsonArrayFrom(actionRows(db, v)).as('actions'),
    eb
      .selectFrom('peer_feedback_messages')
      .select(sql<PeerPayload>`payload`.as('payload'))
      .where('region_code', '=', v.regionCode)
      .where('user_id', '=', v.citizenId)
      .orderBy('month', 'desc')
      .limit(1)
      .as('peer_payload'),
    eb
      .exists(
        eb
          .selectFrom('peer_feedback_optouts')
          .select(sql`1`.as('one'))
          .where('region_code', '=', v.regionCode)
          .where('user_id', '=', v.citizenId),
      )
      .as('peer_opted_out'),
  ]),
);

/** An uploaded piece of evidence of the person's plan, or null (another person's, a link, unknown). */
export async function evidenceFile(db: Db, regionCode: string, citizenId: string, evidenceId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(evidenceId)) return null;
  const row = await db
    .selectFrom('plan_evidence as e')
    .innerJoin('plan_actions as a', (j) =>
      j.onRef('a.region_code', '=', 'e.region_code').onRef('a.id', '=', 'e.action_id'),
    )
    .select(['e.id', 'e.filename', 'e.content_type', 'e.content'])
    .where('e.region_code', '=', regionCode)
    .where('e.id', '=', evidenceId)
    .where('a.citizen_id', '=', citizenId)
    .where('e.kind', '=', 'upload')
    .executeTakeFirst();
  return row?.content ? { ...row, content: row.content, filename: row.filename ?? 'documento' } : null;
}

/** The e-coach opens a person's uploaded evidence: allowed as for the plan, and audited. */
export async function evidenceFileForOperator(
  deps: PlanDeps,
  op: Operator,
  citizenId: string,
  evidenceId: string,
) {
  const person = await personForOperator(deps.db, op, citizenId);
  if (!person) return null;
  const file = await evidenceFile(deps.db, op.regionCode, citizenId, evidenceId);
  if (!file) return null;
  await deps.audit.record({
    regionCode: op.regionCode,
    action: 'coaching.evidence_read',
    outcome: 'ok',
    actor: actorOf(op),
    subjectId: citizenId,
    purpose: 'action_plan',
    objectType: 'plan_evidence',
    objectId: file.id,
  });
  return file;
}

async function ownOpenAction(db: Db, c: Citizen, actionId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(actionId)) return null;
  return db
    .selectFrom('plan_actions')
    .select(['id', 'status'])
    .where('region_code', '=', c.regionCode)
    .where('citizen_id', '=', c.id)
    .where('id', '=', actionId)
    .executeTakeFirst();
}

export type EvidenceInput =
  | { kind: 'link'; url: string }
  | { kind: 'upload'; filename: string; contentType: string; content: Buffer };

/** 'not_found' for someone else's action, 'closed' for a done/cancelled one. */
export async function addEvidence(deps: PlanDeps, c: Citizen, actionId: string, e: EvidenceInput) {
  const action = await ownOpenAction(deps.db, c, actionId);
  if (!action) return 'not_found' as const;
  if (action.status !== 'open') return 'closed' as const;
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('plan_evidence')
      .values(
        e.kind === 'link'
          ? { region_code: c.regionCode, action_id: actionId, kind: 'link', url: e.url, created_by: c.id }
          : {
              region_code: c.regionCode,
              action_id: actionId,
              kind: 'upload',
              filename: e.filename.slice(0, 200),
              content_type: e.contentType,
              content: e.content,
              sha256: createHash('sha256').update(e.content).digest('hex'),
              created_by: c.id,
            },
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('plan_actions')
      .set({ updated_at: sql<Date>`now()` })
      .where('region_code', '=', c.regionCode)
      .where('id', '=', actionId)
      .execute();
    await deps.audit.record(
      {
        regionCode: c.regionCode,
        action: 'coaching.evidence_added',
        outcome: 'ok',
        actor: actorOf(c),
        subjectId: c.id,
        purpose: 'action_plan',
        objectType: 'plan_evidence',
        objectId: row.id,
        details: { kind: e.kind },
      },
      trx,
    );
  });
  return 'ok' as const;
}

export async function markDone(deps: PlanDeps, c: Citizen, actionId: string) {
  const action = await ownOpenAction(deps.db, c, actionId);
  if (!action) return 'not_found' as const;
  if (action.status !== 'open') return 'closed' as const;
  await deps.db
    .updateTable('plan_actions')
    .set({ status: 'done', done_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('region_code', '=', c.regionCode)
    .where('id', '=', actionId)
    .where('status', '=', 'open')
    .execute();
  return 'ok' as const;
}
