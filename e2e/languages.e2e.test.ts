import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { closeContext, expectAccessible, h1, MOBILE, newPage } from './support/browser.ts';
import { BrowserSuite } from './support/suite.ts';

/** Italian, English and Arabic (right to left); the choice is kept in a cookie. */
describe('languages', () => {
  const suite = new BrowserSuite();

  const htmlAttr = (page: Page, name: string) => page.locator('html').getAttribute(name);
  const langNav = (page: Page, name: string) => page.getByRole('navigation', { name });

  for (const viewport of [undefined, MOBILE]) {
    const where = viewport ? 'mobile' : 'desktop';
    test(`Italian → English → Arabic, remembered on the next page (${where})`, async () => {
      const page = await newPage(suite.browser, viewport ? { viewport } : {});
      try {
        await page.goto(`${suite.base}/`);
        assert.equal(await htmlAttr(page, 'lang'), 'it');
        assert.equal(await htmlAttr(page, 'dir'), 'ltr');
        assert.equal(await h1(page), 'Il lavoro, vicino a te');
        await expectAccessible(page, `home it (${where})`);

        // English
        await langNav(page, 'Lingua').getByRole('link', { name: 'English' }).click();
        await page.waitForURL(/[?&]lang=en/);
        assert.equal(await htmlAttr(page, 'lang'), 'en');
        assert.equal(await htmlAttr(page, 'dir'), 'ltr');
        assert.equal(await h1(page), 'Work, close to you');
        assert.ok(await page.getByRole('link', { name: 'Sign in', exact: true }).first().isVisible());
        assert.equal(
          await langNav(page, 'Language').locator('[aria-current="true"]').textContent(),
          'English',
        );
        await expectAccessible(page, `home en (${where})`);
        const cookies = await page.context().cookies(suite.base);
        assert.equal(cookies.find((c) => c.name === 'sl_lang')?.value, 'en');

        // The next page, without ?lang, is still in English.
        await page.locator('main').getByRole('link', { name: 'Sign in', exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/accedi' && !u.search.includes('lang='));
        assert.equal(await htmlAttr(page, 'lang'), 'en');
        assert.equal(await h1(page), 'Sign in to Sportello Lavoro');
        assert.ok(await page.getByRole('link', { name: 'Sign in with SPID' }).isVisible());
        await expectAccessible(page, `/accedi en (${where})`);

        // Arabic, right to left
        await langNav(page, 'Language').getByRole('link', { name: 'العربية' }).click();
        await page.waitForURL(/[?&]lang=ar/);
        assert.equal(new URL(page.url()).pathname, '/accedi', 'the switch stays on the same page');
        assert.equal(await htmlAttr(page, 'lang'), 'ar');
        assert.equal(await htmlAttr(page, 'dir'), 'rtl');
        assert.equal(await h1(page), 'تسجيل الدخول إلى Sportello Lavoro');
        await expectAccessible(page, `/accedi ar (${where})`);
        if (viewport) await page.screenshot({ path: '/tmp/e2e-sign-in-ar-mobile.png', fullPage: true });

        await page.goto(`${suite.base}/`);
        assert.equal(await htmlAttr(page, 'lang'), 'ar');
        assert.equal(await htmlAttr(page, 'dir'), 'rtl');
        assert.equal(await h1(page), 'العمل، قريب منك');
        // Right to left really applies: the main text is right-aligned by the suite.browser.
        assert.equal(await page.locator('main h1').evaluate((e) => getComputedStyle(e).direction), 'rtl');
        await expectAccessible(page, `home ar (${where})`);
        await page.screenshot({ path: `/tmp/e2e-home-ar-${where}.png`, fullPage: true });

        await page.goto(`${suite.base}/aiuto`);
        assert.equal(await htmlAttr(page, 'dir'), 'rtl');
        assert.equal(await h1(page), 'أحتاج إلى مساعدة');
        await expectAccessible(page, `/aiuto ar (${where})`);

        // And back to Italian.
        await langNav(page, await langLabel(page))
          .getByRole('link', { name: 'Italiano' })
          .click();
        await page.waitForURL(/[?&]lang=it/);
        assert.equal(await htmlAttr(page, 'lang'), 'it');
        assert.equal(await htmlAttr(page, 'dir'), 'ltr');
        assert.equal(await h1(page), 'Ho bisogno di aiuto');
        await expectAccessible(page, `/aiuto it (${where})`);
      } finally {
        await closeContext(page);
      }
    });
  }

  async function langLabel(page: Page): Promise<string> {
    return (await page.locator('nav.sl-langs').getAttribute('aria-label')) ?? '';
  }
});
