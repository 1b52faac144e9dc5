import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce, withDates } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SlotMode } from '../../platform/db/schema.ts';
import { isHoliday } from '../domain/holidays.ts';
import {
  addDays,
  type Exception,
  generateSlots,
  type IsoWeekday,
  parseTime,
  validateTemplate,
  type WeeklyTemplate,
  zonedDate,
} from '../domain/slots.ts';

export const HORIZON_DAYS = 90;

export type TemplateInput = {
  weekday: IsoWeekday;
  start: string;
  end: string;
  slotMinutes: number;
  mode: SlotMode;
  services: string[];
  validFrom: string;
  validTo: string | null;
};

export type TemplateResult = { ok: true; id: string; slots: number } | { ok: false; errors: string[] };

const pad = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

async function officeMunicipality(db: Db, regionCode: string, officeId: string) {
  const row = await db
    .selectFrom('offices')
    .select('municipality_code')
    .where('region_code', '=', regionCode)
    .where('id', '=', officeId)
    .executeTakeFirst();
  return row?.municipality_code;
}

/**
 * Materialise the operator's slots for the next HORIZON_DAYS days from their templates, skipping
 * national holidays, the office's patron saint and exceptions. Existing slots are kept.
 */
export async function materializeSlots(
  db: Db,
  regionCode: string,
  operatorId: string,
  from = zonedDate(new Date()),
): Promise<number> {
  const rows = await db
    .selectFrom('agenda_templates')
    .selectAll()
    .where('region_code', '=', regionCode)
    .where('operator_id', '=', operatorId)
    .execute();
  if (rows.length === 0) return 0;
  const templates: WeeklyTemplate[] = rows.map((r) => ({
    id: r.id,
    operatorId: r.operator_id,
    officeId: r.office_id,
    weekday: r.weekday as IsoWeekday,
    start: pad(r.start_minute),
    end: pad(r.end_minute),
    slotMinutes: r.slot_minutes,
    mode: r.mode,
    services: r.services,
    validFrom: r.valid_from.toISOString().slice(0, 10),
    validTo: r.valid_to ? r.valid_to.toISOString().slice(0, 10) : null,
  }));
  const exceptions: Exception[] = (
    await db
      .selectFrom('agenda_exceptions')
      .selectAll()
      .where('region_code', '=', regionCode)
      .where((eb) => eb.or([eb('operator_id', '=', operatorId), eb('operator_id', 'is', null)]))
      .execute()
  ).map((e) => ({
    operatorId: e.operator_id,
    officeId: e.office_id,
    from: e.starts_at,
    to: e.ends_at,
    reason: e.reason,
  }));
  const municipalities = new Map<string, string | undefined>();
  for (const t of templates)
    if (!municipalities.has(t.officeId))
      municipalities.set(t.officeId, await officeMunicipality(db, regionCode, t.officeId));
  const slots = generateSlots(templates, exceptions, {
    from,
    days: HORIZON_DAYS,
    holidays: (date, officeId) => isHoliday(date, municipalities.get(officeId)),
  });
  let inserted = 0;
  for (let i = 0; i < slots.length; i += 500) {
    const batch = slots.slice(i, i + 500);
    const result = await db
      .insertInto('agenda_slots')
      .values(
        batch.map((s) => ({
          region_code: regionCode,
          operator_id: s.operatorId,
          office_id: s.officeId,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          mode: s.mode,
          services: [...s.services],
        })),
      )
      .onConflict((oc) => oc.columns(['region_code', 'operator_id', 'starts_at']).doNothing())
      .returning('id')
      .execute();
    inserted += result.length;
  }
  return inserted;
}

export async function createTemplate(
  db: Db,
  operator: SessionUser,
  input: TemplateInput,
): Promise<TemplateResult> {
  if (!operator.officeId) return { ok: false, errors: ['no_office'] };
  const template: WeeklyTemplate = {
    id: 'new',
    operatorId: operator.id,
    officeId: operator.officeId,
    ...input,
  };
  const { errors } = validateTemplate(template);
  if (errors.length > 0) return { ok: false, errors };
  const known = await db
    .selectFrom('agenda_services')
    .select('code')
    .where('region_code', '=', operator.regionCode)
    .execute();
  if (!input.services.every((s) => known.some((k) => k.code === s)))
    return { ok: false, errors: ['unknown_service'] };
  try {
    const row = await db
      .insertInto('agenda_templates')
      .values({
        region_code: operator.regionCode,
        operator_id: operator.id,
        office_id: operator.officeId,
        weekday: input.weekday,
        start_minute: parseTime(input.start) ?? 0,
        end_minute: parseTime(input.end) ?? 0,
        slot_minutes: input.slotMinutes,
        mode: input.mode,
        services: input.services,
        valid_from: input.validFrom,
        valid_to: input.validTo,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Slots from the later of today and the first valid day (ISO dates sort as text).
    const from = [input.validFrom, zonedDate(new Date())].sort()[1] ?? input.validFrom;
    const slots = await materializeSlots(db, operator.regionCode, operator.id, from);
    return { ok: true, id: row.id, slots };
  } catch (error) {
    // 23P01: the exclusion constraint — another template of this operator covers the same hours.
    if ((error as { code?: string }).code === '23P01') return { ok: false, errors: ['overlap'] };
    throw error;
  }
}

const templateRows = (db: Db, v: { regionCode: string; operatorId: string }) =>
  db
    .selectFrom('agenda_templates')
    .selectAll()
    .where('region_code', '=', v.regionCode)
    .where('operator_id', '=', v.operatorId)
    .orderBy('weekday')
    .orderBy('start_minute');

/** What the operator records after the time: late cancellation too, when the person called at the last minute. */
export const OUTCOMES = ['attended', 'no_show', 'no_show_justified', 'late_cancellation'] as const;

const slotRows = (db: Db, v: { regionCode: string; operatorId: string; from: Date; to: Date }) =>
  db
    .selectFrom('agenda_slots as s')
    .leftJoin('appointments as a', (j) =>
      j
        .onRef('a.region_code', '=', 's.region_code')
        .onRef('a.slot_id', '=', 's.id')
        .on('a.status', 'in', ['booked', ...OUTCOMES]),
    )
    .leftJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'a.region_code').onRef('u.id', '=', 'a.citizen_id'),
    )
    .select([
      's.id as slot_id',
      's.starts_at',
      's.mode',
      's.status as slot_status',
      'a.id as appointment_id',
      'a.status',
      'a.channel',
      'a.service_code',
      'a.minutes_spent',
      'u.given_name',
      'u.family_name',
      'u.id as citizen_id',
    ])
    .where('s.region_code', '=', v.regionCode)
    .where('s.operator_id', '=', v.operatorId)
    .where('s.starts_at', '>=', v.from)
    .where('s.starts_at', '<', v.to)
    .orderBy('s.starts_at');
