import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { addDays, todayInRome } from '../use-cases/templates.ts';

let platform: TestPlatform;
let operator: Visitor;
before(async () => {
  platform = await startTestPlatform();
  operator = await platform.signInAs('cpi_operator');
});
after(async () => {
  await platform.stop();
});

const post = (visitor: Visitor, url: string, fields: Record<string, string | string[]>) =>
  platform.post(visitor, url, fields);

test('an operator sets weekly hours: slots appear for 90 days; overlapping or malformed hours are refused', async () => {
  const template = {
    weekday: '2',
    start: '09:00',
    end: '12:00',
    slot: '30',
    mode: 'both',
    services: ['accoglienza', 'orientamento'],
    from: todayInRome(),
    to: '',
  };
  // The day view links to the form, which has a page of its own.
  const agenda = await platform.get(operator, '/operatore/agenda');
  assert.equal(agenda.statusCode, 200);
  assert.match(agenda.body, /href="\/operatore\/agenda\/modelli\/nuovo"/);
  assert.doesNotMatch(agenda.body, /action="\/operatore\/agenda\/modelli"/);
  const blank = await platform.get(operator, '/operatore/agenda/modelli/nuovo');
  assert.equal(blank.statusCode, 200);
  assert.match(blank.body, /<h1>Aggiungi un orario settimanale<\/h1>/);
  assert.match(blank.body, /action="\/operatore\/agenda\/modelli"/);
  assert.match(blank.body, /name="services" id="services-orientamento" value="orientamento"/);
  assert.match(blank.body, /href="\/operatore\/agenda"/);
  const res = await post(operator, '/operatore/agenda/modelli', template);
  assert.equal(res.statusCode, 303);
  assert.match(String(res.headers.location), /ok=template&n=\d+/);
  const n = Number(/n=(\d+)/.exec(String(res.headers.location))?.[1]);
  assert.ok(n >= 60 && n <= 84, `about 12-13 Tuesdays × 6 slots, got ${n}`);
  const overlap = await post(operator, '/operatore/agenda/modelli', {
    ...template,
    start: '11:00',
    end: '13:00',
  });
  assert.equal(overlap.statusCode, 400);
  assert.match(overlap.body, /si sovrappone/);
  const bad = await post(operator, '/operatore/agenda/modelli', {
    ...template,
    weekday: '3',
    start: '25:99',
    end: '08:00',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Scrivi l&#39;ora come 09:00|Scrivi l'ora come 09:00/);
  assert.match(bad.body, /value="25:99"/);
  // Shown again on the form's page, with the services that were ticked still ticked.
  assert.match(bad.body, /<h1>Aggiungi un orario settimanale<\/h1>/);
  assert.match(bad.body, /value="orientamento" checked/);
  const backwards = await post(operator, '/operatore/agenda/modelli', {
    ...template,
    weekday: '4',
    start: '12:00',
    end: '09:00',
  });
  assert.equal(backwards.statusCode, 400);
  assert.match(backwards.body, /dopo quella di inizio/);
  const noService = await post(operator, '/operatore/agenda/modelli', {
    ...template,
    weekday: '5',
    services: [],
  });
  assert.equal(noService.statusCode, 400);
  // No slot on a national holiday (e.g. 25 December if it falls in the window).
  const slots = await platform.db.selectFrom('agenda_slots').select('starts_at').execute();
  assert.ok(
    slots.every(
      (s) =>
        !s.starts_at
          .toISOString()
          .slice(5, 10)
          .match(/^(12-25|01-01|04-25|06-02)$/),
    ),
  );
});

test('an APL operator sees the day view without the weekly-hours form, which only a CPI operator sets', async () => {
  const apl = await platform.signInAs('apl_operator');
  const agenda = await platform.get(apl, '/operatore/agenda');
  assert.equal(agenda.statusCode, 200);
  assert.doesNotMatch(agenda.body, /modelli\/nuovo/);
  assert.equal((await platform.get(apl, '/operatore/agenda/modelli/nuovo')).statusCode, 403);
});

test('the day view shows bookings (audited) and the operator records a no-show as an event', async () => {
  const citizen = await platform.signInAs('citizen');
  const slot = await platform.db
    .selectFrom('agenda_slots')
    .select(['id', 'starts_at'])
    .orderBy('starts_at')
    .executeTakeFirstOrThrow();
  const booked = await post(citizen, '/appuntamenti/prenota', {
    slot: slot.id,
    servizio: 'accoglienza',
    canale: 'in_person',
  });
  assert.equal(booked.headers.location, '/appuntamenti?ok=booked');
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(slot.starts_at);
  const day = await platform.app.inject({
    method: 'GET',
    url: `/operatore/agenda?giorno=${date}`,
    headers: { cookie: operator.cookie },
  });
  assert.match(day.body, /Giulia Conti/);
  // The slot's time, read back from the page's one statement (times come back as JSON text).
  const hhmm = new Intl.DateTimeFormat('it-IT', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  }).format(slot.starts_at);
  assert.ok(day.body.includes(hhmm), `the day shows ${hhmm}`);
  const read = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'read.appointment')
    .execute();
  assert.ok(read.length >= 1);
  const appt = await platform.db
    .selectFrom('appointments')
    .select('id')
    .where('slot_id', '=', slot.id)
    .executeTakeFirstOrThrow();
  // Too early: the outcome comes after the appointment.
  const early = await post(operator, `/operatore/agenda/appuntamenti/${appt.id}/esito`, {
    outcome: 'no_show',
    note: '',
  });
  assert.equal(early.headers.location, '/operatore/agenda?ok=future');
  await platform.db
    .updateTable('agenda_slots')
    .set({ starts_at: new Date(Date.now() - 3600_000), ends_at: new Date(Date.now() - 1800_000) })
    .where('id', '=', slot.id)
    .execute();
  const done = await post(operator, `/operatore/agenda/appuntamenti/${appt.id}/esito`, {
    outcome: 'no_show',
    note: 'Non si è presentata',
    giorno: date,
  });
  assert.equal(
    done.headers.location,
    `/operatore/agenda?ok=outcome&giorno=${date}`,
    'back to the day being viewed',
  );
  const event = await platform.db
    .selectFrom('agenda_events')
    .select(['event', 'reason'])
    .where('appointment_id', '=', appt.id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  assert.deepEqual(event, { event: 'no_show', reason: 'Non si è presentata' });

  // The minutes spent: a bad number is refused on the day's page with what was typed; a good one is
  // kept for an attended appointment only.
  const url = `/operatore/agenda/appuntamenti/${appt.id}/esito`;
  const held = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(
    new Date(Date.now() - 3600_000),
  );
  for (const minuti of ['600', '0', '2,5', 'un quarto d’ora']) {
    const bad = await post(operator, url, {
      outcome: 'attended',
      note: 'Colloquio lungo',
      minuti,
      giorno: held,
    });
    assert.equal(bad.statusCode, 400, minuti);
    assert.match(bad.body, /Minuti dedicati: scrivi un numero intero da 1 a 480/);
    assert.ok(bad.body.includes(`value="${minuti}"`), `typed value kept: ${minuti}`);
    assert.match(bad.body, /value="Colloquio lungo"/);
    assert.match(bad.body, /aria-invalid="true"/);
  }
  // A note too long is refused by its own field, with the minutes kept.
  const long = await post(operator, url, {
    outcome: 'attended',
    note: 'x'.repeat(501),
    minuti: '20',
    giorno: held,
  });
  assert.equal(long.statusCode, 400);
  assert.match(long.body, new RegExp(`href="#note-${appt.id}"`));
  assert.match(long.body, new RegExp(`id="note-${appt.id}-error"`));
  assert.match(long.body, /value="20"/);
  assert.doesNotMatch(long.body, new RegExp(`id="minutes-${appt.id}-error"`));
  const minutesOf = async () =>
    (
      await platform.db
        .selectFrom('appointments')
        .select('minutes_spent')
        .where('id', '=', appt.id)
        .executeTakeFirstOrThrow()
    ).minutes_spent;
  assert.equal(await minutesOf(), null, 'nothing written by a refused form');
  await post(operator, url, { outcome: 'attended', note: '', minuti: '35', giorno: held });
  assert.equal(await minutesOf(), 35);
  const page = await platform.app.inject({
    method: 'GET',
    url: `/operatore/agenda?giorno=${held}`,
    headers: { cookie: operator.cookie },
  });
  assert.match(page.body, /name="minuti"[^>]*value="35"|value="35"[^>]*name="minuti"/);
  await post(operator, url, { outcome: 'no_show', note: '', minuti: '20', giorno: held });
  assert.equal(await minutesOf(), null, 'no minutes for a missed appointment');
  const forged = await post(
    operator,
    '/operatore/agenda/appuntamenti/00000000-0000-4000-8000-000000000000/esito',
    { outcome: 'attended' },
  );
  assert.equal(forged.statusCode, 404);
  assert.ok(addDays(date, 1) > date);
});

test('an operator books for a person taken by phone; the read is audited and the person is told', async () => {
  const citizen = await platform.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'cittadino@demo.sportello.example')
    .executeTakeFirstOrThrow();
  const picker = await platform.app.inject({
    method: 'GET',
    url: `/operatore/persone/${citizen.id}/appuntamento?servizio=accoglienza&canale=phone`,
    headers: { cookie: operator.cookie },
  });
  assert.equal(picker.statusCode, 200);
  const slotId = /name="slot"[^>]*value="([0-9a-f-]{36})"/.exec(picker.body)?.[1];
  assert.ok(slotId);
  const res = await post(operator, `/operatore/persone/${citizen.id}/appuntamento`, {
    slot: slotId,
    servizio: 'accoglienza',
    canale: 'phone',
  });
  assert.equal(res.headers.location, `/operatore/persone/${citizen.id}?purpose=appointment&ok=booked`);
  const appt = await platform.db
    .selectFrom('appointments')
    .select(['booked_by', 'channel'])
    .where('slot_id', '=', slotId)
    .executeTakeFirstOrThrow();
  assert.equal(appt.channel, 'phone');
  assert.notEqual(appt.booked_by, citizen.id);
  const reads = await platform.db
    .selectFrom('audit_log')
    .select('purpose')
    .where('subject_id', '=', citizen.id)
    .where('action', '=', 'read.person')
    .execute();
  assert.ok(reads.some((r) => r.purpose === 'appointment'));
  const other = await platform.app.inject({
    method: 'GET',
    url: '/operatore/persone/00000000-0000-4000-8000-000000000000/appuntamento',
    headers: { cookie: operator.cookie },
  });
  assert.equal(other.statusCode, 404);
});
