import { DEFAULT_TIME_ZONE, daysBetween, zonedDate } from './slots.ts';

/**
 * Waiting time in calendar days of the office's time zone, from the day of the request to the day of
 * the first slot offered: request on Monday 23:30 and slot on Tuesday 08:00 is 1 day; the same day is 0.
 * Negative if the slot's day comes before the request's day (a data error the caller may want to flag).
 */
export function waitingDays(
  requestedAt: Date,
  firstSlot: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): number {
  return daysBetween(zonedDate(requestedAt, timeZone), zonedDate(firstSlot, timeZone));
}
