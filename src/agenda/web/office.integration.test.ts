import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';

let platform: TestPlatform;
let operator: Visitor;
before(async () => {
  platform = await startTestPlatform();
  operator = await platform.signInAs('cpi_operator');
});
after(async () => {
  await platform.stop();
});

const post = (visitor: Visitor, url: string, fields: Record<string, string>) =>
  platform.post(visitor, url, fields);
const inDays = (n: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(Date.now() + n * 86_400_000));

test('a group session is created with its seats; bad values are refused and kept', async () => {
  const ok = await post(operator, '/operatore/pianificazione/gruppo', {
    title: 'Come usare SPID',
    service: 'sessione_informativa',
    date: inDays(4),
    start: '10:00',
    end: '11:30',
    capacity: '20',
    mode: 'both',
  });
  assert.equal(ok.headers.location, '/operatore/pianificazione?ok=group');
  const slot = await platform.db
    .selectFrom('agenda_slots')
    .select(['capacity', 'title'])
    .where('title', '=', 'Come usare SPID')
    .executeTakeFirstOrThrow();
  assert.deepEqual(slot, { capacity: 20, title: 'Come usare SPID' });
  const bad = await post(operator, '/operatore/pianificazione/gruppo', {
    title: 'X',
    service: 'sessione_informativa',
    date: inDays(4),
    start: '12:00',
    end: '11:00',
    capacity: 'mille',
    mode: 'both',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /numero di posti da 2 a 500/);
  assert.match(bad.body, /value="mille"/);
  const past = await post(operator, '/operatore/pianificazione/gruppo', {
    title: 'Y',
    service: 'sessione_informativa',
    date: inDays(-2),
    start: '10:00',
    end: '11:00',
    capacity: '5',
    mode: 'both',
  });
  assert.match(past.body, /già passata/);
});

test('an absence withdraws free slots and reports booked ones; the front desk lists the day', async () => {
  const op = await platform.db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('role', '=', 'cpi_operator')
    .executeTakeFirstOrThrow();
  const day = inDays(6);
  const at = (h: number) => new Date(`${day}T${String(h).padStart(2, '0')}:00:00+01:00`);
  const slots = await platform.db
    .insertInto('agenda_slots')
    .values(
      [9, 10, 11].map((h) => ({
        region_code: '10',
        operator_id: op.id,
        office_id: op.office_id!,
        starts_at: at(h),
        ends_at: at(h + 1),
        mode: 'both' as const,
        services: ['accoglienza'],
      })),
    )
    .returning('id')
    .execute();
  const citizen = await platform.signInAs('citizen');
  const booked = await post(citizen, '/appuntamenti/prenota', {
    slot: slots[0]!.id,
    servizio: 'accoglienza',
    canale: 'in_person',
  });
  assert.equal(booked.headers.location, '/appuntamenti?ok=booked');
  const desk = await platform.app.inject({
    method: 'GET',
    url: `/operatore/sportello?giorno=${day}`,
    headers: { cookie: operator.cookie },
  });
  assert.match(desk.body, /Conti Giulia/);
  const res = await post(operator, '/operatore/pianificazione/assenza', {
    fromDate: day,
    toDate: day,
    reason: 'leave',
    note: '',
  });
  assert.equal(res.headers.location, '/operatore/pianificazione?ok=absence&b=2&m=1');
  const reversed = await post(operator, '/operatore/pianificazione/assenza', {
    fromDate: day,
    toDate: inDays(1),
    reason: 'leave',
    note: '',
  });
  assert.equal(reversed.statusCode, 400);
  assert.match(reversed.body, /fine deve venire dopo/);
});
