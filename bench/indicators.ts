/**
 * Indicators: the Region dashboard over 1,000,000 people and 5,000,000 events (issue 9).
 *
 * Goals: the dashboard's figures for a period ≤ 2 s cold (a new connection pool, first query), ≤ 200 ms
 * warm. Data (generated in SQL, seeded by row number, by the same generator as `sportello demo
 * --activity`): the demo Region's offices and operators, PEOPLE citizens (ages, languages) and two
 * years of their activity — 5 × PEOPLE events (see `generate`). The daily facts are computed once by the job's
 * use case (timed, informational); the dashboard then reads only the facts. Measured at use-case
 * level (Kysely on a pg pool), not over HTTP. `BENCH_PEOPLE` scales it down for a quick check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ensureServiceCatalogue } from '../src/agenda/use-cases/catalogue.ts';
import { DEMO_REGION } from '../src/app/demo/demo-region.ts';
import { loadDemoRegion } from '../src/app/demo/load-demo.ts';
import { type ActivityCounts, generateServiceActivity } from '../src/app/demo/service-activity.ts';
import { indicatorFigures } from '../src/indicators/use-cases/dashboard.ts';
import { refreshFacts } from '../src/indicators/use-cases/facts.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';

const REGION = DEMO_REGION.code;
const DATABASE = 'sportello_bench_indicators';
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const NOW = new Date('2026-11-27T12:00:00Z');
const PERIOD_90 = { from: '2026-08-30', to: '2026-11-27' };
const PERIOD_YEAR = { from: '2025-11-28', to: '2026-11-27' };

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

/**
 * PEOPLE citizens, then two years of activity by the demo's generator: one DID each, 3 × PEOPLE
 * appointments, a conditionality event for one person in two and a survey invitation after about one
 * attended appointment in five (half answered) — about 5 × PEOPLE events.
 */
async function generate(pool: pg.Pool): Promise<ActivityCounts> {
  await pool.query(
    `insert into users (region_code, role, given_name, family_name, birth_date, preferred_language)
     select $1, 'citizen', 'Persona', 'Bench ' || i, date '1950-01-01' + (i::bigint * 7919 % 18000)::int,
            (array['it','it','it','it','en','ar'])[1 + i % 6]
       from generate_series(1, $2::int) i`,
    [REGION, PEOPLE],
  );
  // One connection: the generator's temporary tables live in its session.
  const c = await pool.connect();
  try {
    const counts = await generateServiceActivity(c, {
      regionCode: REGION,
      people: PEOPLE,
      days: 730,
      until: '2026-11-27',
      profile: {
        noShowEvery: 9,
        remoteOfFour: 2,
        invitedEvery: 5,
        answeredOfFour: 2,
        scoreBonus: 0,
        conditionalityEvery: 2,
      },
    });
    await c.query('analyze');
    return counts;
  } finally {
    c.release();
  }
}

const time = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

export async function run(): Promise<Record<string, unknown>> {
  const pgDir = path.resolve('.tmp', 'bench-indicators-pg');
  mkdirSync(pgDir, { recursive: true });
  const server = await startEmbeddedPostgres(pgDir, (m) => {
    if (!/terminating connection due to administrator command/.test(m)) console.error(`[pg] ${m}`);
  });
  let database: { db: Db; pool: pg.Pool } | null = null;
  let fresh: { db: Db; pool: pg.Pool } | null = null;
  try {
    await recreateDatabase(server.url('postgres'));
    database = createDb(server.url(DATABASE), 4);
    const { db, pool } = database;
    await migrate(pool);
    await loadDemoRegion(db);
    await ensureServiceCatalogue(db, REGION);
    const tGen = performance.now();
    const counts = await generate(pool);
    const generateMs = performance.now() - tGen;
    const events =
      counts.appointments + counts.dids + counts.conditionalityEvents + counts.satisfactionInvitations;
    const refreshMs = await time(() => refreshFacts(db, REGION, NOW, { full: true }));
    const incrementalMs = await time(() => refreshFacts(db, REGION, new Date(NOW.getTime() + 86_400_000)));
    const facts = (await pool.query<{ n: number }>('select count(*)::int as n from indicator_daily_facts'))
      .rows[0]!.n;
    await pool.query('analyze indicator_daily_facts');
    await db.destroy();
    database = null;
    // Cold: a new pool (no connection, no prepared plan), the first dashboard query.
    fresh = createDb(server.url(DATABASE), 4);
    const ask = (period: { from: string; to: string }) =>
      indicatorFigures(fresh!.db, REGION, { period, officeId: null, target: 'all' });
    const coldMs = await time(() => ask(PERIOD_90));
    const warm90: number[] = [];
    const warmYear: number[] = [];
    for (let i = 0; i < 20; i++) {
      warm90.push(await time(() => ask(PERIOD_90)));
      warmYear.push(await time(() => ask(PERIOD_YEAR)));
    }
    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      ...counts,
      events,
      facts,
      generateMs: Math.round(generateMs),
      fullRefreshMs: Math.round(refreshMs),
      incrementalRefreshMs: Math.round(incrementalMs),
      dashboardColdMs: round(coldMs),
      dashboardWarm90DaysP95Ms: round(p95(warm90)),
      dashboardWarmYearP95Ms: round(p95(warmYear)),
      'goal.coldMet': coldMs <= 2000,
      'goal.warmMet': p95(warm90) <= 200 && p95(warmYear) <= 200,
    };
  } finally {
    await database?.db.destroy().catch(() => {});
    await fresh?.db.destroy().catch(() => {});
    await server.stop();
  }
}
