/**
 * The CPI "double agenda": weekly templates (when an operator receives, in which office, how) minus
 * exceptions (leave, closures) and holidays give the bookable slots. Pure functions.
 *
 * Times in templates are wall-clock times of the office's time zone (Europe/Rome); slots are UTC
 * instants. Around the daylight-saving changes (last Sunday of March and of October, 02:00-03:00 local):
 * a wall time that does not exist (spring) is moved forward by the gap, an ambiguous one (autumn) takes
 * the earlier instant ("compatible" rule, as in Temporal). A slot is generated only if its wall-clock
 * start and end both exist and it lasts exactly slotMinutes, so no slot falls in the skipped hour or
 * straddles the repeated one; offices are closed then anyway.
 */

import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { ForgetfulMap } from '../../platform/memory/bounded-maps.ts';
import { parseIsoDate } from './holidays.ts';

export const DEFAULT_TIME_ZONE = 'Europe/Rome';

export const SLOT_MODES = ['in_person', 'remote', 'both'] as const;
export type SlotMode = (typeof SLOT_MODES)[number];

export const EXCEPTION_REASONS = ['holiday', 'leave', 'closure', 'other'] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** ISO weekday: Monday = 1 … Sunday = 7. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface WeeklyTemplate {
  id: string;
  operatorId: string;
  officeId: string;
  weekday: IsoWeekday;
  /** 'HH:MM', wall-clock time of the office. */
  start: string;
  /** 'HH:MM', exclusive. */
  end: string;
  slotMinutes: number;
  mode: SlotMode;
  services: readonly string[];
  /** 'YYYY-MM-DD', inclusive. */
  validFrom: string;
  /** 'YYYY-MM-DD', inclusive; null = open-ended. */
  validTo: string | null;
}

/**
 * A period without slots, half-open [from, to). operatorId null = the whole office `officeId`. An
 * operator's exception blocks that operator in every office (a person on leave is away everywhere);
 * officeId then only says which office recorded it. `from`/`to`: ISO date-times with an explicit
 * offset or Z (e.g. '2026-03-02T09:00:00+01:00'), or Date objects (timestamptz from the database).
 */
export interface Exception {
  operatorId: string | null;
  officeId: string;
  from: string | Date;
  to: string | Date;
  reason: ExceptionReason;
}

export interface Slot {
  templateId: string;
  operatorId: string;
  officeId: string;
  startsAt: Date;
  endsAt: Date;
  mode: SlotMode;
  services: readonly string[];
}

export interface GenerateOptions {
  /** First day, 'YYYY-MM-DD' (office calendar). */
  from: string;
  /** Number of days from `from`, 0-731. */
  days: number;
  /** True on a day the office is closed; receives the office id for local (patron-saint) holidays. */
  holidays: (date: string, officeId: string) => boolean;
  timeZone?: string;
}

export const TEMPLATE_ERRORS = [
  'bad_time',
  'end_before_start',
  'bad_slot_minutes',
  'slot_too_long',
  'bad_weekday',
  'bad_mode',
  'bad_validity',
  'no_services',
] as const;
export type TemplateError = (typeof TEMPLATE_ERRORS)[number];
export const TEMPLATE_WARNINGS = ['slot_not_dividing'] as const;
export type TemplateWarning = (typeof TEMPLATE_WARNINGS)[number];

// ---------------------------------------------------------------------------------------------------
// Calendar dates and wall-clock times

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** 'HH:MM' → minutes after midnight, or null if malformed. */
export function parseTime(time: string): number | null {
  const m = HH_MM.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

function formatTime(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

function dateToUtcMs(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day);
}

function utcMsToDate(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function addDays(date: string, days: number): string {
  return utcMsToDate(dateToUtcMs(date) + days * DAY_MS);
}

/** Whole days from `a` to `b` (both 'YYYY-MM-DD'); negative if b is before a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateToUtcMs(b) - dateToUtcMs(a)) / DAY_MS);
}

export function isoWeekday(date: string): IsoWeekday {
  const d = new Date(dateToUtcMs(date)).getUTCDay();
  return (d === 0 ? 7 : d) as IsoWeekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = dateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM' */
  time: string;
}

/** Wall-clock fields of an instant straight from Intl: exact, but a few microseconds a call. */
function intlFields(ms: number, timeZone: string): number[] {
  const values: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') values[p.type] = Number(p.value);
  }
  const field = (k: string) => values[k] ?? Number.NaN;
  return [field('year'), field('month'), field('day'), field('hour'), field('minute'), field('second')];
}

