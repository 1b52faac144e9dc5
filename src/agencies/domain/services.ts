/**
 * The services an accredited agency (APL) can be accredited for and receive referrals for: a closed
 * list drawn from seed §2.3 (services the Regions report private accredited operators deliver within
 * the CPI's perimeter). Codes match migrations/0026_agencies.sql `agency_service_codes()` and the
 * agenda's service codes where both exist (accoglienza, orientamento, accompagnamento).
 */

export { romeDay } from '../../platform/i18n/format.ts';
export const AGENCY_SERVICES = [
  'accoglienza',
  'orientamento',
  'accompagnamento',
  'tirocini',
  'formazione',
  'autoimpiego',
  'incontro_domanda_offerta',
  'validazione_competenze',
] as const;
export type AgencyService = (typeof AGENCY_SERVICES)[number];

export function isAgencyService(v: unknown): v is AgencyService {
  return typeof v === 'string' && (AGENCY_SERVICES as readonly string[]).includes(v);
}

/** What the agency did for the person on a referral. */
export const ACTIVITY_KINDS = [
  'interview',
  'orientation',
  'job_search',
  'workshop',
  'job_proposal',
  'other',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const MAX_NOTE = 2000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one), between 1900 and 2199. */
export function isIsoDay(v: string): boolean {
  if (!DAY.test(v) || v < '1900' || v >= '2200') return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date column (UTC midnight) as YYYY-MM-DD. */
export function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export type ScopeState = 'revoked' | 'future' | 'active' | 'expired';

/** Where a scope stands on `day`. */
export function scopeState(
  scope: { valid_from: string; valid_to: string; revoked: boolean },
  day: string,
): ScopeState {
  if (scope.revoked) return 'revoked';
  if (day < scope.valid_from) return 'future';
  if (day > scope.valid_to) return 'expired';
  return 'active';
}

/** Whether referring to `agencyId` needs a written reason: the person chose another agency. */
export function needsOverrideReason(chosenAgencyId: string | null, agencyId: string): boolean {
  return chosenAgencyId !== null && chosenAgencyId !== agencyId;
}
