/**
 * The satisfaction survey (seed §2.5, §2.7.2): which services are surveyed, the "what went wrong"
 * categories, how long a link lives, and the rules of the managers' figures (period, suppression).
 * Pure: no database, no clock.
 */

/** Services after which the respondent is asked, people's first, then companies'. */
export const SERVICE_KINDS = [
  'appointment',
  'pact',
  'course',
  'application',
  'shortlist',
  'recruiting_day',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export type RespondentSide = 'person' | 'company';

export const SIDE_OF: Record<ServiceKind, RespondentSide> = {
  appointment: 'person',
  pact: 'person',
  course: 'person',
  application: 'person',
  shortlist: 'company',
  recruiting_day: 'company',
};

/** "What went wrong": optional, several at once. */
export const PROBLEMS = [
  'waiting',
  'information',
  'staff',
  'digital',
  'accessibility',
  'usefulness',
  'other',
] as const;
export type Problem = (typeof PROBLEMS)[number];

export const SCORES = ['1', '2', '3', '4', '5'] as const;
export const COMMENT_MAX = 1000;

/** A link is valid this long after the invitation. */
export const LINK_DAYS = 30;
/** Services delivered longer ago than this are not surveyed any more (nor when the job first runs). */
export const LOOKBACK_DAYS = 14;
/** Figures computed on fewer answers than this are not shown. */
export const MIN_CELL = 10;

const DAY = 86_400_000;

export function linkExpiry(invitedAt: Date): Date {
  return new Date(invitedAt.getTime() + LINK_DAYS * DAY);
}

export function lookbackStart(now: Date): Date {
  return new Date(now.getTime() - LOOKBACK_DAYS * DAY);
}

export type LinkState = 'open' | 'answered' | 'expired';

export function linkState(row: { answered_at: Date | null; expires_at: Date }, now: Date): LinkState {
  if (row.answered_at) return 'answered';
  if (row.expires_at <= now) return 'expired';
  return 'open';
}

/** Response rate and average, or null for a cell with fewer than MIN_CELL answers. */
export type Cell = { invited: number; answered: number; scoreSum: number };
export type ShownCell =
  | { suppressed: true; invited: number }
  | { suppressed: false; invited: number; answered: number; rate: number; average: number };

export function showCell(cell: Cell): ShownCell {
  if (cell.answered < MIN_CELL) return { suppressed: true, invited: cell.invited };
  return {
    suppressed: false,
    invited: cell.invited,
    answered: cell.answered,
    rate: cell.invited === 0 ? 0 : Math.round((cell.answered / cell.invited) * 1000) / 10,
    average: Math.round((cell.scoreSum / cell.answered) * 100) / 100,
  };
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day typed as YYYY-MM-DD that exists (2026-02-30 does not). */
export function isCalendarDay(value: string): boolean {
  const m = ISO_DAY.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export type PeriodInput = { from: string; to: string };
export type PeriodResult =
  | { ok: true; from: string; to: string }
  | { ok: false; errors: Partial<Record<'dal' | 'al', 'day' | 'order' | 'tooLong'>> };

/** The managers' period: two days, in order, at most five years apart. */
export function checkPeriod(input: PeriodInput): PeriodResult {
  const errors: Partial<Record<'dal' | 'al', 'day' | 'order' | 'tooLong'>> = {};
  if (!isCalendarDay(input.from)) errors.dal = 'day';
  if (!isCalendarDay(input.to)) errors.al = 'day';
  if (errors.dal || errors.al) return { ok: false, errors };
  if (input.from > input.to) return { ok: false, errors: { al: 'order' } };
  const span = (Date.parse(input.to) - Date.parse(input.from)) / DAY;
  if (span > 5 * 366) return { ok: false, errors: { al: 'tooLong' } };
  return { ok: true, from: input.from, to: input.to };
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}
