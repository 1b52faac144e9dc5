import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';

let platform: TestPlatform;
let citizen: Visitor;
let slots: { id: string; starts_at: Date }[];
before(async () => {
  platform = await startTestPlatform();
  citizen = await platform.signInAs('citizen');
  const operator = await platform.db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('role', '=', 'cpi_operator')
    .executeTakeFirstOrThrow();
  const base = Date.now() + 5 * 86_400_000;
  slots = await platform.db
    .insertInto('agenda_slots')
    .values(
      Array.from({ length: 3 }, (_, i) => ({
        region_code: '10',
        operator_id: operator.id,
        office_id: operator.office_id!,
        starts_at: new Date(base + i * 3600_000),
        ends_at: new Date(base + i * 3600_000 + 1800_000),
        mode: 'both' as const,
        services: ['accoglienza'],
      })),
    )
    .returning(['id', 'starts_at'])
    .execute();
});
after(async () => {
  await platform.stop();
});

const anonymous = () => platform.anonymous();
const post = (visitor: Visitor, url: string, fields: Record<string, string>) =>
  platform.post(visitor, url, fields);

async function lastEmail(kind: string) {
  const mail = await platform.lastQueuedEmail(`appointment:%:${kind}:%`);
  assert.ok(mail, `an e-mail for ${kind}`);
  return mail;
}

test('booking a video appointment sends the confirmation with the iCalendar invitation, the video link and one-click links; reminders are scheduled', async () => {
  const res = await post(citizen, '/appuntamenti/prenota', {
    slot: slots[0]!.id,
    servizio: 'accoglienza',
    canale: 'video',
  });
  assert.equal(res.headers.location, '/appuntamenti?ok=booked');
  const mail = await lastEmail('booked');
  assert.match(mail.text, /https:\/\/meet\.jit\.si\/SportelloLavoro-/);
  assert.match(mail.text, /\/appuntamento\/[A-Za-z0-9_-]{43}/);
  assert.equal(mail.calendar?.method, 'REQUEST');
  const ics = mail.calendar?.content ?? '';
  assert.match(ics, /^BEGIN:VCALENDAR/);
  assert.match(ics, /DTSTART;TZID=Europe\/Rome:/);
  assert.match(ics, /SEQUENCE:0/);
  assert.match(ics, /STATUS:CONFIRMED/);
  const reminders = await platform.pool.query<{ start_after: Date }>(
    "select start_after from pgboss.job where name = 'appointment-reminder' order by start_after",
  );
  assert.equal(reminders.rows.length, 2);
  const starts = slots[0]!.starts_at.getTime();
  assert.ok(Math.abs(reminders.rows[0]!.start_after.getTime() - (starts - 48 * 3600_000)) < 5000);
  assert.ok(Math.abs(reminders.rows[1]!.start_after.getTime() - (starts - 2 * 3600_000)) < 5000);
  const mine = await platform.app.inject({
    method: 'GET',
    url: '/appuntamenti',
    headers: { cookie: citizen.cookie },
  });
  assert.match(mine.body, /Entra nella videochiamata/);
});

test('the confirm link works without signing in, once; a tampered token is refused', async () => {
  const mail = await lastEmail('booked');
  const confirmUrl = /Confermo: \S+(\/appuntamento\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  assert.ok(confirmUrl);
  const visitor = anonymous();
  const page = await platform.app.inject({
    method: 'GET',
    url: confirmUrl,
    headers: { cookie: visitor.cookie },
  });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Confermi l&#39;appuntamento|Confermi l'appuntamento/);
  const done = await post(visitor, confirmUrl, {});
  assert.match(done.body, /appuntamento confermato/);
  const replay = await post(visitor, confirmUrl, {});
  assert.equal(replay.statusCode, 400);
  assert.match(replay.body, /già stato usato/);
  const tampered = `${confirmUrl.slice(0, -1)}${confirmUrl.endsWith('A') ? 'B' : 'A'}`;
  const bad = await platform.app.inject({
    method: 'GET',
    url: tampered,
    headers: { cookie: visitor.cookie },
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /non è valido/);
  const appt = await platform.db
    .selectFrom('appointments')
    .select('confirmed_at')
    .where('slot_id', '=', slots[0]!.id)
    .executeTakeFirstOrThrow();
  assert.ok(appt.confirmed_at);
});

test('"I need another time" cancels, sends the iCalendar cancellation and asks the office to call back', async () => {
  const mail = await lastEmail('booked');
  const url = /Mi serve un altro orario: \S+(\/appuntamento\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  assert.ok(url);
  const visitor = anonymous();
  await platform.app.inject({ method: 'GET', url, headers: { cookie: visitor.cookie } });
  const done = await post(visitor, url, {});
  assert.match(done.body, /un operatore ti chiamerà/);
  const cancel = await lastEmail('cancelled');
  assert.equal(cancel.calendar?.method, 'CANCEL');
  assert.match(cancel.calendar?.content ?? '', /STATUS:CANCELLED/);
  assert.match(cancel.calendar?.content ?? '', /SEQUENCE:1/);
  const help = await platform.db
    .selectFrom('help_requests')
    .select(['topic'])
    .where('topic', '=', 'appointment')
    .execute();
  assert.equal(help.length, 1);
  // The other links of the same message no longer work: the appointment changed.
  const cancelUrl = /Annullo: \S+(\/appuntamento\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  const stale = await platform.app.inject({
    method: 'GET',
    url: cancelUrl ?? '/',
    headers: { cookie: visitor.cookie },
  });
  assert.equal(stale.statusCode, 400);
});
