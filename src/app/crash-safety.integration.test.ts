/**
 * Crash safety (issue 10, item 2): `sportello serve --web 2 --workers 1` under a load of bookings on
 * contended slots, DIDs, pact signatures and secure messages; in the middle one web process and the
 * worker are killed with SIGKILL and the cluster primary starts new ones. Then: every write the client
 * saw acknowledged (a 303 to its success page) is in the database, no slot holds more bookings than
 * seats, every acknowledged write's messages are delivered exactly once, the queue drains after the
 * restart and each national event exists once. Requests that failed with a connection error are not
 * acknowledged: they may or may not have happened, but never twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import PgBoss from 'pg-boss';
import { SESSION_COOKIE } from '../platform/auth/session.ts';
import { freePort } from '../platform/db/embedded-postgres.ts';
import { type TestDatabase, testDb } from '../platform/testing/test-database.ts';
import { agendaOperator, openSlot, profiledCitizen } from './testing/agenda-fixtures.ts';
import {
  type Cluster,
  childPids,
  csrfOf,
  multipartBody,
  type Res,
  request,
  startCluster,
  webPids,
} from './testing/cluster-process.ts';
import { sessionForUser } from './testing/demo-session.ts';

const REGION = '10';
const OPERATOR_EMAIL = 'operatore.cpi@demo.sportello.example';
const CITIZENS = 24;
const WITH_PACT = 12;
/** Signing codes are limited to 5 per signer in 15 minutes: a few CPI operators sign the pacts. */
const PACTS_PER_OPERATOR = 4;
const SLOTS = [1, 1, 1, 2, 2, 2];
const SERVICE = 'orientamento';

type Visitor = { id: string; cookie: string; csrf: string; phone: string };
type Outcome = 'acknowledged' | 'refused' | 'connection';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let database: TestDatabase;
let cluster: Cluster;
let officeId = '';
const dataDir = mkdtempSync(path.resolve('.tmp', 'crash-'));
const citizens: Visitor[] = [];
const slots: { id: string; capacity: number }[] = [];
const pactOf = new Map<string, string>();

async function visitor(userId: string, phone: string, page: string): Promise<Visitor> {
  const s = await sessionForUser(database.db, userId, REGION);
  const cookie = `${SESSION_COOKIE}=${s.token}`;
  const res = await request(cluster.port, 'GET', page, { cookie });
  assert.equal(res.status, 200, `GET ${page}: ${res.body.slice(0, 300)}`);
  const csrf = csrfOf(res.body);
  assert.ok(csrf, `a CSRF token on ${page}`);
  return { id: userId, cookie, csrf, phone };
}

const post = (v: Visitor, url: string, fields: Record<string, string>) =>
  request(cluster.port, 'POST', url, {
    cookie: v.cookie,
    body: new URLSearchParams({ _csrf: v.csrf, ...fields }).toString(),
  });

/** The code of the newest signing SMS queued for a number (the job is written with the code row). */
async function signCode(to: string): Promise<string> {
  const { rows } = await database.pool.query<{ data: { text: string } }>(
    "select data from pgboss.job where name = 'send-sms' and data->>'key' like 'pact-sign-code:%' and data->>'to' = $1 order by created_on desc limit 1",
    [to],
  );
  const code = /(\d{6})/.exec(rows[0]?.data.text ?? '')?.[1];
  assert.ok(code, `a signing code was queued for ${to}`);
  return code;
}

