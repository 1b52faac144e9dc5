import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import {
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

/** Sign-in with e-mail, password and SMS code; then enrolment of an authenticator app. */
describe('local sign-in with SMS code, then TOTP enrolment', () => {
  const suite = new BrowserSuite();

  test('a wrong password is refused on the sign-in page, with the e-mail kept (mobile)', async () => {
    const page = await newPage(suite.browser, { viewport: MOBILE });
    try {
      await page.goto(`${suite.base}/`);
      assert.equal(await h1(page), 'Il lavoro, vicino a te');
      await expectAccessible(page, 'home (mobile)');
      await page.locator('main').getByRole('link', { name: 'Accedi' }).click();
      await page.waitForURL(/\/accedi$/);
      assert.equal(await h1(page), 'Accedi a Sportello Lavoro');
      await expectAccessible(page, '/accedi (mobile)');
      await page.getByLabel('Indirizzo e-mail').fill(OPERATOR_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill('not-the-password');
      await page.getByRole('button', { name: 'Continua' }).click();
      await page.getByRole('alert').filter({ hasText: 'Ci sono errori da correggere' }).waitFor();
      await page.getByText('E-mail o password non corretti.').first().waitFor();
      assert.equal(await page.getByLabel('Indirizzo e-mail').inputValue(), OPERATOR_EMAIL);
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
      await expectAccessible(page, '/accedi with errors (mobile)');
      await page.screenshot({ path: '/tmp/e2e-sign-in-mobile.png', fullPage: true });
    } finally {
      await closeContext(page);
    }
  });

  test('the CPI operator signs in with the SMS code and enrols an authenticator app', async () => {
    const page = await newPage(suite.browser);
    try {
      await signInWithPassword(
        page,
        suite.base,
        { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE },
        { checkA11y: true },
      );
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await h1(page), 'Area operatore CPI');
      assert.equal(await page.locator('.sl-user-name').textContent(), 'Chiara Baldelli');
      await expectAccessible(page, 'operator home');
      await page.screenshot({ path: '/tmp/e2e-operator-home.png', fullPage: true });

      await page
        .getByRole('navigation', { name: 'Menu della tua area' })
        .getByRole('link', { name: 'Accesso e sicurezza' })
        .click();
      await page.waitForURL(/\/account\/sicurezza$/);
      assert.equal(await h1(page), 'Accesso e sicurezza');
      await expectAccessible(page, '/account/sicurezza');

      await page.getByRole('button', { name: "Configura l'app di autenticazione" }).click();
      const secretText = (await page.locator('code.sl-secret').textContent()) ?? '';
      const secret = secretText.replace(/\s+/g, '');
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      assert.ok(await page.getByRole('img', { name: /Codice QR/ }).isVisible());
      await expectAccessible(page, '/account/sicurezza (enrolment)');

      // A wrong code first: the error is shown and enrolment is still pending.
      await page.getByLabel('Codice di verifica').fill('000000');
      await page.getByRole('button', { name: 'Attiva' }).click();
      await page.getByText('Il codice non è corretto o è scaduto.').first().waitFor();
      await expectAccessible(page, '/account/sicurezza (wrong code)');

      const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
      await page.getByLabel('Codice di verifica').fill(totp.generate());
      await page.getByRole('button', { name: 'Attiva' }).click();
      await page.getByText('App di autenticazione attivata.').waitFor();
      assert.ok(await page.getByText("L'app di autenticazione è attiva.").isVisible());
      await expectAccessible(page, '/account/sicurezza (enrolled)');

      const row = await suite.platform.db
        .selectFrom('users')
        .select('totp_enabled_at')
        .where('email', '=', OPERATOR_EMAIL)
        .executeTakeFirstOrThrow();
      assert.ok(row.totp_enabled_at, 'totp_enabled_at must be set');

      // Next sign-in asks for the app's code instead of an SMS.
      await page.getByRole('button', { name: 'Esci', exact: true }).click();
      await page.getByText('Sei uscito dal servizio.').waitFor();
      await expectAccessible(page, '/accedi (signed out)');
      await page.getByLabel('Indirizzo e-mail').fill(OPERATOR_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill('Demo-Sportello-2026!');
      await page.getByRole('button', { name: 'Continua' }).click();
      await page.getByText('Apri la tua app di autenticazione').waitFor();
      await expectAccessible(page, '/accedi/codice (totp)');
      // The code of the enrolment step was used: wait for the next period if needed.
      let code = totp.generate();
      const used = code;
      while (code === used) {
        await page.waitForTimeout(1000);
        code = totp.generate();
      }
      await page.getByLabel('Codice di verifica').fill(code);
      await page.getByRole('button', { name: 'Verifica e accedi' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      assert.equal(await h1(page), 'Area operatore CPI');
    } finally {
      await closeContext(page);
    }
  });
});
