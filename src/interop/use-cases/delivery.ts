import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../../platform/db/database.ts';
import type { Sender } from '../adapters/http-sender.ts';
import {
  type AttemptResult,
  type BackoffPolicy,
  backoffDelayMs,
  type Envelope,
  type NextStep,
  nextStep,
} from '../domain/delivery-policy.ts';

/**
 * Delivery of national_outbox events (decision 0009).
 *
 * One batch = one transaction: claim due events with `FOR UPDATE SKIP LOCKED` — only the first open
 * event of each ordering key (no earlier event of the same person that is neither delivered nor
 * discarded, dead ones included) — send them, write the outcomes, commit. The row locks are held
 * while the requests run, so another worker skips these events and, because they are still
 * undelivered, every later event of the same persons too. A crash before the commit releases the
 * locks and changes nothing: the events are sent again with the same Idempotency-Key.
 */
export type DeliveryOptions = BackoffPolicy & {
  maxAttempts: number;
  /** Events claimed per batch (distinct persons). */
  batchSize: number;
  /** Requests in flight at once within a batch. */
  concurrency: number;
  random?: () => number;
};

export type BatchResult = {
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  /** Every attempt of the batch found nobody answering (refused, reset, timed out). */
  allUnreachable: boolean;
};

type ClaimedRow = {
  region_code: string;
  id: string;
  idempotency_key: string;
  kind: string;
  payload: Record<string, unknown>;
  created_at: Date;
  order_key: string;
  sequence: string;
  attempts: number;
};

