import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { compiledOnce, withDates } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { AppointmentChannel, SlotMode } from '../../platform/db/schema.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';

/**
 * Booking, moving and cancelling. The rule "one live booking per seat" is a unique index in the
 * database: two requests for the last seat both try to insert, and exactly one succeeds.
 */
export type BookInput = {
  regionCode: string;
  slotId: string;
  citizenId: string;
  serviceCode: string;
  channel: AppointmentChannel;
  bookedBy: string;
  requestedAt?: Date;
};

export type BookResult =
  | { ok: true; appointmentId: string; seat: number }
  | {
      ok: false;
      reason:
        | 'not_found'
        | 'past'
        | 'service_not_offered'
        | 'channel_not_offered'
        | 'full'
        | 'already_booked';
    };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function channelFitsMode(channel: AppointmentChannel, mode: SlotMode): boolean {
  if (mode === 'both') return true;
  return channel === 'in_person' ? mode === 'in_person' : mode === 'remote';
}

/** Calendar days in Europe/Rome between asking and the appointment. */
export function waitingDays(requestedAt: Date, startsAt: Date): number {
  const day = (d: Date) => dateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(d);
  return Math.max(0, Math.round((Date.parse(day(startsAt)) - Date.parse(day(requestedAt))) / 86_400_000));
}

