/**
 * Several processes (issue 10, item 1): `sportello serve --web 2 --workers 1` against one PostgreSQL.
 * Requests are shared between the two web processes; a person signs in through one process, the SMS
 * code is sent by the worker process, and the session then works on both web processes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../platform/db/embedded-postgres.ts';
import { type TestDatabase, testDb } from '../platform/testing/test-database.ts';
import { WEB_SEMI_SPACE_MB } from './cluster.ts';

const OPERATOR_EMAIL = 'operatore.cpi@demo.sportello.example';

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request on a fresh connection (so the cluster can hand it to either process). */
function request(port: number, method: string, url: string, cookie = '', body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: {
          connection: 'close',
          ...(cookie ? { cookie } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => {
          data += String(d);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const cookiesOf = (res: Res, jar: Map<string, string>) => {
  for (const c of res.headers['set-cookie'] ?? []) {
    const [pair] = c.split(';');
    const [name, value] = (pair ?? '').split('=');
    if (name && value !== undefined) jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

let database: TestDatabase;
let child: ChildProcess;
let port: number;
let output = '';
const dataDir = mkdtempSync(path.resolve('.tmp', 'multi-'));

before(async () => {
  database = await testDb();
  port = await freePort();
  child = spawn(process.execPath, ['bin/sportello.js', 'serve', '--web', '2', '--workers', '1'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
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
  const deadline = Date.now() + 120_000;
  while (!output.includes('worker processes ready')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the cluster did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('two web processes share the requests, and a sign-in through one works on the other', async () => {
  const pids = new Set<number>();
  for (let i = 0; i < 8; i++) {
    const res = await request(port, 'GET', '/healthz');
    assert.equal(res.status, 200);
    pids.add((JSON.parse(res.body) as { pid: number }).pid);
  }
  assert.equal(pids.size, 2, 'both web processes answered');
  // Each web process runs with the larger young generation (src/app/cluster.ts, WEB_SEMI_SPACE_MB).
  for (const pid of pids) {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes(`--max-semi-space-size=${WEB_SEMI_SPACE_MB}`), argv.join(' '));
  }

  // Sign in with password: the page and the form may each go to either process.
  const jar = new Map<string, string>();
  const page = await request(port, 'GET', '/accedi');
  let cookie = cookiesOf(page, jar);
  const form = new URLSearchParams({
    _csrf: csrfOf(page.body),
    email: OPERATOR_EMAIL,
    password: 'Demo-Sportello-2026!',
    next: '/',
  });
  const signIn = await request(port, 'POST', '/accedi', cookie, form.toString());
  assert.equal(signIn.status, 303, signIn.body.slice(0, 300));
  cookie = cookiesOf(signIn, jar);

  // The SMS code is sent by the worker process into the development outbox.
  let code = '';
  for (let i = 0; i < 100 && !code; i++) {
    const row = await database.db
      .selectFrom('dev_outbox')
      .select('body')
      .where('channel', '=', 'sms')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    code = /\b(\d{6})\b/.exec(row?.body ?? '')?.[1] ?? '';
    if (!code) await new Promise((r) => setTimeout(r, 200));
  }
  assert.match(code, /^\d{6}$/, 'the worker process delivered the SMS code');
  const codePage = await request(port, 'GET', '/accedi/codice', cookie);
  const verify = await request(
    port,
    'POST',
    '/accedi/codice',
    cookie,
    new URLSearchParams({ _csrf: csrfOf(codePage.body), method: 'sms', code, next: '/' }).toString(),
  );
  assert.equal(verify.status, 303, verify.body.slice(0, 300));
  cookie = cookiesOf(verify, jar);

  // Signed in on every request, whichever process answers.
  for (let i = 0; i < 6; i++) {
    const res = await request(port, 'GET', '/operatore/agenda', cookie);
    assert.equal(res.status, 200, `request ${i}`);
    assert.match(res.body, /Chiara/);
  }
});
