import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadDemoRegion, loadSyntheticCitizens } from '../../app/demo/load-demo.ts';
import { type TestDatabase, testDb } from '../../platform/testing/test-database.ts';
import {
  bookSlot,
  cancelAppointment,
  firstAvailable,
  joinWaitlist,
  leaveWaitlist,
  moveAppointment,
  waitlistOf,
} from './booking.ts';

let database: TestDatabase;
let operatorId: string;
let officeId: string;
let citizens: string[];
const region = '10';

before(async () => {
  database = await testDb();
  const { db } = database;
  await loadDemoRegion(db);
  await loadSyntheticCitizens(db, { count: 220, seed: 11 });
  const operator = await db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('role', '=', 'cpi_operator')
    .executeTakeFirstOrThrow();
  operatorId = operator.id;
  officeId = operator.office_id!;
  citizens = (
    await db.selectFrom('users').select('id').where('role', '=', 'citizen').orderBy('id').limit(220).execute()
  ).map((r) => r.id);
  await db
    .insertInto('agenda_services')
    .values([
      {
        region_code: region,
        code: 'accoglienza',
        duration_minutes: 30,
        channels: ['in_person', 'phone', 'video'],
        providers: ['cpi', 'apl'],
      },
      {
        region_code: region,
        code: 'seminario',
        duration_minutes: 90,
        channels: ['in_person', 'video'],
        providers: ['cpi'],
        group_session: true,
      },
    ])
    .execute();
});
after(async () => {
  await database.close();
});

async function makeSlots(
  count: number,
  options: { capacity?: number; service?: string; startHour?: number } = {},
) {
  const base = Date.now() + 2 * 86_400_000;
  const rows = Array.from({ length: count }, (_, i) => ({
    region_code: region,
    operator_id: operatorId,
    office_id: officeId,
    starts_at: new Date(base + (options.startHour ?? 0) * 3600_000 + i * 30 * 60_000),
    ends_at: new Date(base + (options.startHour ?? 0) * 3600_000 + (i + 1) * 30 * 60_000),
    mode: 'both' as const,
    services: [options.service ?? 'accoglienza'],
    capacity: options.capacity ?? 1,
  }));
  return (await database.db.insertInto('agenda_slots').values(rows).returning('id').execute()).map(
    (r) => r.id,
  );
}

test('200 concurrent attempts at 50 slots: exactly 50 bookings, never two on one slot', async () => {
  const slots = await makeSlots(50);
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      bookSlot(database.db, {
        regionCode: region,
        slotId: slots[i % 50]!,
        citizenId: citizens[i]!,
        serviceCode: 'accoglienza',
        channel: 'video',
        bookedBy: citizens[i]!,
      }),
    ),
  );
  assert.equal(results.filter((r) => r.ok).length, 50);
  assert.ok(results.every((r) => r.ok || r.reason === 'full'));
  const perSlot = await database.db
    .selectFrom('appointments')
    .select(['slot_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', '=', 'booked')
    .where('slot_id', 'in', slots)
    .groupBy('slot_id')
    .execute();
  assert.equal(perSlot.length, 50);
  assert.ok(perSlot.every((r) => r.n === '1'));
});

