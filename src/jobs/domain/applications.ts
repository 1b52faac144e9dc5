/**
 * An application's life: sent → viewed (the employer opened it) → interview → hired or rejected;
 * the person may withdraw while it is still open. Pure rules, used by the use cases and the pages.
 */

import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { ApplicationStatus } from '../adapters/jobs-tables.ts';

export const EMPLOYER_ACTIONS = ['interview', 'rejected', 'hired'] as const;
export type EmployerAction = (typeof EMPLOYER_ACTIONS)[number];

const OPEN: readonly ApplicationStatus[] = ['sent', 'viewed', 'interview'];

/** Whether the employer may move an application from `from` to `to`. */
export function canDecide(from: ApplicationStatus, to: EmployerAction): boolean {
  if (to === 'interview') return from === 'sent' || from === 'viewed';
  return OPEN.includes(from);
}

/** The actions the employer can take now (for the buttons). */
export function actionsFrom(from: ApplicationStatus): EmployerAction[] {
  return EMPLOYER_ACTIONS.filter((a) => canDecide(from, a));
}

export function canWithdraw(status: ApplicationStatus): boolean {
  return OPEN.includes(status);
}

/** Opening the application turns 'sent' into 'viewed', once. */
export function viewedStatus(from: ApplicationStatus): ApplicationStatus | null {
  return from === 'sent' ? 'viewed' : null;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A real calendar day `YYYY-MM-DD`. */
export function isRealDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today in Italy (`YYYY-MM-DD`). */
export function todayInRome(now = new Date()): string {
  return dateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Days between two `YYYY-MM-DD` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The start date of a hire: empty → today; otherwise a real day not more than a year back nor a
 * year ahead. Returns the day or an i18n key.
 */
export function hireStartDate(
  raw: string,
  today: string,
): { ok: true; day: string } | { ok: false; error: string } {
  const v = raw.trim();
  if (v === '') return { ok: true, day: today };
  if (!isRealDay(v)) return { ok: false, error: 'jobs.employer.errors.date' };
  const d = daysBetween(today, v);
  if (d < -366 || d > 366) return { ok: false, error: 'jobs.employer.errors.dateRange' };
  return { ok: true, day: v };
}
