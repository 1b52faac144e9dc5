import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const NOTE = 'Porta il CV aggiornato e il diploma al prossimo incontro.';

/**
 * Caseload and dossier end to end: the CPI operator filters the office's people, opens Giulia's
 * dossier after choosing the purpose, fixes an empty note and writes one visible to her; Giulia, on a
 * phone without JavaScript, reads the note in her dossier and sees the read at /i-miei-dati/accessi.
 * axe on every page. The tests run in order and share the pages below.
 */
describe('caseload and dossier: filter, open with a purpose, a note for the person', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let operator: Page;
  let giulia: Page;

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('0. Giulia is followed by CPI Perugia (a draft pact) at tier 2, with a DID', async () => {
    const db = suite.platform.db;
    const op = await db
      .selectFrom('users')
      .select(['id', 'office_id'])
      .where('email', '=', OPERATOR_EMAIL)
      .executeTakeFirstOrThrow();
    const citizen = await db
      .selectFrom('users')
      .select(['id'])
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('pacts')
      .values({
        region_code: '10',
        citizen_id: citizen.id,
        office_id: op.office_id!,
        coach_id: op.id,
        created_by: op.id,
      } as never)
      .execute();
    await db
      .insertInto('tier_assignments')
      .values({ region_code: '10', user_id: citizen.id, tier: 2, source: 'model' } as never)
      .execute();
    const did = await db
      .insertInto('did_declarations')
      .values({
        region_code: '10',
        user_id: citizen.id,
        status: 'active',
        verification_code: 'E2E-DOSS-0001',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('did_events')
      .values({ region_code: '10', did_id: did.id, user_id: citizen.id, event: 'declared' } as never)
      .execute();
  });

  test('1. the operator filters the caseload by tier', async () => {
    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/casi`);
    assert.equal(await h1(operator), "Persone seguite dall'ufficio");
    await expectAccessible(operator, '/operatore/casi');
    await operator.locator('select#tier').selectOption({ label: 'Livello 2' });
    await submit(operator, 'Applica i filtri');
    const url = new URL(operator.url());
    assert.equal(url.pathname, '/operatore/casi');
    assert.equal(url.searchParams.get('tier'), '2');
    await operator.getByText('Persone trovate: 1').waitFor();
    await operator.getByRole('link', { name: 'Giulia Conti', exact: true }).waitFor();
    await operator.screenshot({ path: '/tmp/e2e-caseload.png', fullPage: true });
    await expectAccessible(operator, '/operatore/casi?tier=2');
  });

  test('1b. the operator assigns Giulia to herself, then cannot transfer her without a choice', async () => {
    await operator.getByLabel('Seleziona Giulia Conti').check({ force: true });
    await operator.locator('select#operatore').selectOption({ label: 'Chiara Baldelli' });
    await submit(operator, 'Assegna');
    await operator.getByText('Assegnazione registrata. Persone cambiate: 1.').waitFor();
    assert.equal(new URL(operator.url()).searchParams.get('tier'), '2', 'the filters are kept');
    await expectAccessible(operator, '/operatore/casi (assigned)');
    await Promise.all([
      operator.waitForNavigation(),
      operator.getByRole('link', { name: 'Giulia Conti', exact: true }).click(),
    ]);
    assert.equal(await h1(operator), 'Assegnazione di Giulia Conti');
    await operator.getByText('Operatore attuale: Chiara Baldelli.').waitFor();
    await operator.getByRole('cell', { name: 'A Chiara Baldelli' }).waitFor();
    await expectAccessible(operator, '/operatore/casi/:id');
    await submit(operator, 'Trasferisci');
    await operator.locator('#error-summary').waitFor();
    await expectAccessible(operator, '/operatore/casi/:id (refused)');
    await operator.goto(`${suite.base}/operatore/casi?tier=2`);
  });

  test('2. the operator opens the dossier after choosing the purpose', async () => {
    await Promise.all([
      operator.waitForNavigation(),
      operator.getByRole('link', { name: 'Apri il fascicolo — Giulia Conti' }).click(),
    ]);
    assert.equal(await h1(operator), 'Perché apri il fascicolo?');
    await expectAccessible(operator, 'dossier: purpose');
    await choose(operator, 'Colloquio');
    await submit(operator, 'Apri il fascicolo');
    assert.equal(await h1(operator), 'Fascicolo di Giulia Conti');
    assert.equal(new URL(operator.url()).searchParams.get('purpose'), 'interview');
    await operator.getByText('Dichiarazione di immediata disponibilità (DID) presentata').waitFor();
    await operator.getByText('Livello di servizio 2 assegnato dal profilo').waitFor();
    await expectAccessible(operator, 'dossier: timeline');
  });

  test('3. an empty note is refused; a note visible to Giulia is saved', async () => {
    await submit(operator, 'Salva la nota');
    assert.equal(await h1(operator), 'Fascicolo di Giulia Conti');
    await operator.getByText('Questo campo è obbligatorio.').first().waitFor();
    await expectAccessible(operator, 'dossier: note refused');
    await operator.getByLabel('Nuova nota').fill(NOTE);
    await choose(operator, 'Anche la persona');
    await submit(operator, 'Salva la nota');
    await operator.getByText('Nota salvata.').waitFor();
    await operator.getByText(NOTE).waitFor();
    await operator.screenshot({ path: '/tmp/e2e-dossier-operator.png', fullPage: true });
    await expectAccessible(operator, 'dossier: note saved');
  });

  test('4. Giulia, on a phone without JavaScript, reads the note and sees who opened her dossier', async () => {
    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/fascicolo`);
    assert.equal(await h1(giulia), 'Il mio fascicolo');
    await giulia.getByText(NOTE).waitFor();
    await giulia.getByText('Dichiarazione di immediata disponibilità (DID) presentata').waitFor();
    await giulia.screenshot({ path: '/tmp/e2e-dossier-citizen.png', fullPage: true });
    await expectAccessible(giulia, '/fascicolo');
    await Promise.all([
      giulia.waitForNavigation(),
      giulia.getByRole('link', { name: 'Guarda chi ha consultato i tuoi dati' }).click(),
    ]);
    assert.equal(new URL(giulia.url()).pathname, '/i-miei-dati/accessi');
    const row = giulia.locator('tr', { hasText: 'Il tuo fascicolo' }).first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /Chiara Baldelli/);
    assert.match(text, /Colloquio/);
    await expectAccessible(giulia, '/i-miei-dati/accessi');
  });
});