test('a full group session puts the next person on the waiting list, promoted when a seat frees', async () => {
  const [slot] = await makeSlots(1, { capacity: 2, service: 'seminario', startHour: 100 });
  const book = (i: number) =>
    bookSlot(database.db, {
      regionCode: region,
      slotId: slot!,
      citizenId: citizens[200 + i]!,
      serviceCode: 'seminario',
      channel: 'video',
      bookedBy: citizens[200 + i]!,
    });
  const a = await book(0);
  const b = await book(1);
  const c = await book(2);
  assert.ok(a.ok && b.ok);
  assert.deepEqual(c, { ok: false, reason: 'full' });
  assert.equal(
    await joinWaitlist(database.db, {
      regionCode: region,
      slotId: slot!,
      citizenId: citizens[202]!,
      serviceCode: 'seminario',
      channel: 'video',
    }),
    true,
  );
  assert.equal(
    await joinWaitlist(database.db, {
      regionCode: region,
      slotId: slot!,
      citizenId: citizens[202]!,
      serviceCode: 'seminario',
      channel: 'video',
    }),
    false,
  );
  const cancelled = await cancelAppointment(database.db, {
    regionCode: region,
    appointmentId: a.ok ? a.appointmentId : '',
    actorId: citizens[200]!,
    reason: 'Ho un altro impegno',
  });
  assert.ok(cancelled.ok && cancelled.promoted);
  const promoted = await database.db
    .selectFrom('appointments')
    .select(['citizen_id', 'status'])
    .where('id', '=', cancelled.ok ? (cancelled.promoted ?? '') : '')
    .executeTakeFirstOrThrow();
  assert.deepEqual(promoted, { citizen_id: citizens[202], status: 'booked' });
});

test('refusals: a slot in the past, a slot of another Region, a service or channel not offered', async () => {
  const [past] = await database.db
    .insertInto('agenda_slots')
    .values({
      region_code: region,
      operator_id: operatorId,
      office_id: officeId,
      starts_at: new Date(Date.now() - 3600_000),
      ends_at: new Date(Date.now() - 1800_000),
      mode: 'in_person',
      services: ['accoglienza'],
    })
    .returning('id')
    .execute();
  const base = { citizenId: citizens[210]!, serviceCode: 'accoglienza', bookedBy: citizens[210]! };
  assert.deepEqual(
    await bookSlot(database.db, { ...base, regionCode: region, slotId: past!.id, channel: 'in_person' }),
    { ok: false, reason: 'past' },
  );
  assert.deepEqual(
    await bookSlot(database.db, { ...base, regionCode: '00', slotId: past!.id, channel: 'in_person' }),
    { ok: false, reason: 'not_found' },
  );
  const [future] = await makeSlots(1, { startHour: 200 });
  assert.deepEqual(
    await bookSlot(database.db, {
      ...base,
      regionCode: region,
      slotId: future!,
      serviceCode: 'seminario',
      channel: 'video',
    }),
    { ok: false, reason: 'service_not_offered' },
  );
  assert.deepEqual(
    await bookSlot(database.db, { ...base, regionCode: region, slotId: 'not-a-uuid', channel: 'video' }),
    { ok: false, reason: 'not_found' },
  );
});

test('first available: soonest free slot first, full ones skipped', async () => {
  const found = await firstAvailable(database.db, {
    regionCode: region,
    serviceCode: 'accoglienza',
    channel: 'video',
    officeId,
    from: new Date(),
    limit: 5,
  });
  assert.ok(found.length > 0);
  for (let i = 1; i < found.length; i++) assert.ok(found[i - 1]!.starts_at <= found[i]!.starts_at);
  const booked = await database.db
    .selectFrom('appointments')
    .select('slot_id')
    .where('status', '=', 'booked')
    .execute();
  assert.ok(found.every((f) => !booked.some((b) => b.slot_id === f.id) || f.capacity > 1));
});

test('one person asking ten times at once for a group session gets one seat', async () => {
  const [slot] = await makeSlots(1, { capacity: 10, service: 'seminario', startHour: 300 });
  const results = await Promise.all(
    Array.from({ length: 10 }, () =>
      bookSlot(database.db, {
        regionCode: region,
        slotId: slot!,
        citizenId: citizens[215]!,
        serviceCode: 'seminario',
        channel: 'video',
        bookedBy: citizens[215]!,
      }),
    ),
  );
  assert.equal(results.filter((r) => r.ok).length, 1);
  assert.ok(results.every((r) => r.ok || r.reason === 'already_booked'));
});

