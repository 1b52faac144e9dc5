/**
 * Load (issue 10, item 3): the demo Region filled like `sportello demo --citizens 100000 --vacancies
 * 20000`, served as a Region would run it (`sportello serve --web 2 --workers 1`: two web processes
 * sharing the port, one queue worker), and wrk (or autocannon) on 127.0.0.1 against the main pages and API
 * calls of each role: requests/s, p50/p99 latency and errors per endpoint, and the memory of each
 * process.
 *
 * Goals (issue): 0 errors; simple signed-in pages ≥ 3,000 req/s at p99 ≤ 20 ms; the match endpoints
 * (a person's ranked vacancies, a vacancy's ranked candidates) ≥ 300 req/s at p99 ≤ 50 ms, on this
 * 2-core machine, where the load generator and PostgreSQL compete with the server for the same two cores.
 *
 * The filled database is kept in .tmp/bench-load-<people>-<vacancies> between runs (filling takes minutes);
 * LOAD_FRESH=1 starts from an empty one. LOAD_CITIZENS / LOAD_VACANCIES change the size,
 * LOAD_SECONDS the time per endpoint, LOAD_CONNECTIONS the concurrency, LOAD_ONLY a comma-separated list
 * of endpoint names to measure alone, LOAD_TOOL=autocannon the Node load generator instead of wrk.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { DEMO_REGION } from '../src/app/demo/demo-region.ts';
import { loadDemoRegion, loadSyntheticCitizens } from '../src/app/demo/load-demo.ts';
import { loadSyntheticJobMarket } from '../src/app/demo/synthetic-jobs.ts';
import { demoSessionFor, sessionForUser } from '../src/app/testing/demo-session.ts';
import { ensureDemoVacancies } from '../src/employers/use-cases/demo-vacancies.ts';
import { createApiToken } from '../src/platform/api/api.ts';
import type { Role } from '../src/platform/auth/roles.ts';
import { SESSION_COOKIE } from '../src/platform/auth/session.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { ensureDemoCatalogue } from '../src/training/use-cases/demo-catalogue.ts';
import { type LoadSummary, loadTest } from './support/load.ts';
import { wrkAvailable, wrkTest } from './support/wrk.ts';

const CITIZENS = Number(process.env.LOAD_CITIZENS ?? 100_000);
const VACANCIES = Number(process.env.LOAD_VACANCIES ?? 20_000);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 10);
/** wrk (C) when Debian's package is installed, else autocannon (Node); LOAD_TOOL=autocannon forces it. */
const TOOL = process.env.LOAD_TOOL !== 'autocannon' && wrkAvailable() ? 'wrk' : 'autocannon';
const SECRET = 'bench-load-secret-bench-load-secret-0123456789';

type Kind = 'page' | 'match' | 'api' | 'public';
type Endpoint = {
  name: string;
  role: Role | 'anonymous' | 'profiledCitizen';
  kind: Kind;
  url: string;
  bearer?: string;
};

async function fill(db: Db): Promise<Record<string, number>> {
  const t0 = performance.now();
  await loadDemoRegion(db);
  await ensureDemoCatalogue(db, DEMO_REGION.code);
  await ensureDemoVacancies(db, DEMO_REGION.code);
  const citizens = await loadSyntheticCitizens(db, { count: CITIZENS, seed: 1 });
  const market = await loadSyntheticJobMarket(db, {
    regionCode: DEMO_REGION.code,
    vacancies: VACANCIES,
    seed: 1,
  });
  await sql`vacuum analyze`.execute(db);
  return {
    'fill.citizensInserted': citizens.inserted,
    'fill.vacanciesInserted': market.vacancies,
    'fill.profilesInserted': market.profiles,
    'fill.seconds': Math.round((performance.now() - t0) / 100) / 10,
  };
}

