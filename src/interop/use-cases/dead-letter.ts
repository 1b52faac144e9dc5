import { sql } from 'kysely';
import { type Actor, type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { OutboxDeliveryTables } from '../adapters/interop-tables.ts';

/**
 * The dead letter of the national outbox, for the Region's admin (read also by a regional manager):
 * dead events (delivery gave up) block the later events of the same person until an admin replays
 * them ("Riprova": back to pending, attempts from zero) or discards them ("Scarta", with a reason).
 * Everything is scoped to the actor's Region; replay and discard are audited.
 */
export type DeadLetterDeps = { db: Db; audit: AuditLog };

export type DeadEvent = {
  id: string;
  kind: string;
  idempotencyKey: string;
  subjectId: string | null;
  personName: string | null;
  attempts: number;
  lastError: string | null;
  deadAt: Date;
  createdAt: Date;
  /** Later events of the same person waiting behind this one. */
  blocked: number;
};

export const PAGE_SIZE = 20;
export const ID = /^[1-9]\d{0,17}$/;

type DeadRow = {
  id: string;
  kind: string;
  idempotency_key: string;
  subject_id: string | null;
  given_name: string | null;
  family_name: string | null;
  attempts: number;
  last_error: string | null;
  dead_at: Date;
  created_at: Date;
  blocked: string;
};

function toDead(r: DeadRow): DeadEvent {
  return {
    id: r.id,
    kind: r.kind,
    idempotencyKey: r.idempotency_key,
    subjectId: r.subject_id,
    personName: r.family_name ? `${r.family_name} ${r.given_name ?? ''}`.trim() : null,
    attempts: r.attempts,
    lastError: r.last_error,
    deadAt: r.dead_at,
    createdAt: r.created_at,
    blocked: Number(r.blocked),
  };
}

function deadQuery(regionCode: string) {
  return sql<DeadRow>`
    select o.id, o.kind, o.idempotency_key, o.subject_id, u.given_name, u.family_name, o.attempts,
           o.last_error, o.dead_at, o.created_at,
           (select count(*) from national_outbox l
             where l.region_code = o.region_code and l.order_key = o.order_key and l.sequence > o.sequence
               and l.delivered_at is null and l.discarded_at is null) as blocked
    from national_outbox o
    left join users u on u.region_code = o.region_code and u.id = o.subject_id
    where o.region_code = ${regionCode}
      and o.dead_at is not null and o.discarded_at is null and o.delivered_at is null`;
}

/** One page of dead events, newest first; the persons shown are recorded as reads. */
export async function deadLetterPage(
  deps: DeadLetterDeps,
  actor: Actor,
  page: number,
): Promise<{ events: DeadEvent[]; hasNext: boolean }> {
  const { rows } = await sql<DeadRow>`${deadQuery(actor.regionCode)}
    order by o.dead_at desc, o.id desc
    limit ${PAGE_SIZE + 1} offset ${page * PAGE_SIZE}`.execute(deps.db);
  const events = rows.slice(0, PAGE_SIZE).map(toDead);
  await deps.audit.recordReads(
    actorOf(actor),
    'national_outbox_event',
    'national_outbox.dead_letter',
    events.filter((e) => e.subjectId).map((e) => ({ subjectId: e.subjectId, objectId: e.id })),
  );
  return { events, hasNext: rows.length > PAGE_SIZE };
}

/** One dead event of the actor's Region (null: not found, not dead, or another Region's). */
export async function deadEvent(deps: DeadLetterDeps, actor: Actor, id: string): Promise<DeadEvent | null> {
  if (!ID.test(id)) return null;
  const { rows } = await sql<DeadRow>`${deadQuery(actor.regionCode)} and o.id = ${id}`.execute(deps.db);
  const row = rows[0];
  if (!row) return null;
  const event = toDead(row);
  if (event.subjectId) {
    await deps.audit.recordReads(actorOf(actor), 'national_outbox_event', 'national_outbox.dead_letter', [
      { subjectId: event.subjectId, objectId: event.id },
    ]);
  }
  return event;
}

/** "Riprova": the dead event goes back to pending, attempts from zero, due now. */
export async function replayDead(deps: DeadLetterDeps, actor: Actor, id: string): Promise<boolean> {
  if (!ID.test(id)) return false;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .withTables<OutboxDeliveryTables>()
      .updateTable('national_outbox')
      .set({ dead_at: null, attempts: 0, next_attempt_at: sql`now()` })
      .where('region_code', '=', actor.regionCode)
      .where('id', '=', id)
      .where('dead_at', 'is not', null)
      .where('discarded_at', 'is', null)
      .where('delivered_at', 'is', null)
      .returning(['id', 'kind', 'idempotency_key', 'subject_id', 'last_error'])
      .executeTakeFirst();
    if (!row) return false;
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'national_outbox.replayed',
        outcome: 'ok',
        actor: actorOf(actor),
        subjectId: row.subject_id,
        objectType: 'national_outbox_event',
        objectId: row.id,
        details: { kind: row.kind, idempotencyKey: row.idempotency_key, lastError: row.last_error },
      },
      trx,
    );
    return true;
  });
}

/** "Scarta": the dead event is given up for good (with the admin's reason); the person's later events move on. */
export async function discardDead(
  deps: DeadLetterDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<boolean> {
  if (!ID.test(id)) return false;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .withTables<OutboxDeliveryTables>()
      .updateTable('national_outbox')
      .set({ discarded_at: sql`now()`, discarded_by: actor.id, discard_reason: reason })
      .where('region_code', '=', actor.regionCode)
      .where('id', '=', id)
      .where('dead_at', 'is not', null)
      .where('discarded_at', 'is', null)
      .where('delivered_at', 'is', null)
      .returning(['id', 'kind', 'idempotency_key', 'subject_id', 'last_error'])
      .executeTakeFirst();
    if (!row) return false;
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'national_outbox.discarded',
        outcome: 'ok',
        actor: actorOf(actor),
        subjectId: row.subject_id,
        objectType: 'national_outbox_event',
        objectId: row.id,
        details: { kind: row.kind, idempotencyKey: row.idempotency_key, lastError: row.last_error, reason },
      },
      trx,
    );
    return true;
  });
}
