import { sql } from 'kysely';
import { addDays, isoWeekday, romeWallTimeToUtc, zonedDate } from '../../agenda/domain/slots.ts';
import { servicesOf } from '../../agenda/use-cases/catalogue.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Forecast, forecastDemand, HORIZON } from '../domain/model.ts';
import { queueWeeks, type WeekLoad } from '../domain/queue.ts';

/** History read for a forecast: three years of complete weeks (enough for Holt-Winters' two seasons). */
export const HISTORY_WEEKS = 156;
/** Statuses that do not count as demand: the person withdrew the request before it used a seat. */
const NOT_DEMAND = ['cancelled'] as const;

export type Office = { id: string; name: string };

/** The offices the user may see forecasts for: the whole Region for a manager, their own for an operator. */
export async function officesInScope(db: Db, user: SessionUser): Promise<Office[]> {
  if (user.role !== 'regional_manager' && !user.officeId) return [];
  return db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('region_code', '=', user.regionCode)
    .$if(user.role !== 'regional_manager', (q) => q.where('id', '=', user.officeId!))
    .orderBy('name')
    .execute();
}

export async function serviceCodes(db: Db, regionCode: string): Promise<string[]> {
  return (await servicesOf(db, regionCode)).map((s) => s.code);
}

/** Monday (Europe/Rome calendar day) of the week containing `now`. */
export function mondayOf(now: Date): string {
  const today = zonedDate(now);
  return addDays(today, 1 - isoWeekday(today));
}

export type Selection = {
  regionCode: string;
  /** The offices summed (already checked to be in the user's scope). */
  officeIds: string[];
  /** null = every service. */
  service: string | null;
  now: Date;
};

type DemandRow = { office_id: string; service_code: string; week: string; n: number };
type SlotRow = { office_id: string; week: string; services: string[]; free: number };

export type SeriesResult = {
  /** Mondays of the history weeks (complete weeks only) and their demand. */
  historyWeeks: string[];
  history: number[];
  /** Mondays of the forecast weeks (the 8 weeks starting next Monday). */
  weeks: string[];
  forecast: Forecast;
  /** Free seats planned in the agenda for those weeks (open slots minus seats already booked). */
  capacity: number[];
  /** Present when there is a forecast. */
  load: WeekLoad[] | null;
};

export type Breakdown = { key: string; result: SeriesResult };

export type ForecastData = {
  currentMonday: string;
  total: SeriesResult;
  /** One row per office (all offices chosen) or per service (one office chosen). */
  breakdown: { by: 'office' | 'service'; rows: Breakdown[] };
};

