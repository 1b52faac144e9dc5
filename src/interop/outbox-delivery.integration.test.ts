import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { makeAuditLog } from '../platform/audit/audit.ts';
import { createDb, type Db } from '../platform/db/database.ts';
import { type TestDatabase, testDb } from '../platform/testing/test-database.ts';
import { HttpSender, type Sender } from './adapters/http-sender.ts';
import { type FakeEndpoint, startFakeNationalEndpoint } from './testing/fake-endpoint-process.ts';
import { replayDead } from './use-cases/dead-letter.ts';
import { type DeliveryOptions, deliverBatch, OutboxWorker, outboxCounts } from './use-cases/delivery.ts';

/**
 * Delivery of national_outbox events on a real PostgreSQL database to the fake national endpoint,
 * run as a separate process with faults injected at run time.
 */
let database: TestDatabase;
let endpoint: FakeEndpoint;
const REGION = '10';

const fast: DeliveryOptions = {
  maxAttempts: 20,
  baseDelayMs: 30,
  maxDelayMs: 300,
  batchSize: 50,
  concurrency: 8,
};

before(async () => {
  database = await testDb();
  endpoint = await startFakeNationalEndpoint();
});
after(async () => {
  await endpoint.stop();
  await database.close();
});
beforeEach(async () => {
  await endpoint.reset();
  await sql`truncate national_outbox, national_outbox_sequences`.execute(database.db);
});

const sender = (timeoutMs = 2000): Sender => new HttpSender({ url: endpoint.url, token: null, timeoutMs });

