import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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
import { BrowserSuite } from './support/suite.ts';

/** An operator reads a person's record with a purpose; the person sees who, where and why. */
describe('"Chi ha consultato i miei dati"', () => {
  const suite = new BrowserSuite();

  test('the citizen sees the operator who opened her record, and why', async () => {
    const giulia = await suite.platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();

    // The citizen first: nobody has read her data yet.
    const citizen = await newPage(suite.browser, { viewport: MOBILE });
    try {
      await signInWithPassword(
        citizen,
        suite.base,
        { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE },
        { checkA11y: true },
      );
      assert.equal(await h1(citizen), 'La mia area');
      await expectAccessible(citizen, 'citizen home (mobile)');
      // "I miei dati" gathers the pages about the person's own data.
      await citizen.locator('main').getByRole('link', { name: 'I miei dati' }).click();
      await citizen.waitForURL(/\/i-miei-dati$/);
      assert.equal(await h1(citizen), 'I miei dati');
      await expectAccessible(citizen, '/i-miei-dati (mobile)');
      await citizen.locator('main').getByRole('link', { name: 'Chi ha consultato i miei dati' }).click();
      await citizen.waitForURL(/\/i-miei-dati\/accessi$/);
      assert.equal(await h1(citizen), 'Chi ha consultato i miei dati');
      assert.equal(await citizen.locator('main table').count(), 0);
      assert.ok(await citizen.getByText('Nessun operatore ha ancora consultato i tuoi dati.').isVisible());
      await expectAccessible(citizen, '/i-miei-dati/accessi empty (mobile)');
    } finally {
      await closeContext(citizen);
    }

    // The operator is asked for a purpose, then reads the record.
    const operator = await newPage(suite.browser);
    try {
      await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
      assert.equal(await h1(operator), 'Area operatore CPI');
      await operator.goto(`${suite.base}/operatore/persone/${giulia.id}`);
      assert.equal(await h1(operator), 'Perché apri questa scheda?');
      await expectAccessible(operator, 'purpose page');
      await operator.goto(`${suite.base}/operatore/persone/${giulia.id}?purpose=interview`);
      assert.equal(await h1(operator), 'Giulia Conti');
      await operator.getByText('Questa consultazione è stata registrata con il motivo «Colloquio»').waitFor();
      await expectAccessible(operator, 'person record');
      // From the record the operator reaches the person's pact, plan and conditionality ledger.
      for (const name of ['Patto di servizio', "Piano d'azione e coaching", 'Impegni e condizionalità']) {
        await operator.getByRole('link', { name, exact: true }).waitFor();
      }
    } finally {
      await closeContext(operator);
    }

    // The citizen signs in again and finds the operator in the list.
    const page = await newPage(suite.browser);
    try {
      await signInWithPassword(page, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
      await page
        .getByRole('navigation', { name: 'Menu della tua area' })
        .getByRole('link', { name: 'I miei dati' })
        .click();
      await page.locator('main').getByRole('link', { name: 'Chi ha consultato i miei dati' }).click();
      await page.waitForURL(/\/i-miei-dati\/accessi$/);
      assert.equal(await h1(page), 'Chi ha consultato i miei dati');
      const rows = page.locator('main table tbody tr');
      assert.equal(await rows.count(), 1, (await page.locator('main').textContent()) ?? '');
      const cells = (await rows.first().locator('td').allInnerTexts()).map((c) => c.trim());
      assert.match(cells[1] ?? '', /Chiara Baldelli/);
      assert.match(cells[1] ?? '', /Operatore CPI/);
      assert.notEqual(cells[2], '—', 'the office must be named');
      assert.equal(cells[3], 'La tua scheda personale');
      assert.equal(cells[4], 'Colloquio');
      await expectAccessible(page, '/i-miei-dati/accessi with a row');
      await page.screenshot({ path: '/tmp/e2e-audit-page.png', fullPage: true });
    } finally {
      await closeContext(page);
    }
  });
});