/** Demand per office, service and week (by the week the request was made), and free seats ahead. */
async function readData(db: Db, sel: Omit<Selection, 'service'> & { service: string | null }) {
  const currentMonday = mondayOf(sel.now);
  const historyStart = romeWallTimeToUtc(addDays(currentMonday, -7 * HISTORY_WEEKS), '00:00');
  const historyEnd = romeWallTimeToUtc(currentMonday, '00:00');
  const nextMonday = addDays(currentMonday, 7);
  const horizonStart = romeWallTimeToUtc(nextMonday, '00:00');
  const horizonEnd = romeWallTimeToUtc(addDays(nextMonday, 7 * HORIZON), '00:00');
  if (sel.officeIds.length === 0) return { currentMonday, demand: [] as DemandRow[], slots: [] as SlotRow[] };
  const demand = await db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .select([
      sql<string>`coalesce(a.office_id, s.office_id)`.as('office_id'),
      'a.service_code',
      sql<string>`to_char(date_trunc('week', a.requested_at at time zone 'Europe/Rome'), 'YYYY-MM-DD')`.as(
        'week',
      ),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('a.region_code', '=', sel.regionCode)
    .where('a.status', 'not in', NOT_DEMAND)
    .where('a.requested_at', '>=', historyStart)
    .where('a.requested_at', '<', historyEnd)
    .where(sql<string>`coalesce(a.office_id, s.office_id)`, 'in', sel.officeIds)
    .$if(sel.service !== null, (q) => q.where('a.service_code', '=', sel.service!))
    .groupBy([sql`1`, sql`2`, sql`3`])
    .execute();
  const slots = await db
    .selectFrom('agenda_slots as s')
    .select([
      's.office_id',
      's.services',
      sql<string>`to_char(date_trunc('week', s.starts_at at time zone 'Europe/Rome'), 'YYYY-MM-DD')`.as(
        'week',
      ),
      sql<number>`greatest(0, s.capacity - (select count(*) from appointments b
        where b.region_code = s.region_code and b.slot_id = s.id and b.status = 'booked'))::int`.as('free'),
    ])
    .where('s.region_code', '=', sel.regionCode)
    .where('s.status', '=', 'open')
    .where('s.starts_at', '>=', horizonStart)
    .where('s.starts_at', '<', horizonEnd)
    .where('s.office_id', 'in', sel.officeIds)
    .$if(sel.service !== null, (q) =>
      q.where('s.services', '@>', sql<string[]>`array[${sel.service}]::text[]`),
    )
    .execute();
  return { currentMonday, demand, slots };
}

function buildSeries(
  currentMonday: string,
  demand: DemandRow[],
  slots: SlotRow[],
  keep: { office: (id: string) => boolean; service: (code: string) => boolean },
): SeriesResult {
  const byWeek = new Map<string, number>();
  for (const r of demand)
    if (keep.office(r.office_id) && keep.service(r.service_code))
      byWeek.set(r.week, (byWeek.get(r.week) ?? 0) + r.n);
  // The series starts at its first week with any request and runs to the last complete week, with zeros.
  const first = [...byWeek.keys()].sort()[0];
  const historyWeeks: string[] = [];
  if (first) for (let w = first; w < currentMonday; w = addDays(w, 7)) historyWeeks.push(w);
  const history = historyWeeks.map((w) => byWeek.get(w) ?? 0);
  const nextMonday = addDays(currentMonday, 7);
  const weeks = Array.from({ length: HORIZON }, (_, i) => addDays(nextMonday, 7 * i));
  const capacity = weeks.map(() => 0);
  for (const s of slots) {
    if (!keep.office(s.office_id) || !s.services.some(keep.service)) continue;
    const i = weeks.indexOf(s.week);
    if (i >= 0) capacity[i]! += s.free;
  }
  // The week in progress is left out of the history and skipped before the forecast starts.
  const forecast = forecastDemand(history, HORIZON, 1);
  const load = forecast.ok ? queueWeeks(forecast.forecast, capacity) : null;
  return { historyWeeks, history, weeks, forecast, capacity, load };
}

/**
 * The forecast for a selection (offices summed, one service or all), with a breakdown by office
 * (when several offices) or by service (when one office and all services).
 */
export async function demandForecast(db: Db, sel: Selection, allServices: string[]): Promise<ForecastData> {
  const { currentMonday, demand, slots } = await readData(db, sel);
  const anyService = (code: string) => sel.service === null || code === sel.service;
  const total = buildSeries(currentMonday, demand, slots, { office: () => true, service: anyService });
  let breakdown: ForecastData['breakdown'];
  if (sel.officeIds.length > 1)
    breakdown = {
      by: 'office',
      rows: sel.officeIds.map((id) => ({
        key: id,
        result: buildSeries(currentMonday, demand, slots, { office: (o) => o === id, service: anyService }),
      })),
    };
  else if (sel.service === null)
    breakdown = {
      by: 'service',
      rows: allServices.map((code) => ({
        key: code,
        result: buildSeries(currentMonday, demand, slots, { office: () => true, service: (c) => c === code }),
      })),
    };
  else breakdown = { by: 'service', rows: [] };
  return { currentMonday, total, breakdown };
}
