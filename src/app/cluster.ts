/**
 * `sportello serve --web N --workers M`: N stateless web processes sharing one port (node:cluster) and
 * M queue workers, against one PostgreSQL. Sessions, rate limits, the queue and the audit log live in
 * the database, so any web process answers any request; each keeps its own matching index. The
 * primary starts the embedded PostgreSQL when DATABASE_URL is unset, applies the migrations once,
 * restarts a process that dies, and stops everything on SIGTERM/SIGINT.
 */
import cluster, { type Worker } from 'node:cluster';
import { createDb } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { configOrExit, databaseOf, serve } from './main.ts';

type Role = 'web' | 'worker';

/**
 * The young generation of a web process, in MB per semi-space (V8's default on 64-bit is 16). A page
 * makes short-lived garbage (rows, vnodes, strings); with 16 MB a web process under load scavenged
 * about ten times a second, and each scavenge stops the requests in flight. 64 MB scavenges a quarter
 * as often for the same work (the cost of a scavenge follows what survives, not what is dropped):
 * measured in bench/load.ts, interleaved, the company space went from 2,819–3,297 to 3,361–3,426
 * req/s and its p99 from 12.5–22 to 9.8–16.6 ms (docs/decisions/0017). It costs up to 3 × 64 MB of
 * address space per web process, used only as garbage accumulates.
 */
export const WEB_SEMI_SPACE_MB = 64;

/**
 * The Node options of a web process: the primary's, plus the young generation above unless the
 * operator set one (in the primary's options or NODE_OPTIONS): theirs wins.
 */
export function webExecArgv(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((a) =>
    /^--max[-_]semi[-_]space[-_]size(=|$)/.test(a),
  );
  return given ? [...execArgv] : [...execArgv, `--max-semi-space-size=${WEB_SEMI_SPACE_MB}`];
}

export async function serveCluster(options: { web: number; workers: number }): Promise<void> {
  if (cluster.isWorker) {
    const role = process.env.SPORTELLO_ROLE as Role;
    await serve({
      web: role === 'web',
      worker: role === 'worker',
      first: process.env.SPORTELLO_FIRST === '1',
    });
    return;
  }
  const log = (m: string) => console.log(`[sportello] ${m}`);
  const config = configOrExit();
  const { databaseUrl, embedded } = await databaseOf(config, log);
  // Migrations once, before any process starts.
  const { db, pool } = createDb(databaseUrl, 2);
  await migrate(pool);
  await db.destroy();

  let stopping = false;
  const roles = new Map<number, { role: Role; first: boolean }>();
  const fork = (role: Role, first: boolean): Worker => {
    // The settings in force at each fork apply to it: the web processes get their young generation.
    cluster.setupPrimary({
      execArgv: role === 'web' ? webExecArgv(process.execArgv, process.env.NODE_OPTIONS) : process.execArgv,
    });
    const w = cluster.fork({
      SPORTELLO_ROLE: role,
      SPORTELLO_FIRST: first ? '1' : '0',
      DATABASE_URL: databaseUrl,
    });
    roles.set(w.id, { role, first });
    return w;
  };
  cluster.on('exit', (w, code, signal) => {
    const r = roles.get(w.id);
    roles.delete(w.id);
    if (stopping || !r) return;
    log(`a ${r.role} process (pid ${w.process.pid}) ended (${signal ?? code}): starting another`);
    setTimeout(() => fork(r.role, r.first), 500);
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping every process…`);
    const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    await Promise.all(
      all.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            if (!w.isDead()) w.process.kill('SIGTERM');
            else resolve();
          }),
      ),
    );
    await embedded?.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // One after another: concurrent first starts would race on creating the queues.
  const ready = (w: Worker) =>
    new Promise<void>((resolve) => {
      const done = () => {
        w.off('message', onMessage);
        w.off('exit', done);
        resolve();
      };
      const onMessage = (m: unknown) => {
        if ((m as { sportello?: string } | null)?.sportello === 'ready') done();
      };
      w.on('message', onMessage);
      w.on('exit', done);
    });
  for (let i = 0; i < options.web && !stopping; i++) await ready(fork('web', i === 0));
  for (let i = 0; i < options.workers && !stopping; i++)
    await ready(fork('worker', options.web === 0 && i === 0));
  log(`${options.web} web and ${options.workers} worker processes ready on port ${config.port}`);
}