/** UTC offset of the time zone at an instant, from Intl, to the second. */
function intlOffset(ms: number, timeZone: string): number {
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = intlFields(ms, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(ms / 1000) * 1000;
}

/**
 * Offsets remembered per quarter hour of UTC: today's zones change offset only on a quarter hour,
 * so one Intl call serves every instant of that quarter (a day's agenda formats dozens of times).
 * A quarter whose two ends disagree (an old local-mean-time change) is never remembered: each of
 * its instants asks Intl. The memory is bounded.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetsByZone = new Map<string, Map<number, number>>();

/** UTC offset of the time zone at an instant, in milliseconds (e.g. +3_600_000 for CET). */
function offsetAt(ms: number, timeZone: string): number {
  let offsets = offsetsByZone.get(timeZone);
  if (!offsets) {
    offsets = new ForgetfulMap(20_000);
    offsetsByZone.set(timeZone, offsets);
  }
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const known = offsets.get(quarter);
  if (known !== undefined) return known;
  const first = intlOffset(quarter * QUARTER_HOUR_MS, timeZone);
  if (intlOffset((quarter + 1) * QUARTER_HOUR_MS - 1000, timeZone) !== first) return intlOffset(ms, timeZone);
  offsets.set(quarter, first);
  return first;
}

/** The wall-clock date and time of an instant in a time zone. */
export function zonedParts(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): ZonedParts {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  const wall = new Date(ms + offsetAt(ms, timeZone));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth() + 1;
  const day = wall.getUTCDate();
  const hour = wall.getUTCHours();
  const minute = wall.getUTCMinutes();
  return {
    year,
    month,
    day,
    hour,
    minute,
    second: wall.getUTCSeconds(),
    date: `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`,
    time: `${pad2(hour)}:${pad2(minute)}`,
  };
}

/** The calendar date ('YYYY-MM-DD') of an instant in a time zone. */
export function zonedDate(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  return zonedParts(instant, timeZone).date;
}

export interface ResolvedWallTime {
  instant: Date;
  /** exact: one instant; ambiguous: repeated hour, earlier taken; skipped: hour that does not exist. */
  status: 'exact' | 'ambiguous' | 'skipped';
}

/**
 * A wall-clock date and time of a time zone → the UTC instant, with the "compatible" rule (see the top
 * of the file). Uses Intl offsets; assumes at most one offset change within a day around the time.
 */
export function resolveWallTime(
  date: string,
  time: string,
  timeZone: string = DEFAULT_TIME_ZONE,
): ResolvedWallTime {
  const minutes = parseTime(time);
  if (minutes === null) throw new RangeError(`not a valid HH:MM time: ${time}`);
  const wall = dateToUtcMs(date) + minutes * 60_000;
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after])]
    .filter((t) => offsetAt(t, timeZone) === wall - t)
    .sort((x, y) => x - y);
  const first = candidates[0];
  if (first === undefined) {
    // In the gap: the clock jumped from `before` to `after`; move forward by the gap.
    return { instant: new Date(wall - before), status: 'skipped' };
  }
  return { instant: new Date(first), status: candidates.length > 1 ? 'ambiguous' : 'exact' };
}

export function zonedWallTimeToUtc(date: string, time: string, timeZone: string = DEFAULT_TIME_ZONE): Date {
  return resolveWallTime(date, time, timeZone).instant;
}

/** Europe/Rome wall-clock time → UTC instant (e.g. '2026-03-30', '09:00' → 2026-03-30T07:00:00Z). */
export function romeWallTimeToUtc(date: string, time: string): Date {
  return zonedWallTimeToUtc(date, time, 'Europe/Rome');
}

// ---------------------------------------------------------------------------------------------------
// Templates

function isIsoDate(s: string): boolean {
  try {
    parseIsoDate(s);
    return true;
  } catch {
    return false;
  }
}

/** Errors make a template unusable; warnings are worth showing to the person editing it. */
export function validateTemplate(t: WeeklyTemplate): {
  errors: TemplateError[];
  warnings: TemplateWarning[];
} {
  const errors: TemplateError[] = [];
  const warnings: TemplateWarning[] = [];
  const start = parseTime(t.start);
  const end = parseTime(t.end);
  const slotOk = Number.isInteger(t.slotMinutes) && t.slotMinutes >= 5 && t.slotMinutes <= 24 * 60;
  if (start === null || end === null) errors.push('bad_time');
  else if (end <= start) errors.push('end_before_start');
  if (!slotOk) errors.push('bad_slot_minutes');
  if (start !== null && end !== null && end > start && slotOk) {
    if (t.slotMinutes > end - start) errors.push('slot_too_long');
    else if ((end - start) % t.slotMinutes !== 0) warnings.push('slot_not_dividing');
  }
  if (!Number.isInteger(t.weekday) || t.weekday < 1 || t.weekday > 7) errors.push('bad_weekday');
  if (!(SLOT_MODES as readonly string[]).includes(t.mode)) errors.push('bad_mode');
  if (!isIsoDate(t.validFrom) || (t.validTo !== null && (!isIsoDate(t.validTo) || t.validTo < t.validFrom))) {
    errors.push('bad_validity');
  }
  if (t.services.length === 0) errors.push('no_services');
  return { errors, warnings };
}

