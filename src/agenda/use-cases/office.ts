import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SlotMode } from '../../platform/db/schema.ts';
import { romeWallTimeToUtc, zonedDate } from '../domain/slots.ts';

/** Group sessions (information sessions, seminars, workshops) with a number of seats. */
export async function createGroupSession(
  db: Db,
  operator: SessionUser,
  input: {
    date: string;
    start: string;
    end: string;
    capacity: number;
    service: string;
    mode: SlotMode;
    title: string;
  },
): Promise<
  | { ok: true; id: string }
  | { ok: false; reason: 'past' | 'end_before_start' | 'unknown_service' | 'taken' | 'no_office' }
> {
  if (!operator.officeId) return { ok: false, reason: 'no_office' };
  const startsAt = romeWallTimeToUtc(input.date, input.start);
  const endsAt = romeWallTimeToUtc(input.date, input.end);
  if (endsAt <= startsAt) return { ok: false, reason: 'end_before_start' };
  if (startsAt <= new Date()) return { ok: false, reason: 'past' };
  const service = await db
    .selectFrom('agenda_services')
    .select('code')
    .where('region_code', '=', operator.regionCode)
    .where('code', '=', input.service)
    .executeTakeFirst();
  if (!service) return { ok: false, reason: 'unknown_service' };
  const row = await db
    .insertInto('agenda_slots')
    .values({
      region_code: operator.regionCode,
      operator_id: operator.id,
      office_id: operator.officeId,
      starts_at: startsAt,
      ends_at: endsAt,
      mode: input.mode,
      services: [input.service],
      capacity: input.capacity,
      title: input.title,
    })
    .onConflict((oc) => oc.columns(['region_code', 'operator_id', 'starts_at']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? { ok: true, id: row.id } : { ok: false, reason: 'taken' };
}

/**
 * Leave, closures and other absences: free slots in the period are withdrawn at once; booked ones
 * are listed so that someone calls the people to move them.
 */
export async function addException(
  db: Db,
  operator: SessionUser,
  input: {
    fromDate: string;
    toDate: string;
    reason: 'leave' | 'closure' | 'other';
    wholeOffice: boolean;
    note: string;
  },
): Promise<{ ok: true; blocked: number; toMove: number } | { ok: false; reason: 'order' | 'no_office' }> {
  if (!operator.officeId) return { ok: false, reason: 'no_office' };
  if (input.toDate < input.fromDate) return { ok: false, reason: 'order' };
  const startsAt = romeWallTimeToUtc(input.fromDate, '00:00');
  const next = new Date(`${input.toDate}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const endsAt = romeWallTimeToUtc(next.toISOString().slice(0, 10), '00:00');
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('agenda_exceptions')
      .values({
        region_code: operator.regionCode,
        office_id: operator.officeId!,
        operator_id: input.wholeOffice ? null : operator.id,
        starts_at: startsAt,
        ends_at: endsAt,
        reason: input.reason,
        note: input.note || null,
      })
      .execute();
    const inRange = trx
      .selectFrom('agenda_slots as s')
      .select('s.id')
      .where('s.region_code', '=', operator.regionCode)
      .where('s.starts_at', '>=', startsAt)
      .where('s.starts_at', '<', endsAt)
      .where(
        input.wholeOffice ? 's.office_id' : 's.operator_id',
        '=',
        input.wholeOffice ? operator.officeId! : operator.id,
      );
    const booked = await trx
      .selectFrom('appointments')
      .select('slot_id')
      .where('region_code', '=', operator.regionCode)
      .where('status', '=', 'booked')
      .where('slot_id', 'in', inRange)
      .execute();
    const bookedIds = booked.map((b) => b.slot_id);
    const blocked = await trx
      .updateTable('agenda_slots')
      .set({ status: 'blocked' })
      .where('region_code', '=', operator.regionCode)
      .where('id', 'in', inRange)
      .$if(bookedIds.length > 0, (q) => q.where('id', 'not in', bookedIds))
      .executeTakeFirst();
    return { ok: true, blocked: Number(blocked.numUpdatedRows), toMove: bookedIds.length } as const;
  });
}

/** The front desk's list: every appointment of the office on a day, in time order. */
export async function officeDay(db: Db, operator: SessionUser, date: string) {
  if (!operator.officeId) return [];
  const from = romeWallTimeToUtc(date, '00:00');
  const to = new Date(from.getTime() + 26 * 3600_000);
  const rows = await db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .innerJoin('users as c', (j) =>
      j.onRef('c.region_code', '=', 'a.region_code').onRef('c.id', '=', 'a.citizen_id'),
    )
    .innerJoin('users as op', (j) =>
      j.onRef('op.region_code', '=', 's.region_code').onRef('op.id', '=', 's.operator_id'),
    )
    .select([
      'a.id',
      'a.citizen_id',
      'a.status',
      'a.channel',
      'a.service_code',
      'a.confirmed_at',
      's.starts_at',
      'c.given_name',
      'c.family_name',
      'op.given_name as op_given',
      'op.family_name as op_family',
    ])
    .where('a.region_code', '=', operator.regionCode)
    .where('s.office_id', '=', operator.officeId)
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', to)
    .where('a.status', '!=', 'cancelled')
    .orderBy('s.starts_at')
    .execute();
  return rows.filter((r) => zonedDate(r.starts_at) === date);
}

export type OfficeWeekCell = { booked: number; free: number };
export type OfficeWeekRow = {
  operatorId: string;
  name: string;
  days: Record<string, { inPerson: OfficeWeekCell; remote: OfficeWeekCell }>;
};

/**
 * The coordinator's week: for each operator of the office and each day, booked and free places in
 * person and remote (free "both" slots count as in person, as in the day view). Counts only: no
 * one's name but the operators'.
 */
export async function officeWeek(db: Db, operator: SessionUser, monday: string, days = 6) {
  if (!operator.officeId) return [];
  const from = romeWallTimeToUtc(monday, '00:00');
  const to = new Date(from.getTime() + (days * 24 + 2) * 3600_000);
  const rows = await db
    .selectFrom('agenda_slots as s')
    .innerJoin('users as op', (j) =>
      j.onRef('op.region_code', '=', 's.region_code').onRef('op.id', '=', 's.operator_id'),
    )
    .select([
      's.operator_id',
      's.starts_at',
      's.mode',
      's.capacity',
      's.status',
      'op.given_name',
      'op.family_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('appointments as a')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('a.region_code', '=', 's.region_code')
        .whereRef('a.slot_id', '=', 's.id')
        .where('a.status', 'in', ['booked', 'attended', 'no_show', 'no_show_justified'])
        .as('taken'),
    )
    .select((eb) =>
      eb
        .selectFrom('appointments as a')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('a.region_code', '=', 's.region_code')
        .whereRef('a.slot_id', '=', 's.id')
        .where('a.status', 'in', ['booked', 'attended', 'no_show', 'no_show_justified'])
        .where('a.channel', '!=', 'in_person')
        .as('taken_remote'),
    )
    .where('s.region_code', '=', operator.regionCode)
    .where('s.office_id', '=', operator.officeId)
    .where('s.starts_at', '>=', from)
    .where('s.starts_at', '<', to)
    .orderBy('op.family_name')
    .orderBy('op.given_name')
    .execute();
  const byOperator = new Map<string, OfficeWeekRow>();
  const last = zonedDate(new Date(from.getTime() + (days - 1) * 24 * 3600_000 + 12 * 3600_000));
  for (const r of rows) {
    const day = zonedDate(r.starts_at);
    if (day < monday || day > last) continue;
    let row = byOperator.get(r.operator_id);
    if (!row) {
      row = { operatorId: r.operator_id, name: `${r.given_name} ${r.family_name}`, days: {} };
      byOperator.set(r.operator_id, row);
    }
    const cell = row.days[day] ?? { inPerson: { booked: 0, free: 0 }, remote: { booked: 0, free: 0 } };
    row.days[day] = cell;
    const taken = Number(r.taken ?? 0);
    const takenRemote = Number(r.taken_remote ?? 0);
    cell.inPerson.booked += taken - takenRemote;
    cell.remote.booked += takenRemote;
    const free = r.status === 'open' ? Math.max(0, r.capacity - taken) : 0;
    if (r.mode === 'remote') cell.remote.free += free;
    else cell.inPerson.free += free;
  }
  return [...byOperator.values()];
}