async function counts(db: Db) {
  const row = await sql<{ people: number; profiles: number; visible: number; vacancies: number }>`
    select (select count(*)::int from users where role = 'citizen') as people,
           (select count(*)::int from citizen_profiles) as profiles,
           (select count(*)::int from candidate_visibility where visible) as visible,
           (select count(*)::int from vacancies where status = 'published') as vacancies`.execute(db);
  return row.rows[0]!;
}

/** Resident memory (MB) of a process and its children, read from /proc. */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}
/**
 * The processes the cluster primary started, read from /proc (sampled twice a second during the
 * runs: forking `pgrep` that often took CPU from the server being measured).
 */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** Jiffies (1/100 s: Linux's USER_HZ) of CPU a process has used, user and system, from /proc. */
function cpuJiffiesOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (in parentheses, may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * CPU per request during a measured run: the whole machine (the server, PostgreSQL, wrk, the kernel)
 * and its parts. Less sensitive than requests/s to what else the host runs: the figure to compare
 * when a change is meant to save work.
 */
type CpuPerRequest = { machine: number; web: number; postgres: number };

function cpuMeter(web: () => number[], postgres: () => number[]) {
  // Per process: a PostgreSQL backend may end during a run (its time is then lost, not negative).
  const jiffiesBy = (pids: number[]) => new Map(pids.map((p) => [p, cpuJiffiesOf(p)]));
  const read = () => ({ busy: cpuTimes().busy, web: jiffiesBy(web()), postgres: jiffiesBy(postgres()) });
  const spent = (from: Map<number, number>, to: Map<number, number>) => {
    let sum = 0;
    for (const [pid, j] of to) sum += Math.max(0, j - (from.get(pid) ?? 0));
    return sum;
  };
  let before = read();
  let after = before;
  return {
    start: () => {
      before = read();
    },
    end: () => {
      after = read();
    },
    /** Milliseconds of CPU per request between `start` and `end` (a jiffy is 10 ms). */
    perRequest: (requests: number): CpuPerRequest => {
      const ms = (j: number) => Math.round((j * 10 * 100) / Math.max(1, requests)) / 100;
      return {
        machine: ms(after.busy - before.busy),
        web: ms(spent(before.web, after.web)),
        postgres: ms(spent(before.postgres, after.postgres)),
      };
    },
  };
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * Waits until the machine is quiet (under 10% busy for 3 seconds in a row, at most `maxMs`): the
 * queue worker's start-up jobs, autovacuum after a fill, or the previous endpoint's tail would
 * otherwise be measured as the next endpoint's cost. Returns the seconds waited.
 */
async function waitForQuiet(maxMs: number): Promise<number> {
  const t0 = Date.now();
  let quiet = 0;
  let last = cpuTimes();
  while (Date.now() - t0 < maxMs && quiet < 3) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuTimes();
    const share = (now.busy - last.busy) / Math.max(1, now.total - last.total);
    last = now;
    quiet = share < 0.1 ? quiet + 1 : 0;
  }
  return Math.round((Date.now() - t0) / 100) / 10;
}

async function waitUntilUp(base: string, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the server exited with code ${proc.exitCode}`);
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the server did not start within 3 minutes');
}

export async function run(): Promise<Record<string, unknown>> {
  const dataDir = path.resolve('.tmp', `bench-load-${CITIZENS}-${VACANCIES}`);
  if (process.env.LOAD_FRESH === '1') rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const pg = await startEmbeddedPostgres(dataDir, (m) => {
    if (!/terminating connection due to administrator command/.test(m)) console.error(`[pg] ${m}`);
  });
  let server: ChildProcess | null = null;
  const { db, pool } = createDb(pg.url('sportello_load'), 4);
  try {
    await ensureDatabase(pg.url('postgres'), 'sportello_load');
    await migrate(pool);
    const metrics: Record<string, unknown> = {};
    let size = await counts(db);
    if (size.people < CITIZENS || size.vacancies < VACANCIES) {
      console.log(`Filling the demo Region: ${CITIZENS} people, ${VACANCIES} vacancies…`);
      Object.assign(metrics, await fill(db));
      size = await counts(db);
    }
    Object.assign(metrics, {
      'data.people': size.people,
      'data.profiles': size.profiles,
      'data.findablePeople': size.visible,
      'data.publishedVacancies': size.vacancies,
    });

    // Sessions and an API token made directly (sign-in is not what is measured here).
    const cookie = async (role: Role) =>
      `${SESSION_COOKIE}=${(await demoSessionFor(db, role, 'bench')).token}`;
    const cookies = new Map<Role | 'profiledCitizen', string>();
    // The match endpoints as a person the matcher knows: a synthetic citizen with a profile and skills.
    const profiled = await sql<{ region_code: string; id: string }>`
      select u.region_code, u.id from users u
        join citizen_profiles p on p.region_code = u.region_code and p.user_id = u.id
       where u.password_hash is null and p.completed_at is not null
         and exists (select 1 from skill_assessments a where a.region_code = u.region_code and a.citizen_id = u.id)
       order by p.match_seq limit 1`.execute(db);
    const someone = profiled.rows[0];
    if (!someone) throw new Error('no synthetic citizen with a profile: the fill did not run');
    cookies.set(
      'profiledCitizen',
      `${SESSION_COOKIE}=${(await sessionForUser(db, someone.id, someone.region_code, 'bench')).token}`,
    );
    for (const role of ['citizen', 'employer', 'cpi_operator', 'regional_manager'] as const) {
      cookies.set(role, await cookie(role));
    }
    const employer = await db
      .selectFrom('users')
      .select(['id', 'region_code', 'company_id'])
      .where('email', '=', 'datore@demo.sportello.example')
      .executeTakeFirstOrThrow();
    const token = await createApiToken(db, {
      regionCode: employer.region_code,
      userId: employer.id,
      name: 'bench load',
      days: 1,
    });
    const ownVacancy = await db
      .selectFrom('vacancies')
      .select('id')
      .where('region_code', '=', employer.region_code)
      .where('company_id', '=', employer.company_id!)
      .where('status', '=', 'published')
      .orderBy('match_seq')
      .executeTakeFirstOrThrow();
    const someVacancy = await db
      .selectFrom('vacancies')
      .select('id')
      .where('status', '=', 'published')
      .orderBy('match_seq', 'desc')
      .executeTakeFirstOrThrow();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // LOAD_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server's processes
    // (the cluster's processes inherit the primary's Node options).
    const nodeArgs = process.env.LOAD_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const profiling = nodeArgs.some((a) => a.startsWith('--cpu-prof'));
    server = spawn(
      process.execPath,
      [...nodeArgs, 'bin/sportello.js', 'serve', '--web', '2', '--workers', '1'],
      {
        env: {
          ...process.env,
          DATABASE_URL: pg.socketUrl('sportello_load'),
          DATA_DIR: dataDir,
          PORT: String(port),
          PUBLIC_URL: base,
          SESSION_SECRET: SECRET,
          LOG_LEVEL: 'warn',
          SPORTELLO_MODE: 'demo',
        },
        stdio: ['ignore', process.env.LOAD_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
      },
    );
    const started = performance.now();
    await waitUntilUp(base, server);
    metrics['server.startSeconds'] = Math.round((performance.now() - started) / 100) / 10;
    // The cluster starts its processes one after the other: wait until both web processes answer.
    // (A new connection each time: the primary hands connections, not requests, to the processes.)
    const seen = new Set<number>();
    for (let i = 0; i < 600 && seen.size < 2; i++) {
      const pid = await new Promise<number>((resolve) => {
        http
          .get(`${base}/healthz`, { agent: false }, (res) => {
            let body = '';
            res.on('data', (d) => {
              body += String(d);
            });
            res.on('end', () => resolve(Number((JSON.parse(body) as { pid?: number }).pid ?? 0)));
          })
          .on('error', () => resolve(0));
      });
      if (pid) seen.add(pid);
      if (seen.size < 2) await new Promise((r) => setTimeout(r, 100));
    }
    metrics['server.webProcessesAnswering'] = seen.size;
    // The worker starts after the web processes and runs its start-up jobs: measure after it settles.
    // A profiled server never looks quiet (the profiler samples every process): wait a fixed time.
    if (profiling) await sleep(20_000);
    metrics['server.quietAfterSeconds'] = profiling ? 20 : await waitForQuiet(180_000);

    const endpoints: Endpoint[] = [
      { name: 'public.home', role: 'anonymous', kind: 'public', url: '/' },
      {
        name: 'public.jobSearch',
        role: 'anonymous',
        kind: 'public',
        url: '/offerte?q=magazzino&comune=054039&raggio=30',
      },
      { name: 'public.vacancy', role: 'anonymous', kind: 'public', url: `/offerte/${someVacancy.id}` },
      { name: 'citizen.home', role: 'citizen', kind: 'page', url: '/' },
      { name: 'citizen.appointments', role: 'citizen', kind: 'page', url: '/appuntamenti' },
      { name: 'citizen.plan', role: 'citizen', kind: 'page', url: '/piano' },
      { name: 'citizen.messages', role: 'citizen', kind: 'page', url: '/messaggi' },
      { name: 'citizen.matchedVacancies', role: 'profiledCitizen', kind: 'match', url: '/offerte' },
      { name: 'employer.company', role: 'employer', kind: 'page', url: '/azienda' },
      { name: 'employer.vacancies', role: 'employer', kind: 'page', url: '/azienda/offerte' },
      {
        name: 'employer.matchedCandidates',
        role: 'employer',
        kind: 'match',
        url: `/azienda/candidati?offerta=${ownVacancy.id}&raggio=30`,
      },
      {
        name: 'api.employerVacancies',
        role: 'employer',
        kind: 'api',
        url: '/api/v1/employer/vacancies',
        bearer: token,
      },
      { name: 'operator.agenda', role: 'cpi_operator', kind: 'page', url: '/operatore/agenda' },
      {
        name: 'operator.peopleSearch',
        role: 'cpi_operator',
        kind: 'page',
        url: '/operatore/persone?q=Rossi',
      },
      { name: 'operator.moderation', role: 'cpi_operator', kind: 'page', url: '/operatore/offerte' },
      { name: 'manager.report', role: 'regional_manager', kind: 'page', url: '/report/attivazione' },
    ];

    const pids = () => {
      const primary = server?.pid ?? 0;
      return [primary, ...childrenOf(primary)].filter((p) => p > 0);
    };
    const maxRss = new Map<number, number>();
    const sample = setInterval(() => {
      for (const pid of pids()) maxRss.set(pid, Math.max(maxRss.get(pid) ?? 0, rssMb(pid)));
    }, 500);
    for (const pid of pids()) metrics[`memory.idleMb.${pid === server.pid ? 'primary' : pid}`] = rssMb(pid);

    const results: Record<string, LoadSummary & { kind: Kind; cpu: CpuPerRequest | null }> = {};
    // The web processes are the ones that answered /healthz; PostgreSQL is the postmaster and its
    // children (one backend per connection, and its own background processes).
    const postmaster = Number(
      readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    const meter = cpuMeter(
      () => [...seen],
      () => [postmaster, ...childrenOf(postmaster)],
    );
    // LOAD_ONLY=citizen.home,citizen.plan measures those endpoints alone (for working on one page).
    const only = process.env.LOAD_ONLY?.split(',').filter(Boolean);
    try {
      for (const e of endpoints.filter((x) => !only || only.includes(x.name))) {
        const headers: Record<string, string> = {};
        if (e.role !== 'anonymous' && !e.bearer) headers.cookie = cookies.get(e.role) ?? '';
        if (e.bearer) headers.authorization = `Bearer ${e.bearer}`;
        // One request first: the endpoint must answer 200 before it is measured.
        if (!profiling) await waitForQuiet(15_000);
        const probe = await fetch(`${base}${e.url}`, { headers, redirect: 'manual' });
        if (probe.status !== 200) throw new Error(`${e.name}: ${e.url} answered ${probe.status}`);
        const job = {
          url: `${base}${e.url}`,
          headers,
          duration: SECONDS,
          warmup: 2,
          connections: CONNECTIONS,
          measuring: meter,
        };
        const summary = TOOL === 'wrk' ? await wrkTest(job) : await loadTest(job);
        // wrk does not count a redirect as an error: the endpoint must still answer 200 afterwards.
        const after = await fetch(`${base}${e.url}`, { headers, redirect: 'manual' });
        if (after.status !== 200)
          throw new Error(`${e.name}: ${e.url} answered ${after.status} after the run`);
        const cpu = TOOL === 'wrk' ? meter.perRequest(summary.requests) : null;
        results[e.name] = { ...summary, kind: e.kind, cpu };
        console.log(
          `${e.name.padEnd(28)} ${String(Math.round(summary.requestsPerSecond)).padStart(6)} req/s  p50 ${summary.latencyP50Ms} ms  p99 ${summary.latencyP99Ms} ms  errors ${summary.errors + summary.non2xx + summary.timeouts}${cpu ? `  CPU/request ${cpu.machine} ms (web ${cpu.web}, PostgreSQL ${cpu.postgres})` : ''}`,
        );
      }
    } finally {
      clearInterval(sample);
    }

    let errors = 0;
    for (const [name, r] of Object.entries(results)) {
      const errs = r.errors + r.non2xx + r.timeouts;
      errors += errs;
      metrics[`${name}.reqPerSec`] = Math.round(r.requestsPerSecond);
      metrics[`${name}.p50Ms`] = r.latencyP50Ms;
      metrics[`${name}.p99Ms`] = r.latencyP99Ms;
      metrics[`${name}.errors`] = errs;
      if (r.cpu) {
        metrics[`${name}.cpuMsPerRequest`] = r.cpu.machine;
        metrics[`${name}.webCpuMsPerRequest`] = r.cpu.web;
        metrics[`${name}.postgresCpuMsPerRequest`] = r.cpu.postgres;
      }
      metrics[`${name}.kbPerResponse`] =
        Math.round(r.bytesPerSecond / Math.max(1, r.requestsPerSecond) / 100) / 10;
    }
    const web = pids().slice(1);
    let w = 0;
    for (const [pid, mb] of maxRss) {
      const label = pid === server.pid ? 'primary' : `child${++w}`;
      metrics[`memory.maxUnderLoadMb.${label}`] = mb;
    }
    metrics['memory.processes'] = `${web.length} children of the cluster primary (2 web + 1 worker)`;
    const pages = Object.values(results).filter((r) => r.kind === 'page');
    const matches = Object.values(results).filter((r) => r.kind === 'match');
    metrics['load.tool'] = TOOL;
    metrics.note = `${CONNECTIONS} connections, ${SECONDS} s after 2 s warm-up per endpoint, pipelining 1, loopback; ${TOOL === 'wrk' ? 'wrk (one thread)' : 'autocannon (its own Node process)'} runs on the same 2 cores as the 3 server processes and PostgreSQL.`;
    metrics.goals =
      '0 errors; signed-in pages ≥ 3000 req/s at p99 ≤ 20 ms; match endpoints ≥ 300 req/s at p99 ≤ 50 ms';
    metrics['goal.zeroErrors'] = errors === 0;
    metrics['goal.pagesThroughputMet'] = pages.every((r) => r.requestsPerSecond >= 3000);
    metrics['goal.pagesP99Met'] = pages.every((r) => r.latencyP99Ms <= 20);
    metrics['goal.matchThroughputMet'] = matches.every((r) => r.requestsPerSecond >= 300);
    metrics['goal.matchP99Met'] = matches.every((r) => r.latencyP99Ms <= 50);
    return metrics;
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await db.destroy();
    await pg.stop();
  }
}
