import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../app/testing/test-platform.ts';
import type { Target } from './domain/indicators.ts';
import { indicatorFigures, openDataRows } from './use-cases/dashboard.ts';
import { refreshFacts } from './use-cases/facts.ts';

/**
 * Indicators from real rows of the demo Region (in March 2025, where the demo data has nothing) and
 * of another Region whose rows must never show: the daily facts, the period figures with suppression,
 * the dashboard's filters and refusals, its CSV, and the open data in CSV, JSON and the API.
 */
describe('indicators: daily facts, dashboard, open data', () => {
  let p: TestPlatform;
  let officeId = '';
  const MARCH = { from: '2025-03-01', to: '2025-03-31' };
  const NOW = new Date('2025-03-20T12:00:00Z');

  const person = async (region: string, i: number) => {
    const r = await p.pool.query<{ id: string }>(
      `insert into users (region_code, role, given_name, family_name, birth_date, preferred_language)
       values ($1, 'citizen', 'Persona', $2, $3, $4) returning id`,
      [region, `Indicatori ${i}`, i < 5 ? '1950-01-01' : '1990-01-01', i % 2 === 0 ? 'it' : 'ar'],
    );
    return r.rows[0]!.id;
  };

  before(async () => {
    p = await startTestPlatform();
    const op = await p.pool.query<{ id: string; office_id: string }>(
      "select id, office_id from users where email = 'operatore.cpi@demo.sportello.example'",
    );
    const operator = op.rows[0]!;
    officeId = operator.office_id;
    const service = (
      await p.pool.query<{ code: string }>(
        "select code from agenda_services where region_code = '10' and not group_session order by code limit 1",
      )
    ).rows[0]!.code;
    const slot = (
      await p.pool.query<{ id: string }>(
        `insert into agenda_slots (region_code, operator_id, office_id, starts_at, ends_at, mode, services, capacity)
         values ('10', $1, $2, '2025-03-14 09:00+01', '2025-03-14 12:00+01', 'both', array[$3], 20) returning id`,
        [operator.id, officeId, service],
      )
    ).rows[0]!.id;
    for (let i = 0; i < 12; i++) {
      const id = await person('10', i);
      // Eleven live in Norcia (4,899 residents: a small municipality), the last one in Perugia.
      await p.pool.query(
        `insert into citizen_profiles (region_code, user_id, domicile_code) values ('10', $1, $2)`,
        [id, i < 11 ? '054035' : '054039'],
      );
      // 10 attended (4 by video; 20 to 29 minutes spent), 2 missed.
      await p.pool.query(
        `insert into appointments (region_code, slot_id, seat, citizen_id, service_code, channel, status, booked_by,
                                   minutes_spent)
         values ('10', $1, $2, $3, $4, $5, $6, $3, $7)`,
        [
          slot,
          i + 1,
          id,
          service,
          i < 4 ? 'video' : 'in_person',
          i < 10 ? 'attended' : 'no_show',
          i < 10 ? 20 + i : null,
        ],
      );
      await p.pool.query(
        `insert into did_declarations (region_code, user_id, status, declared_at, verification_code)
         values ('10', $1, 'active', '2025-03-04 09:00+01', $2)`,
        [id, `IND-TEST-${i}`],
      );
      const inv = await p.pool.query<{ id: string }>(
        `insert into satisfaction_invitations (region_code, service_kind, service_id, respondent_id, respondent_side,
           office_id, delivered_at, invited_at, expires_at, token_hash, channel, answered_at)
         values ('10', 'appointment', gen_random_uuid(), $1::uuid, 'person', $2, '2025-03-10 10:00+01', '2025-03-10 10:00+01',
           '2025-04-10 10:00+01', encode(sha256(convert_to($1::text, 'utf8')), 'hex'), 'email',
           case when $3 then '2025-03-11 10:00+01'::timestamptz end) returning id`,
        [id, officeId, i < 11],
      );
      if (i < 11)
        await p.pool.query(
          `insert into satisfaction_answers (region_code, invitation_id, score, via, answered_at)
           values ('10', $1, $2, 'link', '2025-03-11 10:00+01')`,
          [inv.rows[0]!.id, i < 5 ? 5 : 4],
        );
      await p.pool.query(
        `insert into conditionality_events (region_code, citizen_id, kind, source, occurred_at)
         values ('10', $1, 'no_show', 'operator', '2025-03-12 10:00+01')`,
        [id],
      );
    }
    // Another Region: 12 events on the same day, never counted in Region 10.
    await p.pool.query(
      "insert into regions (region_code, name) values ('18', 'Regione di prova') on conflict do nothing",
    );
    for (let i = 0; i < 12; i++) {
      const id = await person('18', i);
      await p.pool.query(
        `insert into conditionality_events (region_code, citizen_id, kind, source, occurred_at)
         values ('18', $1, 'no_show', 'operator', '2025-03-12 10:00+01')`,
        [id],
      );
    }
    await refreshFacts(p.db, '10', NOW);
    await refreshFacts(p.db, '18', NOW);
  });
  after(async () => {
    await p?.stop();
  });

  const byId = async (target: Target = 'all', office: string | null = null) =>
    Object.fromEntries(
      (await indicatorFigures(p.db, '10', { period: MARCH, officeId: office, target })).map((f) => [f.id, f]),
    );

  test('the period figures come from the daily facts of real rows', async () => {
    const f = await byId();
    assert.equal(f.people_served!.total.value, 10);
    assert.equal(f.no_show_rate!.total.value, 16.7);
    assert.equal(f.remote_share!.total.value, 40);
    assert.equal(f.operator_time!.total.value, 24.5);
    assert.equal(f.wait_first_contact!.total.value, 10);
    assert.equal(f.satisfaction!.total.value, 4.5);
    assert.equal(f.response_rate!.total.value, 91.7);
    assert.equal(f.conditionality_events!.total.value, 12);
    assert.equal(f.pact_within_30!.total.value, 0);
    const outcome = f.conditionality_events!.byDimension.find((d) => d.dimension === 'outcome:pending');
    assert.equal(outcome?.figure.value, 12);
  });

  test('cells under 10 people are suppressed: the 4 by video, the 5 over 60', async () => {
    const f = await byId();
    const video = f.people_served!.byDimension.find((d) => d.dimension === 'channel:video');
    assert.deepEqual(video?.figure, { value: null, suppressed: true, subjects: 4 });
    const old = await byId('over_60');
    assert.equal(old.conditionality_events!.total.suppressed, true);
    assert.equal(old.conditionality_events!.total.value, null);
  });

  test('the small-municipality target counts the people whose domicile has up to 5,000 residents', async () => {
    const small = await byId('small_town');
    assert.equal(small.people_served!.total.value, 10);
    assert.equal(small.conditionality_events!.total.value, 11, 'not the person living in Perugia');
  });

  test('an office filter keeps that office; another Region never counts', async () => {
    const mine = await byId('all', officeId);
    assert.equal(mine.people_served!.total.value, 10);
    const other = await byId('all', '00000000-0000-0000-0000-000000000000');
    assert.equal(other.people_served!.total.suppressed, true);
    const r18 = await indicatorFigures(p.db, '18', { period: MARCH, officeId: null, target: 'all' });
    assert.equal(r18.find((x) => x.id === 'conditionality_events')!.total.value, 12);
    assert.equal(r18.find((x) => x.id === 'people_served')!.total.suppressed, true);
  });

  test('the refresh is incremental: a late event within the maturity window is picked up', async () => {
    const id = (
      await p.pool.query<{ id: string }>(
        "select id from users where family_name = 'Indicatori 0' and region_code = '10'",
      )
    ).rows[0]!.id;
    await p.pool.query(
      `insert into conditionality_events (region_code, citizen_id, kind, source, occurred_at)
       values ('10', $1, 'other', 'operator', '2025-03-19 10:00+01')`,
      [id],
    );
    const r = await refreshFacts(p.db, '10', new Date('2025-03-21T12:00:00Z'));
    // Back by the longest maturity window (placement within 6 months: 200 days), not from the origin.
    assert.equal(r.from, '2024-09-01');
    assert.equal((await byId()).conditionality_events!.total.value, 13);
  });

  test('the dashboard shows charts with tables, filters, and a CSV of the same figures', async () => {
    const manager = await p.signInAs('regional_manager');
    const res = await p.get(manager, '/regione/indicatori?dal=2025-03-01&al=2025-03-31');
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      /<svg role="img" aria-labelledby="chart-people_served-title chart-people_served-desc"/,
    );
    assert.match(res.body, /<title id="chart-no_show_rate-title">Appuntamenti mancati<\/title>/);
    assert.match(res.body, /<th scope="row">Totale<\/th><td>16,7%<\/td>/);
    assert.match(res.body, /name="ufficio"/);
    const csv = await p.get(manager, '/regione/indicatori?dal=2025-03-01&al=2025-03-31&formato=csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(csv.body, /no_show_rate;Appuntamenti mancati;all;Totale;16\.7;no/);
    assert.match(csv.body, /people_served;Persone servite;channel:video;Video;;yes/);
  });

  test('an upside-down period is refused clearly with the values kept; bad filters too', async () => {
    const manager = await p.signInAs('regional_manager');
    const res = await p.get(manager, '/regione/indicatori?dal=2025-04-01&al=2025-03-01');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /La data di inizio è dopo la data di fine/);
    assert.match(res.body, /value="2025-04-01"/);
    assert.match(res.body, /value="2025-03-01"/);
    const bad = await p.get(manager, '/regione/indicatori?dal=31/03/2025&ufficio=nope&target=x');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Scrivi la data come 2026-11-01/);
    assert.match(bad.body, /Scegli un centro dall&#39;elenco|Scegli un centro dall'elenco/);
    const csv = await p.get(manager, '/regione/indicatori?dal=2025-04-01&al=2025-03-01&formato=csv');
    assert.equal(csv.statusCode, 400);
  });

  test('the regional manager recomputes on demand (audited); a CPI operator may not', async () => {
    const manager = await p.signInAs('regional_manager');
    const res = await p.post(manager, '/regione/indicatori/ricalcola', {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/regione/indicatori?ok=ricalcolati');
    const audit = await p.pool.query(
      "select count(*)::int as n from audit_log where action = 'indicators.refreshed'",
    );
    assert.equal(audit.rows[0].n, 1);
    const page = await p.get(manager, '/regione/indicatori?ok=ricalcolati');
    assert.match(page.body, /Indicatori ricalcolati con i dati di oggi/);
    // Recomputed from the longest maturity window before the last refresh: the figures stay the same.
    assert.equal((await byId()).conditionality_events!.total.value, 13);
    const operator = await p.signInAs('cpi_operator');
    assert.equal((await p.post(operator, '/regione/indicatori/ricalcola', {})).statusCode, 403);
  });

  test('a CPI operator sees their office only; a citizen is refused', async () => {
    const operator = await p.signInAs('cpi_operator');
    const res = await p.get(operator, `/regione/indicatori?dal=2025-03-01&al=2025-03-31`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Il tuo centro per l&#39;impiego|Il tuo centro per l'impiego/);
    assert.doesNotMatch(res.body, /name="ufficio"/);
    const ar = await p.get(operator, '/regione/indicatori?dal=2025-03-01&al=2025-03-31&lang=ar');
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /مؤشرات الخدمات/);
    const citizen = await p.signInAs('citizen');
    assert.equal((await p.get(citizen, '/regione/indicatori')).statusCode, 403);
  });

  test('open data: Region-level CSV and JSON with metadata, suppressed cells blank, and the API', async () => {
    const anyone = p.anonymous();
    const json = await p.get(anyone, '/dati-aperti/indicatori.json?dal=2025-03-01&al=2025-03-31');
    assert.equal(json.statusCode, 200);
    const body = JSON.parse(json.body);
    assert.equal(body.metadata.licence.name, 'CC-BY-4.0');
    assert.equal(body.metadata.region, '10');
    assert.deepEqual(body.metadata.period, MARCH);
    assert.ok(body.metadata.indicators.some((d: { id: string }) => d.id === 'no_show_rate'));
    const find = (ind: string, dim: string, target: string) =>
      body.data.find(
        (r: { indicator: string; dimension: string; target: string }) =>
          r.indicator === ind && r.dimension === dim && r.target === target,
      );
    assert.equal(find('conditionality_events', 'all', 'all').value, 13);
    assert.deepEqual(find('conditionality_events', 'all', 'over_60'), {
      indicator: 'conditionality_events',
      kind: 'count',
      dimension: 'all',
      target: 'over_60',
      value: null,
      suppressed: true,
    });
    assert.ok(!body.data.some((r: { office?: unknown }) => 'office' in r));
    const csv = await p.get(anyone, '/dati-aperti/indicatori.csv?dal=2025-03-01&al=2025-03-31');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^# licence: CC-BY-4\.0/);
    assert.match(csv.body, /\r\n10,2025-03-01,2025-03-31,conditionality_events,count,all,all,13,false\r\n/);
    assert.match(csv.body, /\r\n10,2025-03-01,2025-03-31,conditionality_events,count,all,over_60,,true\r\n/);
    const bad = await p.get(anyone, '/dati-aperti/indicatori.json?dal=2025-04-01&al=2025-03-01');
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).error, 'invalid_period');
    const api = await p.app.inject({
      method: 'GET',
      url: '/api/v1/open-data/indicators?dal=2025-03-01&al=2025-03-31',
    });
    assert.equal(api.statusCode, 200);
    assert.equal(JSON.parse(api.body).metadata.licence.name, 'CC-BY-4.0');
    const page = await p.get(anyone, '/dati-aperti/indicatori');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /indicatori\.csv/);
    const rows = await openDataRows(p.db, '18', MARCH);
    assert.equal(
      rows.find((r) => r.indicator === 'conditionality_events' && r.target === 'all' && r.dimension === 'all')
        ?.value,
      12,
    );
  });
});
