import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { form, startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';

let platform: TestPlatform;
let citizen: Visitor;
before(async () => {
  platform = await startTestPlatform();
  citizen = await platform.signInAs('citizen');
});
after(async () => {
  await platform.stop();
});

async function post(url: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams({ _csrf: citizen.csrf });
  for (const [k, v] of Object.entries(fields))
    for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

const get = (url: string) => platform.app.inject({ method: 'GET', url, headers: { cookie: citizen.cookie } });

async function lastCode(queue: 'send-email' | 'send-sms'): Promise<string> {
  const { rows } = await platform.pool.query<{ data: { text: string } }>(
    "select data from pgboss.job where name = $1 and data->>'key' like 'verify:%' order by created_on desc limit 1",
    [queue],
  );
  const m = /(\d{6})/.exec(rows[0]?.data.text ?? '');
  assert.ok(m?.[1]);
  return m[1];
}

test('a citizen completes the profile one question per page, declares the DID and verifies the receipt', async () => {
  assert.equal((await get('/profilo')).headers.location, '/profilo/passo/contatti');
  let res = await post('/profilo/passo/contatti', { email: 'giulia@example.org', mobile: '333 1234567' });
  assert.equal(res.headers.location, '/profilo/passo/verifica?sent=1');
  // Resume: the bookmark moved on.
  assert.equal((await get('/profilo')).headers.location, '/profilo/passo/verifica');
  res = await post('/profilo/passo/verifica', { email_code: '000000', mobile_code: '000000' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Il codice non è corretto/);
  res = await post('/profilo/passo/verifica', {
    email_code: await lastCode('send-email'),
    mobile_code: await lastCode('send-sms'),
  });
  assert.equal(res.headers.location, '/profilo/passo/domicilio');
  const search = await get('/profilo/passo/domicilio?q=peru');
  assert.match(search.body, /Perugia \(PG\)/);
  const perugia = /value="(\d{6})"[^>]*>\s*<label[^>]*>Perugia/.exec(search.body)?.[1] ?? '054039';
  res = await post('/profilo/passo/domicilio', { domicile: perugia });
  assert.equal(res.headers.location, '/profilo/passo/istruzione');
  res = await post('/profilo/passo/istruzione', { eqf: '4', title: 'Diploma di ragioneria' });
  assert.equal(res.headers.location, '/profilo/passo/esperienze');
  res = await post('/profilo/passo/esperienze', {
    action: 'add',
    occupation: 'Cameriera',
    isco: '5',
    sector: 'I',
    from: '2019-04',
    to: '2024-10',
  });
  assert.equal(res.headers.location, '/profilo/passo/esperienze');
  res = await post('/profilo/passo/esperienze', { action: 'next' });
  assert.equal(res.headers.location, '/profilo/passo/disoccupazione');
  res = await post('/profilo/passo/disoccupazione', { since: '2024-10-31' });
  assert.equal(res.headers.location, '/profilo/passo/sostegni');
  res = await post('/profilo/passo/sostegni', { benefits: ['naspi'] });
  assert.equal(res.headers.location, '/profilo/passo/lingue');
  res = await post('/profilo/passo/lingue', { action: 'add', language: 'en', level: 'B1' });
  res = await post('/profilo/passo/lingue', { action: 'next' });
  assert.equal(res.headers.location, '/profilo/passo/patenti');
  res = await post('/profilo/passo/patenti', { licences: ['B'] });
  res = await post('/profilo/passo/disponibilita', {
    hours: 'any',
    contracts: ['determinato', 'indeterminato'],
    km: '30',
    remote: 'no',
  });
  assert.equal(res.headers.location, '/profilo/passo/riepilogo');
  const summary = await get('/profilo/passo/riepilogo');
  assert.match(summary.body, /Cameriera/);
  assert.match(summary.body, /CNTGLI94E54G478J/);
  res = await post('/profilo/passo/riepilogo', { action: 'next' });
  assert.equal(res.headers.location, '/profilo/did');

  res = await post('/profilo/did', {});
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /spunta la casella/);
  res = await post('/profilo/did', { declare: 'yes' });
  assert.equal(res.headers.location, '/profilo/did?ok=declared');
  const didPage = await get('/profilo/did?ok=declared');
  const code = /ricevuta\/([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(didPage.body)?.[1];
  assert.ok(code);
  const pdf = await get(`/profilo/did/ricevuta/${code}`);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdf.rawPayload.toString('latin1'), /\/StructTreeRoot/);
  assert.match(pdf.rawPayload.toString('latin1'), /\/MarkInfo/);
  const verify = await platform.app.inject({ method: 'GET', url: `/verifica/${code}` });
  assert.equal(verify.statusCode, 200);
  assert.match(verify.body, /autentico/);
  const unknown = await platform.app.inject({ method: 'GET', url: '/verifica/AAAA-BBBB-CCCC' });
  assert.equal(unknown.statusCode, 404);
  const outbox = await platform.db.selectFrom('national_outbox').select(['kind', 'payload']).execute();
  assert.deepEqual(
    outbox.map((o) => o.kind),
    ['did.declared'],
  );

  // Suspend and withdraw keep the history.
  res = await post('/profilo/did/cambia', { change: 'suspended', reason: 'Contratto di 2 mesi' });
  assert.equal(res.headers.location, '/profilo/did?ok=suspended');
  res = await post('/profilo/did/cambia', { change: 'withdrawn', reason: 'Trasferimento' });
  const events = await platform.db.selectFrom('did_events').select('event').orderBy('at').execute();
  assert.deepEqual(
    events.map((e) => e.event),
    ['declared', 'suspended', 'withdrawn'],
  );
});

test('bad input gets a clear message and keeps what was typed', async () => {
  let res = await post('/profilo/passo/disoccupazione', { since: '2024-02-30' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /data esistente/);
  assert.match(res.body, /value="2024-02-30"/);
  res = await post('/profilo/passo/disoccupazione', { since: '1990-01-01' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /prima dei tuoi 15 anni/);
  res = await post('/profilo/passo/disoccupazione', { since: '31/01/2025' });
  assert.equal(res.headers.location, '/profilo/passo/sostegni', 'day/month/year is accepted');
  res = await post('/profilo/passo/disoccupazione', { since: '2999-01-01' });
  assert.match(res.body, /nel futuro/);
  res = await post('/profilo/passo/domicilio', { domicile: 'x'.repeat(200) });
  assert.equal(res.statusCode, 400);
  res = await get(`/profilo/passo/domicilio?q=${encodeURIComponent('<script>alert(1)</script>')}`);
  assert.equal(res.statusCode, 200);
  assert.doesNotMatch(res.body, /<script>alert/);
  res = await post('/profilo/passo/sostegni', { benefits: ['pension'] });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Scegli tra i sostegni/);
  res = await post('/profilo/passo/esperienze', {
    action: 'add',
    occupation: '<b>x</b>',
    isco: '5',
    sector: 'I',
    from: '2024-05',
    to: '2023-01',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /prima dell&#39;inizio|prima dell'inizio/);
  assert.match(res.body, /value="&lt;b>x&lt;\/b>"/);
  res = await post('/profilo/passo/disponibilita', {
    hours: 'any',
    contracts: ['determinato'],
    km: 'tanti',
    remote: 'no',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /numero intero da 0 a 300/);
  assert.match(res.body, /value="tanti"/);
});

test('people under 16 cannot declare; the page explains why', async () => {
  const minor = await platform.db
    .insertInto('users')
    .values({
      region_code: '10',
      role: 'citizen',
      given_name: 'Luca',
      family_name: 'Bianchi',
      birth_date: `${new Date().getUTCFullYear() - 15}-01-01`,
      email: 'luca@demo.sportello.example',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('citizen_profiles')
    .values({ region_code: '10', user_id: minor.id, completed_at: new Date() })
    .execute();
  const { createSession, SESSION_COOKIE } = await import('../../platform/auth/session.ts');
  const { csrfTokenFor } = await import('../../platform/http/context.ts');
  const token = await createSession(platform.db, {
    userId: minor.id,
    regionCode: '10',
    stage: 'active',
    authMethod: 'test',
  });
  const seed = await platform.db
    .selectFrom('sessions')
    .select('csrf_seed')
    .where('user_id', '=', minor.id)
    .executeTakeFirstOrThrow();
  const res = await platform.app.inject({
    method: 'POST',
    url: '/profilo/did',
    headers: { cookie: `${SESSION_COOKIE}=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(
      {
        cookie: '',
        csrf: csrfTokenFor(platform.config.sessionSecret, seed.csrf_seed),
        userId: null,
        regionCode: null,
      },
      { declare: 'yes' },
    ),
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /dai 16 anni/);
});
