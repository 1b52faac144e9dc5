import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  signInWithPassword,
} from './support/browser.ts';
import { choose } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

/**
 * The 2021 report as living data, as a visitor without JavaScript would use it: the index, a table
 * with its chart and data table, the §4 decision table filtered in the query string (and a bad
 * filter), then the national manager's comparison of Regions. axe on every page.
 */
describe('the report as data and the comparison between Regions', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('a visitor without JavaScript browses the report’s tables and the decision table', async () => {
    const page = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(page);
    await page.goto(`${suite.base}/rapporto`);
    assert.equal(await h1(page), 'Il rapporto del 2021 come dati');
    await expectAccessible(page, '/rapporto');

    await page.getByRole('link', { name: 'Efficienza dei servizi digitali dei CPI' }).click();
    assert.equal(await h1(page), 'Efficienza dei servizi digitali dei CPI');
    assert.equal(await page.locator('svg[role="img"] title').count(), 1);
    const health = page.getByRole('row', { name: /Sicurezza sanitaria/ }).first();
    assert.match((await health.textContent()) ?? '', /14/);
    await expectAccessible(page, '/rapporto/tavole/efficienza-cpi');

    await page.goto(`${suite.base}/rapporto/tavole/target-fragili?lang=ar`);
    await expectAccessible(page, '/rapporto/tavole/target-fragili?lang=ar');

    await page.goto(`${suite.base}/rapporto/decisioni?lang=it`);
    await page.getByLabel('Digitalizzabile').selectOption('no');
    await page.getByRole('button', { name: 'Mostra' }).click();
    assert.match(page.url(), /digitizzabile=no/);
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 3);
    assert.match((await rows.first().textContent()) ?? '', /collocamento mirato/);
    await expectAccessible(page, '/rapporto/decisioni?digitizzabile=no');

    const bad = await page.goto(`${suite.base}/rapporto/decisioni?digitizzabile=forse&fase=search`);
    assert.equal(bad?.status(), 400);
    assert.equal(await page.getByLabel('Fase del percorso').inputValue(), 'search');
    await expectAccessible(page, '/rapporto/decisioni (bad filter)');
  });

  test('the national manager compares the Regions; a bad period is refused with the dates kept', async () => {
    const page = await newPage(suite.browser);
    open.push(page);
    await signInWithPassword(page, suite.base, {
      email: 'responsabile.nazionale@demo.sportello.example',
      phone: '+39 333 0000006',
    });
    await page.goto(`${suite.base}/nazionale/confronto`);
    assert.equal(await h1(page), 'Confronto tra Regioni');
    assert.ok((await page.locator('svg[role="img"]').count()) >= 9);
    await expectAccessible(page, '/nazionale/confronto');
    await page.getByLabel('Dal', { exact: true }).fill('2026-05-01');
    await page.getByLabel('Al', { exact: true }).fill('2026-04-01');
    await page.getByRole('button', { name: 'Mostra' }).click();
    assert.equal(await page.getByLabel('Dal', { exact: true }).inputValue(), '2026-05-01');
    assert.ok((await page.locator('[aria-invalid="true"]').count()) >= 1);
    await expectAccessible(page, '/nazionale/confronto (bad period)');
  });

  test('a regional manager without JavaScript fills in the yearly self-assessment', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await signInWithPassword(page, suite.base, {
      email: 'responsabile.regionale@demo.sportello.example',
      phone: '+39 333 0000005',
    });
    await page.goto(`${suite.base}/regione/autovalutazione`);
    assert.match(await h1(page), /^Autovalutazione \d{4}$/);
    await expectAccessible(page, '/regione/autovalutazione');
    await page.getByRole('button', { name: "Salva l'autovalutazione" }).click();
    // The four required answers are named in the summary, each linking to its question.
    assert.equal(await page.locator('#error-summary li a').count(), 4);
    await expectAccessible(page, '/regione/autovalutazione (errors)');
    for (const group of await page.locator('main fieldset').all()) await choose(page, 'Sufficiente', group);
    await page.getByLabel('Persone in aree remote o rurali').fill('7');
    await page.getByRole('button', { name: "Salva l'autovalutazione" }).click();
    await page.getByText('Autovalutazione salvata.').waitFor();
    assert.equal(await page.getByLabel('Persone in aree remote o rurali').inputValue(), '7');
    await expectAccessible(page, '/regione/autovalutazione?ok=salvato');
  });
});
