import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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
import { choose } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Certificates by self-service: the citizen downloads her SAP in English without JavaScript, the list
 * shows it, an anonymous visitor opens its verification page and downloads the same bytes, and a
 * CPI operator issues a C2 storico for her (purpose asked first), which she then sees in her list.
 */
describe('certificates: SAP and C2 storico, verification, issued by an operator', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let citizen: Page;
  let code = '';
  let pdf: Buffer = Buffer.alloc(0);

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the citizen downloads a SAP in English (no JS) and finds it in her list', async () => {
    citizen = await newPage(suite.browser, { javaScript: false });
    open.push(citizen);
    await signInWithPassword(citizen, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await citizen.goto(`${suite.base}/certificati`);
    assert.equal(await h1(citizen), 'I tuoi certificati');
    await citizen.getByText('Non hai ancora chiesto nessun certificato.').waitFor();
    await expectAccessible(citizen, '/certificati (empty)');

    await choose(citizen, 'Inglese');
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      citizen.getByRole('button', { name: 'Scarica la SAP' }).click(),
    ]);
    const name = download.suggestedFilename();
    const m = /^sap-([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\.pdf$/.exec(name);
    assert.ok(m?.[1], `file name ${name}`);
    code = m[1];
    pdf = await readFile((await download.path()) ?? '');
    assert.ok(pdf.subarray(0, 8).toString('latin1').startsWith('%PDF-'));
    assert.match(pdf.toString('latin1'), /\/Lang \(en\)/);
    const row = await suite.platform.db
      .selectFrom('issued_documents')
      .select(['sha256', 'kind'])
      .where('verification_code', '=', code)
      .executeTakeFirstOrThrow();
    assert.equal(row.kind, 'sap');
    assert.equal(sha256(pdf), row.sha256);

    await citizen.goto(`${suite.base}/certificati`);
    await citizen.getByRole('cell', { name: code, exact: true }).waitFor();
    await citizen.getByText('da te, online').waitFor();
    await expectAccessible(citizen, '/certificati (one issued)');

    for (const lang of ['en', 'ar']) {
      await citizen.goto(`${suite.base}/certificati?lang=${lang}`);
      assert.equal(await h1(citizen), lang === 'en' ? 'Your certificates' : 'شهاداتك');
      await expectAccessible(citizen, `/certificati?lang=${lang}`);
    }
    await citizen.goto(`${suite.base}/certificati?lang=it`);
  });

  test('2. anyone with the code opens the verification page and gets the same bytes (no JS)', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await page.goto(`${suite.base}/verifica/${code}`);
    assert.equal(await h1(page), 'Verifica di un documento');
    await page.getByText('Scheda Anagrafico-Professionale (SAP)').first().waitFor();
    await page.getByText('G. C.', { exact: true }).waitFor();
    const main = (await page.locator('main').textContent()) ?? '';
    assert.doesNotMatch(main, /Giulia|Conti/, 'only the initials of the holder');
    await expectAccessible(page, '/verifica/<certificate>');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Scarica la copia originale (PDF)' }).click(),
    ]);
    const copy = await readFile((await download.path()) ?? '');
    assert.ok(copy.equals(pdf), 'the very bytes that were issued');
  });

  test('3. a CPI operator issues a C2 storico for her with a purpose; she sees who issued it', async () => {
    const citizenRow = await suite.platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    const operator = await newPage(suite.browser, { javaScript: false });
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/persone/${citizenRow.id}/certificati`);
    assert.equal(await h1(operator), 'Perché rilasci un certificato?');
    await expectAccessible(operator, '/operatore/persone/<id>/certificati (purpose)');
    await choose(operator, 'Colloquio');
    await operator.getByRole('button', { name: 'Continua' }).click();
    await operator.waitForURL(/purpose=interview/);
    assert.match(await h1(operator), /^Certificati di Giulia Conti$/);
    await expectAccessible(operator, '/operatore/persone/<id>/certificati');
    await choose(operator, 'Italiano');
    await operator.getByRole('button', { name: 'Scarica il C2 storico' }).click();
    await operator.waitForURL(/ok=/);
    await operator.getByRole('status').filter({ hasText: 'Certificato rilasciato con il codice' }).waitFor();
    await expectAccessible(operator, '/operatore/persone/<id>/certificati (issued)');

    await citizen.goto(`${suite.base}/certificati`);
    await citizen.getByText("dall'operatore Chiara Baldelli", { exact: false }).first().waitFor();
    await expectAccessible(citizen, '/certificati (issued by an operator)');
  });
});