async function insertSeat(
  trx: Db | Tx,
  input: BookInput,
  seat: number,
  waiting: { booked: number; officeId: string },
): Promise<string | null> {
  const row = await trx
    .insertInto('appointments')
    .values({
      region_code: input.regionCode,
      slot_id: input.slotId,
      seat,
      citizen_id: input.citizenId,
      service_code: input.serviceCode,
      channel: input.channel,
      booked_by: input.bookedBy,
      requested_at: input.requestedAt ?? new Date(),
      waiting_days: waiting.booked,
      office_id: waiting.officeId,
    })
    .onConflict((oc) =>
      oc.columns(['region_code', 'slot_id', 'seat']).where('status', '=', 'booked').doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

type SlotProblem = 'not_found' | 'past' | 'service_not_offered' | 'channel_not_offered';

/** The slot, if a person may take a seat in it for this service and channel. */
async function bookableSlot(
  db: Db,
  input: { regionCode: string; slotId: string; serviceCode: string; channel: AppointmentChannel },
  now: Date,
): Promise<
  { ok: true; startsAt: Date; capacity: number; officeId: string } | { ok: false; reason: SlotProblem }
> {
  if (!UUID.test(input.slotId)) return { ok: false, reason: 'not_found' };
  const slot = await db
    .selectFrom('agenda_slots as s')
    .innerJoin('agenda_services as v', (j) =>
      j.onRef('v.region_code', '=', 's.region_code').on('v.code', '=', input.serviceCode),
    )
    .select([
      's.id',
      's.starts_at',
      's.mode',
      's.services',
      's.capacity',
      's.status',
      's.office_id',
      'v.channels',
    ])
    .where('s.region_code', '=', input.regionCode)
    .where('s.id', '=', input.slotId)
    .executeTakeFirst();
  if (slot?.status !== 'open') return { ok: false, reason: 'not_found' };
  if (slot.starts_at <= now) return { ok: false, reason: 'past' };
  if (!slot.services.includes(input.serviceCode)) return { ok: false, reason: 'service_not_offered' };
  if (!slot.channels.includes(input.channel) || !channelFitsMode(input.channel, slot.mode))
    return { ok: false, reason: 'channel_not_offered' };
  return { ok: true, startsAt: slot.starts_at, capacity: slot.capacity, officeId: slot.office_id };
}

/**
 * For the waiting-time indicator: the days from the request to the office's first free slot for this
 * service and channel (the booked one, if none came earlier). Written after the booking, outside its
 * transaction, so that the seat is never held while searching.
 */
async function recordFirstAvailable(
  db: Db,
  input: BookInput,
  slot: { startsAt: Date; officeId: string },
  appointmentId: string,
  now: Date,
): Promise<void> {
  const [first] = await firstAvailable(db, {
    regionCode: input.regionCode,
    serviceCode: input.serviceCode,
    channel: input.channel,
    officeId: slot.officeId,
    from: now,
    until: slot.startsAt,
    limit: 1,
  });
  await db
    .updateTable('appointments')
    .set({ first_available_days: waitingDays(input.requestedAt ?? now, first?.starts_at ?? slot.startsAt) })
    .where('region_code', '=', input.regionCode)
    .where('id', '=', appointmentId)
    .execute();
}

export async function bookSlot(
  db: Db,
  input: BookInput,
  now = new Date(),
  /** Runs in the booking's transaction (its notices): the booking and what it owes commit together. */
  onBooked?: (trx: Tx, appointmentId: string) => Promise<void>,
): Promise<BookResult> {
  const slot = await bookableSlot(db, input, now);
  if (!slot.ok) return slot;
  // One read of the slot's live bookings: is this person already in, and which seats look free.
  const held = await db
    .selectFrom('appointments')
    .select(['seat', 'citizen_id'])
    .where('region_code', '=', input.regionCode)
    .where('slot_id', '=', input.slotId)
    .where('status', '=', 'booked')
    .execute();
  if (held.some((h) => h.citizen_id === input.citizenId)) return { ok: false, reason: 'already_booked' };
  const taken = new Set(held.map((h) => h.seat));
  const seats = Array.from({ length: slot.capacity }, (_, i) => i + 1).filter((n) => !taken.has(n));
  if (seats.length === 0) return { ok: false, reason: 'full' };
  const requested = input.requestedAt ?? now;
  const waiting = { booked: waitingDays(requested, slot.startsAt), officeId: slot.officeId };
  // The unique index decides: a seat someone took since the read above is simply skipped.
  for (const seat of seats) {
    try {
      // The booking and its event are one transaction: both or neither.
      const id = await db.transaction().execute(async (trx) => {
        const booked = await insertSeat(trx, input, seat, waiting);
        if (booked) {
          await trx
            .insertInto('agenda_events')
            .values({
              region_code: input.regionCode,
              appointment_id: booked,
              citizen_id: input.citizenId,
              event: 'booked',
              actor_id: input.bookedBy,
            })
            .execute();
          await onBooked?.(trx, booked);
        }
        return booked;
      });
      if (id) {
        await recordFirstAvailable(db, input, slot, id, now);
        return { ok: true, appointmentId: id, seat };
      }
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      // The same person asking twice at once: the database lets only one through.
      if (e.code === '23505' && e.constraint === 'appointments_one_per_citizen')
        return { ok: false, reason: 'already_booked' };
      throw error;
    }
  }
  return { ok: false, reason: 'full' };
}

/** A full group session: join its waiting list (once). */
export async function joinWaitlist(
  db: Db,
  input: Omit<BookInput, 'bookedBy' | 'requestedAt'>,
): Promise<boolean> {
  const row = await db
    .insertInto('agenda_waitlist')
    .values({
      region_code: input.regionCode,
      slot_id: input.slotId,
      citizen_id: input.citizenId,
      service_code: input.serviceCode,
      channel: input.channel,
    })
    .onConflict((oc) => oc.columns(['region_code', 'slot_id', 'citizen_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

export type CancelResult =
  | { ok: true; status: 'cancelled' | 'late_cancellation'; promoted: string | null }
  | { ok: false; reason: 'not_found' };

/**
 * Cancel with a reason; within 24 hours it counts as a late cancellation. A freed seat goes to the
 * first person on the waiting list, automatically.
 */
export async function cancelAppointment(
  db: Db,
  input: { regionCode: string; appointmentId: string; actorId: string; reason: string; citizenId?: string },
  now = new Date(),
): Promise<CancelResult> {
  if (!UUID.test(input.appointmentId)) return { ok: false, reason: 'not_found' };
  const appt = await db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .select(['a.id', 'a.slot_id', 'a.citizen_id', 's.starts_at'])
    .where('a.region_code', '=', input.regionCode)
    .where('a.id', '=', input.appointmentId)
    .where('a.status', '=', 'booked')
    .$if(Boolean(input.citizenId), (q) => q.where('a.citizen_id', '=', input.citizenId ?? ''))
    .executeTakeFirst();
  if (!appt) return { ok: false, reason: 'not_found' };
  const status = appt.starts_at.getTime() - now.getTime() < 24 * 3600_000 ? 'late_cancellation' : 'cancelled';
  await db
    .updateTable('appointments')
    .set({ status, reason: input.reason, sequence: sql`sequence + 1` })
    .where('region_code', '=', input.regionCode)
    .where('id', '=', appt.id)
    .execute();
  await db
    .insertInto('agenda_events')
    .values({
      region_code: input.regionCode,
      appointment_id: appt.id,
      citizen_id: appt.citizen_id,
      event: status,
      reason: input.reason,
      actor_id: input.actorId,
    })
    .execute();
  const promoted = await promoteFromWaitlist(db, input.regionCode, appt.slot_id, now);
  return { ok: true, status, promoted };
}

export type MoveResult =
  | { ok: true; promoted: string | null }
  | { ok: false; reason: SlotProblem | 'full' | 'already_booked' | 'same_slot' };

/**
 * Move a booking to another slot as one action: the same appointment (so calendars keep its
 * iCalendar UID) with a new slot, a higher sequence and a "moved" event. The seat is taken under
 * the same unique index as a booking, and the seat left behind goes to the waiting list.
 */
export async function moveAppointment(
  db: Db,
  input: {
    regionCode: string;
    appointmentId: string;
    slotId: string;
    channel: AppointmentChannel;
    actorId: string;
    reason: string;
    citizenId?: string;
  },
  now = new Date(),
): Promise<MoveResult> {
  if (!UUID.test(input.appointmentId)) return { ok: false, reason: 'not_found' };
  const appt = await db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .select(['a.id', 'a.slot_id', 'a.citizen_id', 'a.service_code', 'a.requested_at', 's.starts_at'])
    .where('a.region_code', '=', input.regionCode)
    .where('a.id', '=', input.appointmentId)
    .where('a.status', '=', 'booked')
    .$if(Boolean(input.citizenId), (q) => q.where('a.citizen_id', '=', input.citizenId ?? ''))
    .executeTakeFirst();
  if (!appt) return { ok: false, reason: 'not_found' };
  if (appt.starts_at <= now) return { ok: false, reason: 'past' };
  if (appt.slot_id === input.slotId) return { ok: false, reason: 'same_slot' };
  const slot = await bookableSlot(
    db,
    {
      regionCode: input.regionCode,
      slotId: input.slotId,
      serviceCode: appt.service_code,
      channel: input.channel,
    },
    now,
  );
  if (!slot.ok) return slot;
  for (let seat = 1; seat <= slot.capacity; seat++) {
    try {
      const moved = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('appointments')
          .set({
            slot_id: input.slotId,
            seat,
            channel: input.channel,
            sequence: sql`sequence + 1`,
            confirmed_at: null,
            waiting_days: waitingDays(appt.requested_at, slot.startsAt),
          })
          .where('region_code', '=', input.regionCode)
          .where('id', '=', appt.id)
          .where('status', '=', 'booked')
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return false;
        await trx
          .insertInto('agenda_events')
          .values({
            region_code: input.regionCode,
            appointment_id: appt.id,
            citizen_id: appt.citizen_id,
            event: 'moved',
            reason: input.reason,
            actor_id: input.actorId,
          })
          .execute();
        return true;
      });
      if (!moved) return { ok: false, reason: 'not_found' };
      const promoted = await promoteFromWaitlist(db, input.regionCode, appt.slot_id, now);
      return { ok: true, promoted };
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'appointments_one_per_citizen')
        return { ok: false, reason: 'already_booked' };
      // Someone else holds this seat: try the next one.
      if (e.code === '23505' && e.constraint === 'appointments_one_per_seat') continue;
      throw error;
    }
  }
  return { ok: false, reason: 'full' };
}

/** Give a freed seat to the first person waiting; returns the new appointment id. */
export async function promoteFromWaitlist(
  db: Db,
  regionCode: string,
  slotId: string,
  now = new Date(),
): Promise<string | null> {
  const waiting = await db
    .selectFrom('agenda_waitlist')
    .select(['id', 'citizen_id', 'service_code', 'channel', 'created_at'])
    .where('region_code', '=', regionCode)
    .where('slot_id', '=', slotId)
    .where('promoted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  for (const w of waiting) {
    const result = await bookSlot(
      db,
      {
        regionCode,
        slotId,
        citizenId: w.citizen_id,
        serviceCode: w.service_code,
        channel: w.channel,
        bookedBy: w.citizen_id,
        requestedAt: w.created_at,
      },
      now,
    );
    if (result.ok) {
      await db
        .updateTable('agenda_waitlist')
        .set({ promoted_at: now, appointment_id: result.appointmentId })
        .where('region_code', '=', regionCode)
        .where('id', '=', w.id)
        .execute();
      return result.appointmentId;
    }
    if (result.reason === 'full') return null;
  }
  return null;
}

/**
 * First available slots for a service and channel, soonest first, with free seats; or, with
 * `full: true`, the sessions whose seats are all taken (to join their waiting list).
 */
export async function firstAvailable(
  db: Db,
  input: {
    regionCode: string;
    serviceCode: string;
    channel: AppointmentChannel;
    officeId: string | null;
    from: Date;
    /** Only slots starting before this instant. */
    until?: Date;
    limit: number;
    offset?: number;
    full?: boolean;
  },
) {
  const modes: SlotMode[] = input.channel === 'in_person' ? ['in_person', 'both'] : ['remote', 'both'];
  return db
    .selectFrom('agenda_slots as s')
    .select([
      's.id',
      's.starts_at',
      's.ends_at',
      's.office_id',
      's.operator_id',
      's.mode',
      's.capacity',
      's.title',
    ])
    .select((eb) =>
      eb
        .selectFrom('appointments as a')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('a.region_code', '=', 's.region_code')
        .whereRef('a.slot_id', '=', 's.id')
        .where('a.status', '=', 'booked')
        .as('taken'),
    )
    .where('s.region_code', '=', input.regionCode)
    .where('s.status', '=', 'open')
    .where('s.starts_at', '>', input.from)
    .$if(input.until !== undefined, (q) => q.where('s.starts_at', '<', input.until ?? input.from))
    .where('s.mode', 'in', modes)
    .where(sql<boolean>`s.services @> array[${input.serviceCode}]::text[]`)
    .$if(input.officeId !== null, (q) => q.where('s.office_id', '=', input.officeId ?? ''))
    .where((eb) =>
      eb(
        eb
          .selectFrom('appointments as a')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('a.region_code', '=', 's.region_code')
          .whereRef('a.slot_id', '=', 's.id')
          .where('a.status', '=', 'booked'),
        input.full ? '>=' : '<',
        eb.ref('s.capacity'),
      ),
    )
    .orderBy('s.starts_at')
    .limit(input.limit)
    .offset(input.offset ?? 0)
    .execute();
}

/** The waiting lists a person is on, with their place in each. */
export async function waitlistOf(db: Db, regionCode: string, citizenId: string, now = new Date()) {
  return waitlistQuery(db, { regionCode, citizenId, now });
}
const waitlistRows = (db: Db, v: { regionCode: string; citizenId: string; now: Date }) =>
  db
    .selectFrom('agenda_waitlist as w')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'w.region_code').onRef('s.id', '=', 'w.slot_id'),
    )
    .select(['w.id', 'w.service_code', 'w.channel', 's.starts_at', 's.title'])
    .select((eb) =>
      eb
        .selectFrom('agenda_waitlist as o')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('o.region_code', '=', 'w.region_code')
        .whereRef('o.slot_id', '=', 'w.slot_id')
        .where('o.promoted_at', 'is', null)
        .whereRef('o.created_at', '<=', 'w.created_at')
        .as('place'),
    )
    .where('w.region_code', '=', v.regionCode)
    .where('w.citizen_id', '=', v.citizenId)
    .where('w.promoted_at', 'is', null)
    .where('s.starts_at', '>', v.now)
    .orderBy('s.starts_at');
const waitlistQuery = compiledOnce(waitlistRows);

/** A person's latest appointments (newest first, at most 50), with where they take place. */
const appointmentRows = (db: Db, v: { regionCode: string; citizenId: string }) =>
  db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .innerJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 's.region_code').onRef('o.id', '=', 's.office_id'),
    )
    .select([
      'a.id',
      'a.status',
      'a.channel',
      'a.service_code',
      's.starts_at',
      'o.name as office',
      'o.address',
    ])
    .where('a.region_code', '=', v.regionCode)
    .where('a.citizen_id', '=', v.citizenId)
    .orderBy('s.starts_at', 'desc')
    .limit(50);

