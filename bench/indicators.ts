/**
 * Indicators: the Region dashboard over 1,000,000 people and 5,000,000 events (issue 9).
 *
 * Goals: the dashboard's figures for a period ≤ 2 s cold (a new connection pool, first query), ≤ 200 ms
 * warm. Data (generated in SQL, seeded by row number): the demo Region's offices and operators,
 * PEOPLE citizens (ages, languages), one DID each, 3 × PEOPLE appointments over two years
 * (attended / missed, channels, services), PEOPLE / 2 conditionality events and PEOPLE / 2 survey
 * invitations (half answered) — 5 × PEOPLE events. The daily facts are computed once by the job's
 * use case (timed, informational); the dashboard then reads only the facts. Measured at use-case
 * level (Kysely on a pg pool), not over HTTP. `BENCH_PEOPLE` scales it down for a quick check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ensureServiceCatalogue } from '../src/agenda/use-cases/catalogue.ts';
import { DEMO_REGION } from '../src/app/demo/demo-region.ts';
import { loadDemoRegion } from '../src/app/demo/load-demo.ts';
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

async function generate(pool: pg.Pool): Promise<Record<string, number>> {
  // One connection: the temporary tables below live in its session.
  const c = await pool.connect();
  try {
    return await generateOn(c);
  } finally {
    c.release();
  }
}

async function generateOn(c: pg.PoolClient): Promise<Record<string, number>> {
  const n = PEOPLE;
  await c.query(
    `insert into users (region_code, role, given_name, family_name, birth_date, preferred_language)
     select $1, 'citizen', 'Persona', 'Bench ' || i, date '1950-01-01' + (i::bigint * 7919 % 18000)::int,
            (array['it','it','it','it','en','ar'])[1 + i % 6]
       from generate_series(1, $2::int) i`,
    [REGION, n],
  );
  await c.query(`create temp table p as select id, row_number() over (order by id) as rn from users
    where region_code = '${REGION}' and role = 'citizen' and family_name like 'Bench %'`);
  await c.query(
    `insert into did_declarations (region_code, user_id, status, declared_at, verification_code)
     select $1, id, 'active', timestamptz '2024-11-27 09:00+01' + ((rn * 104729) % 730) * interval '1 day', 'BENCH-' || rn
       from p`,
    [REGION],
  );
  // Slots: for each operator, one 500-seat slot per working day and hour 9–12 over two years.
  await c.query(
    `insert into agenda_slots (region_code, operator_id, office_id, starts_at, ends_at, mode, services, capacity)
     select $1, u.id, u.office_id, d + h * interval '1 hour', d + h * interval '1 hour' + interval '30 minutes',
            'both', (select array_agg(code) from agenda_services where region_code = $1), 500
       from users u
       cross join generate_series(timestamptz '2024-11-28 00:00+01', timestamptz '2026-11-27 00:00+01', interval '1 day') d
       cross join generate_series(9, 12) h
      where u.region_code = $1 and u.role = 'cpi_operator' and u.office_id is not null
        and extract(isodow from d) < 6`,
    [REGION],
  );
  await c.query(
    `create temp table s as select id, row_number() over (order by starts_at, id) as rn from agenda_slots where region_code = '${REGION}'`,
  );
  await c.query(
    `create temp table sv as select code, row_number() over (order by code) as rn from agenda_services where region_code = '${REGION}'`,
  );
  const slots = (await c.query<{ n: number }>('select count(*)::int as n from s')).rows[0]!.n;
  const services = (await c.query<{ n: number }>('select count(*)::int as n from sv')).rows[0]!.n;
  await c.query(
    `insert into appointments (region_code, slot_id, seat, citizen_id, service_code, channel, status, booked_by)
     select $1, s.id, 1 + (i / $3::int) % 500, p.id, sv.code,
            (array['in_person','in_person','phone','video'])[1 + i % 4],
            case when i % 9 = 0 then 'no_show' else 'attended' end, p.id
       from generate_series(0, 3 * $2::int - 1) i
       join s on s.rn = 1 + i % $3::int
       join p on p.rn = 1 + (i::bigint * 7) % $2::int
       join sv on sv.rn = 1 + i % $4::int`,
    [REGION, n, slots, services],
  );
  await c.query(
    `insert into conditionality_events (region_code, citizen_id, kind, source, occurred_at)
     select $1, p.id, (array['no_show','refused_offer','action_not_done','other'])[1 + p.rn % 4], 'automatic',
            timestamptz '2024-11-28 10:00+01' + (p.rn % 730) * interval '1 day'
       from p where p.rn % 2 = 0`,
    [REGION],
  );
  await c.query(
    `insert into satisfaction_invitations (region_code, service_kind, service_id, respondent_id, respondent_side,
       delivered_at, invited_at, expires_at, token_hash, channel, answered_at)
     select $1, 'appointment', gen_random_uuid(), p.id, 'person', t, t, t + interval '30 days',
            encode(sha256(convert_to('bench' || p.rn, 'utf8')), 'hex'), 'email',
            case when p.rn % 4 < 2 then t + interval '1 day' end
       from p cross join lateral (select timestamptz '2024-11-28 10:00+01' + (p.rn % 730) * interval '1 day' as t) x
      where p.rn % 2 = 1`,
    [REGION],
  );
  await c.query(
    `insert into satisfaction_answers (region_code, invitation_id, score, via, answered_at)
     select region_code, id, 1 + (hashtext(id::text) & 3) + (hashtext(id::text) & 1), 'link', answered_at
       from satisfaction_invitations where region_code = $1 and answered_at is not null`,
    [REGION],
  );
  await c.query('analyze');
  const count = async (table: string) =>
    (await c.query<{ n: number }>(`select count(*)::int as n from ${table} where region_code = $1`, [REGION]))
      .rows[0]!.n;
  return {
    people: n,
    appointments: await count('appointments'),
    dids: await count('did_declarations'),
    conditionalityEvents: await count('conditionality_events'),
    satisfactionInvitations: await count('satisfaction_invitations'),
  };
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
      counts.appointments! + counts.dids! + counts.conditionalityEvents! + counts.satisfactionInvitations!;
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
