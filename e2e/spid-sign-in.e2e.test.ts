import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { closeContext, expectAccessible, h1, MOBILE, newPage } from './support/browser.ts';
import { BrowserSuite } from './support/suite.ts';

/** Sign-in through the demo SPID identity provider, with each kind of test identity. */
describe('SPID sign-in (demo identity provider)', () => {
  const suite = new BrowserSuite();

  test('the demo provider publishes its endpoints under its mount path /dev/idp', async () => {
    // openid-client sends the suite.browser to authorization_endpoint and calls token_endpoint itself:
    // if they lose the /dev/idp prefix, the sign-in ends on "Pagina non trovata".
    const res = await fetch(`${suite.base}/dev/idp/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, string>;
    for (const key of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri']) {
      assert.ok(
        doc[key]?.startsWith(`${suite.base}/dev/idp/`),
        `${key} is ${doc[key]}: the demo IdP route must keep the mount path (req.raw.originalUrl)`,
      );
    }
  });

  async function throughSpid(page: Page, identity: string): Promise<void> {
    await page.goto(`${suite.base}/accedi`);
    await expectAccessible(page, '/accedi');
    await page.getByRole('link', { name: 'Entra con SPID' }).click();
    await page.waitForLoadState('load');
    assert.match(await h1(page), /Gestore di identità di prova/, `SPID start went to ${page.url()}`);
    await expectAccessible(page, 'demo identity provider');
    // Bootstrap Italia draws the radio on the label: click the label, as a person would.
    await page.locator(`label[for="id-${identity}"]`).click();
    assert.ok(await page.locator(`#id-${identity}`).isChecked());
    await page.getByRole('button', { name: 'Entra con questa identità' }).click();
    await page.waitForLoadState('load');
  }

  test('Mario Rossi (adult, first access) lands in "La mia area"', async () => {
    const page = await newPage(suite.browser);
    try {
      await throughSpid(page, 'mario');
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await h1(page), 'La mia area');
      await page.getByText('Ciao Mario.').waitFor();
      assert.equal(await page.locator('.sl-user-name').textContent(), 'Mario Rossi');
      assert.equal(await page.getByText(/Hai meno di 18 anni/).count(), 0);
      await expectAccessible(page, 'home (Mario)');
    } finally {
      await closeContext(page);
    }
  });

  test('Luca Bianchi (minor) sees the notice for minors, on a phone', async () => {
    const page = await newPage(suite.browser, { viewport: MOBILE });
    try {
      await throughSpid(page, 'luca');
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await h1(page), 'La mia area');
      const notice = page.getByRole('note').filter({ hasText: 'Hai meno di 18 anni' });
      await notice.waitFor();
      assert.ok(await notice.isVisible());
      await expectAccessible(page, 'home (Luca, mobile)');
    } finally {
      await closeContext(page);
    }
  });

  test('Paolo (invalid tax code) is refused with "Codice fiscale non valido"', async () => {
    const page = await newPage(suite.browser);
    try {
      await throughSpid(page, 'paolo');
      assert.equal(await h1(page), 'Codice fiscale non valido');
      assert.equal(await page.locator('.sl-user-name').count(), 0, 'nobody must be signed in');
      await expectAccessible(page, 'eID error page');
      // Still signed out: the home page offers sign-in.
      await page.goto(`${suite.base}/`);
      assert.equal(await h1(page), 'Il lavoro, vicino a te');
    } finally {
      await closeContext(page);
    }
  });
});
