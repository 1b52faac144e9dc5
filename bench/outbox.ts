/**
 * National-system outbox: 10,000 events over 1,000 persons delivered by 2 worker processes to the
 * fake national endpoint (its own process) while it fails 30% of the calls and is fully down for a
 * 20-second stretch (12 s connection refused, then 8 s accepting connections and answering nothing),
 * then recovers.
 *
 * Goals (issue 8): 0 events lost, 0 delivered twice (counted by the endpoint: keys acknowledged more
 * than once), 0 order violations per person; with the time to drain after recovery.
 *
 * Timeline: writers insert 500 events/s for 20 s (small transactions, each event to a random person
 * of 1,000, as the contexts do in their own transactions); the outage runs from t = 4 s to t = 24 s,
 * so at recovery most events are waiting. Workers: tsx processes running OutboxWorker with LISTEN,
 * timeout 2 s, backoff 250 ms × 2ⁿ capped at 5 s (the production cap is 15 min; a short cap makes
 * recovery visible within seconds), 50 attempts before the dead letter.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { seededRandom } from '../src/app/demo/synthetic-people.ts';
import { startFakeNationalEndpoint } from '../src/interop/testing/fake-endpoint-process.ts';
import { outboxCounts } from '../src/interop/use-cases/delivery.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const SEED = 20_261_127;
const DATABASE = 'sportello_bench_outbox';
const REGION = '10';
const EVENTS = 10_000;
const PERSONS = 1_000;
const WORKERS = 2;
const ERROR_RATE = 0.3;
const WRITE_SECONDS = 20;
const TICK_MS = 100;
const OUTAGE_START_S = 4;
const REFUSE_S = 12;
const SILENT_S = 8;
const DRAIN_LIMIT_S = 300;
const WORKER_OPTIONS = { batchSize: 50, concurrency: 16, pollMs: 500 };
const WORKER_ENV = {
  NATIONAL_ENDPOINT_TIMEOUT_MS: '2000',
  NATIONAL_OUTBOX_BASE_DELAY_MS: '250',
  NATIONAL_OUTBOX_MAX_DELAY_MS: '5000',
  NATIONAL_OUTBOX_MAX_ATTEMPTS: '50',
};

const here = path.dirname(new URL(import.meta.url).pathname);
const WORKER_SCRIPT = path.resolve(here, '../src/interop/testing/outbox-worker-process.ts');

async function recreateDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${DATABASE}" with (force)`);
  } finally {
    await client.end();
  }
  await ensureDatabase(adminUrl, DATABASE);
}

type Worker = { child: ChildProcess; stats: Promise<Record<string, number> | null> };

async function startWorker(databaseUrl: string, endpointUrl: string): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      ...WORKER_ENV,
      DATABASE_URL: databaseUrl,
      NATIONAL_ENDPOINT_URL: endpointUrl,
      OUTBOX_WORKER_OPTIONS: JSON.stringify(WORKER_OPTIONS),
    },
  });
  const lines = createInterface({ input: child.stdout! });
  let statsResolve: (s: Record<string, number> | null) => void = () => {};
  const stats = new Promise<Record<string, number> | null>((resolve) => {
    statsResolve = resolve;
  });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; stats?: Record<string, number> };
      if (msg.ready) resolve();
      if (msg.stats) statsResolve(msg.stats);
    });
    child.once('exit', (code) => {
      statsResolve(null);
      reject(new Error(`worker exited (${code})`));
    });
  });
  await ready;
  return { child, stats };
}

async function stopWorker(w: Worker): Promise<Record<string, number> | null> {
  if (w.child.exitCode === null) w.child.kill('SIGTERM');
  return w.stats;
}

/** Writers: `EVENTS` events at a steady rate, each to a random person, one small transaction per tick. */
async function write(db: Db, persons: string[], random: () => number, t0: number): Promise<number> {
  const perTick = Math.ceil(EVENTS / ((WRITE_SECONDS * 1000) / TICK_MS));
  let written = 0;
  let tick = 0;
  while (written < EVENTS) {
    const n = Math.min(perTick, EVENTS - written);
    const rows = Array.from({ length: n }, (_, i) => {
      const person = persons[Math.floor(random() * persons.length)] as string;
      return {
        region_code: REGION,
        idempotency_key: `bench:${written + i}`,
        kind: 'conditionality.decision',
        payload: JSON.stringify({ citizenId: person, n: written + i }),
      };
    });
    await db.insertInto('national_outbox').values(rows).execute();
    written += n;
    tick += 1;
    const due = t0 + tick * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return performance.now();
}

export async function run(): Promise<Record<string, unknown>> {
  const random = seededRandom(SEED);
  const pgDir = path.resolve('.tmp', 'bench-outbox-pg');
  mkdirSync(pgDir, { recursive: true });
  const server = await startEmbeddedPostgres(pgDir, (m) => {
    if (!/terminating connection due to administrator command/.test(m)) console.error(`[pg] ${m}`);
  });
  let database: { db: Db; pool: pg.Pool } | null = null;
  const endpoint = await startFakeNationalEndpoint();
  const workers: Worker[] = [];
  try {
    await recreateDatabase(server.url('postgres'));
    const url = server.url(DATABASE);
    database = createDb(url, 4);
    const { db, pool } = database;
    await migrate(pool);
    const persons = Array.from({ length: PERSONS }, () => randomUUID());

    await endpoint.faults({ errorRate: ERROR_RATE });
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(url, endpoint.url));

    const t0 = performance.now();
    const writing = write(db, persons, random, t0);

    // The outage: refused, then silent, then back.
    await sleep(OUTAGE_START_S * 1000);
    const atOutage = await outboxCounts(db, REGION);
    const attemptsAtOutage = await totalAttempts(db);
    await endpoint.faults({ outage: 'refuse' });
    const tOutage = performance.now();
    await sleep(REFUSE_S * 1000);
    await endpoint.faults({ outage: 'silent' });
    await sleep(SILENT_S * 1000);
    const attemptsAtRecovery = await totalAttempts(db);
    const atRecovery = await outboxCounts(db, REGION);
    await endpoint.faults({ outage: 'none' });
    const tRecovery = performance.now();
    const outageSeconds = (tRecovery - tOutage) / 1000;

    const tWritten = await writing;
    let counts = await outboxCounts(db, REGION);
    while (counts.pending > 0 && performance.now() - tRecovery < DRAIN_LIMIT_S * 1000) {
      await sleep(50);
      counts = await outboxCounts(db, REGION);
    }
    const tDrained = performance.now();
    const workerStats = await Promise.all(workers.map(stopWorker));
    workers.length = 0;

    const stats = await endpoint.stats(true);
    const keys = stats.keys ?? {};
    const dbKeys = (
      await db
        .selectFrom('national_outbox')
        .select('idempotency_key')
        .where('region_code', '=', REGION)
        .execute()
    ).map((r) => r.idempotency_key);
    const lost = dbKeys.filter((k) => !keys[k]?.recordedAt).length;
    const requestsPerEvent = Object.values(keys).map((k) => k.requests);
    const { rows: attemptRows } = await sql<{ max: number; avg: string }>`
      select max(attempts) as max, avg(attempts)::numeric(6,3) as avg from national_outbox`.execute(db);

    const drainSeconds = (tDrained - tRecovery) / 1000;
    const totalSeconds = (tDrained - t0) / 1000;
    return {
      events: dbKeys.length,
      persons: PERSONS,
      workers: WORKERS,
      injectedErrorRate: ERROR_RATE,
      outage: `${REFUSE_S} s connection refused + ${SILENT_S} s no answer, from t=${OUTAGE_START_S} s`,
      delivered: counts.delivered,
      pendingAtEnd: counts.pending,
      dead: counts.dead,
      recordedByEndpoint: stats.recorded,
      lost,
      deliveredTwice: stats.ackedTwice,
      resentAfterRecorded: stats.resends,
      orderViolations: stats.orderViolations,
      requests: stats.received,
      injectedFailures: stats.answered.error,
      requestsPerEventMax: Math.max(...requestsPerEvent),
      attemptsPerEventAvg: Number(attemptRows[0]?.avg ?? 0),
      attemptsPerEventMax: attemptRows[0]?.max ?? 0,
      attemptsDuringOutage: attemptsAtRecovery - attemptsAtOutage,
      pendingAtOutageStart: atOutage.pending,
      pendingAtRecovery: atRecovery.pending,
      writeSeconds: Number(((tWritten - t0) / 1000).toFixed(2)),
      outageSeconds: Number(outageSeconds.toFixed(2)),
      drainAfterRecoverySeconds: Number(drainSeconds.toFixed(2)),
      drainThroughputPerSecond: Math.round(atRecovery.pending / drainSeconds),
      totalSeconds: Number(totalSeconds.toFixed(2)),
      overallThroughputPerSecond: Math.round(counts.delivered / totalSeconds),
      workerStats,
      workerConfig: { ...WORKER_OPTIONS, ...WORKER_ENV },
      'goal.noneLost': lost === 0 && counts.pending === 0 && counts.dead === 0,
      'goal.noneTwice': stats.ackedTwice === 0,
      'goal.orderKept': stats.orderViolations === 0,
    };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await endpoint.stop();
    await database?.db.destroy().catch(() => {});
    await server.stop();
  }
}

async function totalAttempts(db: Db): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`select coalesce(sum(attempts), 0) as n from national_outbox`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
