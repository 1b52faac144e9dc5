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

/**
 * The patto di servizio end to end: the CPI operator drafts it from the profile and proposes it,
 * Giulia reads it on a phone without JavaScript and signs it with the SMS code, the operator signs,
 * and the signed copy verifies at /verifica/<code>. The tests run in order and share the pages.
 */
describe('patto di servizio: draft, propose, sign remotely, verify', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let operator: Page;
  let giulia: Page;
  let citizenId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const sentCodes = async (phone: string) =>
    new Set(
      (
        await suite.platform.db
          .selectFrom('dev_outbox')
          .select('id')
          .where('channel', '=', 'sms')
          .where('recipient', '=', phone)
          .execute()
      ).map((r) => r.id),
    );

  test('1. the CPI operator drafts the pact from the profile and proposes it', async () => {
    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    const citizen = await suite.platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    citizenId = citizen.id;
    await operator.goto(`${suite.base}/operatore/persone/${citizenId}/patto`);
    assert.equal(await h1(operator), 'Patto di servizio di Giulia Conti');
    await operator.getByText('La persona non ha ancora un patto.', { exact: false }).waitFor();
    await expectAccessible(operator, '/operatore/persone/:id/patto (new draft)');
    // An error keeps what was typed.
    await operator.getByLabel('Note', { exact: true }).fill('Preferisce gli incontri al mattino.');
    await operator.locator('#target_0').fill('');
    await submit(operator, 'Salva la bozza');
    await operator.getByRole('alert').waitFor();
    await expectAccessible(operator, '/operatore/persone/:id/patto (errors)');
    assert.equal(
      await operator.getByLabel('Note', { exact: true }).inputValue(),
      'Preferisce gli incontri al mattino.',
    );
    const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await operator.locator('#target_0').fill(inTwoWeeks);
    await submit(operator, 'Salva la bozza');
    assert.match(
      (await operator.locator('main [role="status"]').first().textContent()) ?? '',
      /Bozza salvata/,
    );
    await submit(operator, 'Proponi il patto');
    assert.match(
      (await operator.locator('main [role="status"]').first().textContent()) ?? '',
      /Patto proposto/,
    );
    await expectAccessible(operator, '/operatore/persone/:id/patto (proposed)');
    await waitForOutbox(suite.platform.db, 'email', CITIZEN_EMAIL, '/patto');
  });

  test('2. Giulia reads it on a phone without JavaScript and signs with the SMS code', async () => {
    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/patto`);
    assert.equal(await h1(giulia), 'Il mio patto di servizio');
    await giulia.getByRole('heading', { name: 'In breve' }).waitFor();
    await giulia.getByText('Preferisce gli incontri al mattino.').waitFor();
    await expectAccessible(giulia, '/patto (proposed)');
    await giulia.screenshot({ path: '/tmp/e2e-pact-citizen-phone.png', fullPage: true });

    const before = await sentCodes(CITIZEN_PHONE);
    await submit(giulia, 'Mandami il codice via SMS');
    assert.match(
      (await giulia.locator('main [role="status"]').first().textContent()) ?? '',
      /Codice inviato/,
    );
    await expectAccessible(giulia, '/patto (code sent)');
    const sms = await waitForOutbox(suite.platform.db, 'sms', CITIZEN_PHONE, 'firmare il patto', {
      except: before,
    });
    const code = /\b(\d{6})\b/.exec(sms.body)?.[1];
    assert.ok(code);
    // A wrong code first: refused, the page says how many attempts are left.
    await giulia.getByLabel('Codice di 6 cifre').fill(code === '000000' ? '111111' : '000000');
    await submit(giulia, 'Firma il patto');
    await giulia.getByText('Tentativi rimasti: 4', { exact: false }).first().waitFor();
    await expectAccessible(giulia, '/patto/firma (wrong code)');
    await giulia.getByLabel('Codice di 6 cifre').fill(code);
    await submit(giulia, 'Firma il patto');
    assert.match(
      (await giulia.locator('main [role="status"]').first().textContent()) ?? '',
      /Firma registrata/,
    );
    await giulia.getByText('Firmato da Giulia Conti', { exact: false }).waitFor();
    await expectAccessible(giulia, '/patto (signed by Giulia)');
  });

  test('3. the operator signs; the signed copy verifies at /verifica/<code>', async () => {
    await operator.goto(`${suite.base}/operatore/persone/${citizenId}/patto`);
    const before = await sentCodes(OPERATOR_PHONE);
    await submit(operator, 'Mandami il codice via SMS');
    const sms = await waitForOutbox(suite.platform.db, 'sms', OPERATOR_PHONE, 'firmare il patto', {
      except: before,
    });
    const code = /\b(\d{6})\b/.exec(sms.body)?.[1];
    assert.ok(code);
    await operator.getByLabel('Codice di 6 cifre').fill(code);
    await submit(operator, 'Firma il patto');
    assert.match(
      (await operator.locator('main [role="status"]').first().textContent()) ?? '',
      /il patto è firmato da tutte le parti/,
    );
    await expectAccessible(operator, '/operatore/persone/:id/patto (signed)');
    const verify = operator.getByRole('link', { name: /^verifica \(/ });
    const href = (await verify.getAttribute('href')) ?? '';
    assert.match(href, /^\/verifica\/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    await giulia.goto(`${suite.base}${href}`);
    assert.equal(await h1(giulia), 'Verifica di un documento');
    await giulia.getByText('Il documento è autentico ed è valido.').waitFor();
    await giulia.getByText("Il centro per l'impiego: firmato il", { exact: false }).waitFor();
    await expectAccessible(giulia, '/verifica/<code>');
    await giulia.screenshot({ path: '/tmp/e2e-pact-verify.png', fullPage: true });
    await giulia.goto(`${suite.base}/patto`);
    await giulia.getByText('Il tuo patto è firmato da tutte le parti.').waitFor();
    await expectAccessible(giulia, '/patto (signed)');
  });
  test('4. Mario (SPID) signs his pact with a fresh SPID sign-in, on a phone without JavaScript', async () => {
    const mario = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(mario);
    const throughDemoIdp = async (identity: string) => {
      assert.match(await h1(mario), /Gestore di identità di prova/);
      await mario.locator(`label[for="id-${identity}"]`).click();
      await submit(mario, 'Entra con questa identità');
      // Switching person at the demo provider first ends its session there: without JavaScript,
      // oidc-provider shows a one-button form.
      if ((await mario.title()) === 'Submitting Callback') await submit(mario, 'Continue');
    };
    await mario.goto(`${suite.base}/accedi`);
    await mario.getByRole('link', { name: 'Entra con SPID' }).click();
    await mario.waitForLoadState('load');
    await throughDemoIdp('mario');
    assert.equal(await h1(mario), 'La mia area');
    const { id: marioId } = await suite.platform.db
      .selectFrom('users')
      .select('id')
      .where('given_name', '=', 'Mario')
      .where('family_name', '=', 'Rossi')
      .executeTakeFirstOrThrow();

    // The operator drafts and proposes Mario's pact.
    await operator.goto(`${suite.base}/operatore/persone/${marioId}/patto`);
    await submit(operator, 'Salva la bozza');
    await submit(operator, 'Proponi il patto');
    assert.match(
      (await operator.locator('main [role="status"]').first().textContent()) ?? '',
      /Patto proposto/,
    );

    // Someone else's SPID identity is refused and nothing is signed.
    await mario.goto(`${suite.base}/patto`);
    await mario.getByRole('heading', { name: 'Oppure firma con SPID o CIE' }).waitFor();
    await mario.getByRole('link', { name: 'Conferma con SPID' }).click();
    await mario.waitForLoadState('load');
    await throughDemoIdp('luca');
    assert.equal(await h1(mario), "L'identità digitale non è la tua");
    await expectAccessible(mario, 'eID confirmation refused');

    // His own: back on the pact, one button signs.
    await mario.goto(`${suite.base}/patto`);
    await mario.getByRole('link', { name: 'Conferma con SPID' }).click();
    await mario.waitForLoadState('load');
    await throughDemoIdp('mario');
    assert.equal(new URL(mario.url()).pathname, '/patto');
    await mario.getByText('Hai confermato la tua identità con SPID alle', { exact: false }).waitFor();
    await expectAccessible(mario, '/patto (confirmed with SPID)');
    await mario.screenshot({ path: '/tmp/e2e-pact-spid-confirmed.png', fullPage: true });
    await submit(mario, 'Firma ora');
    assert.match(
      (await mario.locator('main [role="status"]').first().textContent()) ?? '',
      /Firma registrata/,
    );
    await mario.getByText('Firmato da Mario Rossi', { exact: false }).waitFor();
    const sig = await suite.platform.db
      .selectFrom('pact_signatures as s')
      .innerJoin('pacts as p', 'p.id', 's.pact_id')
      .select(['s.method', 's.party'])
      .where('p.citizen_id', '=', marioId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(sig, { method: 'spid', party: 'citizen' });
  });
});
