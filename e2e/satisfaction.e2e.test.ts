import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { recordAnswer } from '../src/satisfaction/use-cases/answers.ts';
import { linkAfter, romeDate, waitForOutbox } from './support/agenda.ts';
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
import { choose, submit } from './support/onboarding.ts';
import { inviteNow, pastAppointment as pastAppointmentOf } from './support/satisfaction.ts';
import { BrowserSuite } from './support/suite.ts';

const MANAGER = { email: 'responsabile.regionale@demo.sportello.example', phone: '+39 333 0000005' };

/**
 * Satisfaction end to end: the operator records an appointment as held, the job invites Giulia,
 * she answers from the e-mail link on a phone without JavaScript and without signing in (once),
 * answers a second survey in her page, and the regional manager sees the figures and her comment
 * without her personal data. Axe on every page.
 */
describe('satisfaction: from an attended appointment to the manager page', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let link = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const giuliaId = async () =>
    (
      await suite.platform.db
        .selectFrom('users')
        .select(['id'])
        .where('email', '=', CITIZEN_EMAIL)
        .executeTakeFirstOrThrow()
    ).id;

  /** A slot of the operator that started `hoursAgo` hours ago, with Giulia's booking on it. */
  const pastAppointment = async (hoursAgo: number, status: 'booked' | 'attended') =>
    pastAppointmentOf(suite.platform, await giuliaId(), hoursAgo, status);

  const invite = () => inviteNow(suite.platform);

  test('1. the operator records the appointment as held, with the minutes spent', async () => {
    const appt = await pastAppointment(1, 'booked');
    const operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    const day = romeDate(appt.startsAt);
    await operator.goto(`${suite.base}/operatore/agenda?giorno=${day}`);
    const item = operator.locator('main li.list-group-item').filter({ hasText: 'Giulia Conti' });
    assert.equal(await item.count(), 1);
    await expectAccessible(operator, '/operatore/agenda (outcome form)');
    await item.getByLabel('Esito').selectOption({ label: 'Svolto' });
    await item.getByLabel('Minuti dedicati (se svolto, facoltativo)').fill('25');
    await submit(operator, "Salva l'esito");
    await operator.getByText('Esito salvato.').waitFor();
    const row = await suite.platform.db
      .selectFrom('appointments')
      .select(['status', 'minutes_spent'])
      .where('id', '=', appt.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'attended', minutes_spent: 25 });
  });

  test('2. the job invites Giulia by e-mail, with a link that needs no sign-in', async () => {
    // The worker runs the same use case every five minutes; the test calls it at once.
    const { rows: schedule } = await suite.platform.pool.query<{ cron: string }>(
      "select cron from pgboss.schedule where name = 'satisfaction-invitations'",
    );
    assert.deepEqual(schedule, [{ cron: '*/5 * * * *' }]);
    assert.equal((await invite()).invited, 1);
    assert.equal((await invite()).invited, 0, 'a second run invites nobody again');
    const email = await waitForOutbox(suite.platform.db, 'email', CITIZEN_EMAIL, '/valuta/');
    assert.equal(email.subject, "Com'è andata? Rispondi a una domanda");
    assert.match(email.body, /Accoglienza e prime informazioni/);
    link = linkAfter(email.body, 'Rispondi qui');
    assert.match(link, new RegExp(`^${suite.base}/valuta/[A-Za-z0-9_-]{43}$`));
  });

  test('3. Giulia answers from the link on a phone without JavaScript, once', async () => {
    const phone = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(phone);
    await phone.goto(link);
    assert.equal(await h1(phone), "Com'è andata?");
    await phone.getByText('Accoglienza e prime informazioni', { exact: false }).first().waitFor();
    await expectAccessible(phone, 'survey link');
    await phone.screenshot({ path: '/tmp/e2e-satisfaction-link.png', fullPage: true });

    // Without a score: the page says so, and keeps what was typed.
    await phone.getByLabel('Vuoi aggiungere qualcosa? (facoltativo)').fill('Bene ma lento');
    await submit(phone, 'Invia la risposta');
    await phone.locator('#error-summary').waitFor();
    await phone.getByText('Scegli un voto da 1 a 5.').first().waitFor();
    assert.equal(
      await phone.getByLabel('Vuoi aggiungere qualcosa? (facoltativo)').inputValue(),
      'Bene ma lento',
    );
    await expectAccessible(phone, 'survey link: score missing');

    await choose(phone, '4');
    await choose(phone, 'Ho aspettato troppo');
    await phone
      .getByLabel('Vuoi aggiungere qualcosa? (facoltativo)')
      .fill('Sono Giulia, scrivetemi a giulia.conti@example.it: ho aspettato 40 minuti.');
    await submit(phone, 'Invia la risposta', (u) => u.pathname === '/valuta/grazie');
    assert.equal(await h1(phone), 'Grazie per la tua risposta');
    await expectAccessible(phone, 'survey thanks');

    await phone.goto(link);
    assert.equal(await h1(phone), 'Hai già risposto');
    assert.equal(await phone.getByRole('button', { name: 'Invia la risposta' }).count(), 0);
    await expectAccessible(phone, 'survey link used');
    await phone.goto(`${suite.base}/valuta/${'A'.repeat(43)}`);
    assert.equal(await h1(phone), 'Collegamento non valido');
    await expectAccessible(phone, 'survey link unknown');
  });

  test('4. Giulia answers another survey from her page, and sees it in Arabic too', async () => {
    const appt = await pastAppointment(3, 'attended');
    assert.equal((await invite()).invited, 1);
    const giulia = await newPage(suite.browser);
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/valutazioni`);
    assert.equal(await h1(giulia), 'Le mie valutazioni');
    await expectAccessible(giulia, '/valutazioni');
    const item = giulia.getByRole('link', { name: /Rispondi: il tuo appuntamento/ });
    assert.equal(await item.count(), 1);
    await Promise.all([giulia.waitForNavigation({ waitUntil: 'load' }), item.click()]);
    assert.equal(await h1(giulia), "Com'è andata?");
    await expectAccessible(giulia, '/valutazioni?invito');
    const url = giulia.url();
    await giulia.goto(`${url}&lang=ar`);
    assert.equal(await giulia.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await h1(giulia), 'كيف كانت التجربة؟');
    await expectAccessible(giulia, '/valutazioni?invito (ar)');
    await giulia.goto(`${url}&lang=it`);
    await choose(giulia, '5 — Molto soddisfatto');
    await submit(giulia, 'Invia la risposta');
    await giulia.getByText('Grazie, la tua risposta è stata registrata.').waitFor();
    await giulia.getByText('Non hai domande in attesa di risposta.').waitFor();
    await expectAccessible(giulia, '/valutazioni (answered)');
    const inv = await suite.platform.db
      .selectFrom('satisfaction_invitations')
      .select('answered_at')
      .where('service_id', '=', appt.id)
      .executeTakeFirstOrThrow();
    assert.ok(inv.answered_at);
  });

  test('5. the regional manager sees rates, averages and the comment without personal data', async () => {
    const db = suite.platform.db;
    // Eight more answers, so that the appointments reach the ten below which nothing is shown.
    for (let i = 0; i < 8; i++) await pastAppointment(5 + i, 'attended');
    assert.equal((await invite()).invited, 8);
    const pending = await db
      .selectFrom('satisfaction_invitations')
      .select(['region_code', 'id'])
      .where('answered_at', 'is', null)
      .execute();
    assert.equal(pending.length, 8);
    for (const p of pending)
      await recordAnswer(
        db,
        { regionCode: p.region_code, id: p.id },
        { score: 3, comment: '', problems: [] },
        'page',
        new Date(),
      );

    const manager = await newPage(suite.browser, { javaScript: false });
    open.push(manager);
    await signInWithPassword(manager, suite.base, MANAGER);
    await manager.goto(`${suite.base}/regione/soddisfazione`);
    assert.equal(await h1(manager), 'Soddisfazione dei servizi');
    await expectAccessible(manager, '/regione/soddisfazione');
    await manager.screenshot({ path: '/tmp/e2e-satisfaction-manager.png', fullPage: true });
    const cells = await manager
      .locator('main table')
      .first()
      .locator('tr', { has: manager.locator('th', { hasText: /^Appuntamenti$/ }) })
      .locator('td')
      .allTextContents();
    // 10 invited, 10 answered, (4 + 5 + 8 × 3) / 10 = 3.3.
    assert.deepEqual(cells, ['10', '10', '100 %', '3,3']);
    await manager.getByText('Sono [nome], scrivetemi a [e-mail]: ho aspettato 40 minuti.').waitFor();
    assert.equal(await manager.getByText('giulia.conti@example.it').count(), 0);

    // A period upside down: said clearly, the dates kept.
    await manager.getByLabel('Dal giorno', { exact: true }).fill('2026-05-01');
    await manager.getByLabel('Al giorno', { exact: true }).fill('2026-04-01');
    await submit(manager, 'Mostra');
    await manager.locator('#error-summary').waitFor();
    await manager
      .getByText('La data di fine viene prima della data di inizio', { exact: false })
      .first()
      .waitFor();
    assert.equal(await manager.getByLabel('Dal giorno', { exact: true }).inputValue(), '2026-05-01');
    await expectAccessible(manager, '/regione/soddisfazione (period upside down)');
  });
});
