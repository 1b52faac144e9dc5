import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { refreshFacts } from '../src/indicators/use-cases/facts.ts';
import { closeContext, expectAccessible, h1, newPage, signInWithPassword } from './support/browser.ts';
import { BrowserSuite } from './support/suite.ts';

const MANAGER = { email: 'responsabile.regionale@demo.sportello.example', phone: '+39 333 0000005' };

/**
 * The managers' dashboard without JavaScript: charts with their data tables, the CSV of the same
 * figures, an upside-down period refused with the dates kept, and the public open-data page.
 */
describe('indicators: dashboard JS-off and open data', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let manager: Page;

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. twelve conditionality events in March 2025 become daily facts', async () => {
    const { pool, db } = suite.platform;
    for (let i = 0; i < 12; i++) {
      const { rows } = await pool.query<{ id: string }>(
        `insert into users (region_code, role, given_name, family_name) values ('10', 'citizen', 'Persona', $1) returning id`,
        [`E2E ${i}`],
      );
      await pool.query(
        `insert into conditionality_events (region_code, citizen_id, kind, source, occurred_at)
         values ('10', $1, 'no_show', 'operator', '2025-03-12 10:00+01')`,
        [rows[0]!.id],
      );
    }
    await refreshFacts(db, '10', new Date('2025-03-20T12:00:00Z'), { full: true });
    // The worker schedules the same use case every night.
    const { rows: schedule } = await pool.query<{ cron: string }>(
      "select cron from pgboss.schedule where name = 'indicators-refresh'",
    );
    assert.deepEqual(schedule, [{ cron: '30 2 * * *' }]);
  });

  test('2. the regional manager reads the charts and their tables with JavaScript off', async () => {
    manager = await newPage(suite.browser, { javaScript: false });
    open.push(manager);
    await signInWithPassword(manager, suite.base, MANAGER);
    await manager.goto(`${suite.base}/regione/indicatori?dal=2025-03-01&al=2025-03-31`);
    assert.equal(await h1(manager), 'Indicatori dei servizi');
    await expectAccessible(manager, '/regione/indicatori');
    const chart = manager.getByRole('img', { name: /Eventi di condizionalità/ });
    assert.equal(await chart.count(), 1);
    const table = manager.getByRole('table', { name: 'Dati del grafico: Eventi di condizionalità' });
    assert.equal(await table.getByRole('row', { name: 'Totale 12' }).count(), 1);
    assert.equal(await table.getByRole('row', { name: 'Assenza 12' }).count(), 1);
    const href = await manager.getByRole('link', { name: 'Scarica questi dati (CSV)' }).getAttribute('href');
    assert.match(href ?? '', /formato=csv/);
    const csv = await manager.request.get(`${suite.base}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /conditionality_events;Eventi di condizionalità;all;Totale;12;no/);
  });

  test('3. an upside-down period is refused with the dates kept', async () => {
    await manager.getByRole('textbox', { name: 'Dal', exact: true }).fill('2025-04-01');
    await manager.getByRole('textbox', { name: 'Al', exact: true }).fill('2025-03-01');
    await manager.getByRole('button', { name: 'Mostra' }).click();
    await manager.getByText('La data di inizio è dopo la data di fine: controlla le date.').first().waitFor();
    assert.equal(await manager.getByRole('textbox', { name: 'Dal', exact: true }).inputValue(), '2025-04-01');
    assert.equal(await manager.getByRole('textbox', { name: 'Al', exact: true }).inputValue(), '2025-03-01');
    await expectAccessible(manager, '/regione/indicatori (refused period)');
  });

  test('4. anyone finds the open data with its licence', async () => {
    const visitor = await newPage(suite.browser, { javaScript: false });
    open.push(visitor);
    await visitor.goto(`${suite.base}/dati-aperti/indicatori`);
    assert.equal(await h1(visitor), 'Dati aperti: indicatori dei servizi per il lavoro');
    await expectAccessible(visitor, '/dati-aperti/indicatori');
    const json = await visitor.request.get(
      `${suite.base}/dati-aperti/indicatori.json?dal=2025-03-01&al=2025-03-31`,
    );
    const body = await json.json();
    assert.equal(body.metadata.licence.name, 'CC-BY-4.0');
  });
});