/**
 * The person's appointments page in one statement (decision 0012): their latest appointments and the
 * waiting lists they are on, each as a JSON array; the times come back as text and are made Dates here.
 */
export async function citizenAppointmentsOf(db: Db, regionCode: string, citizenId: string, now = new Date()) {
  const [row] = await citizenAppointmentsQuery(db, { regionCode, citizenId, now });
  return {
    appointments: (row?.appointments ?? []).map((r) => withDates(r, ['starts_at'])),
    waiting: (row?.waiting ?? []).map((r) => withDates(r, ['starts_at'])),
  };
}
const citizenAppointmentsQuery = compiledOnce((db, v: { regionCode: string; citizenId: string; now: Date }) =>
  db.selectNoFrom([
    jsonArrayFrom(appointmentRows(db, v)).as('appointments'),
    jsonArrayFrom(waitlistRows(db, v)).as('waiting'),
  ]),
);

/** Leave a waiting list (a promoted entry is an appointment now, cancelled like any other). */
export async function leaveWaitlist(db: Db, regionCode: string, citizenId: string, entryId: string) {
  if (!UUID.test(entryId)) return false;
  const gone = await db
    .deleteFrom('agenda_waitlist')
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .where('id', '=', entryId)
    .where('promoted_at', 'is', null)
    .executeTakeFirst();
  return Number(gone.numDeletedRows) === 1;
}