const operatorSlotsQuery = compiledOnce(slotRows);

/** The operator's slots with their bookings over `days` days from `date` (Europe/Rome dates). */
export async function operatorDays(db: Db, operator: SessionUser, date: string, days: number) {
  const { last, from, to } = dayBounds(date, days);
  const rows = await operatorSlotsQuery(db, {
    regionCode: operator.regionCode,
    operatorId: operator.id,
    from,
    to,
  });
  return shownSlots(rows, date, last);
}

/** Europe/Rome days [date, date + days) as instants, with three hours' margin either side. */
function dayBounds(date: string, days: number) {
  const last = addDays(date, days - 1);
  const from = new Date(new Date(`${date}T00:00:00Z`).getTime() - 3 * 3600_000);
  const to = new Date(new Date(`${last}T00:00:00Z`).getTime() + 27 * 3600_000);
  return { last, from, to };
}

/** The slots worth showing: those of the asked days, booked or still open. */
function shownSlots<R extends { starts_at: Date; appointment_id: string | null; slot_status: string }>(
  rows: R[],
  date: string,
  last: string,
) {
  return rows
    .map((r) => ({ ...r, day: zonedDate(r.starts_at) }))
    .filter((r) => r.day >= date && r.day <= last && (r.appointment_id || r.slot_status === 'open'));
}

/**
 * The operator's agenda page in one statement (decision 0012): their weekly templates and the day's
 * slots with their bookings, each as a JSON array.
 */
export async function operatorAgendaOf(db: Db, operator: SessionUser, date: string) {
  const { last, from, to } = dayBounds(date, 1);
  const [row] = await operatorAgendaQuery(db, {
    regionCode: operator.regionCode,
    operatorId: operator.id,
    from,
    to,
  });
  const slots = (row?.slots ?? []).map((r) => withDates(r, ['starts_at']));
  return {
    templates: row?.templates ?? [],
    day: shownSlots(slots, date, last),
  };
}
const operatorAgendaQuery = compiledOnce(
  (db, v: { regionCode: string; operatorId: string; from: Date; to: Date }) =>
    db.selectNoFrom([
      jsonArrayFrom(templateRows(db, v)).as('templates'),
      jsonArrayFrom(slotRows(db, v)).as('slots'),
    ]),
);

/** Monday of the ISO week that holds `date`. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
  return addDays(date, 1 - weekday);
}

/** Record what happened; no-shows are events the conditionality ledger will read. */
export async function recordOutcome(
  db: Db,
  operator: SessionUser,
  appointmentId: string,
  outcome: (typeof OUTCOMES)[number],
  note: string,
  /** Minutes spent (1–480), kept only for an attended appointment. */
  minutes: number | null = null,
) {
  const appt = await db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .select(['a.id', 'a.citizen_id', 's.starts_at'])
    .where('a.region_code', '=', operator.regionCode)
    .where('a.id', '=', appointmentId)
    .where('s.operator_id', '=', operator.id)
    .where('a.status', 'in', ['booked', ...OUTCOMES])
    .executeTakeFirst();
  if (!appt) return 'not_found' as const;
  if (appt.starts_at > new Date()) return 'future' as const;
  await db
    .updateTable('appointments')
    .set({ status: outcome, reason: note || null, minutes_spent: outcome === 'attended' ? minutes : null })
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', appt.id)
    .execute();
  await db
    .insertInto('agenda_events')
    .values({
      region_code: operator.regionCode,
      appointment_id: appt.id,
      citizen_id: appt.citizen_id,
      event: outcome,
      reason: note || null,
      actor_id: operator.id,
    })
    .execute();
  return 'ok' as const;
}

export const todayInRome = () => zonedDate(new Date());
export { addDays };
