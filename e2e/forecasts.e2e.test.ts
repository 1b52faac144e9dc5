import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { addDays, romeWallTimeToUtc } from '../src/agenda/domain/slots.ts';
import { mondayOf } from '../src/forecasts/use-cases/forecast.ts';
import {
  CITIZEN_EMAIL,
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { BrowserSuite } from './support/suite.ts';

const MANAGER = { email: 'responsabile.regionale@demo.sportello.example', phone: '+39 333 0000005' };
const WEEKS = 70;
const demandOfWeek = (weeksAgo: number) => Math.round(15 + 6 * Math.sin((2 * Math.PI * weeksAgo) / 52));

/**
 * Forecasts end to end: with 70 weeks of appointment history in CPI Perugia and a few free seats
 * planned, the regional manager reads the forecast (seasonal naive, its backtest error, the chart and
 * its table, the expected wait) without JavaScript and on a phone, changes the filters through the
 * form, meets a clear error for an unknown service, and the CPI operator sees their office only.
 * Axe on every page, in Italian and Arabic.
 */
describe('forecasts: demand per office and service against the agenda', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let officeName = '';

  before(async () => {
    const db = suite.platform.db;
    const op = await db
      .selectFrom('users')
      .select(['id', 'region_code', 'office_id'])
      .where('email', '=', OPERATOR_EMAIL)
      .executeTakeFirstOrThrow();
    const giulia = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    officeName = (
      await db
        .selectFrom('offices')
        .select('name')
        .where('region_code', '=', op.region_code)
        .where('id', '=', op.office_id!)
        .executeTakeFirstOrThrow()
    ).name;
    const currentMonday = mondayOf(new Date());
    const slot = (startsAt: Date, capacity: number) =>
      db
        .insertInto('agenda_slots')
        .values({
          region_code: op.region_code,
          operator_id: op.id,
          office_id: op.office_id!,
          starts_at: startsAt,
          ends_at: new Date(startsAt.getTime() + 30 * 60_000),
          mode: 'in_person',
          services: ['accoglienza'],
          capacity,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const past = await slot(romeWallTimeToUtc(addDays(currentMonday, -7 * (WEEKS + 2)), '08:00'), 1);
    const rows = [];
    for (let k = 1; k <= WEEKS; k++)
      for (let i = 0; i < demandOfWeek(k); i++)
        rows.push({
          region_code: op.region_code,
          slot_id: past.id,
          citizen_id: giulia.id,
          service_code: 'accoglienza',
          channel: 'in_person' as const,
          status: 'attended' as const,
          booked_by: giulia.id,
          requested_at: romeWallTimeToUtc(addDays(currentMonday, -7 * k + (i % 5)), '10:00'),
          office_id: op.office_id!,
        });
    await db.insertInto('appointments').values(rows).execute();
    for (let w = 1; w <= 8; w += 2)
      await slot(romeWallTimeToUtc(addDays(currentMonday, 7 * w + 1), '08:30'), 12);
  });

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the manager reads the forecast without JavaScript: chart, tables, backtest error, wait', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await signInWithPassword(page, suite.base, MANAGER);
    await page.goto(`${suite.base}/regione/previsioni`);
    assert.equal(await h1(page), 'Previsioni della domanda di appuntamenti');
    await expectAccessible(page, '/regione/previsioni');
    // Filters through the form (GET, no script).
    await page.getByLabel('Ufficio', { exact: true }).selectOption({ label: officeName });
    await page
      .getByLabel('Servizio', { exact: true })
      .selectOption({ label: 'Accoglienza e prime informazioni' });
    await page.getByRole('button', { name: 'Mostra la previsione' }).click();
    await page.waitForURL(/servizio=accoglienza/);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('servizio'), 'accoglienza');
    const chart = page.locator('main svg[role="img"]');
    assert.equal(await chart.count(), 1);
    assert.match(
      (await chart.locator('title').textContent()) ?? '',
      /Richieste di appuntamento per settimana/,
    );
    const main = (await page.locator('main').textContent()) ?? '';
    assert.match(main, /Stagionale semplice/);
    assert.match(main, /MAPE [\d,]+ %, MAE [\d,]+ appuntamenti a settimana/);
    const table = page.getByRole('table', { name: /Richieste previste, posti liberi, arretrato/ });
    assert.equal(await table.locator('tbody tr').count(), 8);
    assert.match((await table.textContent()) ?? '', /giorn|nessuna attesa|oltre/);
    await expectAccessible(page, '/regione/previsioni (one office and service)');
  });

  test('2. an unknown service is answered clearly; Arabic and a phone screen stay accessible', async () => {
    const page = await newPage(suite.browser, { viewport: MOBILE });
    open.push(page);
    await signInWithPassword(page, suite.base, MANAGER);
    const res = await page.goto(`${suite.base}/regione/previsioni?servizio=pizza`);
    assert.equal(res?.status(), 400);
    await page.getByRole('alert').getByText('Il servizio «pizza» non esiste').waitFor();
    await expectAccessible(page, '/regione/previsioni?servizio=pizza');
    await page.goto(`${suite.base}/regione/previsioni?servizio=accoglienza&lang=ar`);
    assert.equal(await h1(page), 'توقعات الطلب على المواعيد');
    assert.equal(await page.locator('main svg[role="img"]').count(), 1);
    await expectAccessible(page, '/regione/previsioni (ar, phone)');
    await page.goto(`${suite.base}/regione/previsioni?lang=it`);
  });

  test('3. the CPI operator sees their own office only; too little history is said plainly', async () => {
    const page = await newPage(suite.browser);
    open.push(page);
    await signInWithPassword(page, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await page.goto(`${suite.base}/regione/previsioni?servizio=orientamento`);
    const options = await page.getByLabel('Ufficio', { exact: true }).locator('option').allTextContents();
    assert.deepEqual(options, [officeName]);
    await page.getByText('Lo storico è troppo breve per una previsione').waitFor();
    await expectAccessible(page, '/regione/previsioni (operator)');
  });
});