/**
 * Two templates clash when they are for the same operator, on the same weekday, with overlapping
 * validity (inclusive dates) and overlapping hours (half-open: 09:00-12:00 and 12:00-13:00 do not
 * clash). The office does not matter: one person cannot be in two places. Malformed times never clash.
 */
export function templatesOverlap(a: WeeklyTemplate, b: WeeklyTemplate): boolean {
  if (a.operatorId !== b.operatorId || a.weekday !== b.weekday) return false;
  const aTo = a.validTo ?? '9999-12-31';
  const bTo = b.validTo ?? '9999-12-31';
  if (a.validFrom > bTo || b.validFrom > aTo) return false;
  const as = parseTime(a.start);
  const ae = parseTime(a.end);
  const bs = parseTime(b.start);
  const be = parseTime(b.end);
  if (as === null || ae === null || bs === null || be === null) return false;
  return as < be && bs < ae;
}

// ---------------------------------------------------------------------------------------------------
// Slots

function toMs(value: string | Date, what: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`${what}: invalid Date`);
    return ms;
  }
  // Without an offset JavaScript would read the time in the server's zone: refuse it.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new RangeError(`${what}: not an ISO date-time with offset: ${value}`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what}: invalid date-time: ${value}`);
  return ms;
}

/**
 * Bookable slots for `days` days from `from`, sorted by start then operator. Throws RangeError on a
 * template with errors (validate before saving) or a malformed exception.
 */
export function generateSlots(
  templates: readonly WeeklyTemplate[],
  exceptions: readonly Exception[],
  options: GenerateOptions,
): Slot[] {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  if (!Number.isInteger(options.days) || options.days < 0 || options.days > 731) {
    throw new RangeError(`days out of range (0-731): ${options.days}`);
  }
  parseIsoDate(options.from);
  for (const t of templates) {
    const { errors } = validateTemplate(t);
    if (errors.length > 0) throw new RangeError(`template ${t.id}: ${errors.join(', ')}`);
  }
  const blocks = exceptions.map((e) => {
    const from = toMs(e.from, 'exception.from');
    const to = toMs(e.to, 'exception.to');
    if (to < from) throw new RangeError(`exception ends before it starts: ${String(e.from)}`);
    return { operatorId: e.operatorId, officeId: e.officeId, from, to };
  });

  const slots: Slot[] = [];
  for (let i = 0; i < options.days; i++) {
    const date = addDays(options.from, i);
    const weekday = isoWeekday(date);
    // Fast path: the same offset a day before and two days after means no change on this date.
    const dayMs = dateToUtcMs(date);
    const offset = offsetAt(dayMs - DAY_MS, timeZone);
    const steady = offset === offsetAt(dayMs + 2 * DAY_MS, timeZone);
    const resolve = (minutes: number): ResolvedWallTime =>
      steady
        ? { instant: new Date(dayMs + minutes * 60_000 - offset), status: 'exact' }
        : resolveWallTime(date, formatTime(minutes), timeZone);
    const closed = new Map<string, boolean>();
    for (const t of templates) {
      if (t.weekday !== weekday || date < t.validFrom || (t.validTo !== null && date > t.validTo)) continue;
      let holiday = closed.get(t.officeId);
      if (holiday === undefined) {
        holiday = options.holidays(date, t.officeId);
        closed.set(t.officeId, holiday);
      }
      if (holiday) continue;
      const relevant = blocks.filter((b) =>
        b.operatorId === null ? b.officeId === t.officeId : b.operatorId === t.operatorId,
      );
      const start = parseTime(t.start) ?? 0;
      const end = parseTime(t.end) ?? 0;
      for (let m = start; m + t.slotMinutes <= end; m += t.slotMinutes) {
        const s = resolve(m);
        const e = resolve(m + t.slotMinutes);
        if (s.status === 'skipped' || e.status === 'skipped') continue;
        const startsAt = s.instant.getTime();
        const endsAt = e.instant.getTime();
        if (endsAt - startsAt !== t.slotMinutes * 60_000) continue;
        if (relevant.some((b) => startsAt < b.to && b.from < endsAt)) continue;
        slots.push({
          templateId: t.id,
          operatorId: t.operatorId,
          officeId: t.officeId,
          startsAt: new Date(startsAt),
          endsAt: new Date(endsAt),
          mode: t.mode,
          services: [...t.services],
        });
      }
    }
  }
  slots.sort(
    (a, b) =>
      a.startsAt.getTime() - b.startsAt.getTime() ||
      (a.operatorId < b.operatorId ? -1 : a.operatorId > b.operatorId ? 1 : 0),
  );
  return slots;
}
