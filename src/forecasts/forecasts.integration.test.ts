import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, romeWallTimeToUtc } from '../agenda/domain/slots.ts';
import { createRegionObjects, type RegionObjects } from '../app/testing/other-region.ts';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { demandForecast, mondayOf, serviceCodes } from './use-cases/forecast.ts';

/** The known weekly demand of the test office: an annual season around 20 requests a week. */
const demandOfWeek = (weeksAgo: number) => Math.round(20 + 8 * Math.sin((2 * Math.PI * weeksAgo) / 52));
const HISTORY = 130;

describe('forecasts page and use case (a test Region with appointment history)', () => {
  let platform: TestPlatform;
  let other: RegionObjects;
  let officeB: string;
  let operatorB: string;
  const now = new Date();
  const currentMonday = mondayOf(now);
  const nextMonday = addDays(currentMonday, 7);

  const insertSlot = async (
    office: string,
    startsAt: Date,
    services: string[],
    capacity: number,
    status: 'open' | 'blocked' = 'open',
  ) =>
    (
      await platform.db
        .insertInto('agenda_slots')
        .values({
          region_code: '20',
          operator_id: operatorB,
          office_id: office,
          starts_at: startsAt,
          ends_at: new Date(startsAt.getTime() + 30 * 60_000),
          mode: 'in_person',
          services,
          capacity,
          status,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  before(async () => {
    platform = await startTestPlatform();
    other = await createRegionObjects(platform, '20', '7741');
    const db = platform.db;
    const a = await db
      .selectFrom('offices')
      .select('municipality_code')
      .where('region_code', '=', '20')
      .where('id', '=', other.officeId)
      .executeTakeFirstOrThrow();
    officeB = (
      await db
        .insertInto('offices')
        .values({
          region_code: '20',
          name: 'CPI Previsioni',
          address: 'Via Verdi 2',
          municipality_code: a.municipality_code,
          hours: 'lun-ven 9-13',
          email: 'cpi.previsioni@prova.example',
          phone: '+39 070 111111',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    operatorB = (
      await db
        .insertInto('users')
        .values({
          region_code: '20',
          role: 'cpi_operator',
          email: 'operatore.previsioni@prova.example',
          given_name: 'Ottavia',
          family_name: 'Previsioni',
          office_id: officeB,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // One past slot holds the history (attended appointments do not occupy a seat index).
    const pastSlot = await insertSlot(
      officeB,
      romeWallTimeToUtc(addDays(currentMonday, -7 * 140), '09:00'),
      ['accoglienza'],
      1,
    );
    const rows: {
      region_code: string;
      slot_id: string;
      citizen_id: string;
      service_code: string;
      channel: 'in_person';
      status: 'attended' | 'cancelled';
      booked_by: string;
      requested_at: Date;
      office_id: string;
    }[] = [];
    const citizen = other.users.citizen.id;
    const row = (service: string, requestedAt: Date, status: 'attended' | 'cancelled' = 'attended') => ({
      region_code: '20',
      slot_id: pastSlot,
      citizen_id: citizen,
      service_code: service,
      channel: 'in_person' as const,
      status,
      booked_by: citizen,
      requested_at: requestedAt,
      office_id: officeB,
    });
    for (let k = 1; k <= HISTORY; k++) {
      const monday = addDays(currentMonday, -7 * k);
      for (let i = 0; i < demandOfWeek(k); i++)
        rows.push(row('accoglienza', romeWallTimeToUtc(addDays(monday, i % 5), '10:00')));
      // Cancelled requests are not demand.
      rows.push(row('accoglienza', romeWallTimeToUtc(addDays(monday, 2), '11:00'), 'cancelled'));
    }
    // Orientation: only five weeks of history, too little for a forecast.
    for (let k = 1; k <= 5; k++)
      rows.push(row('orientamento', romeWallTimeToUtc(addDays(currentMonday, -7 * k + 1), '10:00')));
    // The week in progress is not history.
    rows.push(row('accoglienza', now));
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('appointments')
        .values(rows.slice(i, i + 500))
        .execute();

    // Capacity: first forecast week 10 seats for accoglienza (one booked), 5 shared with orientamento,
    // a blocked slot (withdrawn, not counted), and a slot of office A; third week 30 seats.
    const s1 = await insertSlot(
      officeB,
      romeWallTimeToUtc(addDays(nextMonday, 1), '09:00'),
      ['accoglienza'],
      10,
    );
    await insertSlot(
      officeB,
      romeWallTimeToUtc(addDays(nextMonday, 1), '10:00'),
      ['accoglienza', 'orientamento'],
      5,
    );
    await insertSlot(
      officeB,
      romeWallTimeToUtc(addDays(nextMonday, 1), '11:00'),
      ['accoglienza'],
      50,
      'blocked',
    );
    await insertSlot(other.officeId, romeWallTimeToUtc(addDays(nextMonday, 2), '09:00'), ['accoglienza'], 7);
    await insertSlot(officeB, romeWallTimeToUtc(addDays(nextMonday, 15), '09:00'), ['accoglienza'], 30);
    // Beyond the horizon: not counted.
    await insertSlot(
      officeB,
      romeWallTimeToUtc(addDays(nextMonday, 7 * 8 + 1), '09:00'),
      ['accoglienza'],
      99,
    );
    await db
      .insertInto('appointments')
      .values({ ...row('accoglienza', now), slot_id: s1, status: 'booked' })
      .execute();
  });
  after(async () => {
    await platform?.stop();
  });

  test('the use case reads the weekly history, forecasts with Holt-Winters and sets free seats against it', async () => {
    const services = await serviceCodes(platform.db, '20');
    const data = await demandForecast(
      platform.db,
      { regionCode: '20', officeIds: [officeB], service: 'accoglienza', now },
      services,
    );
    const { total } = data;
    assert.equal(total.history.length, HISTORY);
    assert.equal(total.historyWeeks.at(-1), addDays(currentMonday, -7));
    assert.deepEqual(
      total.history,
      Array.from({ length: HISTORY }, (_, i) => demandOfWeek(HISTORY - i)),
    );
    assert.ok(total.forecast.ok);
    assert.equal(total.forecast.method, 'holt_winters');
    assert.equal(total.forecast.forecast.length, 8);
    // The season is recovered: the forecast stays close to the known pattern.
    total.forecast.forecast.forEach((v, h) => {
      assert.ok(Math.abs(v - demandOfWeek(-1 - h)) < 4, `week ${h}: ${v} vs ${demandOfWeek(-1 - h)}`);
    });
    assert.ok(total.forecast.backtest.mape !== null && total.forecast.backtest.mape < 15);
    assert.deepEqual(total.weeks[0], nextMonday);
    assert.deepEqual(total.capacity, [14, 0, 30, 0, 0, 0, 0, 0]);
    assert.ok(total.load);
    // 14 seats against ~20 requests: a backlog that the 30 seats of week 3 reduce, then grows.
    assert.ok(total.load[0]!.backlog > 0);
    assert.equal(total.load[7]!.waitDays, null);

    // All services of office B: the shared slot counts once; orientation has too little history.
    const all = await demandForecast(
      platform.db,
      { regionCode: '20', officeIds: [officeB], service: null, now },
      services,
    );
    assert.deepEqual(all.total.capacity, [14, 0, 30, 0, 0, 0, 0, 0]);
    assert.equal(all.breakdown.by, 'service');
    const orientation = all.breakdown.rows.find((r) => r.key === 'orientamento')!;
    assert.equal(orientation.result.forecast.ok, false);
    assert.deepEqual(orientation.result.capacity, [5, 0, 0, 0, 0, 0, 0, 0]);

    // Two offices: a row per office; office A's slot is its own capacity.
    const both = await demandForecast(
      platform.db,
      { regionCode: '20', officeIds: [officeB, other.officeId], service: 'accoglienza', now },
      services,
    );
    assert.equal(both.breakdown.by, 'office');
    const ofA = both.breakdown.rows.find((r) => r.key === other.officeId)!.result.capacity;
    const ofB = both.breakdown.rows.find((r) => r.key === officeB)!.result.capacity;
    assert.deepEqual(ofB, [14, 0, 30, 0, 0, 0, 0, 0]);
    // Office A has our slot of 7 seats (plus whatever the Region's fixture planned for it).
    assert.ok(ofA[0]! >= 7);
    assert.deepEqual(
      both.total.capacity,
      ofA.map((a, i) => a + ofB[i]!),
    );

    // Region scoped: the same office asked with another Region's code has nothing.
    const wrong = await demandForecast(
      platform.db,
      { regionCode: '10', officeIds: [officeB], service: null, now },
      services,
    );
    assert.equal(wrong.total.history.length, 0);
    assert.deepEqual(wrong.total.capacity, [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('the manager sees every office of the Region, with chart, tables and the backtest error', async () => {
    const manager = await platform.signInAsUser(other.users.regional_manager.id, '20');
    const res = await platform.get(manager, '/regione/previsioni');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Previsioni della domanda di appuntamenti<\/h1>/);
    assert.match(res.body, /Tutti gli uffici della Regione/);
    assert.match(res.body, /CPI Previsioni/);
    assert.match(res.body, /CPI di prova 7741/);
    assert.match(res.body, /Per ufficio/);
    const one = await platform.get(manager, `/regione/previsioni?ufficio=${officeB}&servizio=accoglienza`);
    assert.equal(one.statusCode, 200);
    assert.match(one.body, /<svg role="img" aria-labelledby="forecast-chart-title forecast-chart-desc"/);
    assert.match(one.body, /<title id="forecast-chart-title">Richieste di appuntamento per settimana/);
    assert.match(one.body, /Holt-Winters additivo con stagionalità annuale/);
    assert.match(one.body, /MAPE [\d,]+ %, MAE [\d,]+ appuntamenti a settimana/);
    assert.match(one.body, /<th scope="col">Posti liberi<\/th>/);
    assert.match(one.body, /i posti pianificati non bastano/);
    assert.match(one.body, /Quanto sbaglia il modello/);
    assert.doesNotMatch(one.body, /l'agenda non ha ancora posti liberi/);
    // Office A: 14 weeks of orientation requests and no free seats for it: the moving average, and said so.
    const fixture = await platform.db
      .selectFrom('appointments')
      .select('slot_id')
      .where('region_code', '=', '20')
      .where('id', '=', other.appointmentId)
      .executeTakeFirstOrThrow();
    await platform.db
      .insertInto('appointments')
      .values(
        Array.from({ length: 14 }, (_, k) => ({
          region_code: '20',
          slot_id: fixture.slot_id,
          citizen_id: other.users.citizen.id,
          service_code: 'orientamento',
          channel: 'in_person' as const,
          status: 'attended' as const,
          booked_by: other.users.citizen.id,
          requested_at: romeWallTimeToUtc(addDays(currentMonday, -7 * (k + 1)), '10:00'),
          office_id: other.officeId,
        })),
      )
      .execute();
    const none = await platform.get(
      manager,
      `/regione/previsioni?ufficio=${other.officeId}&servizio=orientamento`,
    );
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /Media mobile delle ultime 8 settimane/);
    assert.match(none.body, /l'agenda non ha ancora posti liberi per questa scelta/);
    // One office and all services: a row per service, orientation said plainly to be too short.
    const services = await platform.get(manager, `/regione/previsioni?ufficio=${officeB}`);
    assert.equal(services.statusCode, 200);
    assert.match(services.body, /Per servizio/);
    assert.match(services.body, /Storico troppo breve \(5 settimane\): nessuna previsione\./);
    const en = await platform.get(
      manager,
      `/regione/previsioni?ufficio=${officeB}&servizio=accoglienza&lang=en`,
    );
    assert.match(en.body, /Appointment demand forecasts/);
    const ar = await platform.get(
      manager,
      `/regione/previsioni?ufficio=${officeB}&servizio=accoglienza&lang=ar`,
    );
    assert.match(ar.body, /توقعات الطلب على المواعيد/);
  });

  test('too little history is said plainly, never a 500', async () => {
    const manager = await platform.signInAsUser(other.users.regional_manager.id, '20');
    const res = await platform.get(manager, `/regione/previsioni?ufficio=${officeB}&servizio=orientamento`);
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      /Lo storico è troppo breve per una previsione: ci sono 5 settimane complete di richieste, ne servono almeno 13\./,
    );
    assert.doesNotMatch(res.body, /<svg role="img"/);
    const empty = await platform.get(
      manager,
      `/regione/previsioni?ufficio=${officeB}&servizio=bilancio_competenze`,
    );
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /ci sono 0 settimane complete/);
  });

  test("bad input: unknown office, another Region's office, unknown service — a clear 400", async () => {
    const manager = await platform.signInAsUser(other.users.regional_manager.id, '20');
    let res = await platform.get(manager, '/regione/previsioni?ufficio=not-an-office&servizio=accoglienza');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /L'ufficio «not-an-office» non esiste o non è tra quelli che puoi vedere/);
    // The valid choice is kept.
    assert.match(res.body, /<option value="accoglienza" selected/);
    res = await platform.get(manager, '/regione/previsioni?servizio=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Il servizio «&lt;script>alert\(1\)&lt;\/script>» non esiste/);
    assert.doesNotMatch(res.body, /<script>alert/);
    res = await platform.get(manager, '/regione/previsioni?ufficio[]=a&servizio[]=b');
    assert.notEqual(res.statusCode, 500);

    // The demo Region's manager cannot see the test Region's office: it does not exist for them.
    const demoManager = await platform.signInAs('regional_manager');
    res = await platform.get(demoManager, `/regione/previsioni?ufficio=${officeB}`);
    assert.equal(res.statusCode, 400);
    assert.doesNotMatch(res.body, /CPI Previsioni/);
    res = await platform.get(demoManager, '/regione/previsioni');
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /CPI Previsioni|CPI di prova 7741/);
  });

  test('an operator sees only their office; other roles are refused', async () => {
    const operator = await platform.signInAsUser(operatorB, '20');
    let res = await platform.get(operator, '/regione/previsioni');
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /Tutti gli uffici della Regione/);
    assert.doesNotMatch(res.body, /CPI di prova 7741/);
    assert.match(res.body, /CPI Previsioni — Tutti i servizi/);
    res = await platform.get(operator, `/regione/previsioni?ufficio=${other.officeId}`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /non è tra quelli che puoi vedere/);
    const citizen = await platform.signInAsUser(other.users.citizen.id, '20');
    assert.equal((await platform.get(citizen, '/regione/previsioni')).statusCode, 403);
    const apl = await platform.signInAsUser(other.users.apl_operator.id, '20');
    assert.equal((await platform.get(apl, '/regione/previsioni')).statusCode, 403);
    const anonymous: Visitor = platform.anonymous();
    const res2 = await platform.get(anonymous, '/regione/previsioni');
    assert.equal(res2.statusCode, 303);
    assert.match(String(res2.headers.location), /^\/accedi/);
  });
});
