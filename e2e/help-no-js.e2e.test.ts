import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closeContext, expectAccessible, h1, MOBILE, newPage } from './support/browser.ts';
import { BrowserSuite } from './support/suite.ts';

/** The forms that must work for everybody, here with JavaScript switched off. */
describe('help and accessibility feedback without JavaScript', () => {
  const suite = new BrowserSuite();

  for (const viewport of [undefined, MOBILE]) {
    const where = viewport ? 'mobile' : 'desktop';
    test(`help form: errors keep the typed values, then the request is sent (${where})`, async () => {
      const page = await newPage(suite.browser, { javaScript: false, ...(viewport ? { viewport } : {}) });
      const name = `Anna Ferri ${where}`;
      try {
        await page.goto(`${suite.base}/`);
        await expectAccessible(page, `home no-JS (${where})`);
        await page.locator('header').getByRole('link', { name: 'Ho bisogno di aiuto' }).click();
        await page.waitForURL(/\/aiuto\?da=%2F$/);
        assert.equal(await h1(page), 'Ho bisogno di aiuto');
        await expectAccessible(page, `/aiuto no-JS (${where})`);

        // Only the name: everything else missing.
        await page.getByLabel('Nome e cognome').fill(name);
        await page.getByLabel('Per telefono').waitFor();
        await page.getByRole('button', { name: 'Invia la richiesta' }).click();
        await page.waitForLoadState('load');
        const summary = page.getByRole('alert').filter({ hasText: 'Ci sono errori da correggere' });
        await summary.waitFor();
        const messages = await summary.getByRole('link').allInnerTexts();
        assert.ok(messages.includes('Questo campo è obbligatorio.'), messages.join(' | '));
        assert.ok(messages.includes('Scegli una delle opzioni.'), messages.join(' | '));
        const targets = await summary
          .getByRole('link')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(new Set(targets), new Set(['#contact', '#topic', '#message']));
        // Values kept, errors tied to their fields.
        assert.equal(await page.getByLabel('Nome e cognome').inputValue(), name);
        assert.ok(await page.getByLabel('Per telefono').isChecked());
        assert.equal(await page.locator('#message').getAttribute('aria-invalid'), 'true');
        assert.match(
          (await page.locator('#message').getAttribute('aria-describedby')) ?? '',
          /message-error/,
        );
        await expectAccessible(page, `/aiuto with errors no-JS (${where})`);
        await page.screenshot({ path: `/tmp/e2e-help-errors-${where}.png`, fullPage: true });

        // The summary links lead to the fields.
        await summary.getByRole('link').first().click();
        assert.equal(new URL(page.url()).hash, '#contact');

        await page.getByLabel('Telefono o e-mail').fill('anna.ferri@example.org');
        await page.locator('label', { hasText: 'Per e-mail' }).click();
        assert.ok(await page.getByLabel('Per e-mail').isChecked());
        await page.getByLabel('Argomento').selectOption({ label: 'Cercare lavoro' });
        const offices = page.getByLabel("Centro per l'Impiego");
        const officeValue = await offices.locator('option').nth(1).getAttribute('value');
        assert.ok(officeValue);
        await offices.selectOption(officeValue);
        await page.getByLabel('Di cosa hai bisogno?').fill('Vorrei un colloquio per cercare lavoro.');
        await page.getByRole('button', { name: 'Invia la richiesta' }).click();
        await page.waitForURL(/\/aiuto\/inviata$/);
        assert.equal(await h1(page), 'Richiesta inviata');
        await expectAccessible(page, `/aiuto/inviata no-JS (${where})`);

        const row = await suite.platform.db
          .selectFrom('help_requests')
          .selectAll()
          .where('name', '=', name)
          .executeTakeFirstOrThrow();
        assert.equal(row.contact, 'anna.ferri@example.org');
        assert.equal(row.channel, 'email');
        assert.equal(row.topic, 'job_search');
        assert.equal(row.office_id, officeValue);
        assert.equal(row.message, 'Vorrei un colloquio per cercare lavoro.');
        assert.equal(row.language, 'it');
        assert.equal(row.user_id, null);
        assert.equal(row.status, 'open');
        assert.equal(row.step, '/');
      } finally {
        await closeContext(page);
      }
    });
  }

  test('accessibility statement and its feedback form', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    try {
      await page.goto(`${suite.base}/`);
      await page.locator('footer').getByRole('link', { name: 'Dichiarazione di accessibilità' }).click();
      await page.waitForURL(/\/accessibilita$/);
      assert.equal(await h1(page), 'Dichiarazione di accessibilità');
      await expectAccessible(page, '/accessibilita no-JS');

      await page.getByLabel('Pagina in cui hai trovato il problema').fill('/aiuto');
      await page.getByRole('button', { name: 'Invia la segnalazione' }).click();
      await page.getByRole('alert').filter({ hasText: 'Ci sono errori da correggere' }).waitFor();
      assert.equal(await page.getByLabel('Pagina in cui hai trovato il problema').inputValue(), '/aiuto');
      await expectAccessible(page, '/accessibilita with errors no-JS');

      await page.getByLabel('Descrivi il problema').fill('Il contrasto del pulsante è basso.');
      await page.getByLabel('Recapito per risponderti').fill('lettore@example.org');
      await page.getByRole('button', { name: 'Invia la segnalazione' }).click();
      await page.waitForURL(/\/accessibilita\?ok=sent#feedback$/);
      await page.getByRole('heading', { name: 'Segnala un problema di accessibilità' }).waitFor();
      assert.equal(await page.getByRole('alert').count(), 0);
      await page
        .getByRole('status')
        .filter({ hasText: 'Grazie, abbiamo ricevuto la tua segnalazione.' })
        .waitFor();
      await expectAccessible(page, '/accessibilita sent no-JS');

      const row = await suite.platform.db
        .selectFrom('accessibility_feedback')
        .selectAll()
        .where('contact', '=', 'lettore@example.org')
        .executeTakeFirstOrThrow();
      assert.equal(row.page_url, '/aiuto');
      assert.equal(row.message, 'Il contrasto del pulsante è basso.');
    } finally {
      await closeContext(page);
    }
  });
});
