import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  addWeeklyHours,
  bookFirstSlot,
  isoWeekday,
  linkAfter,
  myAppointments,
  nextOpenDay,
  romeDate,
  waitForOutbox,
} from './support/agenda.ts';
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
import { choose, signInWithSpid, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const ACCOGLIENZA = 'Accoglienza e prime informazioni';
const SESSION = 'Sessione informativa di gruppo';
const VIDEO = 'In videochiamata';

/**
 * Appointments end to end: the operator opens weekly hours, the citizen books from a phone without
 * JavaScript, confirms from the e-mail link, the operator records a no-show, the citizen books again,
 * a full group session fills from its waiting list, and the template form rejects bad input.
 * The tests run in order and share the pages and ids below.
 */
describe('appointments: weekly hours, booking, confirmation, outcome, waiting list', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let operator: Page;
  let giulia: Page;
  let openDay = '';
  let weekday = 0;
  let firstAppointmentId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const users = async () => {
    const db = suite.platform.db;
    const op = await db
      .selectFrom('users as u')
      .innerJoin('offices as o', (j) =>
        j.onRef('o.region_code', '=', 'u.region_code').onRef('o.id', '=', 'u.office_id'),
      )
      .select(['u.id', 'u.region_code', 'u.office_id', 'o.municipality_code'])
      .where('u.email', '=', OPERATOR_EMAIL)
      .executeTakeFirstOrThrow();
    const citizen = await db
      .selectFrom('users')
      .select(['id'])
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    return { op, citizen };
  };

  test('1. the CPI operator adds weekly hours for the next open day', async () => {
    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    const { op } = await users();
    openDay = nextOpenDay(op.municipality_code);
    weekday = isoWeekday(openDay);
    await operator.goto(`${suite.base}/operatore/agenda`);
    assert.equal(await h1(operator), 'La mia agenda');
    await operator.getByText('Non hai ancora orari settimanali.').waitFor();
    await expectAccessible(operator, '/operatore/agenda (empty)');
    await addWeeklyHours(operator, {
      weekday,
      start: '09:00',
      end: '11:00',
      slotMinutes: '30',
      mode: 'Di persona e a distanza',
      services: [ACCOGLIENZA],
      from: romeDate(new Date()),
    });
    assert.equal(new URL(operator.url()).pathname, '/operatore/agenda');
    const notice = (await operator.locator('main [role="status"]').textContent()) ?? '';
    assert.match(notice, /Orario salvato: \d+ appuntamenti disponibili/);
    await expectAccessible(operator, '/operatore/agenda (hours saved)');
    const slots = await suite.platform.db
      .selectFrom('agenda_slots')
      .select(['starts_at'])
      .where('operator_id', '=', op.id)
      .orderBy('starts_at')
      .execute();
    assert.ok(slots.length >= 4);
    assert.equal(romeDate(slots[0]!.starts_at), openDay);
    await operator.goto(`${suite.base}/operatore/agenda?giorno=${openDay}`);
    assert.equal(await operator.locator('main li.list-group-item').count(), 4, 'four free slots');
    await expectAccessible(operator, `/operatore/agenda?giorno=${openDay}`);
  });

  test('2. Giulia books a video appointment on a phone without JavaScript', async () => {
    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/appuntamenti`);
    assert.equal(await h1(giulia), 'I miei appuntamenti');
    await giulia.getByText('Non hai appuntamenti.').waitFor();
    await expectAccessible(giulia, '/appuntamenti (none yet)');
    const slot = await bookFirstSlot(giulia, suite.base, {
      service: `${ACCOGLIENZA} (30 min)`,
      channel: VIDEO,
      label: 'Giulia, first booking',
      screenshot: '/tmp/e2e-agenda-slot-picker-phone.png',
    });
    assert.match(slot, /09:00/);
    assert.equal(new URL(giulia.url()).pathname, '/appuntamenti');
    assert.match(
      (await giulia.locator('main [role="status"]').textContent()) ?? '',
      /Appuntamento prenotato/,
    );
    const video = giulia.getByRole('link', { name: 'Entra nella videochiamata' });
    assert.match((await video.getAttribute('href')) ?? '', /^https:\/\/meet\.jit\.si\/SportelloLavoro-/);
    await expectAccessible(giulia, '/appuntamenti (booked)');
    const { citizen } = await users();
    const appt = await suite.platform.db
      .selectFrom('appointments')
      .select(['id', 'status', 'channel', 'service_code'])
      .where('citizen_id', '=', citizen.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([appt.status, appt.channel, appt.service_code], ['booked', 'video', 'accoglienza']);
    firstAppointmentId = appt.id;
  });

  test('3. the confirmation e-mail and SMS; the confirm link works once, without signing in', async () => {
    const db = suite.platform.db;
    const email = await waitForOutbox(db, 'email', CITIZEN_EMAIL, 'Confermo: ');
    assert.match(email.subject ?? '', /^Appuntamento prenotato: Accoglienza e prime informazioni/);
    assert.match(email.body, /https:\/\/meet\.jit\.si\/SportelloLavoro-[A-Za-z0-9_-]+/);
    const confirm = linkAfter(email.body, 'Confermo');
    assert.ok(confirm.startsWith(`${suite.base}/appuntamento/`), confirm);
    linkAfter(email.body, 'Annullo');
    linkAfter(email.body, 'Mi serve un altro orario');
    assert.equal(email.attachment_name, 'appuntamento.ics');
    assert.match(email.attachment ?? '', /BEGIN:VCALENDAR/);
    assert.match(email.attachment ?? '', /METHOD:REQUEST/);
    const sms = await waitForOutbox(db, 'sms', CITIZEN_PHONE, 'appuntamento prenotato');
    assert.match(sms.body, /Confermo: http/);

    const visitor = await newPage(suite.browser, { viewport: MOBILE });
    open.push(visitor);
    await visitor.goto(confirm);
    assert.equal(await h1(visitor), "Confermi l'appuntamento?");
    await expectAccessible(visitor, 'confirm link page');
    await visitor.screenshot({ path: '/tmp/e2e-agenda-confirm-page.png', fullPage: true });
    await submit(visitor, 'Sì, confermo');
    assert.equal(await h1(visitor), 'Grazie, appuntamento confermato.');
    await expectAccessible(visitor, 'confirm link done');
    const row = await db
      .selectFrom('appointments')
      .select('confirmed_at')
      .where('id', '=', firstAppointmentId)
      .executeTakeFirstOrThrow();
    assert.ok(row.confirmed_at);

    await visitor.goto(confirm);
    assert.equal(await h1(visitor), 'Collegamento non valido');
    await visitor.getByText('Questo collegamento è già stato usato.').waitFor();
    assert.equal(await visitor.getByRole('button', { name: 'Sì, confermo' }).count(), 0);
    await expectAccessible(visitor, 'confirm link used');
    await closeContext(visitor);
  });

  test('4. after the time, the operator records a no-show', async () => {
    const db = suite.platform.db;
    const { slot_id } = await db
      .selectFrom('appointments')
      .select('slot_id')
      .where('id', '=', firstAppointmentId)
      .executeTakeFirstOrThrow();
    // The appointment is tomorrow: move its slot an hour into the past.
    const startsAt = new Date(Date.now() - 3600_000);
    await db
      .updateTable('agenda_slots')
      .set({ starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 1800_000) })
      .where('id', '=', slot_id)
      .execute();
    const day = romeDate(startsAt);
    await operator.goto(`${suite.base}/operatore/agenda?giorno=${day}`);
    const item = operator.locator('main li.list-group-item').filter({ hasText: 'Giulia Conti' });
    assert.equal(await item.count(), 1);
    assert.match((await item.textContent()) ?? '', /Accoglienza e prime informazioni \(In videochiamata\)/);
    await expectAccessible(operator, `/operatore/agenda?giorno=${day} (with Giulia)`);
    await operator.screenshot({ path: '/tmp/e2e-agenda-operator-day.png', fullPage: true });
    await item.getByLabel('Esito').selectOption({ label: 'Assente' });
    await item.getByLabel('Nota').fill('Non si è collegata');
    await submit(operator, "Salva l'esito");
    await operator.getByText('Esito salvato.').waitFor();
    await expectAccessible(operator, '/operatore/agenda (outcome saved)');
    const events = await db
      .selectFrom('agenda_events')
      .select(['event', 'reason'])
      .where('appointment_id', '=', firstAppointmentId)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      events.map((e) => e.event),
      ['booked', 'confirmed', 'no_show'],
    );
    assert.equal(events[2]!.reason, 'Non si è collegata');
  });

  test('5. Giulia books again and sees both appointments', async () => {
    const slot = await bookFirstSlot(giulia, suite.base, {
      service: `${ACCOGLIENZA} (30 min)`,
      channel: VIDEO,
      label: 'Giulia, second booking',
    });
    assert.match(slot, /09:30/);
    await giulia.getByText('Appuntamento prenotato.', { exact: false }).waitFor();
    const cards = await myAppointments(giulia);
    assert.equal(cards.length, 2);
    assert.ok(cards.every((c) => c.service === ACCOGLIENZA));
    assert.deepEqual(
      cards
        .map((c) => (/Assente/.test(c.text) ? 'Assente' : /Prenotato/.test(c.text) ? 'Prenotato' : c.text))
        .sort(),
      ['Assente', 'Prenotato'],
    );
    await expectAccessible(giulia, '/appuntamenti (two appointments)');
  });

  test('5b. Giulia moves that appointment to a later time, with a reason, still without JavaScript', async () => {
    const db = suite.platform.db;
    const { citizen } = await users();
    const before = await db
      .selectFrom('appointments')
      .select(['id', 'slot_id'])
      .where('citizen_id', '=', citizen.id)
      .where('status', '=', 'booked')
      .executeTakeFirstOrThrow();
    const card = giulia.locator('main li.card').filter({ hasText: 'Prenotato' });
    await Promise.all([
      giulia.waitForNavigation({ waitUntil: 'load' }),
      card.getByRole('link', { name: 'Sposta a un altro giorno o ora' }).click(),
    ]);
    assert.equal(await h1(giulia), "Come preferisci fare l'incontro?");
    await giulia.getByText('Ora: Accoglienza e prime informazioni', { exact: false }).waitFor();
    await expectAccessible(giulia, 'move: channel');
    await choose(giulia, VIDEO);
    await submit(giulia, 'Continua', (u) => u.searchParams.has('canale'));
    assert.equal(await h1(giulia), 'Scegli giorno e ora');
    await choose(
      giulia,
      ((await giulia.locator('main fieldset label.form-check-label').nth(0).textContent()) ?? '').trim(),
    );
    // Without a reason the page says so and keeps the chosen time.
    await submit(giulia, 'Sposta a questo orario');
    await giulia.locator('#error-summary').waitFor();
    await giulia.getByText("Scrivi perché vuoi spostare l'appuntamento.", { exact: false }).first().waitFor();
    assert.equal(await giulia.locator('main input[name="slot"]:checked').count(), 1);
    await expectAccessible(giulia, 'move: reason missing');
    await giulia.getByLabel('Perché vuoi spostarlo?').fill('Ho un colloquio di lavoro');
    await submit(giulia, 'Sposta a questo orario');
    await giulia.getByText('Appuntamento spostato.', { exact: false }).waitFor();
    await expectAccessible(giulia, '/appuntamenti (moved)');
    const after = await db
      .selectFrom('appointments')
      .select(['id', 'slot_id', 'sequence'])
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(after.slot_id, before.slot_id);
    assert.equal(after.sequence, 1);
    const email = await waitForOutbox(db, 'email', CITIZEN_EMAIL, 'è stato spostato');
    assert.match(email.attachment ?? '', /METHOD:REQUEST/);
    assert.match(email.attachment ?? '', /SEQUENCE:1/);
    assert.match(email.attachment ?? '', new RegExp(`UID:${before.id}@sportello-lavoro`));
  });

  test('6. a full group session: Mario waits, Giulia cancels, Mario gets the seat', async () => {
    const db = suite.platform.db;
    const { op } = await users();
    const day = new Date(Date.now() + 3 * 86_400_000);
    day.setUTCHours(14, 15, 0, 0);
    const session = await db
      .insertInto('agenda_slots')
      .values({
        region_code: op.region_code,
        operator_id: op.id,
        office_id: op.office_id!,
        starts_at: day,
        ends_at: new Date(day.getTime() + 90 * 60_000),
        mode: 'both',
        services: ['sessione_informativa'],
        capacity: 1,
        title: 'Sessione informativa',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // Mario (JavaScript on) opens the slot list while the seat is still free…
    const mario = await newPage(suite.browser);
    open.push(mario);
    await signInWithSpid(mario, suite.base, 'mario', 'Mario, waiting list');
    await mario.goto(`${suite.base}/appuntamenti/nuovo`);
    await expectAccessible(mario, '/appuntamenti/nuovo (Mario)');
    await choose(mario, `${SESSION} (90 min)`);
    await submit(mario, 'Continua');
    await choose(mario, VIDEO);
    await submit(mario, 'Continua');
    assert.equal(await h1(mario), 'Scegli giorno e ora');
    await expectAccessible(mario, 'slot list (Mario)');
    const marioSlot = mario.locator(`input[name="slot"][value="${session.id}"]`);
    assert.equal(await marioSlot.count(), 1);

    // …Giulia takes the only seat…
    const slot = await bookFirstSlot(giulia, suite.base, {
      service: `${SESSION} (90 min)`,
      channel: VIDEO,
      label: 'Giulia, group session',
    });
    assert.ok(slot);
    await giulia.getByText('Appuntamento prenotato.', { exact: false }).waitFor();
    await expectAccessible(giulia, '/appuntamenti (session booked)');

    // …a full session is no longer offered to anyone…
    const fresh = await mario.context().newPage();
    await fresh.goto(`${suite.base}/appuntamenti/nuovo?servizio=sessione_informativa&canale=video`);
    await fresh.getByText('Non ci sono posti liberi al momento.', { exact: false }).waitFor();
    // …except as a waiting list, which a person joins on purpose.
    await fresh.getByRole('heading', { name: 'Incontri al completo' }).waitFor();
    assert.equal(await fresh.getByRole('button', { name: "Mettimi in lista d'attesa" }).count(), 1);
    await expectAccessible(fresh, 'slot list when the session is full');
    await fresh.close();

    // …so Mario, pressing "Prenota" on the list he had open, joins the waiting list.
    await mario.locator(`label[for="${await marioSlot.getAttribute('id')}"]`).click();
    await submit(mario, 'Prenota');
    const notice = (await mario.locator('main [role="status"]').textContent()) ?? '';
    assert.match(notice, /sei in lista d'attesa/);
    await expectAccessible(mario, '/appuntamenti (waiting list)');
    await mario.screenshot({ path: '/tmp/e2e-agenda-waiting-list.png', fullPage: true });
    assert.deepEqual(await myAppointments(mario), []);
    await mario.getByText("Sei al posto 1 della lista d'attesa.").waitFor();

    // Giulia cancels with a reason.
    const card = giulia.locator('main li.card').filter({ hasText: SESSION });
    await card.getByLabel("Motivo dell'annullamento").fill('Ho un colloquio di lavoro');
    await Promise.all([
      giulia.waitForNavigation({ waitUntil: 'load' }),
      card.getByRole('button', { name: "Annulla l'appuntamento" }).click(),
    ]);
    await giulia.getByText('Appuntamento annullato.').waitFor();
    assert.match((await myAppointments(giulia)).find((c) => c.service === SESSION)?.text ?? '', /Annullato/);
    await expectAccessible(giulia, '/appuntamenti (session cancelled)');

    await mario.goto(`${suite.base}/appuntamenti`);
    const marios = await myAppointments(mario);
    assert.equal(marios.length, 1);
    assert.equal(marios[0]!.service, SESSION);
    assert.match(marios[0]!.text, /Prenotato/);
    await mario.getByRole('link', { name: 'Entra nella videochiamata' }).waitFor();
    await expectAccessible(mario, '/appuntamenti (Mario promoted)');
    const waiting = await db
      .selectFrom('agenda_waitlist')
      .select(['promoted_at', 'appointment_id'])
      .where('slot_id', '=', session.id)
      .executeTakeFirstOrThrow();
    assert.ok(waiting.promoted_at && waiting.appointment_id);
    await closeContext(mario);
  });

  test('7. the weekly-hours form rejects a bad time and overlapping hours', async () => {
    await operator.goto(`${suite.base}/operatore/agenda`);
    await addWeeklyHours(operator, {
      weekday,
      start: '25:99',
      end: '12:00',
      slotMinutes: '30',
      mode: 'Solo di persona',
      services: [ACCOGLIENZA],
      from: romeDate(new Date()),
    });
    await operator.locator('#error-summary').waitFor();
    assert.match((await operator.locator('main').textContent()) ?? '', /Scrivi l'ora come 09:00\./);
    assert.equal(await operator.getByLabel('Dalle ore', { exact: true }).inputValue(), '25:99');
    assert.equal(await operator.getByLabel('Alle ore', { exact: true }).inputValue(), '12:00');
    assert.equal(
      await operator.getByLabel('Dalle ore', { exact: true }).getAttribute('aria-invalid'),
      'true',
    );
    await expectAccessible(operator, 'template form: bad time');

    await operator.getByLabel('Dalle ore', { exact: true }).fill('10:00');
    await submit(operator, "Salva l'orario");
    await operator.locator('#error-summary').waitFor();
    assert.match((await operator.locator('main').textContent()) ?? '', /si sovrappone/);
    assert.equal(await operator.getByLabel('Dalle ore', { exact: true }).inputValue(), '10:00');
    await expectAccessible(operator, 'template form: overlap');
    const templates = await suite.platform.db.selectFrom('agenda_templates').select('id').execute();
    assert.equal(templates.length, 1);
  });

  test('8. the booking page in English and Arabic', async () => {
    await giulia.goto(`${suite.base}/appuntamenti/nuovo?lang=en`);
    assert.equal(await giulia.locator('html').getAttribute('lang'), 'en');
    await expectAccessible(giulia, '/appuntamenti/nuovo?lang=en');
    await giulia.goto(`${suite.base}/appuntamenti/nuovo?lang=ar`);
    assert.equal(await giulia.locator('html').getAttribute('dir'), 'rtl');
    await expectAccessible(giulia, '/appuntamenti/nuovo?lang=ar');
    await giulia.goto(`${suite.base}/appuntamenti/nuovo?lang=it`);
  });

  test('9. each cancel form on /appuntamenti has its own reason field', async () => {
    await bookFirstSlot(giulia, suite.base, {
      service: `${ACCOGLIENZA} (30 min)`,
      channel: VIDEO,
      label: 'Giulia, third booking',
    });
    const reasons = giulia.locator('main form[action$="/annulla"] input[name="reason"]');
    assert.equal(await reasons.count(), 2, 'two appointments can be cancelled');
    const ids = await reasons.evaluateAll((inputs) => inputs.map((i) => i.id));
    assert.equal(new Set(ids).size, ids.length, `repeated ids: ${ids.join(', ')}`);
  });

  test('10. cancelling without a reason says what is missing', async () => {
    await giulia.goto(`${suite.base}/appuntamenti`);
    const form = giulia.locator('main form[action$="/annulla"]').first();
    await Promise.all([
      giulia.waitForNavigation({ waitUntil: 'load' }),
      form.getByRole('button', { name: "Annulla l'appuntamento" }).click(),
    ]);
    assert.match(giulia.url(), /errore=reason/);
    await giulia.getByText('Per annullare scrivi il motivo.').waitFor({ timeout: 2_000 });
  });

  test('11. the operator sees the week, in person and remote side by side; the coordinator sees the office week', async () => {
    await operator.goto(`${suite.base}/operatore/agenda?giorno=${openDay}`);
    await Promise.all([
      operator.waitForNavigation({ waitUntil: 'load' }),
      operator.getByRole('link', { name: 'Vedi la settimana' }).click(),
    ]);
    assert.equal(await h1(operator), 'La mia settimana');
    const remoteRow = operator
      .locator('main tr')
      .filter({ has: operator.locator('th', { hasText: 'A distanza' }) });
    assert.match((await remoteRow.textContent()) ?? '', /Giulia Conti/);
    await expectAccessible(operator, '/operatore/agenda/settimana');
    await operator.screenshot({ path: '/tmp/e2e-agenda-operator-week.png', fullPage: true });
    await operator.goto(`${suite.base}/operatore/sportello?giorno=${openDay}`);
    await Promise.all([
      operator.waitForNavigation({ waitUntil: 'load' }),
      operator.getByRole('link', { name: 'Vedi la settimana del Centro' }).click(),
    ]);
    assert.equal(await h1(operator), 'La settimana del Centro');
    assert.match((await operator.locator('main table').textContent()) ?? '', /Chiara Baldelli/);
    assert.doesNotMatch((await operator.locator('main').textContent()) ?? '', /Giulia Conti/);
    await expectAccessible(operator, '/operatore/ufficio/settimana');
    await operator.screenshot({ path: '/tmp/e2e-agenda-office-week.png', fullPage: true });
  });
});
