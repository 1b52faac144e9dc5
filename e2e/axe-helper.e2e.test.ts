import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeContext, expectAccessible, launch, newPage } from './support/browser.ts';

/** Guards the guard: expectAccessible must really fail on a broken page, with or without JS. */
describe('expectAccessible', () => {
  let browser: Browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  const BAD = `<!doctype html><html><head><title>t</title></head><body><main>
    <h1>Form</h1><input type="text" name="x"><p style="color:#bbb;background:#fff">grey text</p>
  </main></body></html>`;

  for (const javaScript of [true, false]) {
    test(`reports rule ids and targets (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const page = await newPage(browser, { javaScript });
      try {
        await page.route('http://axe.test/**', (r) => r.fulfill({ contentType: 'text/html', body: BAD }));
        await page.goto('http://axe.test/page');
        await assert.rejects(expectAccessible(page), (error: Error) => {
          assert.match(error.message, /html-has-lang/);
          assert.match(error.message, /label/);
          assert.match(error.message, /color-contrast/);
          assert.match(error.message, /input/);
          return true;
        });
      } finally {
        await closeContext(page);
      }
    });
  }
});