function envelopeOf(row: ClaimedRow): Envelope {
  return {
    idempotencyKey: row.idempotency_key,
    kind: row.kind,
    regionCode: row.region_code,
    orderKey: row.order_key,
    sequence: Number(row.sequence),
    createdAt: row.created_at.toISOString(),
    payload: row.payload,
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** Claim, send and record one batch. Returns what happened; `claimed = 0` when nothing is due. */
export async function deliverBatch(
  db: Db,
  sender: Sender,
  options: DeliveryOptions,
  limit = options.batchSize,
): Promise<BatchResult> {
  return db.transaction().execute(async (trx) => {
    // 1. The heads: the first open (not delivered, not discarded) event of each ordering key, due and
    //    not dead (a dead head blocks its key). One ordered pass over the partial index, no locks.
    const { rows: heads } = await sql<{ region_code: string; id: string }>`
      select h.region_code, h.id
      from (
        select distinct on (region_code, order_key) region_code, id, next_attempt_at, dead_at
        from national_outbox
        where delivered_at is null and discarded_at is null
        order by region_code, order_key, sequence
      ) h
      where h.dead_at is null and h.next_attempt_at <= now()
      order by h.next_attempt_at, h.id
      limit ${limit * 4}`.execute(trx);
    if (heads.length === 0) return { claimed: 0, delivered: 0, retried: 0, dead: 0, allUnreachable: false };
    // 2. Lock up to `limit` of them by primary key (lazily, in the heads' order, so no more are locked), skipping those another worker holds, and check
    //    them again on the current row: one delivered meanwhile by another worker is left out. Being a
    //    head does not change until the event itself is delivered or discarded (a new event of the
    //    same key always comes later), so what is locked here is still the first of its key.
    const { rows } = await sql<ClaimedRow>`
      select c.*
      from unnest(${heads.map((h) => h.region_code)}::text[], ${heads.map((h) => h.id)}::bigint[])
        with ordinality as u(region_code, id, position)
      cross join lateral (
        select o.region_code, o.id, o.idempotency_key, o.kind, o.payload, o.created_at,
               o.order_key, o.sequence, o.attempts
        from national_outbox o
        where o.region_code = u.region_code and o.id = u.id
          -- written so that no partial index matches: the lookup is by primary key whatever the statistics
          and coalesce(o.delivered_at, o.dead_at, o.discarded_at) is null
          and o.next_attempt_at <= now()
        for update skip locked
      ) c
      limit ${limit}`.execute(trx);
    if (rows.length === 0) return { claimed: 0, delivered: 0, retried: 0, dead: 0, allUnreachable: false };

    const results = await mapLimit(rows, options.concurrency, async (row): Promise<AttemptResult> => {
      try {
        return await sender.send(envelopeOf(row));
      } catch (error) {
        return {
          kind: 'retry',
          status: null,
          error: `sender failed: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
          unreachable: false,
          retryAfterMs: null,
        };
      }
    });

    const steps: NextStep[] = results.map((r, i) =>
      nextStep(r, (rows[i] as ClaimedRow).attempts, options, options.random),
    );
    await sql`
      update national_outbox o set
        attempts = o.attempts + 1,
        last_attempt_at = now(),
        delivered_at = case when u.outcome = 'delivered' then now() else null end,
        next_attempt_at = case when u.outcome = 'retry'
          then now() + u.delay_ms * interval '1 millisecond' else o.next_attempt_at end,
        last_error = case when u.outcome = 'delivered' then o.last_error else u.error end,
        dead_at = case when u.outcome = 'dead' then now() else null end
      from unnest(
        ${rows.map((r) => r.region_code)}::text[],
        ${rows.map((r) => r.id)}::bigint[],
        ${steps.map((s) => s.kind)}::text[],
        ${steps.map((s) => (s.kind === 'retry' ? s.delayMs : 0))}::bigint[],
        ${steps.map((s) => (s.kind === 'delivered' ? null : s.error))}::text[]
      ) as u(region_code, id, outcome, delay_ms, error)
      where o.region_code = u.region_code and o.id = u.id`.execute(trx);

    return {
      claimed: rows.length,
      delivered: steps.filter((s) => s.kind === 'delivered').length,
      retried: steps.filter((s) => s.kind === 'retry').length,
      dead: steps.filter((s) => s.kind === 'dead').length,
      allUnreachable: results.every((r) => r.kind === 'retry' && r.unreachable),
    };
  });
}

export type WorkerOptions = DeliveryOptions & {
  /** Idle poll when nothing is due and no notification arrives. */
  pollMs: number;
  /** When set, LISTEN on `national_outbox` through a connection of its own to wake up at once. */
  listenConnectionString?: string;
  log?: (message: string, details?: Record<string, unknown>) => void;
};

/**
 * A delivery loop. Several may run at once, in one or many processes: PostgreSQL row locks are the
 * only coordination. When a whole batch finds the endpoint unreachable the loop "opens the circuit":
 * it waits (backoff with jitter, capped) and then probes with one event at a time until an answer
 * comes back, so a long outage does not spend the attempts of every waiting event.
 */
export class OutboxWorker {
  private stopping = false;
  private running: Promise<void> | null = null;
  private wakeUp: ((force: boolean) => void) | null = null;
  private woken = false;
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private outageStreak = 0;
  readonly stats = { batches: 0, delivered: 0, retried: 0, dead: 0, errors: 0 };

  constructor(
    private readonly db: Db,
    private readonly sender: Sender,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    if (this.options.listenConnectionString)
      this.listening = this.listen(this.options.listenConnectionString);
    this.running = this.loop();
  }

  /** Finishes the batch in flight (bounded by the request timeout), then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.(true);
    await this.running;
    this.running = null;
    await this.listener?.end().catch(() => {});
    await this.listening;
    this.listening = null;
  }

  private notify(): void {
    this.woken = true;
    this.wakeUp?.(false);
  }

  private async listen(connectionString: string): Promise<void> {
    while (!this.stopping) {
      const client = new pg.Client({ connectionString });
      try {
        const lost = new Promise<void>((resolve) => {
          client.on('error', () => resolve());
          client.on('end', () => resolve());
        });
        client.on('notification', () => this.notify());
        await client.connect();
        this.listener = client;
        await client.query('listen national_outbox');
        // Anything committed before LISTEN took effect is found by this wake-up's batch.
        this.notify();
        if (!this.stopping) await lost;
      } catch {
        // Could not connect or lost the connection: the loop keeps polling meanwhile.
      }
      if (this.listener === client) this.listener = null;
      await client.end().catch(() => {});
      if (!this.stopping) await new Promise((r) => setTimeout(r, 5000).unref());
    }
  }

  /** Waits `ms`; a notification ends the wait early only when `interruptible` (stop always does). */
  private sleep(ms: number, interruptible: boolean): Promise<void> {
    if (this.stopping || (interruptible && this.woken)) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = (force) => {
        if (force || interruptible) finish();
      };
    });
  }

  private async loop(): Promise<void> {
    const { batchSize, pollMs } = this.options;
    while (!this.stopping) {
      let pause = 0;
      try {
        const limit = this.outageStreak > 0 ? 1 : batchSize;
        const result = await deliverBatch(this.db, this.sender, this.options, limit);
        this.stats.batches += result.claimed > 0 ? 1 : 0;
        this.stats.delivered += result.delivered;
        this.stats.retried += result.retried;
        this.stats.dead += result.dead;
        if (result.claimed > 0 && result.allUnreachable) {
          this.outageStreak += 1;
          pause = backoffDelayMs(this.outageStreak, this.options, this.options.random);
          if (this.outageStreak === 1) this.options.log?.('national endpoint unreachable: probing', {});
        } else if (result.claimed > 0) {
          if (this.outageStreak > 0) this.options.log?.('national endpoint reachable again', {});
          this.outageStreak = 0;
          pause = 0;
        } else {
          pause = pollMs;
        }
      } catch (error) {
        this.stats.errors += 1;
        this.options.log?.('national outbox batch failed', {
          error: String((error as Error)?.message ?? error),
        });
        pause = Math.max(pollMs, 1000);
      }
      if (pause > 0 && !this.stopping) await this.sleep(pause, this.outageStreak === 0);
    }
  }
}

/** Counts by state for one Region (the admin view and the tests). */
export async function outboxCounts(db: Db, regionCode: string) {
  const { rows } = await sql<{ pending: string; delivered: string; dead: string; discarded: string }>`
    select
      count(*) filter (where delivered_at is null and dead_at is null and discarded_at is null) as pending,
      count(*) filter (where delivered_at is not null) as delivered,
      count(*) filter (where dead_at is not null and discarded_at is null and delivered_at is null) as dead,
      count(*) filter (where discarded_at is not null) as discarded
    from national_outbox where region_code = ${regionCode}`.execute(db);
  const r = rows[0];
  return {
    pending: Number(r?.pending ?? 0),
    delivered: Number(r?.delivered ?? 0),
    dead: Number(r?.dead ?? 0),
    discarded: Number(r?.discarded ?? 0),
  };
}
