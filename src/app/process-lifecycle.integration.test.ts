import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { freePort } from '../platform/db/embedded-postgres.ts';

/**
 * The real entry point (`sportello serve`) on its own embedded PostgreSQL: a clean stop on SIGTERM,
 * and a start after `kill -9` that recovers the data directory left locked.
 */
const dataDir = mkdtempSync(path.resolve('.tmp', 'lifecycle-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

async function startServe(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['bin/sportello.js', 'serve'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      SPORTELLO_MODE: 'demo',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (output.includes('Sportello Lavoro is running')) return { child, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`serve did not start:\n${output}`);
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });

const pidFile = () => path.join(dataDir, 'pg', 'postmaster.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGTERM stops the web process and PostgreSQL cleanly', async () => {
  const port = await freePort();
  const { child } = await startServe(port);
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  assert.equal(ready.status, 200);
  // The platform reaches its embedded PostgreSQL over the Unix socket in the data directory.
  const sockets = readdirSync(path.join(dataDir, 'pg-socket')).filter((f) => /^\.s\.PGSQL\.\d+$/.test(f));
  assert.equal(sockets.length, 1);
  const pg = await import('pg');
  const client = new pg.default.Client({
    connectionString: `postgres://sportello:sportello-embedded@${encodeURIComponent(path.join(dataDir, 'pg-socket'))}:${sockets[0]?.split('.').pop()}/sportello`,
  });
  await client.connect();
  try {
    const seen = await client.query<{ unix: string }>(
      "select count(*) as unix from pg_stat_activity where datname = 'sportello' and client_port = -1 and pid <> pg_backend_pid()",
    );
    assert.ok(Number(seen.rows[0]?.unix) >= 1, 'the web process connected over the Unix socket');
  } finally {
    await client.end();
  }
  child.kill('SIGTERM');
  assert.equal(await exited(child), 0);
  assert.equal(existsSync(pidFile()), false, 'PostgreSQL removed its pid file on a clean stop');
});

test('after kill -9, the next start recovers the locked data directory', async () => {
  const port = await freePort();
  const first = await startServe(port);
  const postmaster = Number.parseInt(readFileSync(pidFile(), 'utf8').split('\n')[0] ?? '', 10);
  first.child.kill('SIGKILL');
  await exited(first.child);
  assert.ok(alive(postmaster), 'the orphaned postmaster still holds the data directory');
  const second = await startServe(await freePort());
  assert.match(second.output(), /still holds the data directory: stopping it/);
  assert.equal(alive(postmaster), false);
  second.child.kill('SIGTERM');
  assert.equal(await exited(second.child), 0);
});
