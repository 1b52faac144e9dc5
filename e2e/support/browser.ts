/** Shared helpers for the end-to-end browser tests: Debian's Chromium, axe checks, sign-in steps. */
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const DEMO_PASSWORD = 'Demo-Sportello-2026!';
export const OPERATOR_EMAIL = 'operatore.cpi@demo.sportello.example';
export const OPERATOR_PHONE = '+39 333 0000003';
export const CITIZEN_EMAIL = 'cittadino@demo.sportello.example';
export const CITIZEN_PHONE = '+39 333 0000001';

export const DESKTOP = { width: 1280, height: 900 } as const;
export const MOBILE = { width: 390, height: 844 } as const;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export type PageOptions = {
  javaScript?: boolean;
  viewport?: { width: number; height: number };
  locale?: string;
};

const noScriptContexts = new WeakSet<BrowserContext>();

/** A page in a fresh browser context (own cookies), closed with `closeContext(page)`. */
export async function newPage(browser: Browser, options: PageOptions = {}): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.viewport ?? DESKTOP,
    locale: options.locale ?? 'it-IT',
  });
  context.setDefaultTimeout(15_000);
  if (options.javaScript === false) noScriptContexts.add(context);
  return context.newPage();
}

export async function closeContext(page: Page): Promise<void> {
  await page.context().close();
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA) on the current page and fails with the rule ids and
 * the offending elements. axe needs script injection: for a page whose context has JavaScript
 * disabled, the exact HTML it received is re-checked in a JavaScript-enabled twin context.
 */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const context = page.context();
  let target = page;
  let twin: BrowserContext | null = null;
  if (noScriptContexts.has(context)) {
    // axe-core cannot run where scripts are disabled: replay the very same HTML (what the
    // no-JS browser received, e.g. a POST response with errors) in a twin context with scripts.
    const browser = context.browser();
    assert.ok(browser, 'no browser for the axe twin context');
    twin = await browser.newContext({ viewport: page.viewportSize() ?? DESKTOP });
    await twin.addCookies(await context.cookies());
    const url = new URL(page.url());
    const html = await page.content();
    target = await twin.newPage();
    await target.route(
      (u) => u.origin === url.origin && u.pathname === url.pathname && u.search === url.search,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await target.goto(url.href);
  }
  try {
    const results = await new AxeBuilder({ page: target })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const details = results.violations
      .map(
        (v) =>
          `- ${v.id} (${v.impact ?? '?'}): ${v.help}\n${v.nodes
            .map(
              (n) =>
                `    ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
            )
            .join('\n')}`,
      )
      .join('\n');
    assert.equal(results.violations.length, 0, `axe violations on ${label}:\n${details}`);
  } finally {
    await twin?.close();
  }
}

/** Polls the demo outbox for the newest SMS to `phone` and returns the 6-digit code in it. */
export async function readSmsCode(
  browser: Browser,
  baseUrl: string,
  phone: string,
  options: { after?: Set<string>; timeoutMs?: number; check?: boolean } = {},
): Promise<string> {
  const page = await newPage(browser);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  try {
    for (;;) {
      await page.goto(`${baseUrl}/dev/outbox`);
      const bodies = await page
        .locator(`article.sl-outbox-message[data-channel="sms"][data-recipient="${phone}"] pre`)
        .allTextContents();
      for (const body of bodies) {
        const code = body.match(/\b(\d{6})\b/)?.[1];
        if (code && !options.after?.has(body)) {
          if (options.check) await expectAccessible(page, '/dev/outbox');
          return code;
        }
      }
      if (Date.now() > deadline)
        throw new Error(`no SMS code for ${phone} in /dev/outbox within the timeout`);
      await page.waitForTimeout(250);
    }
  } finally {
    await closeContext(page);
  }
}

/** SMS bodies already in the outbox for `phone` (so a new code can be told apart from old ones). */
export async function existingSms(browser: Browser, baseUrl: string, phone: string): Promise<Set<string>> {
  const page = await newPage(browser);
  try {
    await page.goto(`${baseUrl}/dev/outbox`);
    return new Set(
      await page
        .locator(`article.sl-outbox-message[data-channel="sms"][data-recipient="${phone}"] pre`)
        .allTextContents(),
    );
  } finally {
    await closeContext(page);
  }
}

/** Local sign-in: e-mail and password on /accedi, then the SMS code from the demo outbox. */
export async function signInWithPassword(
  page: Page,
  baseUrl: string,
  account: { email: string; phone: string },
  options: { checkA11y?: boolean } = {},
): Promise<void> {
  const browser = page.context().browser();
  assert.ok(browser);
  const before = await existingSms(browser, baseUrl, account.phone);
  await page.goto(`${baseUrl}/accedi`);
  if (options.checkA11y) await expectAccessible(page, '/accedi');
  await page.getByLabel('Indirizzo e-mail').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Continua' }).click();
  await page.waitForURL(/\/accedi\/codice/);
  await page.getByRole('heading', { level: 1, name: 'Inserisci il codice di verifica' }).waitFor();
  if (options.checkA11y) await expectAccessible(page, '/accedi/codice');
  const code = await readSmsCode(browser, baseUrl, account.phone, {
    after: before,
    check: options.checkA11y,
  });
  await page.getByLabel('Codice di verifica').fill(code);
  await page.getByRole('button', { name: 'Verifica e accedi' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/accedi'));
}

export async function h1(page: Page): Promise<string> {
  return ((await page.locator('main h1').first().textContent()) ?? '').trim();
}
