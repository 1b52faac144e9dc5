import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureServiceCatalogue } from '../../agenda/use-cases/catalogue.ts';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';

/**
 * The caseload of CPI Perugia: the people of the office with filters, sorting and pages; bulk
 * assignment in one transaction; transfer with a reason and history; workload; the Region and the
 * office as boundaries; reads and changes audited.
 */
describe('caseload: filters, assignment, transfer, workload, scoping', () => {
  let platform: TestPlatform;
  let chiara: Visitor;
  let citizen: Visitor;
  let other: Visitor;
  let officeId = '';
  let chiaraId = '';
  let marcoId = '';
  let elsewhereOperatorId = '';
  const people = { alfa: '', beta: '', gamma: '' };

  const user = async (row: Record<string, unknown>) =>
    (
      await platform.db
        .insertInto('users')
        .values(row as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  const pact = (regionCode: string, citizenId: string, office: string, coach: string) =>
    platform.db
      .insertInto('pacts')
      .values({
        region_code: regionCode,
        citizen_id: citizenId,
        office_id: office,
        coach_id: coach,
        created_by: coach,
      } as never)
      .execute();

  before(async () => {
    platform = await startTestPlatform();
    const db = platform.db;
    chiara = await platform.signInAs('cpi_operator');
    citizen = await platform.signInAs('citizen');
    chiaraId = chiara.userId!;
    const me = await db
      .selectFrom('users')
      .select(['office_id'])
      .where('id', '=', chiaraId)
      .executeTakeFirstOrThrow();
    officeId = me.office_id!;
    marcoId = await user({
      region_code: '10',
      role: 'cpi_operator',
      given_name: 'Marco',
      family_name: 'Verdi',
      email: 'marco.verdi@caseload.example',
      office_id: officeId,
    });
    // Another office of the same Region, with its own operator and person.
    const elsewhere = await db
      .insertInto('offices')
      .values({
        region_code: '10',
        name: 'CPI Terni (prova)',
        address: 'Via Roma 1',
        municipality_code: '055032',
        hours: '9-13',
        email: 'terni@caseload.example',
        phone: '0744 000000',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    elsewhereOperatorId = await user({
      region_code: '10',
      role: 'cpi_operator',
      given_name: 'Elena',
      family_name: 'Altrove',
      email: 'elena.altrove@caseload.example',
      office_id: elsewhere.id,
    });
    const citizenRow = (given: string, family: string, fiscal: string) => ({
      region_code: '10',
      role: 'citizen',
      given_name: given,
      family_name: family,
      fiscal_code: fiscal,
      email: `${given.toLowerCase()}.${family.toLowerCase()}@caseload.example`,
    });
    people.alfa = await user(citizenRow('Alfa', 'Rossi', 'RSSLFA80A01G478A'));
    people.beta = await user(citizenRow('Beta', 'Bianchi', 'BNCBTE80A01G478B'));
    people.gamma = await user(citizenRow('Gamma', 'Neri', 'NRIGMM80A01G478C'));
    await pact('10', people.alfa, officeId, chiaraId);
    await pact('10', people.gamma, elsewhere.id, elsewhereOperatorId);
    // Alfa: tier 3, NASpI, an open e-coaching alert, an open conditionality fact.
    await db
      .insertInto('tier_assignments')
      .values({ region_code: '10', user_id: people.alfa, tier: 3, source: 'model' } as never)
      .execute();
    await db
      .insertInto('citizen_profiles')
      .values({ region_code: '10', user_id: people.alfa, benefits: ['naspi'] } as never)
      .execute();
    await db
      .insertInto('coach_alerts')
      .values({ region_code: '10', citizen_id: people.alfa, coach_id: chiaraId, kind: 'inactive' } as never)
      .execute();
    await db
      .insertInto('conditionality_events')
      .values({
        region_code: '10',
        citizen_id: people.alfa,
        kind: 'no_show',
        source: 'operator',
        occurred_at: new Date(),
      } as never)
      .execute();
    // Beta: tier 1, an appointment with Chiara in three days (the office comes from the slot).
    await db
      .insertInto('tier_assignments')
      .values({ region_code: '10', user_id: people.beta, tier: 1, source: 'model' } as never)
      .execute();
    await ensureServiceCatalogue(db, '10');
    const starts = new Date(Date.now() + 3 * 86_400_000);
    const slot = await db
      .insertInto('agenda_slots')
      .values({
        region_code: '10',
        operator_id: chiaraId,
        office_id: officeId,
        starts_at: starts,
        ends_at: new Date(starts.getTime() + 30 * 60_000),
        mode: 'in_person',
        services: ['accoglienza'],
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('appointments')
      .values({
        region_code: '10',
        slot_id: slot.id,
        citizen_id: people.beta,
        service_code: 'accoglienza',
        channel: 'in_person',
        booked_by: people.beta,
      } as never)
      .execute();
    // Another Region with an operator and a person of its own.
    await platform.pool.query(
      "insert into regions (region_code, name) values ('20', 'Regione di prova') on conflict do nothing",
    );
    await platform.pool.query(
      `insert into municipalities (istat_code, region_code, name, province, belfiore)
       values ('092009', '20', 'Cagliari', 'CA', 'B354') on conflict do nothing`,
    );
    const office20 = await db
      .insertInto('offices')
      .values({
        region_code: '20',
        name: 'CPI Cagliari (prova)',
        address: 'Via Roma 1',
        municipality_code: '092009',
        hours: '9-13',
        email: 'cagliari@caseload.example',
        phone: '070 000000',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const op20 = await user({
      region_code: '20',
      role: 'cpi_operator',
      given_name: 'Sara',
      family_name: 'Sarda',
      email: 'sara.sarda@caseload.example',
      office_id: office20.id,
    });
    other = await platform.signInAsUser(op20, '20');
  });

  after(async () => {
    await platform?.stop();
  });

  const rowsOf = (html: string) =>
    [...html.matchAll(/<th scope="row"><a href="\/operatore\/casi\/([0-9a-f-]{36})"/g)].map((m) => m[1]);

  test('the office sees its people, not those of another office', async () => {
    const res = await platform.get(chiara, '/operatore/casi');
    assert.equal(res.statusCode, 200);
    const ids = rowsOf(res.body);
    assert.ok(ids.includes(people.alfa), 'Alfa (pact with the office)');
    assert.ok(ids.includes(people.beta), 'Beta (appointment with the office)');
    assert.ok(!ids.includes(people.gamma), 'Gamma belongs to another office');
    assert.match(res.body, /Carico di lavoro degli operatori/);
    const reads = await platform.db
      .selectFrom('audit_log')
      .select(['subject_id', 'purpose'])
      .where('action', '=', 'read.caseload')
      .where('actor_id', '=', chiaraId)
      .execute();
    assert.ok(reads.some((r) => r.subject_id === people.alfa && r.purpose === 'caseload_management'));
  });

  test('filters in the query string', async () => {
    const only = async (query: string) =>
      rowsOf((await platform.get(chiara, `/operatore/casi?${query}`)).body);
    assert.deepEqual(await only('tier=3'), [people.alfa]);
    assert.deepEqual(await only('tier=1'), [people.beta]);
    assert.deepEqual(await only('alerts=1'), [people.alfa]);
    assert.deepEqual(await only('conditionality=1'), [people.alfa]);
    assert.deepEqual(await only('benefit=naspi'), [people.alfa]);
    assert.deepEqual(await only('appointment=week'), [people.beta]);
    assert.deepEqual(await only('appointment=none'), [people.alfa]);
    assert.deepEqual(await only('q=ross'), [people.alfa]);
    assert.deepEqual(await only('q=BNCBTE80A01G478B'), [people.beta]);
    assert.deepEqual(await only('contact=never&sort=tier&dir=desc'), [people.alfa, people.beta]);
    assert.deepEqual(await only('sort=tier'), [people.beta, people.alfa]);
    assert.deepEqual((await only('operator=none')).sort(), [people.alfa, people.beta].sort());
  });

  test('in English and Arabic too', async () => {
    const en = await platform.get(chiara, '/operatore/casi?lang=en');
    assert.match(en.body, /<h1>People followed by the office<\/h1>/);
    const ar = await platform.get(chiara, '/operatore/casi?lang=ar');
    assert.match(ar.body, /dir="rtl"/);
    assert.match(ar.body, /<h1>الأشخاص الذين يتابعهم المكتب<\/h1>/);
  });

  test('a filter outside its choices is refused clearly, not a 500', async () => {
    const res = await platform.get(chiara, "/operatore/casi?tier=9&operator=x'--&page=abc");
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Il filtro «Livello di servizio» non è valido/);
    assert.equal(rowsOf(res.body).length, 2, 'the valid part of the query still applies');
  });

  test('bulk assignment: one POST, one transaction, history and audit', async () => {
    const res = await platform.post(chiara, '/operatore/casi/assegna', {
      persone: [people.alfa, people.beta],
      operatore: marcoId,
      ritorno: '?tier=3',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/operatore/casi?tier=3&ok=assigned&n=2');
    const rows = await platform.db
      .selectFrom('case_assignments')
      .select(['citizen_id', 'operator_id', 'office_id'])
      .where('operator_id', '=', marcoId)
      .execute();
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.office_id === officeId));
    const history = await platform.db
      .selectFrom('case_assignment_history')
      .select(['kind', 'from_operator_id'])
      .where('to_operator_id', '=', marcoId)
      .execute();
    assert.equal(history.length, 2);
    assert.ok(history.every((h) => h.kind === 'assigned' && h.from_operator_id === null));
    const audit = await platform.db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'caseload.assigned')
      .execute();
    assert.equal(audit.length, 2);
    const page = await platform.get(chiara, '/operatore/casi?tier=3&ok=assigned&n=2');
    assert.match(page.body, /Assegnazione registrata\. Persone cambiate: 2\./);
    assert.deepEqual(
      rowsOf((await platform.get(chiara, `/operatore/casi?operator=${marcoId}`)).body).length,
      2,
    );
    // Workload: Marco has two people; Chiara has Beta's appointment in the next 7 days.
    const workload = page.body.slice(page.body.indexOf('id="carico"'));
    assert.match(workload, /Marco Verdi<\/a><\/th><td>2<\/td><td>0<\/td>/);
    assert.match(workload, /Chiara Baldelli<\/a><\/th><td>0<\/td><td>1<\/td>/);
  });

  test('assignment refused as a whole: a person of another office, an operator of another office, nothing chosen', async () => {
    const before = await platform.db.selectFrom('case_assignment_history').select('id').execute();
    const mixed = await platform.post(chiara, '/operatore/casi/assegna', {
      persone: [people.alfa, people.gamma],
      operatore: chiaraId,
      ritorno: '',
    });
    assert.equal(mixed.statusCode, 400);
    assert.match(mixed.body, /non sono più seguite dal tuo ufficio/);
    assert.match(mixed.body, new RegExp(`value="${people.alfa}"\\s+checked`), 'the choice is kept');
    const foreign = await platform.post(chiara, '/operatore/casi/assegna', {
      persone: [people.alfa],
      operatore: elsewhereOperatorId,
      ritorno: '',
    });
    assert.equal(foreign.statusCode, 400);
    assert.match(foreign.body, /Scegli un operatore del tuo ufficio/);
    const empty = await platform.post(chiara, '/operatore/casi/assegna', { operatore: marcoId, ritorno: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Seleziona almeno una persona/);
    const afterRows = await platform.db.selectFrom('case_assignment_history').select('id').execute();
    assert.equal(afterRows.length, before.length, 'nothing changed');
    const alfa = await platform.db
      .selectFrom('case_assignments')
      .select('operator_id')
      .where('citizen_id', '=', people.alfa)
      .executeTakeFirstOrThrow();
    assert.equal(alfa.operator_id, marcoId);
  });

  test('transfer with a reason; the history keeps both steps', async () => {
    const missing = await platform.post(chiara, `/operatore/casi/${people.alfa}/trasferisci`, {
      operatore: chiaraId,
      motivo: '   ',
    });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Motivo/);
    assert.match(
      missing.body,
      new RegExp(`<option value="${chiaraId}" selected`),
      'the chosen operator is kept',
    );
    const same = await platform.post(chiara, `/operatore/casi/${people.alfa}/trasferisci`, {
      operatore: marcoId,
      motivo: 'Prova',
    });
    assert.equal(same.statusCode, 400);
    const tooLong = await platform.post(chiara, `/operatore/casi/${people.alfa}/trasferisci`, {
      operatore: chiaraId,
      motivo: 'x'.repeat(501),
    });
    assert.equal(tooLong.statusCode, 400);
    const ok = await platform.post(chiara, `/operatore/casi/${people.alfa}/trasferisci`, {
      operatore: chiaraId,
      motivo: 'Marco è in ferie per un mese',
    });
    assert.equal(ok.statusCode, 303);
    const page = await platform.get(chiara, `/operatore/casi/${people.alfa}?ok=transferred`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Cambio di operatore registrato/);
    assert.match(page.body, /Operatore attuale: Chiara Baldelli/);
    assert.match(page.body, /Da Marco Verdi a Chiara Baldelli/);
    assert.match(page.body, /A Marco Verdi/);
    assert.match(page.body, /Marco è in ferie per un mese/);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'caseload.transferred')
      .where('subject_id', '=', people.alfa)
      .executeTakeFirstOrThrow();
    assert.equal((audit.details as { reason: string }).reason, 'Marco è in ferie per un mese');
    await assert.rejects(
      platform.pool.query("update case_assignment_history set reason = 'x'"),
      /append-only/,
    );
  });

  test('another office, another Region, another role: not found or refused', async () => {
    assert.equal((await platform.get(chiara, `/operatore/casi/${people.gamma}`)).statusCode, 404);
    assert.equal((await platform.get(chiara, '/operatore/casi/not-a-uuid')).statusCode, 404);
    assert.equal((await platform.get(other, `/operatore/casi/${people.alfa}`)).statusCode, 404);
    const list = await platform.get(other, '/operatore/casi');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(rowsOf(list.body), []);
    const moved = await platform.post(other, `/operatore/casi/${people.alfa}/trasferisci`, {
      operatore: chiaraId,
      motivo: 'Tentativo',
    });
    assert.equal(moved.statusCode, 404);
    const bulk = await platform.post(other, '/operatore/casi/assegna', {
      persone: [people.alfa],
      operatore: chiaraId,
      ritorno: '',
    });
    assert.equal(bulk.statusCode, 400);
    assert.equal((await platform.get(citizen, '/operatore/casi')).statusCode, 403);
  });

  test('pages of 25', async () => {
    // Alfa and Beta have an operator now: the 30 new people are the office's unassigned ones.
    await platform.pool.query(
      `with p as (
         insert into users (region_code, role, given_name, family_name)
         select '10', 'citizen', 'Persona', 'Zeta ' || lpad(i::text, 2, '0') from generate_series(1, 30) i
         returning id)
       insert into pacts (region_code, citizen_id, office_id, coach_id, created_by)
       select '10', id, $1, $2, $2 from p`,
      [officeId, chiaraId],
    );
    const first = await platform.get(chiara, '/operatore/casi?operator=none');
    assert.match(first.body, /Persone trovate: 30/);
    assert.equal(rowsOf(first.body).length, 25);
    assert.match(first.body, /Pagina 1 di 2/);
    assert.match(first.body, /href="\/operatore\/casi\?operator=none&amp;page=2"/);
    const second = await platform.get(chiara, '/operatore/casi?operator=none&page=2');
    assert.equal(rowsOf(second.body).length, 5);
    const past = await platform.get(chiara, '/operatore/casi?operator=none&page=9');
    assert.equal(past.statusCode, 200);
    assert.match(past.body, /Questa pagina è vuota/);
  });
});
