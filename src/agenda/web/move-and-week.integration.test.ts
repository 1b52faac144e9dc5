import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { romeWallTimeToUtc } from '../domain/slots.ts';
import { bookSlot } from '../use-cases/booking.ts';
import { addDays, mondayOf, todayInRome } from '../use-cases/templates.ts';
import { appointmentTime } from './booking-routes.tsx';

/** Moving an appointment (citizen and operator), waiting lists from the picker, and the week views. */
let platform: TestPlatform;
let citizen: Visitor;
let operator: Visitor;
let operatorId: string;
let monday: string;
let slots: { id: string; starts_at: Date }[];
let group: string;

before(async () => {
  platform = await startTestPlatform();
  citizen = await platform.signInAs('citizen');
  operator = await platform.signInAs('cpi_operator');
  const op = await platform.db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('role', '=', 'cpi_operator')
    .executeTakeFirstOrThrow();
  operatorId = op.id;
  // Next week's Tuesday, 09:00 to 10:30 in Rome: three half-hour slots, and a seminar with one seat.
  monday = addDays(mondayOf(todayInRome()), 7);
  const tuesday = addDays(monday, 1);
  slots = await platform.db
    .insertInto('agenda_slots')
    .values(
      ['09:00', '09:30', '10:00'].map((time) => {
        const starts = romeWallTimeToUtc(tuesday, time);
        return {
          region_code: '10',
          operator_id: op.id,
          office_id: op.office_id!,
          starts_at: starts,
          ends_at: new Date(starts.getTime() + 1800_000),
          mode: 'both' as const,
          services: ['accoglienza'],
        };
      }),
    )
    .returning(['id', 'starts_at'])
    .execute();
  const seminar = romeWallTimeToUtc(addDays(monday, 3), '15:00');
  const [row] = await platform.db
    .insertInto('agenda_slots')
    .values({
      region_code: '10',
      operator_id: op.id,
      office_id: op.office_id!,
      starts_at: seminar,
      ends_at: new Date(seminar.getTime() + 90 * 60_000),
      mode: 'remote',
      services: ['sessione_informativa'],
      capacity: 1,
      title: 'Come si scrive un CV',
    })
    .returning('id')
    .execute();
  group = row!.id;
});
after(async () => {
  await platform.stop();
});

const get = (visitor: Visitor, url: string) => platform.get(visitor, url);
const post = (visitor: Visitor, url: string, fields: Record<string, string>) =>
  platform.post(visitor, url, fields);

async function lastEmail(kind: string) {
  const mail = await platform.lastQueuedEmail(`appointment:%:${kind}:%`);
  assert.ok(mail, `an e-mail for ${kind}`);
  return mail;
}

const uidOf = (ics: string) => /UID:(\S+)/.exec(ics)?.[1];

test('the citizen moves an appointment: one action, a reason, the same calendar event with a new sequence', async () => {
  const booked = await post(citizen, '/appuntamenti/prenota', {
    slot: slots[0]!.id,
    servizio: 'accoglienza',
    canale: 'video',
  });
  assert.equal(booked.headers.location, '/appuntamenti?ok=booked');
  const first = await lastEmail('booked');
  const appt = await platform.db
    .selectFrom('appointments')
    .select('id')
    .where('slot_id', '=', slots[0]!.id)
    .executeTakeFirstOrThrow();
  const list = await get(citizen, '/appuntamenti');
  assert.match(list.body, new RegExp(`/appuntamenti/${appt.id}/sposta`));
  // The service is fixed; the person picks the channel again, then the time.
  const channelStep = await get(citizen, `/appuntamenti/${appt.id}/sposta`);
  assert.equal(channelStep.statusCode, 200);
  assert.match(channelStep.body, /Ora: Accoglienza/);
  assert.match(channelStep.body, /name="canale"/);
  const slotStep = await get(citizen, `/appuntamenti/${appt.id}/sposta?canale=video`);
  assert.match(slotStep.body, new RegExp(`value="${slots[1]!.id}"`));
  assert.match(slotStep.body, /Perché vuoi spostarlo/);
  // No reason: the page comes back with the message and the chosen time still chosen.
  const noReason = await post(citizen, `/appuntamenti/${appt.id}/sposta`, {
    slot: slots[1]!.id,
    canale: 'video',
    reason: '',
  });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /Scrivi perché vuoi spostare/);
  assert.match(noReason.body, new RegExp(`value="${slots[1]!.id}"[^>]*checked`));
  const moved = await post(citizen, `/appuntamenti/${appt.id}/sposta`, {
    slot: slots[1]!.id,
    canale: 'video',
    reason: 'Ho un colloquio di lavoro',
  });
  assert.equal(moved.headers.location, '/appuntamenti?ok=moved');
  const after = await platform.db
    .selectFrom('appointments')
    .select(['id', 'slot_id', 'sequence', 'status'])
    .where('id', '=', appt.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(after, { id: appt.id, slot_id: slots[1]!.id, sequence: 1, status: 'booked' });
  const mail = await lastEmail('moved');
  assert.equal(mail.calendar?.method, 'REQUEST');
  assert.equal(uidOf(mail.calendar?.content ?? ''), uidOf(first.calendar?.content ?? ''));
  assert.match(mail.calendar?.content ?? '', /SEQUENCE:1/);
  assert.match(mail.text, /spostato/);
  // The links of the first message no longer act on the appointment.
  const oldConfirm = /Confermo: \S+(\/appuntamento\/[A-Za-z0-9_-]{43})/.exec(first.text)?.[1];
  const stale = await get(platform.anonymous(), oldConfirm ?? '/');
  assert.equal(stale.statusCode, 400);
  assert.match(stale.body, /è cambiato/);
  // Another person's appointment, or a made-up id, is simply not there.
  assert.equal((await get(citizen, '/appuntamenti/not-an-id/sposta')).statusCode, 404);
});