test('moving keeps the same appointment with a higher sequence, frees the old seat for the waiting list, and records why', async () => {
  const [from, to] = await makeSlots(2, { startHour: 400 });
  const [group] = await makeSlots(1, { capacity: 1, service: 'seminario', startHour: 410 });
  const mover = citizens[216]!;
  const waiter = citizens[217]!;
  const booked = await bookSlot(database.db, {
    regionCode: region,
    slotId: group!,
    citizenId: mover,
    serviceCode: 'seminario',
    channel: 'video',
    bookedBy: mover,
  });
  assert.ok(booked.ok);
  await joinWaitlist(database.db, {
    regionCode: region,
    slotId: group!,
    citizenId: waiter,
    serviceCode: 'seminario',
    channel: 'video',
  });
  const waiting = await waitlistOf(database.db, region, waiter);
  assert.equal(waiting.length, 1);
  assert.equal(Number(waiting[0]!.place), 1);
  // The seminar is not offered in the plain slots: refused, nothing changes.
  assert.deepEqual(
    await moveAppointment(database.db, {
      regionCode: region,
      appointmentId: booked.appointmentId,
      slotId: from!,
      channel: 'video',
      actorId: mover,
      reason: 'Ho un colloquio',
    }),
    { ok: false, reason: 'service_not_offered' },
  );
  // A one-to-one appointment moves between two plain slots.
  const one = await bookSlot(database.db, {
    regionCode: region,
    slotId: from!,
    citizenId: mover,
    serviceCode: 'accoglienza',
    channel: 'phone',
    bookedBy: mover,
  });
  assert.ok(one.ok);
  assert.deepEqual(
    await moveAppointment(database.db, {
      regionCode: region,
      appointmentId: one.appointmentId,
      slotId: from!,
      channel: 'phone',
      actorId: mover,
      reason: 'x',
    }),
    { ok: false, reason: 'same_slot' },
  );
  // Somebody else's appointment cannot be moved by this person.
  assert.deepEqual(
    await moveAppointment(database.db, {
      regionCode: region,
      appointmentId: one.appointmentId,
      slotId: to!,
      channel: 'phone',
      actorId: waiter,
      reason: 'x',
      citizenId: waiter,
    }),
    { ok: false, reason: 'not_found' },
  );
  const moved = await moveAppointment(database.db, {
    regionCode: region,
    appointmentId: one.appointmentId,
    slotId: to!,
    channel: 'in_person',
    actorId: mover,
    reason: 'Ho un colloquio di lavoro',
    citizenId: mover,
  });
  assert.deepEqual(moved, { ok: true, promoted: null });
  const after = await database.db
    .selectFrom('appointments')
    .select(['slot_id', 'status', 'sequence', 'channel'])
    .where('id', '=', one.appointmentId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(after, { slot_id: to, status: 'booked', sequence: 1, channel: 'in_person' });
  const event = await database.db
    .selectFrom('agenda_events')
    .select(['event', 'reason'])
    .where('appointment_id', '=', one.appointmentId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  assert.deepEqual(event, { event: 'moved', reason: 'Ho un colloquio di lavoro' });
  // The old slot is free again for anyone.
  const again = await bookSlot(database.db, {
    regionCode: region,
    slotId: from!,
    citizenId: waiter,
    serviceCode: 'accoglienza',
    channel: 'phone',
    bookedBy: waiter,
  });
  assert.ok(again.ok);
  // Moving the seminar seat to a later seminar hands the freed seat to the waiting person.
  const [later] = await makeSlots(1, { capacity: 5, service: 'seminario', startHour: 420 });
  const seminar = await moveAppointment(database.db, {
    regionCode: region,
    appointmentId: booked.appointmentId,
    slotId: later!,
    channel: 'video',
    actorId: mover,
    reason: 'Quel giorno lavoro',
  });
  assert.ok(seminar.ok && seminar.promoted);
  assert.equal((await waitlistOf(database.db, region, waiter)).length, 0);
});

test('two people moving into the last seat at once: exactly one gets it', async () => {
  const [target] = await makeSlots(1, { startHour: 500 });
  const sources = await makeSlots(6, { startHour: 510 });
  const appointments = await Promise.all(
    sources.map(async (slotId, i) => {
      const r = await bookSlot(database.db, {
        regionCode: region,
        slotId,
        citizenId: citizens[100 + i]!,
        serviceCode: 'accoglienza',
        channel: 'video',
        bookedBy: citizens[100 + i]!,
      });
      assert.ok(r.ok);
      return r.appointmentId;
    }),
  );
  const results = await Promise.all(
    appointments.map((appointmentId, i) =>
      moveAppointment(database.db, {
        regionCode: region,
        appointmentId,
        slotId: target!,
        channel: 'video',
        actorId: citizens[100 + i]!,
        reason: 'prima possibile',
      }),
    ),
  );
  assert.equal(results.filter((r) => r.ok).length, 1);
  assert.ok(results.every((r) => r.ok || r.reason === 'full'));
  const onTarget = await database.db
    .selectFrom('appointments')
    .select('id')
    .where('slot_id', '=', target!)
    .where('status', '=', 'booked')
    .execute();
  assert.equal(onTarget.length, 1);
});

test('leaving a waiting list: only the person on it can take their entry off', async () => {
  const [slot] = await makeSlots(1, { capacity: 1, service: 'seminario', startHour: 600 });
  await joinWaitlist(database.db, {
    regionCode: region,
    slotId: slot!,
    citizenId: citizens[120]!,
    serviceCode: 'seminario',
    channel: 'video',
  });
  const [entry] = await waitlistOf(database.db, region, citizens[120]!);
  assert.ok(entry);
  assert.equal(await leaveWaitlist(database.db, region, citizens[121]!, entry.id), false);
  assert.equal(await leaveWaitlist(database.db, region, citizens[120]!, entry.id), true);
  assert.equal((await waitlistOf(database.db, region, citizens[120]!)).length, 0);
});

test('each booking stores the days to the first free slot of the office and to the booked one; the view aggregates them', async () => {
  await makeSlots(1, { startHour: 24 * 40 });
  const [later] = await makeSlots(1, { startHour: 24 * 60 });
  const booked = await bookSlot(database.db, {
    regionCode: region,
    slotId: later!,
    citizenId: citizens[130]!,
    serviceCode: 'accoglienza',
    channel: 'in_person',
    bookedBy: citizens[130]!,
  });
  assert.ok(booked.ok);
  const row = await database.db
    .selectFrom('appointments')
    .select(['waiting_days', 'first_available_days', 'office_id'])
    .where('id', '=', booked.appointmentId)
    .executeTakeFirstOrThrow();
  assert.equal(row.office_id, officeId);
  assert.ok(row.waiting_days !== null && row.waiting_days >= 61, `booked ${row.waiting_days}`);
  assert.ok(
    row.first_available_days !== null && row.first_available_days < row.waiting_days,
    `first ${row.first_available_days} < booked ${row.waiting_days}`,
  );
  const view = await database.db
    .selectFrom('agenda_waiting_times')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('service_code', '=', 'accoglienza')
    .where('channel', '=', 'in_person')
    .execute();
  const group = await database.db
    .selectFrom('appointments')
    .select('first_available_days')
    .where('office_id', '=', officeId)
    .where('service_code', '=', 'accoglienza')
    .where('channel', '=', 'in_person')
    .where('first_available_days', 'is not', null)
    .execute();
  assert.equal(view.length, 1);
  assert.equal(Number(view[0]!.bookings), group.length);
  const mean = group.reduce((sum, g) => sum + (g.first_available_days ?? 0), 0) / group.length;
  assert.equal(Number(view[0]!.avg_first_available_days), Math.round(mean * 10) / 10);
});
