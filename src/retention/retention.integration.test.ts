import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { loadRetentionConfig } from './config.ts';
import { type RetentionDeps, runRetention } from './use-cases/run-retention.ts';

let platform: TestPlatform;
let deps: RetentionDeps;
const region = '10';
const DAY = 86_400_000;
const T0 = new Date();
const at = (days: number) => new Date(T0.getTime() + days * DAY);

async function newCitizen(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const row = await platform.db
    .insertInto('users')
    .values({
      region_code: region,
      role: 'citizen',
      given_name: name,
      family_name: 'Prova',
      ...extra,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function exists(table: string, where: string, value: string): Promise<boolean> {
  const { rows } = await platform.pool.query(`select 1 from ${table} where ${where} = $1`, [value]);
  return rows.length > 0;
}

async function auditCount(): Promise<number> {
  const { rows } = await platform.pool.query<{ n: string }>('select count(*) as n from audit_log');
  return Number(rows[0]?.n);
}

let closedId: string;
let activeId: string;
let draftAttachment: string;
let helpId: string;
let feedbackId: string;
let oldOutcome: string;
let recentOutcome: string;

before(async () => {
  platform = await startTestPlatform();
  deps = {
    db: platform.db,
    audit: platform.audit,
    retention: loadRetentionConfig({}),
    defaultRegion: region,
  };
  activeId = await newCitizen('Attiva', { email: 'attiva@example.test', phone: '+39 333 1111111' });
  closedId = await newCitizen('Chiusa', {
    email: 'chiusa@example.test',
    phone: '+39 333 2222222',
    password_hash: 'x',
    fiscal_code: 'CHSPRV90A01G478X',
    disabled_at: T0,
  });
  await platform.db
    .insertInto('citizen_profiles')
    .values({
      region_code: region,
      user_id: closedId,
      email: 'chiusa.profilo@example.test',
      mobile: '+39 333 3',
    })
    .execute();
  await platform.db
    .insertInto('cvs')
    .values({ region_code: region, citizen_id: closedId, document: '{}' } as never)
    .execute();
  await platform.db
    .insertInto('candidate_visibility')
    .values({ region_code: region, citizen_id: closedId, visible: true })
    .execute();
  // A session of the active person, last seen now; a sign-in code; rate limits; an SPID transaction.
  await platform.pool.query(
    `insert into sessions (id_hash, region_code, user_id, stage, auth_method, csrf_seed)
     values (decode('aa01', 'hex'), $1, $2, 'active', 'password', 'seed')`,
    [region, activeId],
  );
  await platform.pool.query(
    `insert into one_time_codes (region_code, user_id, purpose, code_hash, expires_at)
     values ($1, $2, 'sign_in', 'h', now() + interval '10 minutes')`,
    [region, activeId],
  );
  await platform.pool.query(
    "insert into rate_limits (key, window_start, hits) values ('retention-test', now(), 3) on conflict do nothing",
  );
  await platform.pool.query(
    "insert into oidc_transactions (state, code_verifier, nonce, provider) values ('retention-test', 'v', 'n', 'spid')",
  );
  const office = await platform.db
    .selectFrom('offices')
    .select('id')
    .where('region_code', '=', region)
    .executeTakeFirstOrThrow();
  const draft = await platform.db
    .insertInto('message_attachments')
    .values({
      region_code: region,
      draft_id: randomUUID(),
      uploaded_by: activeId,
      ordinal: 1,
      filename: 'bozza.pdf',
      content_type: 'application/pdf',
      size: 4,
      content: Buffer.from('%PDF'),
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  draftAttachment = draft.id;
  const help = await platform.db
    .insertInto('help_requests')
    .values({
      region_code: region,
      office_id: office.id,
      name: 'Mario Aiuto',
      contact: 'mario@example.test',
      channel: 'email',
      topic: 'did',
      message: 'Non riesco a fare la DID',
      language: 'it',
      status: 'closed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  helpId = help.id;
  const feedback = await platform.db
    .insertInto('accessibility_feedback')
    .values({ region_code: region, page_url: '/', message: 'Contrasto basso', contact: 'a11y@example.test' })
    .returning('id')
    .executeTakeFirstOrThrow();
  feedbackId = feedback.id;
  const day = T0.toISOString().slice(0, 10);
  oldOutcome = (
    await platform.db
      .insertInto('employment_outcomes')
      .values({ region_code: region, user_id: activeId, started_on: day, source: 'operator' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  recentOutcome = (
    await platform.db
      .insertInto('employment_outcomes')
      .values({
        region_code: region,
        user_id: activeId,
        started_on: at(400).toISOString().slice(0, 10),
        source: 'operator',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
after(async () => platform.stop());

test('moving the clock: each category goes when its period ends, not before; the audit log is never erased', async () => {
  const auditBefore = await auditCount();
  // Now: nothing of today's data has expired.
  const [first] = (await runRetention(deps, T0)).filter((r) => r.regionCode === region);
  assert.ok(first);
  assert.ok(await exists('sessions', "encode(id_hash, 'hex')", 'aa01'));
  assert.ok(await exists('rate_limits', 'key', 'retention-test'));

  // Two days later: expired sessions, rate limits and SPID transactions are gone; codes not yet.
  await runRetention(deps, at(2));
  assert.equal(await exists('sessions', "encode(id_hash, 'hex')", 'aa01'), false);
  assert.equal(await exists('rate_limits', 'key', 'retention-test'), false);
  assert.equal(await exists('oidc_transactions', 'state', 'retention-test'), false);
  assert.ok(await exists('one_time_codes', 'user_id::text', activeId));
  assert.ok(await exists('message_attachments', 'id::text', draftAttachment));

  // Eight days later: the expired code and the never-sent attachment are gone.
  await runRetention(deps, at(8));
  assert.equal(await exists('one_time_codes', 'user_id::text', activeId), false);
  assert.equal(await exists('message_attachments', 'id::text', draftAttachment), false);
  const closed = await platform.db
    .selectFrom('users')
    .select(['email', 'phone'])
    .where('id', '=', closedId)
    .executeTakeFirstOrThrow();
  assert.equal(closed.email, 'chiusa@example.test');

  // A year and a day later: the closed account keeps only its identity; the feedback loses its contact.
  await runRetention(deps, at(366));
  const after = await platform.db
    .selectFrom('users')
    .select(['email', 'phone', 'password_hash', 'given_name', 'fiscal_code'])
    .where('id', '=', closedId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(after, {
    email: null,
    phone: null,
    password_hash: null,
    given_name: 'Chiusa',
    fiscal_code: 'CHSPRV90A01G478X',
  });
  const profile = await platform.db
    .selectFrom('citizen_profiles')
    .select(['email', 'mobile'])
    .where('user_id', '=', closedId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(profile, { email: null, mobile: null });
  assert.equal(await exists('cvs', 'citizen_id::text', closedId), false);
  assert.equal(await exists('candidate_visibility', 'citizen_id::text', closedId), false);
  const active = await platform.db
    .selectFrom('users')
    .select('email')
    .where('id', '=', activeId)
    .executeTakeFirstOrThrow();
  assert.equal(active.email, 'attiva@example.test');
  const fb = await platform.db
    .selectFrom('accessibility_feedback')
    .select(['contact', 'message'])
    .where('id', '=', feedbackId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(fb, { contact: null, message: 'Contrasto basso' });
  const help = await platform.db
    .selectFrom('help_requests')
    .select('name')
    .where('id', '=', helpId)
    .executeTakeFirstOrThrow();
  assert.equal(help.name, 'Mario Aiuto');

  // Two years later: the closed help request is pseudonymised.
  await runRetention(deps, at(731));
  const help2 = await platform.db
    .selectFrom('help_requests')
    .select(['name', 'contact', 'message', 'topic'])
    .where('id', '=', helpId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(help2, { name: '—', contact: '—', message: '—', topic: 'did' });

  // Ten years later: the old outcome is erased, the newer one (started 400 days after) stays.
  const reports = await runRetention(deps, at(3651));
  assert.equal(await exists('employment_outcomes', 'id::text', oldOutcome), false);
  assert.ok(await exists('employment_outcomes', 'id::text', recentOutcome));
  const mine = reports.find((r) => r.regionCode === region);
  assert.equal(mine?.results.find((r) => r.category === 'employment_outcomes')?.affected, 1);
  assert.equal(mine?.results.find((r) => r.category === 'audit_log')?.affected, 0);

  // The audit log only grew (one entry per run and Region), whatever the clock said.
  assert.ok((await auditCount()) > auditBefore);
  const { rows } = await platform.pool.query<{ n: string }>(
    "select count(*) as n from audit_log where region_code = $1 and action = 'retention.run'",
    [region],
  );
  assert.equal(Number(rows[0]?.n), 6);
  // A run that finds nothing more changes nothing and still reports.
  const again = (await runRetention(deps, at(3651))).find((r) => r.regionCode === region);
  assert.equal(again?.total, 0);
});

test('the admin sees the periods with their legal basis and the runs, and can run the job now', async () => {
  const admin = await platform.signInAs('admin');
  const page = await platform.get(admin, '/admin/conservazione');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Periodi di conservazione/);
  assert.match(page.body, /RETENTION_AUDIT_LOG_DAYS/);
  assert.match(page.body, /GDPR art\. 5\(2\)/);
  assert.match(page.body, /Automatica \(ogni notte\)/);
  const run = await platform.post(admin, '/admin/conservazione/esegui', {});
  assert.equal(run.statusCode, 303);
  assert.equal(run.headers.location, '/admin/conservazione?ok=run');
  const after = await platform.get(admin, '/admin/conservazione?ok=run');
  assert.match(after.body, /Esecuzione completata/);
  assert.match(after.body, /Avviata da un amministratore/);
  const { rows } = await platform.pool.query<{ n: string }>(
    "select count(*) as n from retention_runs where region_code = $1 and trigger = 'admin'",
    [region],
  );
  assert.equal(Number(rows[0]?.n), 1);
  const citizen = await platform.signInAs('citizen');
  assert.equal((await platform.get(citizen, '/admin/conservazione')).statusCode, 403);
  assert.equal((await platform.post(citizen, '/admin/conservazione/esegui', {})).statusCode, 403);
});

test('the erasure request erases what may go and refuses the rest with the reason, recorded and audited', async () => {
  const personId = await newCitizen('Sara', { email: 'sara@example.test' });
  await platform.db
    .insertInto('citizen_profiles')
    .values({
      region_code: region,
      user_id: personId,
      email: 'sara.altra@example.test',
      mobile: '+39 333 4444444',
    })
    .execute();
  await platform.db
    .insertInto('cvs')
    .values({ region_code: region, citizen_id: personId, document: '{}' } as never)
    .execute();
  await platform.db
    .insertInto('candidate_visibility')
    .values({ region_code: region, citizen_id: personId, visible: true })
    .execute();
  await platform.db
    .insertInto('did_declarations')
    .values({
      region_code: region,
      user_id: personId,
      status: 'active',
      verification_code: `RET-${personId.slice(0, 8)}`,
    })
    .execute();
  const sara: Visitor = await platform.signInAsUser(personId, region);

  const page = await platform.get(sara, '/i-miei-dati/cancellazione');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Cosa dobbiamo conservare, e perché/);
  assert.match(page.body, /articolo 17, paragrafo 3, lettera b/);

  const empty = await platform.post(sara, '/i-miei-dati/cancellazione', {});
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Scegli almeno una voce/);
  const bogus = await platform.post(sara, '/i-miei-dati/cancellazione', { categories: ['cv', 'tutto'] });
  assert.equal(bogus.statusCode, 400);
  assert.match(bogus.body, /id="error-summary"/);
  assert.match(bogus.body, /value="cv" checked/);

  const res = await platform.post(sara, '/i-miei-dati/cancellazione', {
    categories: ['contacts', 'cv', 'visibility', 'did', 'outcomes'],
  });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/i-miei-dati/cancellazione?ok=1');
  const answer = await platform.get(sara, '/i-miei-dati/cancellazione?ok=1');
  assert.match(answer.body, /Abbiamo cancellato: I contatti facoltativi del profilo/);
  assert.match(answer.body, /Non possiamo cancellare/);
  assert.match(answer.body, /la DID dice da quando sei disponibile a lavorare/);
  assert.match(answer.body, /Li conserviamo 10 anni/);

  const profile = await platform.db
    .selectFrom('citizen_profiles')
    .select(['email', 'mobile'])
    .where('user_id', '=', personId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(profile, { email: null, mobile: null });
  assert.equal(await exists('cvs', 'citizen_id::text', personId), false);
  assert.equal(await exists('candidate_visibility', 'citizen_id::text', personId), false);
  assert.ok(await exists('did_declarations', 'user_id::text', personId));
  const account = await platform.db
    .selectFrom('users')
    .select('email')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  assert.equal(account.email, 'sara@example.test');

  const request = await platform.db
    .selectFrom('erasure_requests')
    .select(['asked', 'erased', 'refused'])
    .where('region_code', '=', region)
    .where('citizen_id', '=', personId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(request, {
    asked: ['contacts', 'cv', 'visibility', 'did', 'outcomes'],
    erased: ['contacts', 'cv', 'visibility'],
    refused: ['did', 'outcomes'],
  });
  const audit = await platform.db
    .selectFrom('audit_log')
    .select(['outcome', 'subject_id', 'purpose'])
    .where('region_code', '=', region)
    .where('action', '=', 'retention.erasure_requested')
    .where('subject_id', '=', personId)
    .execute();
  assert.deepEqual(audit, [{ outcome: 'ok', subject_id: personId, purpose: 'erasure_request' }]);

  // Only refusable items: recorded as refused, nothing erased; the answer says why, in English too.
  await platform.post(sara, '/i-miei-dati/cancellazione', { categories: ['pact', 'identity'] });
  const en = await platform.get(sara, '/i-miei-dati/cancellazione?ok=1&lang=en');
  assert.match(en.body, /We cannot erase/);
  assert.match(en.body, /the service pact is the agreement signed by you and the Job Centre/);
  const refusedAudit = await platform.db
    .selectFrom('audit_log')
    .select('outcome')
    .where('action', '=', 'retention.erasure_requested')
    .where('subject_id', '=', personId)
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  assert.equal(refusedAudit.outcome, 'refused');

  const operator = await platform.signInAs('cpi_operator');
  assert.equal((await platform.get(operator, '/i-miei-dati/cancellazione')).statusCode, 403);
});

test('a category that fails is rolled back alone and reported; the other categories still run', async () => {
  await platform.pool.query(`create function retention_test_refuse() returns trigger language plpgsql as
    $$ begin raise exception 'refused by a test trigger'; end $$`);
  await platform.pool.query(
    'create trigger retention_test_refuse before delete on oidc_transactions for each row execute function retention_test_refuse()',
  );
  await platform.pool.query(
    "insert into oidc_transactions (state, code_verifier, nonce, provider) values ('retention-fail', 'v', 'n', 'spid')",
  );
  await platform.pool.query(
    "insert into rate_limits (key, window_start, hits) values ('retention-fail', now(), 1) on conflict do nothing",
  );
  const report = (await runRetention(deps, at(2))).find((r) => r.regionCode === region);
  const oidc = report?.results.find((r) => r.category === 'oidc_transactions');
  assert.match(oidc?.failed ?? '', /refused by a test trigger/);
  assert.equal(oidc?.affected, 0);
  assert.ok(await exists('oidc_transactions', 'state', 'retention-fail'));
  assert.equal(await exists('rate_limits', 'key', 'retention-fail'), false);
  const admin = await platform.signInAs('admin');
  const page = await platform.get(admin, '/admin/conservazione');
  assert.match(page.body, /non riuscita, nessuna modifica/);
  await platform.pool.query('drop trigger retention_test_refuse on oidc_transactions');
});