test('a full group session is offered with its waiting list; the person sees their place and can leave', async () => {
  const other = await platform.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'employer')
    .executeTakeFirstOrThrow();
  const seat = await bookSlot(platform.db, {
    regionCode: '10',
    slotId: group,
    citizenId: other.id,
    serviceCode: 'sessione_informativa',
    channel: 'video',
    bookedBy: other.id,
  });
  assert.ok(seat.ok);
  const picker = await get(citizen, '/appuntamenti/nuovo?servizio=sessione_informativa&canale=video');
  assert.match(picker.body, /Incontri al completo/);
  assert.match(picker.body, /Come si scrive un CV/);
  const joined = await post(citizen, '/appuntamenti/prenota', {
    slot: group,
    servizio: 'sessione_informativa',
    canale: 'video',
  });
  assert.equal(joined.headers.location, '/appuntamenti?ok=waitlisted');
  const mine = await get(citizen, '/appuntamenti');
  assert.match(mine.body, /Le mie liste d&#39;attesa|Le mie liste d'attesa/);
  assert.match(mine.body, /posto 1 della lista/);
  // The session's time, as the page writes it (the list comes back from the database as JSON).
  const { starts_at } = await platform.db
    .selectFrom('agenda_slots')
    .select('starts_at')
    .where('id', '=', group)
    .executeTakeFirstOrThrow();
  const when = appointmentTime('it').format(starts_at);
  assert.ok(mine.body.includes(when), `the page shows ${when}`);
  const entry = /\/appuntamenti\/attesa\/([0-9a-f-]{36})\/lascia/.exec(mine.body)?.[1];
  assert.ok(entry);
  const left = await post(citizen, `/appuntamenti/attesa/${entry}/lascia`, {});
  assert.equal(left.headers.location, '/appuntamenti?ok=leftWaitlist');
  const again = await post(citizen, `/appuntamenti/attesa/${entry}/lascia`, {});
  assert.equal(again.statusCode, 404);
});

test('the operator week shows in person and remote side by side with names (reads audited); the office week shows counts', async () => {
  const week = await get(operator, `/operatore/agenda/settimana?dal=${addDays(monday, 2)}`);
  assert.equal(week.statusCode, 200);
  assert.match(week.body, /La mia settimana/);
  assert.match(week.body, /<th scope="row">Di persona<\/th>/);
  assert.match(week.body, /<th scope="row">A distanza<\/th>/);
  // The citizen's moved video appointment sits in the remote row, next to the free in-person times.
  const remoteRow = week.body.slice(week.body.indexOf('<th scope="row">A distanza</th>'));
  assert.match(remoteRow, /Accoglienza/);
  const reads = await platform.db
    .selectFrom('audit_log')
    .select(['subject_id', 'purpose'])
    .where('action', '=', 'read.appointment')
    .where('actor_id', '=', operatorId)
    .execute();
  assert.ok(reads.length >= 1);
  const office = await get(operator, `/operatore/ufficio/settimana?dal=${monday}`);
  assert.equal(office.statusCode, 200);
  assert.match(office.body, /La settimana del Centro/);
  assert.match(office.body, /prenotati: 1, liberi: 0/);
  assert.match(office.body, /prenotati: 0, liberi: 2/);
  // Counts only: no citizen's name on the coordinator's page.
  const person = await platform.db
    .selectFrom('users')
    .select('family_name')
    .where('role', '=', 'citizen')
    .executeTakeFirstOrThrow();
  assert.doesNotMatch(office.body, new RegExp(person.family_name));
  // A citizen has no business there.
  assert.equal((await get(citizen, '/operatore/ufficio/settimana')).statusCode, 403);
});

test('the operator moves a booking from their agenda, and the move is audited', async () => {
  const appt = await platform.db
    .selectFrom('appointments')
    .select(['id', 'citizen_id'])
    .where('slot_id', '=', slots[1]!.id)
    .where('status', '=', 'booked')
    .executeTakeFirstOrThrow();
  const day = await get(operator, `/operatore/agenda?giorno=${addDays(monday, 1)}`);
  assert.match(day.body, new RegExp(`/operatore/agenda/appuntamenti/${appt.id}/sposta`));
  const moved = await post(operator, `/operatore/agenda/appuntamenti/${appt.id}/sposta`, {
    slot: slots[2]!.id,
    canale: 'phone',
    reason: 'La persona ha telefonato',
  });
  assert.equal(moved.headers.location, '/operatore/agenda?ok=moved');
  const audit = await platform.db
    .selectFrom('audit_log')
    .select(['subject_id', 'purpose'])
    .where('action', '=', 'appointment.move')
    .executeTakeFirstOrThrow();
  assert.deepEqual(audit, { subject_id: appt.citizen_id, purpose: 'appointment' });
  const now = await platform.db
    .selectFrom('appointments')
    .select(['slot_id', 'channel', 'sequence'])
    .where('id', '=', appt.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(now, { slot_id: slots[2]!.id, channel: 'phone', sequence: 2 });
});