before(async () => {
  database = await testDb();
  cluster = await startCluster({
    databaseUrl: database.url,
    dataDir,
    port: await freePort(),
    web: 2,
    workers: 1,
    timeoutMs: 180_000,
  });
  const { db } = database;
  const operator = await agendaOperator(db, REGION, OPERATOR_EMAIL);
  officeId = operator.officeId;

  // Contended slots: few seats, many people.
  for (const [i, capacity] of SLOTS.entries()) {
    const startsAt = new Date(Date.now() + (5 + i) * 86_400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const id = await openSlot(db, {
      regionCode: REGION,
      operatorId: operator.id,
      officeId,
      startsAt,
      service: SERVICE,
      capacity,
    });
    slots.push({ id, capacity });
  }

  // People with a completed profile (adults, so they may declare their availability).
  for (let i = 0; i < CITIZENS; i++) {
    const phone = `+39 333 55${String(i).padStart(5, '0')}`;
    const userId = await profiledCitizen(db, {
      regionCode: REGION,
      givenName: `Persona${i}`,
      familyName: 'Carico',
      email: `persona${i}.carico@example.org`,
      phone,
      birthDate: `19${70 + (i % 25)}-03-15`,
    });
    citizens.push(await visitor(userId, phone, '/appuntamenti'));
  }

  // A proposed pact, already signed by a CPI operator, for some of them: the person's signature
  // completes it (national event, notices).
  const operators: Visitor[] = [];
  for (let i = 0; i < Math.ceil(WITH_PACT / PACTS_PER_OPERATOR); i++) {
    const phone = `+39 347 66${String(i).padStart(5, '0')}`;
    const op = await db
      .insertInto('users')
      .values({
        region_code: REGION,
        role: 'cpi_operator',
        given_name: `Operatore${i}`,
        family_name: 'Carico',
        email: `operatore${i}.carico@example.org`,
        phone,
        office_id: officeId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    operators.push(await visitor(op.id, phone, '/operatore/agenda'));
  }
  for (let i = 0; i < WITH_PACT; i++) {
    const person = citizens[i]!;
    const op = operators[Math.floor(i / PACTS_PER_OPERATOR)]!;
    const draft = await post(op, `/operatore/persone/${person.id}/patto`, {
      service_0: 'colloquio_specialistico',
      target_0: inFuture(10),
      service_1: 'orientamento',
      target_1: inFuture(30),
      cpi_commitments: 'Proporre i servizi del calendario.\nSegnalare offerte adatte.',
      citizen_commitments: 'Partecipare ai colloqui.\nAccettare le offerte congrue.',
      notes: '',
      agency: '',
    });
    assert.equal(draft.status, 303, `draft: ${draft.body.slice(0, 500)}`);
    const pact = await db
      .selectFrom('pacts')
      .select('id')
      .where('region_code', '=', REGION)
      .where('citizen_id', '=', person.id)
      .executeTakeFirstOrThrow();
    pactOf.set(person.id, pact.id);
    const proposed = await post(op, `/operatore/patti/${pact.id}/proponi`, {});
    assert.equal(proposed.status, 303, `propose: ${proposed.body.slice(0, 500)}`);
    const sent = await post(op, `/operatore/patti/${pact.id}/codice`, {});
    assert.equal(sent.status, 303, `code: ${sent.body.slice(0, 500)}`);
    const signed = await post(op, `/operatore/patti/${pact.id}/firma`, {
      method: 'sms_code',
      code: await signCode(op.phone),
    });
    assert.equal(signed.status, 303, `operator signature: ${signed.body.slice(0, 500)}`);
    assert.match(String(signed.headers.location), /ok=signed/);
  }
});

after(async () => {
  await cluster?.stop();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('SIGKILL of a web process and of the worker under load: nothing acknowledged is lost or doubled', async () => {
  const { db } = database;
  const planned = CITIZENS * 5 + WITH_PACT * 2;
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const times: Record<string, number> = {};
  let sent = 0;
  const tally: Record<string, Record<Outcome, number>> = {};
  const count = (flow: string, outcome: Outcome) => {
    tally[flow] ??= { acknowledged: 0, refused: 0, connection: 0 };
    tally[flow][outcome]++;
  };
  const bookings: { citizen: string; slot: string }[] = [];
  const waitlisted: { citizen: string; slot: string }[] = [];
  const dids: string[] = [];
  const signatures: string[] = [];
  const threads: { citizen: string; thread: string }[] = [];

  // The kill: after a third of the requests, one web process and the worker, with SIGKILL.
  const primary = cluster.child.pid!;
  const killed: number[] = [];
  const inFlight: string[] = [];
  let killDone: Promise<void> | null = null;
  let killError: unknown = null;
  const kill = async () => {
    const web = [...(await webPids(cluster.port, 2))];
    assert.equal(web.length, 2, 'both web processes answer before the kill');
    const children = await childPids(primary);
    const worker = children.filter((p) => !web.includes(p));
    assert.equal(worker.length, 1, `one worker process among ${children.join(', ')}`);
    // Kill the worker in the middle of a delivery: a lock on the development outbox holds the
    // messages it has taken (like a slow mail server) until it is dead.
    const lock = await database.pool.connect();
    try {
      await lock.query('begin');
      await lock.query('lock table dev_outbox in share row exclusive mode');
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const { rows } = await lock.query<{ n: number }>(
          "select count(*)::int as n from pgboss.job where name in ('send-email', 'send-sms') and state = 'active'",
        );
        if ((rows[0]?.n ?? 0) > 0) break;
        await sleep(100);
      }
      for (const pid of [web[0]!, worker[0]!]) {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      }
      times.killedAt = seconds();
      // No worker runs now (the primary waits before starting another): the messages the dead
      // worker had taken stay "active" until pg-boss declares them expired (see below).
      const { rows } = await lock.query<{ id: string }>(
        "select id from pgboss.job where name in ('send-email', 'send-sms') and state = 'active'",
      );
      inFlight.push(...rows.map((r) => r.id));
    } finally {
      await lock.query('commit');
      lock.release();
    }
  };
  /** Sends one request of the load; a connection error is "not acknowledged". */
  const send = async (flow: string, go: () => Promise<Res>, ok: (r: Res) => boolean) => {
    sent++;
    if (sent === Math.floor(planned / 3) && !killDone)
      killDone = kill().catch((error: unknown) => {
        killError = error;
      });
    try {
      const res = await go();
      const acknowledged = res.status === 303 && ok(res);
      if (!acknowledged && res.status >= 500) assert.fail(`${flow}: ${res.status} ${res.body.slice(0, 300)}`);
      count(flow, acknowledged ? 'acknowledged' : 'refused');
      return acknowledged ? res : null;
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      count(flow, 'connection');
      return null;
    }
  };
  const location = (r: Res) => String(r.headers.location ?? '');
  const pause = () => sleep(50 + Math.floor(Math.random() * 250));

  const book = async (c: Visitor, slot: string) => {
    const r = await send(
      'booking',
      () => post(c, '/appuntamenti/prenota', { slot, servizio: SERVICE, canale: 'in_person' }),
      (res) => location(res).includes('ok=booked') || location(res).includes('ok=waitlisted'),
    );
    if (r && location(r).includes('ok=booked')) bookings.push({ citizen: c.id, slot });
    if (r && location(r).includes('ok=waitlisted')) waitlisted.push({ citizen: c.id, slot });
  };
  const message = async (c: Visitor, n: number) => {
    const { body, contentType } = multipartBody({
      _csrf: c.csrf,
      officeId,
      subject: `Domanda ${n}`,
      body: `Buongiorno, questa è la domanda numero ${n}.`,
      do: 'send',
    });
    const r = await send(
      'message',
      () => request(cluster.port, 'POST', '/messaggi/nuovo', { cookie: c.cookie, body, contentType }),
      (res) => /^\/messaggi\/[0-9a-f-]{36}\?ok=sent$/.test(location(res)),
    );
    if (r) threads.push({ citizen: c.id, thread: /\/messaggi\/([0-9a-f-]{36})/.exec(location(r))![1]! });
  };
  const did = async (c: Visitor) => {
    const r = await send(
      'did',
      () => post(c, '/profilo/did', { declare: 'yes' }),
      (res) => location(res).includes('ok=declared'),
    );
    if (r) dids.push(c.id);
  };
  const signPact = async (c: Visitor) => {
    let codeSent = false;
    for (let attempt = 0; attempt < 2 && !codeSent; attempt++)
      codeSent = Boolean(
        await send(
          'pact code',
          () => post(c, '/patto/codice', {}),
          (res) => location(res).includes('ok=codeSent'),
        ),
      );
    if (!codeSent) return;
    const code = await signCode(c.phone);
    const r = await send(
      'pact signature',
      () => post(c, '/patto/firma', { method: 'sms_code', code }),
      (res) => /ok=(signed|completed)/.test(location(res)),
    );
    if (r) signatures.push(c.id);
  };

  await Promise.all(
    citizens.map(async (c, i) => {
      await sleep(i * 40);
      const pick = (k: number) => slots[(i + k * 2) % slots.length]!.id;
      await book(c, pick(0));
      await pause();
      await did(c);
      await pause();
      await message(c, 1);
      await pause();
      if (i < WITH_PACT) {
        await signPact(c);
        await pause();
      }
      await book(c, pick(1));
      await pause();
      await message(c, 2);
    }),
  );
  times.loadDone = seconds();
  assert.ok(killDone, 'the processes were killed during the load');
  await killDone;
  if (killError) throw killError;

  // The primary starts new processes: two web processes answer again, and a new worker runs.
  let web = new Set<number>();
  let children: number[] = [];
  const deadline = Date.now() + 120_000;
  for (;;) {
    web = await webPids(cluster.port, 2, 20);
    children = await childPids(primary);
    const fresh = children.filter((p) => !killed.includes(p));
    if (web.size === 2 && fresh.length === 3 && [...web].every((p) => fresh.includes(p))) break;
    assert.ok(
      Date.now() < deadline,
      `the cluster did not recover (answering web processes ${[...web].join(', ')}; children ${children.join(', ')}; killed ${killed.join(', ')}):\n${cluster.output().slice(-2000)}`,
    );
    await sleep(1000);
  }
  const restarted = children.filter((p) => !killed.includes(p));
  times.recovered = seconds();

  // The new processes serve: one more message from everyone, all acknowledged.
  const before = tally.message?.acknowledged ?? 0;
  await Promise.all(citizens.map((c) => message(c, 3)));
  assert.equal((tally.message?.acknowledged ?? 0) - before, CITIZENS, 'every message after the restart');
  assert.ok(
    killed.every((p) => !children.includes(p)),
    'the killed processes are gone',
  );

  assert.ok(inFlight.length > 0, 'the worker was killed while it held messages');
  // The outbox resumes: the new worker delivers every queued message. The ones the killed worker
  // held are retried by pg-boss once their expiry (expire_in, 2 minutes: platform/queue/queue.ts) has
  // passed and a supervising process (its maintenance, every 30 s) has noticed: the test moves their
  // start back by expire_in and supervises itself every second, instead of waiting those minutes.
  await database.pool.query(
    "update pgboss.job set started_on = started_on - expire_in where id = any($1::uuid[]) and state = 'active'",
    [inFlight],
  );
  const supervisor = new PgBoss({
    connectionString: database.url,
    schema: 'pgboss',
    max: 2,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: 1,
  });
  supervisor.on('error', () => {});
  await supervisor.start();
  const pending = async () =>
    (
      await database.pool.query<{ name: string; state: string; n: number }>(
        "select name, state, count(*)::int as n from pgboss.job where name in ('send-email', 'send-sms') and state in ('created', 'retry', 'active') group by name, state",
      )
    ).rows;
  try {
    const settleBy = Date.now() + 120_000;
    for (;;) {
      const left = await pending();
      if (left.length === 0) break;
      assert.ok(Date.now() < settleBy, `jobs still waiting after the restart: ${JSON.stringify(left)}`);
      await sleep(1000);
    }
  } finally {
    await supervisor.stop({ graceful: false, wait: true });
  }

  times.settled = seconds();

  // 1. Every acknowledged write is there.
  for (const b of bookings) {
    const rows = await db
      .selectFrom('appointments')
      .select('id')
      .where('region_code', '=', REGION)
      .where('citizen_id', '=', b.citizen)
      .where('slot_id', '=', b.slot)
      .where('status', '=', 'booked')
      .execute();
    assert.equal(rows.length, 1, `the acknowledged booking of ${b.citizen} on ${b.slot}`);
  }
  for (const w of waitlisted) {
    const rows = await db
      .selectFrom('agenda_waitlist')
      .select('id')
      .where('region_code', '=', REGION)
      .where('citizen_id', '=', w.citizen)
      .where('slot_id', '=', w.slot)
      .execute();
    assert.equal(rows.length, 1, `the acknowledged place on the waiting list of ${w.citizen} on ${w.slot}`);
  }
  for (const id of dids) {
    const rows = await db
      .selectFrom('did_declarations')
      .select('id')
      .where('region_code', '=', REGION)
      .where('user_id', '=', id)
      .execute();
    assert.equal(rows.length, 1, `the acknowledged DID of ${id}`);
  }
  for (const id of signatures) {
    const rows = await db
      .selectFrom('pact_signatures')
      .select('id')
      .where('region_code', '=', REGION)
      .where('pact_id', '=', pactOf.get(id)!)
      .where('party', '=', 'citizen')
      .execute();
    assert.equal(rows.length, 1, `the acknowledged signature of ${id}`);
  }
  for (const t of threads) {
    const rows = await db
      .selectFrom('messages')
      .select('id')
      .where('region_code', '=', REGION)
      .where('thread_id', '=', t.thread)
      .where('author_id', '=', t.citizen)
      .execute();
    assert.equal(rows.length, 1, `the acknowledged message in ${t.thread}`);
  }
  // Nothing exists twice, acknowledged or not.
  const everyone = citizens.map((c) => c.id);
  const twice = await database.pool.query(
    `select 'did' as what, user_id::text as who from did_declarations where user_id = any($1) group by user_id having count(*) > 1
     union all select 'signature', pact_id::text from pact_signatures where signer_id = any($1) group by pact_id, party having count(*) > 1
     union all select 'booking', citizen_id::text || ' ' || slot_id from appointments where citizen_id = any($1) and status = 'booked' group by citizen_id, slot_id having count(*) > 1`,
    [everyone],
  );
  assert.deepEqual(twice.rows, [], 'no write exists twice');

  // 2. No slot holds more live bookings than seats.
  for (const s of slots) {
    const n = Number(
      (
        await db
          .selectFrom('appointments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('region_code', '=', REGION)
          .where('slot_id', '=', s.id)
          .where('status', '=', 'booked')
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.ok(n <= s.capacity, `slot ${s.id}: ${n} bookings for ${s.capacity} seats`);
  }

  // 3. Every acknowledged write's messages are delivered exactly once; nothing is delivered twice.
  const expected: string[] = [];
  for (const b of bookings) {
    const a = await db
      .selectFrom('appointments')
      .select(['id', 'sequence'])
      .where('region_code', '=', REGION)
      .where('citizen_id', '=', b.citizen)
      .where('slot_id', '=', b.slot)
      .where('status', '=', 'booked')
      .executeTakeFirstOrThrow();
    expected.push(
      `email:appointment:${a.id}:booked:${a.sequence}`,
      `sms:appointment:${a.id}:booked:${a.sequence}`,
    );
  }
  for (const id of signatures) {
    const pact = pactOf.get(id)!;
    expected.push(`email:pact:${pact}:v1:signed:email`, `sms:pact:${pact}:v1:signed:sms`);
  }
  const officeOperators = await db
    .selectFrom('users')
    .select('id')
    .where('region_code', '=', REGION)
    .where('role', '=', 'cpi_operator')
    .where('office_id', '=', officeId)
    .where('disabled_at', 'is', null)
    .where('email', 'is not', null)
    .execute();
  for (const t of threads) {
    const m = await db
      .selectFrom('messages')
      .select('id')
      .where('region_code', '=', REGION)
      .where('thread_id', '=', t.thread)
      .executeTakeFirstOrThrow();
    for (const op of officeOperators) expected.push(`email:message:${m.id}:operator:${op.id}`);
  }
  // The signing codes the people asked for (acknowledged) reached them too.
  const codes = await db
    .selectFrom('pact_sign_codes')
    .select('id')
    .where('region_code', '=', REGION)
    .where('user_id', 'in', everyone)
    .execute();
  for (const c of codes) expected.push(`sms:pact-sign-code:${c.id}`);
  const delivered = await database.pool.query<{ idempotency_key: string; n: number }>(
    'select idempotency_key, count(*)::int as n from dev_outbox where idempotency_key = any($1) group by idempotency_key',
    [expected],
  );
  const got = new Map(delivered.rows.map((r) => [r.idempotency_key, r.n]));
  const missing = expected.filter((k) => got.get(k) !== 1);
  assert.deepEqual(missing, [], 'every acknowledged write’s message is in the outbox exactly once');
  const doubled = await database.pool.query(
    'select idempotency_key, count(*)::int as n from dev_outbox group by idempotency_key having count(*) > 1',
  );
  assert.deepEqual(doubled.rows, [], 'no message delivered twice');
  const sentTwice = await database.pool.query(
    'select s.idempotency_key from sent_messages s left join dev_outbox d using (idempotency_key) where d.id is null',
  );
  assert.deepEqual(sentTwice.rows, [], 'every message recorded as sent is in the outbox');

  // 4. The national events of the acknowledged DIDs and signatures, once per idempotency key.
  const national = await database.pool.query<{ idempotency_key: string; kind: string }>(
    "select idempotency_key, kind from national_outbox where region_code = $1 and kind in ('did.declared', 'pact.signed')",
    [REGION],
  );
  const keys = national.rows.map((r) => r.idempotency_key);
  assert.equal(new Set(keys).size, keys.length, 'one national event per key');
  for (const id of dids) {
    const d = await db
      .selectFrom('did_declarations')
      .select('id')
      .where('region_code', '=', REGION)
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(keys.includes(`did:${d.id}:declared`), `the national event of the DID of ${id}`);
  }
  for (const id of signatures)
    assert.ok(keys.includes(`pact:${pactOf.get(id)}:v1:signed`), `the national event of the pact of ${id}`);

  // Every booking, even one whose answer the kill cut off, has its confirmation: it is queued in the
  // booking's own transaction (agenda/use-cases/booking.ts `onBooked`).
  const unseen = await database.pool.query<{ id: string; sequence: number }>(
    "select id, sequence from appointments where citizen_id = any($1) and status = 'booked'",
    [everyone],
  );
  const notices = await database.pool.query<{ idempotency_key: string }>(
    "select idempotency_key from dev_outbox where idempotency_key like 'email:appointment:%:booked:%'",
  );
  const noticed = new Set(notices.rows.map((r) => r.idempotency_key));
  const withoutNotice = unseen.rows.filter(
    (a) => !noticed.has(`email:appointment:${a.id}:booked:${a.sequence}`),
  );
  assert.deepEqual(withoutNotice, [], 'every booking in the database has its confirmation');
  times.checked = seconds();
  console.log(
    JSON.stringify({
      planned,
      sent,
      tally,
      killed,
      restarted,
      seconds: times,
      bookingsInDb: unseen.rows.length,
      acknowledgedBookings: bookings.length,
      acknowledgedWaitlist: waitlisted.length,
      jobsHeldByTheKilledWorker: inFlight.length,
      bookingsWithoutConfirmation: withoutNotice.length,
      messagesExpected: expected.length,
    }),
  );
});
