/**
 * Interview slots of a recruiting day, pure: a batch (e.g. 09:00–12:00 every 20 minutes) becomes
 * intervals in minutes after midnight of the event's day; they must lie inside the day and must not
 * overlap the company's other slots of that event.
 */
export interface Interval {
  start: number;
  end: number;
}

export type SlotBatchError = 'time' | 'order' | 'length' | 'outside_day' | 'overlap' | 'too_many';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const MAX_SLOTS_PER_BATCH = 60;

/** 'HH:MM' → minutes after midnight; '24:00' is the end of the day; null when malformed. */
export function minutesOf(time: string): number | null {
  if (time === '24:00') return 1440;
  const m = HH_MM.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The slots from `from` up to `to` (exclusive end), `length` minutes each; a remainder shorter than
 * `length` is left out. `existing` are the company's slots already on that day.
 */
export function slotBatch(
  from: string,
  to: string,
  length: number,
  existing: readonly Interval[] = [],
): { ok: true; slots: Interval[] } | { ok: false; error: SlotBatchError } {
  const start = minutesOf(from);
  const end = minutesOf(to);
  if (start === null || end === null || start === 1440) return { ok: false, error: 'time' };
  if (!Number.isInteger(length) || length < 5 || length > 240) return { ok: false, error: 'length' };
  if (end <= start) return { ok: false, error: 'order' };
  if (start + length > end) return { ok: false, error: 'outside_day' };
  const slots: Interval[] = [];
  for (let s = start; s + length <= end; s += length) slots.push({ start: s, end: s + length });
  if (slots.length > MAX_SLOTS_PER_BATCH) return { ok: false, error: 'too_many' };
  if (slots.some((s) => s.end > 1440)) return { ok: false, error: 'outside_day' };
  if (slots.some((s) => existing.some((e) => overlaps(s, e)))) return { ok: false, error: 'overlap' };
  return { ok: true, slots };
}
