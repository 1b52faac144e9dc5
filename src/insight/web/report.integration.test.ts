import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startTestPlatform, type TestPlatform } from '../../app/testing/test-platform.ts';

/** The activation report counts each person with their e-coach and the office of their pact. */
let platform: TestPlatform;
let month: string;

before(async () => {
  platform = await startTestPlatform();
  const db = platform.db;
  const operator = await db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('role', '=', 'cpi_operator')
    .executeTakeFirstOrThrow();
  const citizens = await db.selectFrom('users').select('id').where('role', '=', 'citizen').limit(1).execute();
  const citizen = citizens[0]!.id;
  month = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
  }).format(new Date());
  const pact = await db
    .insertInto('pacts')
    .values({
      region_code: '10',
      citizen_id: citizen,
      office_id: operator.office_id!,
      coach_id: operator.id,
      created_by: operator.id,
      status: 'signed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('pact_versions')
    .values({
      region_code: '10',
      pact_id: pact.id,
      version: 1,
      content: '{}',
      created_by: operator.id,
      status: 'signed',
      sha256: 'a'.repeat(64),
      signed_at: new Date(),
    })
    .execute();
  await db
    .insertInto('pact_signatures')
    .values({
      region_code: '10',
      pact_id: pact.id,
      version: 1,
      party: 'citizen',
      signer_id: citizen,
      method: 'sms_code',
      document_sha256: 'a'.repeat(64),
    })
    .execute();
  const today = new Date().toISOString().slice(0, 10);
  await sql`
    insert into plan_actions (region_code, citizen_id, coach_id, kind, title, due_date, status, created_by)
    values ('10', ${citizen}, ${operator.id}, 'update_cv', 'Aggiorna il CV', ${today}, 'done', ${operator.id}),
           ('10', ${citizen}, ${operator.id}, 'custom', 'Visita la fiera del lavoro', ${today}, 'open', ${operator.id})
  `.execute(db);
  await sql`
    insert into coach_alerts (region_code, citizen_id, coach_id, kind, details)
    values ('10', ${citizen}, ${operator.id}, 'overdue_action', '{}')
  `.execute(db);
  await sql`
    insert into conditionality_events (region_code, citizen_id, benefit, kind, source, occurred_at, status, decision)
    values ('10', ${citizen}, 'naspi', 'no_show', 'operator', now(), 'decided', 'archive'),
           ('10', ${citizen}, 'naspi', 'no_show', 'operator', now(), 'open', null)
  `.execute(db);
});
after(async () => {
  await platform.stop();
});

test('the CPI operator sees their office and themselves: pacts, remote share, plan completion, alerts, events by outcome', async () => {
  const operator = await platform.signInAs('cpi_operator');
  const page = await platform.get(operator, `/report/attivazione?mese=${month}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Risultati del lavoro con le persone/);
  assert.match(page.body, /Chiara Baldelli/);
  // 1 pact signed, remotely; 1 of 2 actions done; 1 alert opened; 1 event open, 1 archived.
  assert.match(
    page.body,
    /<td>1<\/td><td>100% \(1 su 1\)<\/td><td>50% \(1 su 2\)<\/td><td>1<\/td><td>0<\/td><td>1<\/td><td>0<\/td><td>1<\/td>/,
  );
  const csv = await platform.get(operator, `/report/attivazione?mese=${month}&formato=csv`);
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  assert.match(csv.body, /Chiara Baldelli;1;100% \(1 su 1\)/);
});

test('a month in the wrong form is said and kept; a month with nothing says so', async () => {
  const operator = await platform.signInAs('cpi_operator');
  const bad = await platform.get(operator, '/report/attivazione?mese=novembre');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Scrivi il mese come 2026-11/);
  assert.match(bad.body, /value="novembre"/);
  const empty = await platform.get(operator, '/report/attivazione?mese=2020-01');
  assert.match(empty.body, /Nessun dato per questo mese/);
});

test('the regional manager sees every office; a citizen and an agency operator do not see the report', async () => {
  const manager = await platform.signInAs('regional_manager');
  const page = await platform.get(manager, `/report/attivazione?mese=${month}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Tutti i Centri della Regione/);
  assert.equal(
    (await platform.get(await platform.signInAs('citizen'), '/report/attivazione')).statusCode,
    403,
  );
  assert.equal(
    (await platform.get(await platform.signInAs('apl_operator'), '/report/attivazione')).statusCode,
    403,
  );
});