/** `count` events for each person, interleaved across persons as writers would produce them. */
async function insertEvents(
  persons: string[],
  count: number,
  prefix = randomUUID().slice(0, 8),
): Promise<string[]> {
  const keys: string[] = [];
  const rows = [];
  for (let n = 1; n <= count; n++) {
    for (const person of persons) {
      const key = `${prefix}:${person}:${n}`;
      keys.push(key);
      rows.push({
        region_code: REGION,
        idempotency_key: key,
        kind: 'conditionality.decision',
        payload: JSON.stringify({ citizenId: person, n }),
      });
    }
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await database.db
      .insertInto('national_outbox')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
  return keys;
}

async function pending(db: Db = database.db): Promise<number> {
  return (await outboxCounts(db, REGION)).pending;
}

/** Runs batches until nothing is pending (or the deadline passes). */
async function drain(options: DeliveryOptions, s: Sender = sender(), deadlineMs = 30_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while ((await pending()) > 0) {
    if (Date.now() > until) throw new Error(`not drained: ${await pending()} pending`);
    const r = await deliverBatch(database.db, s, options);
    if (r.claimed === 0) await sleep(20);
  }
}

async function row(key: string) {
  const { rows } = await sql<{
    attempts: number;
    delivered_at: Date | null;
    dead_at: Date | null;
    last_error: string | null;
    next_attempt_at: Date;
    order_key: string;
    sequence: string;
    subject_id: string | null;
  }>`select attempts, delivered_at, dead_at, last_error, next_attempt_at, order_key, sequence, subject_id
     from national_outbox where idempotency_key = ${key}`.execute(database.db);
  return rows[0]!;
}

describe('national outbox delivery', () => {
  test('events are delivered in order per person, each with its Idempotency-Key header', async () => {
    const persons = [randomUUID(), randomUUID(), randomUUID()];
    const keys = await insertEvents(persons, 4);
    const first = await row(keys[0]!);
    assert.equal(first.subject_id, persons[0]);
    assert.equal(first.order_key, `person:${persons[0]}`);
    assert.equal(first.sequence, '1');
    assert.equal((await row(keys.at(-1)!)).sequence, '4');

    // One batch sends only the first event of each person.
    const one = await deliverBatch(database.db, sender(), fast);
    assert.equal(one.claimed, 3);
    await drain(fast);

    const stats = await endpoint.stats(true);
    assert.equal(
      stats.answered.rejected,
      0,
      'the endpoint refuses a request whose header differs from the body',
    );
    assert.equal(stats.recorded, 12);
    assert.equal(stats.orderViolations, 0);
    assert.equal(stats.ackedTwice, 0);
    for (const key of keys) assert.equal(stats.keys?.[key]?.requests, 1, key);
    for (const p of persons) {
      const order = Object.entries(stats.keys ?? {})
        .filter(([, v]) => v.orderKey === `person:${p}`)
        .sort((a, b) => (a[1].recordedAt ?? 0) - (b[1].recordedAt ?? 0))
        .map(([, v]) => v.sequence);
      assert.deepEqual(order, [1, 2, 3, 4]);
    }
    assert.deepEqual(await outboxCounts(database.db, REGION), {
      pending: 0,
      delivered: 12,
      dead: 0,
      discarded: 0,
    });
  });

  test('events without a person keep their own order: a vacancy, or the event alone', async () => {
    await database.db
      .insertInto('national_outbox')
      .values([
        {
          region_code: REGION,
          idempotency_key: 'v:1',
          kind: 'vacancy.published',
          payload: JSON.stringify({ vacancyId: 'abc' }),
        },
        {
          region_code: REGION,
          idempotency_key: 'v:2',
          kind: 'vacancy.closed',
          payload: JSON.stringify({ vacancyId: 'abc' }),
        },
        {
          region_code: REGION,
          idempotency_key: 'x:1',
          kind: 'other',
          payload: JSON.stringify({ note: 'n' }),
        },
        {
          region_code: REGION,
          idempotency_key: 'bad',
          kind: 'placement',
          payload: JSON.stringify({ citizenId: 'not-a-uuid' }),
        },
      ])
      .execute();
    assert.equal((await row('v:2')).order_key, 'vacancy:abc');
    assert.equal((await row('v:2')).sequence, '2');
    assert.equal((await row('x:1')).order_key, 'event:x:1');
    assert.equal(
      (await row('bad')).subject_id,
      null,
      'a malformed id is ignored, never an error for the writer',
    );
    await drain(fast);
    const stats = await endpoint.stats();
    assert.equal(stats.recorded, 4);
    assert.equal(stats.orderViolations, 0);
  });

  test('a 5xx answer is retried later with backoff, and the person waits meanwhile', async () => {
    const person = randomUUID();
    const [k1, k2] = await insertEvents([person], 2);
    await endpoint.faults({ errorRate: 1 });
    const r = await deliverBatch(database.db, sender(), { ...fast, baseDelayMs: 60_000, maxDelayMs: 60_000 });
    assert.deepEqual([r.claimed, r.retried], [1, 1]);
    const failed = await row(k1!);
    assert.equal(failed.attempts, 1);
    assert.match(failed.last_error ?? '', /^HTTP 503/);
    assert.ok(failed.next_attempt_at.getTime() > Date.now() + 20_000, 'backed off');
    assert.equal(
      (await deliverBatch(database.db, sender(), fast)).claimed,
      0,
      'the second event waits for the first',
    );

    await endpoint.faults({ errorRate: 0 });
    await sql`update national_outbox set next_attempt_at = now() where idempotency_key = ${k1}`.execute(
      database.db,
    );
    await drain(fast);
    assert.equal((await row(k1!)).attempts, 2);
    assert.ok((await row(k2!)).delivered_at);
    const stats = await endpoint.stats();
    assert.equal(stats.answered.error, 1);
    assert.equal(stats.recorded, 2);
    assert.equal(stats.orderViolations, 0);
  });

  test('an endpoint that never answers is a timeout; the re-send carries the same key', async () => {
    const [k1] = await insertEvents([randomUUID()], 1);
    await endpoint.faults({ timeoutRate: 1 });
    const r = await deliverBatch(database.db, sender(300), fast);
    assert.equal(r.retried, 1);
    assert.equal(r.allUnreachable, true);
    assert.match((await row(k1!)).last_error ?? '', /no answer within 300 ms/);

    await endpoint.faults({ timeoutRate: 0, slowRate: 1, slowMs: 100 });
    await sleep(fast.maxDelayMs);
    await drain(fast, sender(2000));
    const stats = await endpoint.stats(true);
    assert.equal(stats.keys?.[k1!]?.requests, 2);
    assert.equal(stats.recorded, 1, 'the lost answer did not make a second event');
    assert.equal(stats.resends, 1);
    assert.equal(stats.ackedTwice, 0);
  });

  test('a "duplicate" acknowledgement (409) counts as delivered', async () => {
    const [k1] = await insertEvents([randomUUID()], 1);
    await endpoint.faults({ duplicateAckRate: 1 });
    const r = await deliverBatch(database.db, sender(), fast);
    assert.equal(r.delivered, 1);
    assert.ok((await row(k1!)).delivered_at);
  });

  test('after the last attempt the event is dead and blocks its person; replay delivers in order', async () => {
    const stuck = randomUUID();
    const other = randomUUID();
    const [s1, s2] = await insertEvents([stuck], 2);
    await endpoint.faults({ errorRate: 1 });
    const limited = { ...fast, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
    for (let i = 0; i < 20 && !(await row(s1!)).dead_at; i++) {
      await deliverBatch(database.db, sender(), limited);
      await sleep(10);
    }
    const dead = await row(s1!);
    assert.ok(dead.dead_at, 'dead after the limit');
    assert.equal(dead.attempts, 3);

    // The other person's events go through; the stuck person's second event waits behind the dead one.
    await endpoint.faults({ errorRate: 0 });
    const [o1, o2] = await insertEvents([other], 2);
    for (let i = 0; i < 10; i++) await deliverBatch(database.db, sender(), limited);
    assert.ok((await row(o1!)).delivered_at);
    assert.ok((await row(o2!)).delivered_at);
    assert.equal((await row(s2!)).delivered_at, null);
    assert.equal((await row(s2!)).attempts, 0, 'never sent before the earlier event');

    const audit = makeAuditLog(database.db, database.pool);
    const admin = { id: randomUUID(), role: 'admin', regionCode: REGION, officeId: null, agencyId: null };
    const id = (
      await database.db
        .selectFrom('national_outbox')
        .select('id')
        .where('idempotency_key', '=', s1!)
        .executeTakeFirstOrThrow()
    ).id;
    assert.equal(
      await replayDead({ db: database.db, audit }, { ...admin, regionCode: '20' }, id),
      false,
      'another Region: not found',
    );
    assert.equal(await replayDead({ db: database.db, audit }, admin, id), true);
    await drain(limited);
    const stats = await endpoint.stats(true);
    assert.ok((stats.keys?.[s1!]?.recordedAt ?? 0) < (stats.keys?.[s2!]?.recordedAt ?? 0));
    assert.equal(stats.orderViolations, 0);
    const entry = await database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', '=', 'national_outbox.replayed')
      .executeTakeFirstOrThrow();
    assert.equal(entry.object_id, id);
  });

  test('two workers at once deliver each event once, in order', async () => {
    const persons = Array.from({ length: 40 }, () => randomUUID());
    const keys = await insertEvents(persons, 15);
    await endpoint.faults({ errorRate: 0.2, duplicateAckRate: 0.05 });
    const a = createDb(database.url, 4);
    const b = createDb(database.url, 4);
    const options = { ...fast, pollMs: 50, listenConnectionString: database.url };
    const workers = [new OutboxWorker(a.db, sender(), options), new OutboxWorker(b.db, sender(), options)];
    try {
      for (const w of workers) w.start();
      const until = Date.now() + 60_000;
      while ((await pending()) > 0 && Date.now() < until) await sleep(100);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await a.db.destroy();
      await b.db.destroy();
    }
    assert.equal(await pending(), 0);
    const stats = await endpoint.stats();
    assert.equal(stats.recorded, keys.length);
    assert.equal(stats.resends, 0, 'no event was sent again after the endpoint recorded it');
    assert.equal(stats.ackedTwice, 0);
    assert.equal(stats.orderViolations, 0);
    assert.ok(workers[0]!.stats.delivered > 0 && workers[1]!.stats.delivered > 0, 'both workers took part');
    assert.equal(workers[0]!.stats.delivered + workers[1]!.stats.delivered, keys.length);
  });

  test('a total outage, then recovery: everything queued meanwhile is drained, nothing dead', async () => {
    const options = { ...fast, maxDelayMs: 400, pollMs: 50, listenConnectionString: database.url };
    const worker = new OutboxWorker(database.db, sender(500), options);
    worker.start();
    try {
      await endpoint.faults({ outage: 'refuse' });
      const before = await insertEvents(
        Array.from({ length: 20 }, () => randomUUID()),
        3,
      );
      await sleep(1500);
      await endpoint.faults({ outage: 'silent' });
      const during = await insertEvents(
        Array.from({ length: 20 }, () => randomUUID()),
        2,
      );
      await sleep(1500);
      assert.equal((await outboxCounts(database.db, REGION)).delivered, 0);
      const attempts = await sql<{
        n: string;
      }>`select coalesce(sum(attempts), 0) as n from national_outbox`.execute(database.db);
      assert.ok(Number(attempts.rows[0]?.n) < 40, 'while the endpoint is down the worker only probes');
      await endpoint.faults({ outage: 'none' });
      const until = Date.now() + 30_000;
      while ((await pending()) > 0 && Date.now() < until) await sleep(100);
      const counts = await outboxCounts(database.db, REGION);
      assert.deepEqual(counts, {
        pending: 0,
        delivered: before.length + during.length,
        dead: 0,
        discarded: 0,
      });
      const stats = await endpoint.stats();
      assert.equal(stats.recorded, before.length + during.length);
      assert.equal(stats.ackedTwice, 0);
      assert.equal(stats.orderViolations, 0);
    } finally {
      await worker.stop();
    }
  });

  test('a crash between sending and marking only re-sends with the same key', async () => {
    const [k1] = await insertEvents([randomUUID()], 1);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    // Sends for real, then the worker's connection dies before its transaction commits.
    const crashing: Sender = {
      send: async (envelope) => {
        const result = await sender().send(envelope);
        await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where datname = current_database() and state like 'idle in transaction%' and pid <> pg_backend_pid()`,
        );
        return result;
      },
    };
    const crashDb = createDb(database.url, 2);
    // The killed connection reports its loss as an 'error' event: expected here.
    crashDb.pool.on('connect', (client) => client.on('error', () => {}));
    try {
      await assert.rejects(deliverBatch(crashDb.db, crashing, fast));
    } finally {
      await crashDb.db.destroy().catch(() => {});
      await admin.end();
    }
    const afterCrash = await row(k1!);
    assert.equal(afterCrash.delivered_at, null);
    assert.equal(afterCrash.attempts, 0);
    await drain(fast);
    const stats = await endpoint.stats(true);
    assert.equal(stats.keys?.[k1!]?.requests, 2, 'sent twice, with the same Idempotency-Key');
    assert.equal(stats.recorded, 1);
    assert.ok((await row(k1!)).delivered_at);
  });
});
