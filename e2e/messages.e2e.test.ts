import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitForOutbox } from './support/agenda.ts';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');

/**
 * Secure messages end to end: Giulia writes to her CPI from a phone without JavaScript (with a bad
 * first try and a PDF), the operator answers starting from a template, Giulia is told by e-mail
 * (without the content) and reads the answer. axe on every page. The tests share the pages below.
 */
describe('secure messages: the person writes, the operator answers with a template', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let giulia: Page;
  let operator: Page;
  let threadPath = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. Giulia writes to the CPI without JavaScript, fixes an empty message and attaches a PDF', async () => {
    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/messaggi`);
    assert.equal(await h1(giulia), 'Messaggi');
    await giulia.getByText('Non hai ancora messaggi.').waitFor();
    await expectAccessible(giulia, '/messaggi (empty)');

    await giulia.getByRole('link', { name: 'Nuovo messaggio' }).click();
    await giulia.waitForURL(/\/messaggi\/nuovo$/);
    await expectAccessible(giulia, '/messaggi/nuovo');
    const office = giulia.locator('select#officeId');
    const perugia = (await office.locator('option').allTextContents()).find((o) =>
      o.startsWith('CPI Perugia'),
    );
    assert.ok(perugia, 'CPI Perugia is among the offices');
    await office.selectOption({ label: perugia });
    await giulia.getByLabel('Oggetto', { exact: true }).fill('Documenti per il patto');
    await submit(giulia, 'Invia');
    assert.equal(await h1(giulia), 'Nuovo messaggio');
    await giulia.getByText('Questo campo è obbligatorio.').first().waitFor();
    assert.equal(await giulia.getByLabel('Oggetto', { exact: true }).inputValue(), 'Documenti per il patto');
    await expectAccessible(giulia, '/messaggi/nuovo (error)');

    await giulia.getByLabel('Messaggio', { exact: true }).fill('Buongiorno, vi mando il certificato.');
    await giulia.getByLabel('Aggiungi un file').setInputFiles({
      name: 'certificato.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await submit(giulia, 'Allega questo file');
    await giulia.getByText('certificato.pdf (1 KB)').waitFor();
    assert.equal(
      await giulia.getByLabel('Messaggio', { exact: true }).inputValue(),
      'Buongiorno, vi mando il certificato.',
    );
    await expectAccessible(giulia, '/messaggi/nuovo (file attached)');
    await submit(giulia, 'Invia', (u) => /^\/messaggi\/[0-9a-f-]{36}$/.test(u.pathname));
    threadPath = new URL(giulia.url()).pathname;
    await giulia.getByText('Messaggio inviato.').waitFor();
    assert.equal(await h1(giulia), 'Documenti per il patto');
    await giulia.getByRole('link', { name: 'certificato.pdf (1 KB)' }).waitFor();
    await giulia.getByText('Non ancora letto').waitFor();
    await expectAccessible(giulia, '/messaggi/:id (sent)');
  });

  test('2. the operator finds it in the office inbox and answers starting from a template', async () => {
    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/messaggi`);
    assert.equal(await h1(operator), "Messaggi dell'ufficio");
    await operator.getByText('1 da leggere').waitFor();
    await expectAccessible(operator, '/operatore/messaggi');

    await operator.getByRole('link', { name: 'Documenti per il patto' }).click();
    await operator.waitForURL((u) => u.pathname === `/operatore${threadPath}`);
    await operator.getByText('Buongiorno, vi mando il certificato.').waitFor();
    await expectAccessible(operator, '/operatore/messaggi/:id');

    await operator.getByLabel('Parti da un modello').selectOption({ label: 'Richiesta di documenti' });
    await submit(operator, 'Usa il modello');
    const text = operator.getByLabel('Messaggio', { exact: true });
    const prefilled = await text.inputValue();
    assert.ok(prefilled.startsWith('Ciao Giulia,'), prefilled);
    assert.ok(prefilled.includes('CPI Perugia'));
    await expectAccessible(operator, '/operatore/messaggi/:id (template)');
    await text.fill(prefilled.replace('[scrivi qui quale]', 'la carta di identità'));
    await submit(operator, 'Invia la risposta');
    await operator.getByText('Messaggio inviato.').waitFor();
    await operator.getByText('la carta di identità').first().waitFor();

    await operator.getByRole('link', { name: 'Giulia Conti' }).click();
    await operator.waitForURL(/\/operatore\/persone\/[0-9a-f-]{36}\/messaggi$/);
    assert.equal(await h1(operator), 'Messaggi con Giulia Conti');
    await expectAccessible(operator, '/operatore/persone/:id/messaggi');
  });

  test('3. Giulia is told by e-mail without the content, and reads the answer', async () => {
    const mail = await waitForOutbox(suite.platform.db, 'email', CITIZEN_EMAIL, threadPath);
    assert.equal(mail.subject, 'Hai un nuovo messaggio su Sportello Lavoro');
    assert.ok(!mail.body.includes('carta di identità'), 'the e-mail does not carry the message');

    await giulia.goto(`${suite.base}/messaggi`);
    await giulia.getByText('Hai 1 messaggio da leggere.').waitFor();
    await expectAccessible(giulia, '/messaggi (unread)');
    await giulia.getByRole('link', { name: 'Documenti per il patto' }).click();
    await giulia.waitForURL((u) => u.pathname === threadPath);
    await giulia.getByText('la carta di identità').first().waitFor();
    await giulia.getByText(/Letto dall'ufficio il/).waitFor();
    await expectAccessible(giulia, '/messaggi/:id (answered)');

    await giulia.goto(`${suite.base}${threadPath}?lang=ar`);
    assert.equal(await h1(giulia), 'Documenti per il patto');
    await giulia.getByRole('heading', { name: 'الرد' }).waitFor();
    await expectAccessible(giulia, '/messaggi/:id (ar)');
    await giulia.goto(`${suite.base}/messaggi?lang=en`);
    assert.equal(await h1(giulia), 'Messages');
    await expectAccessible(giulia, '/messaggi (en)');
  });
});
