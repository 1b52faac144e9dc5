import { addDays, romeWallTimeToUtc, zonedDate } from '../../agenda/domain/slots.ts';

/**
 * Assisted mode, the pure rules: how long a session may last and which consent statement is read.
 * A session lasts the chosen minutes but never past midnight in Rome ("until the end of the day at
 * most"); "day" means exactly until then.
 */
export const DURATIONS = ['15', '30', '60', '120', 'day'] as const;
export type Duration = (typeof DURATIONS)[number];

export const CHANNELS = ['phone', 'desk'] as const;

/**
 * The consent statement the operator reads out. Its text lives in the locales under
 * `assisted.consent.<version>`; a new wording gets a new version (the old key stays, so what was read
 * to a person can always be shown again). The session stores the version, language and text.
 */
export const CONSENT_VERSION = 'v1';

/** The next midnight in Europe/Rome after `now`. */
export function endOfRomeDay(now: Date): Date {
  return romeWallTimeToUtc(addDays(zonedDate(now, 'Europe/Rome'), 1), '00:00');
}

/** When a session started at `now` for `duration` ends, or null if the duration is not offered. */
export function assistedExpiry(now: Date, duration: string): Date | null {
  const end = endOfRomeDay(now);
  if (duration === 'day') return end;
  if (!(DURATIONS as readonly string[]).includes(duration)) return null;
  const until = new Date(now.getTime() + Number(duration) * 60_000);
  return until < end ? until : end;
}

export type SessionState = { ended_at: Date | null; expires_at: Date };

/** Active: not ended and not expired. */
export function isActive(s: SessionState, now: Date): boolean {
  return s.ended_at === null && s.expires_at > now;
}
