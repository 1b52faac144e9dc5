import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

/**
 * Employment outcomes import and retention, JavaScript off: the operator imports the example CSV and
 * reads the report, uploads a broken file and sees the error; the citizen asks to erase their data and
 * gets the answer with reasons; the admin sees the retention page and runs the job.
 */
describe('outcomes import and retention, without JavaScript', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('the operator imports UNILAV communications and reads the report', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await signInWithPassword(page, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await page.goto(`${suite.base}/operatore/esiti`);
    assert.equal(await h1(page), 'Esiti occupazionali: importa le comunicazioni obbligatorie');
    await expectAccessible(page, '/operatore/esiti');
    await page.getByLabel('File delle comunicazioni (CSV o XML)').setInputFiles({
      name: 'esempio.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(new URL('../src/outcomes/data/esempio-unilav.csv', import.meta.url)),
    });
    await submit(page, 'Importa il file', (u) => u.pathname.startsWith('/operatore/esiti/importazioni/'));
    assert.equal(await h1(page), "Esito dell'importazione");
    await page.getByText('Importazione completata. Comunicazioni registrate: 2.').waitFor();
    await expectAccessible(page, 'import report');
    await page.goto(`${suite.base}/operatore/esiti`);
    await page.getByLabel('File delle comunicazioni (CSV o XML)').setInputFiles({
      name: 'rotto.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from('<ComunicazioniUnilav><Comunicazione></ComunicazioniUnilav>'),
    });
    await submit(page, 'Importa il file');
    await page.getByText("L'XML non è ben formato vicino alla riga 1.").first().waitFor();
    await expectAccessible(page, '/operatore/esiti (error)');
  });

  test('the citizen asks to erase data and reads the answer with the reasons', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await signInWithPassword(page, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await page.goto(`${suite.base}/i-miei-dati/cancellazione`);
    assert.equal(await h1(page), 'Chiedi di cancellare i tuoi dati');
    await expectAccessible(page, '/i-miei-dati/cancellazione');
    await submit(page, 'Invia la richiesta');
    await page.getByText('Scegli almeno una voce.').first().waitFor();
    await expectAccessible(page, '/i-miei-dati/cancellazione (error)');
    await choose(page, 'Il tuo curriculum');
    await choose(page, 'Il patto di servizio');
    await submit(page, 'Invia la richiesta');
    await page.getByText('Abbiamo cancellato: Il tuo curriculum.').waitFor();
    await page.getByText('Non possiamo cancellare:').waitFor();
    await expectAccessible(page, '/i-miei-dati/cancellazione (answer)');
  });

  test('the admin sees the retention periods and runs the job', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await signInWithPassword(page, suite.base, {
      email: 'admin@demo.sportello.example',
      phone: '+39 333 0000007',
    });
    await page.goto(`${suite.base}/admin/conservazione`);
    assert.equal(await h1(page), 'Conservazione dei dati');
    await expectAccessible(page, '/admin/conservazione');
    await submit(page, 'Esegui adesso');
    await page.getByText('Esecuzione completata: il resoconto è nella tabella qui sotto.').waitFor();
    await expectAccessible(page, '/admin/conservazione (after run)');
  });
});
