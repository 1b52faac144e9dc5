/** Helpers for the onboarding browser tests: SPID sign-in, outbox codes, choosing options, the profile. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { closeContext, expectAccessible, h1, newPage } from './browser.ts';

/** Signs in through the demo SPID provider as one of its test identities (mario, fatima, giulia, luca). */
export async function signInWithSpid(
  page: Page,
  base: string,
  identity: string,
  label: string,
): Promise<void> {
  await page.goto(`${base}/accedi`);
  await expectAccessible(page, `/accedi (${label})`);
  await page.getByRole('link', { name: 'Entra con SPID' }).click();
  await page.waitForLoadState('load');
  assert.match(await h1(page), /Gestore di identità di prova/, `SPID start went to ${page.url()}`);
  await expectAccessible(page, `demo identity provider (${label})`);
  await page.locator(`label[for="id-${identity}"]`).click();
  assert.ok(await page.locator(`#id-${identity}`).isChecked());
  await page.getByRole('button', { name: 'Entra con questa identità' }).click();
  await page.waitForURL((u) => u.pathname === '/');
  assert.equal(await h1(page), 'La mia area');
  await expectAccessible(page, `home after SPID (${label})`);
}

/**
 * Polls /dev/outbox for a message on `channel` to `recipient` and returns the 6-digit code in it.
 * The outbox page itself is checked with axe once.
 */
export async function readOutboxCode(
  browser: Browser,
  base: string,
  channel: 'sms' | 'email',
  recipient: string,
  options: { timeoutMs?: number; label?: string } = {},
): Promise<string> {
  const page = await newPage(browser);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const selector = `article.sl-outbox-message[data-channel="${channel}"][data-recipient="${recipient}"] pre`;
  try {
    for (;;) {
      await page.goto(`${base}/dev/outbox`);
      for (const body of await page.locator(selector).allTextContents()) {
        const code = body.match(/\b(\d{6})\b/)?.[1];
        if (code) {
          await expectAccessible(page, `/dev/outbox (${options.label ?? channel})`);
          return code;
        }
      }
      if (Date.now() > deadline)
        throw new Error(`no ${channel} code for ${recipient} in /dev/outbox within the timeout`);
      await page.waitForTimeout(250);
    }
  } finally {
    await closeContext(page);
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Ticks a radio button or checkbox by clicking its label, as a person would (Bootstrap Italia draws
 * the control on the label), matching the label text exactly; checks that it is then checked.
 */
export async function choose(page: Page, labelText: string, within = page.locator('main')): Promise<void> {
  const label = within
    .locator('label.form-check-label')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(labelText)}\\s*$`) });
  assert.equal(await label.count(), 1, `exactly one option labelled "${labelText}"`);
  const id = await label.getAttribute('for');
  assert.ok(id);
  await label.click();
  assert.ok(await page.locator(`[id="${id}"]`).isChecked(), `"${labelText}" is not checked`);
}

export async function htmlAttr(page: Page, name: string): Promise<string | null> {
  return page.locator('html').getAttribute(name);
}

/** Clicks a submit button and waits for the next page (works with JavaScript on or off). */
export async function submit(page: Page, name: string, urlCheck?: (u: URL) => boolean): Promise<void> {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  if (urlCheck) assert.ok(urlCheck(new URL(page.url())), `unexpected page after "${name}": ${page.url()}`);
}

export const onStep = (step: string) => (u: URL) => u.pathname === `/profilo/passo/${step}`;

type ItemOption = { id: string; it: string; en: string };
type Item = { id: string; prompt: { it: string; en: string }; options: ItemOption[]; correct: string };

const ITEMS: Item[] = JSON.parse(
  readFileSync(new URL('../../src/onboarding/data/digital-items.json', import.meta.url), 'utf8'),
);

/** The label of the right answer for a question of the digital-skills check, found by its text. */
export function correctOptionLabel(prompt: string, lang: 'it' | 'en' = 'it'): string {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const item = ITEMS.find((i) => norm(i.prompt[lang]) === norm(prompt));
  assert.ok(item, `question not in the item bank: ${prompt}`);
  const option = item.options.find((o) => o.id === item.correct);
  assert.ok(option);
  return option[lang];
}

export type Person = {
  identity: string;
  fullName: string;
  email: string;
  mobile: string;
  occupation: string;
};

/** YYYY-MM-DD of `days` days before today (UTC). */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
