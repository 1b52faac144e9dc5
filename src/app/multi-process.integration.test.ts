/**
 * Several processes (issue 10, item 1): `sportello serve --web 2 --workers 1` against one PostgreSQL.
 * Requests are shared between the two web processes; a person signs in through one process, the SMS
 * code is sent by the worker process, and the session then works on both web processes. A booking and
 * a message exchange (the person writes, the operator answers, the person reads) go through both, each
 * step answered by a different process from the one before.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SESSION_COOKIE } from '../platform/auth/session.ts';
import { freePort } from '../platform/db/embedded-postgres.ts';
import { type TestDatabase, testDb } from '../platform/testing/test-database.ts';
import { WEB_SEMI_SPACE_MB } from './cluster.ts';
import { agendaOperator, openSlot, profiledCitizen } from './testing/agenda-fixtures.ts';
import { csrfOf, multipartBody, type Res, request } from './testing/cluster-process.ts';
import { sessionForUser } from './testing/demo-session.ts';

const OPERATOR_EMAIL = 'operatore.cpi@demo.sportello.example';

const cookiesOf = (res: Res, jar: Map<string, string>) => {
  for (const c of res.headers['set-cookie'] ?? []) {
    const [pair] = c.split(';');
    const [name, value] = (pair ?? '').split('=');
    if (name && value !== undefined) jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};

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
  const signIn = await request(port, 'POST', '/accedi', { cookie, body: form.toString() });
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
  const codePage = await request(port, 'GET', '/accedi/codice', { cookie });
  const verify = await request(port, 'POST', '/accedi/codice', {
    cookie,
    body: new URLSearchParams({ _csrf: csrfOf(codePage.body), method: 'sms', code, next: '/' }).toString(),
  });
  assert.equal(verify.status, 303, verify.body.slice(0, 300));
  cookie = cookiesOf(verify, jar);

  // Signed in on every request, whichever process answers.
  for (let i = 0; i < 6; i++) {
    const res = await request(port, 'GET', '/operatore/agenda', { cookie });
    assert.equal(res.status, 200, `request ${i}`);
    assert.match(res.body, /Chiara/);
  }
});

test('booking and messaging work whichever web process answers each step', async () => {
  const { db } = database;
  const REGION = '10';
  const SERVICE = 'orientamento';
  const operator = await agendaOperator(db, REGION, OPERATOR_EMAIL);
  const startsAt = new Date(Date.now() + 6 * 86_400_000);
  startsAt.setUTCHours(9, 0, 0, 0);
  const slotId = await openSlot(db, {
    regionCode: REGION,
    operatorId: operator.id,
    officeId: operator.officeId,
    startsAt,
    service: SERVICE,
    capacity: 1,
  });
  const personId = await profiledCitizen(db, {
    regionCode: REGION,
    givenName: 'Elena',
    familyName: 'Multiprocesso',
    email: 'elena.multiprocesso@example.org',
    phone: '+39 333 7000001',
    birthDate: '1988-05-20',
  });
  const citizen = `${SESSION_COOKIE}=${(await sessionForUser(db, personId, REGION)).token}`;
  const staff = `${SESSION_COOKIE}=${(await sessionForUser(db, operator.id, REGION)).token}`;

  // Every request below is a new connection, and the primary hands connections to the web processes
  // in turn: with two /healthz calls after each step, consecutive steps of a flow (the form, then its
  // POST, then the next page) are answered by different processes.
  const answered = new Set<number>();
  const step = async (res: Promise<Res>) => {
    const r = await res;
    for (let i = 0; i < 2; i++)
      answered.add((JSON.parse((await request(port, 'GET', '/healthz')).body) as { pid: number }).pid);
    return r;
  };
  const location = (r: Res) => String(r.headers.location ?? '');

  // Booking: the page (its CSRF token), the booking, the page again with the appointment.
  const page = await step(request(port, 'GET', '/appuntamenti', { cookie: citizen }));
  assert.equal(page.status, 200);
  const csrf = csrfOf(page.body);
  const booked = await step(
    request(port, 'POST', '/appuntamenti/prenota', {
      cookie: citizen,
      body: new URLSearchParams({
        _csrf: csrf,
        slot: slotId,
        servizio: SERVICE,
        canale: 'in_person',
      }).toString(),
    }),
  );
  assert.equal(booked.status, 303, booked.body.slice(0, 300));
  assert.match(location(booked), /ok=booked/);
  const appointments = await db
    .selectFrom('appointments')
    .select('slot_id')
    .where('citizen_id', '=', personId)
    .execute();
  assert.deepEqual(
    appointments.map((a) => a.slot_id),
    [slotId],
  );

  // Messaging: the person writes to the office, the operator reads and answers, the person reads it.
  const question = multipartBody({
    _csrf: csrf,
    officeId: operator.officeId,
    subject: 'Orari del centro',
    body: 'Buongiorno, il centro è aperto anche il sabato mattina?',
    do: 'send',
  });
  const sent = await step(
    request(port, 'POST', '/messaggi/nuovo', {
      cookie: citizen,
      body: question.body,
      contentType: question.contentType,
    }),
  );
  assert.equal(sent.status, 303, sent.body.slice(0, 300));
  const threadId = /^\/messaggi\/([0-9a-f-]{36})\?ok=sent$/.exec(location(sent))?.[1];
  assert.ok(threadId, location(sent));
  const thread = await step(request(port, 'GET', `/operatore/messaggi/${threadId}`, { cookie: staff }));
  assert.equal(thread.status, 200);
  assert.match(thread.body, /il centro è aperto anche il sabato mattina/);
  const answer = multipartBody({
    _csrf: csrfOf(thread.body),
    body: 'Buongiorno Elena, il sabato siamo aperti dalle 9 alle 12.',
    do: 'send',
  });
  const replied = await step(
    request(port, 'POST', `/operatore/messaggi/${threadId}`, {
      cookie: staff,
      body: answer.body,
      contentType: answer.contentType,
    }),
  );
  assert.equal(replied.status, 303, replied.body.slice(0, 300));
  const read = await step(request(port, 'GET', `/messaggi/${threadId}`, { cookie: citizen }));
  assert.equal(read.status, 200);
  assert.match(read.body, /il sabato siamo aperti dalle 9 alle 12/);

  assert.equal(answered.size, 2, 'both web processes answered during the booking and the messages');
});
