/** Helpers for the appointments browser tests: Rome dates, the operator's weekly hours, booking, the outbox. */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { isHoliday } from '../../src/agenda/domain/holidays.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { expectAccessible, h1 } from './browser.ts';
import { choose, submit } from './onboarding.ts';

/** 'YYYY-MM-DD' of an instant in Europe/Rome. */
export function romeDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(at);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Tomorrow in Rome, or the first later day that is not a holiday (national or the office's patron). */
export function nextOpenDay(municipalityCode?: string, now = new Date()): string {
  let day = addDays(romeDate(now), 1);
  while (isHoliday(day, municipalityCode)) day = addDays(day, 1);
  return day;
}

export type WeeklyHours = {
  weekday: number;
  start: string;
  end: string;
  slotMinutes: string;
  mode: string;
  services: string[];
  from: string;
};

/**
 * From /operatore/agenda, follows "Aggiungi un orario settimanale" to the form's own page, checks it
 * with axe, fills it and submits it.
 */
export async function addWeeklyHours(page: Page, hours: WeeklyHours): Promise<void> {
  await page.getByRole('link', { name: 'Aggiungi un orario settimanale' }).click();
  await page.waitForURL((u) => u.pathname === '/operatore/agenda/modelli/nuovo');
  assert.equal(await h1(page), 'Aggiungi un orario settimanale');
  await expectAccessible(page, '/operatore/agenda/modelli/nuovo');
  const form = page.locator('form[action="/operatore/agenda/modelli"]');
  await page.getByLabel('Giorno della settimana').selectOption(String(hours.weekday));
  await page.getByLabel('Dalle ore', { exact: true }).fill(hours.start);
  await page.getByLabel('Alle ore', { exact: true }).fill(hours.end);
  await page.getByLabel('Durata di ogni appuntamento (minuti)').fill(hours.slotMinutes);
  await choose(page, hours.mode, form);
  for (const service of hours.services) await choose(page, service, form);
  await page.getByLabel('Valido dal', { exact: true }).fill(hours.from);
  await submit(page, "Salva l'orario");
}

/**
 * Books through /appuntamenti/nuovo, one choice per page (GET forms, works without JavaScript),
 * checking every page with axe; picks the first slot offered and returns its label.
 */
export async function bookFirstSlot(
  page: Page,
  base: string,
  choice: { service: string; channel: string; label: string; screenshot?: string },
): Promise<string> {
  await page.goto(`${base}/appuntamenti/nuovo`);
  assert.equal(await h1(page), 'Per che cosa vuoi un appuntamento?');
  await expectAccessible(page, `/appuntamenti/nuovo service (${choice.label})`);
  await choose(page, choice.service);
  await submit(page, 'Continua', (u) => u.searchParams.has('servizio'));
  assert.equal(await h1(page), "Come preferisci fare l'incontro?");
  await expectAccessible(page, `/appuntamenti/nuovo channel (${choice.label})`);
  await choose(page, choice.channel);
  await submit(page, 'Continua', (u) => u.searchParams.has('canale'));
  assert.equal(await h1(page), 'Scegli giorno e ora');
  await expectAccessible(page, `/appuntamenti/nuovo slot (${choice.label})`);
  if (choice.screenshot) await page.screenshot({ path: choice.screenshot, fullPage: true });
  const first = page.locator('main fieldset label.form-check-label').first();
  const slotLabel = ((await first.textContent()) ?? '').trim();
  assert.ok(slotLabel, 'no slot offered');
  await choose(page, slotLabel);
  await submit(page, 'Prenota');
  return slotLabel;
}

export type OutboxRow = {
  id: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  attachment_name: string | null;
  attachment: string | null;
};

/** Polls the dev outbox table for a message on `channel` to `recipient` whose body contains `contains`. */
export async function waitForOutbox(
  db: Db,
  channel: 'email' | 'sms',
  recipient: string,
  contains: string,
  options: { except?: Set<string>; timeoutMs?: number } = {},
): Promise<OutboxRow> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const rows = await db
      .selectFrom('dev_outbox')
      .select(['id', 'channel', 'recipient', 'subject', 'body', 'attachment_name', 'attachment'])
      .where('channel', '=', channel)
      .where('recipient', '=', recipient)
      .where('body', 'like', `%${contains}%`)
      .orderBy('created_at', 'desc')
      .execute();
    const row = rows.find((r) => !options.except?.has(r.id));
    if (row) return row;
    if (Date.now() > deadline)
      throw new Error(`no ${channel} to ${recipient} containing "${contains}" in dev_outbox`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The URL after "<label>: " in a message body. */
export function linkAfter(body: string, label: string): string {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const url = body.match(new RegExp(`${escaped}: (https?://\\S+)`))?.[1];
  assert.ok(url, `no "${label}" link in:\n${body}`);
  return url;
}

/** The appointment cards on /appuntamenti (not the waiting lists): heading and status line of each. */
export async function myAppointments(page: Page): Promise<{ service: string; text: string }[]> {
  const cards = page.locator('main li.card:not(.sl-waitlist)');
  const out: { service: string; text: string }[] = [];
  for (let i = 0; i < (await cards.count()); i++) {
    const card = cards.nth(i);
    out.push({
      service: ((await card.locator('h2').textContent()) ?? '').trim(),
      text: ((await card.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
    });
  }
  return out;
}
