/**
 * Indicators from operational data (issue 9 item 2, seed §2.7.2 "batteria di indicatori" and §2.8):
 * their definitions, the suppression of small cells, the period a manager asks for, and the sums of
 * daily facts into period figures. Pure: no database (the daily facts come from use-cases/facts.ts).
 */

/**
 * people: the value is the number of people (distinct per day and office, summed over the days);
 * count: the value is the numerator (events); rate: numerator / denominator as a percentage;
 * mean: numerator / denominator (e.g. days, score).
 */
export type IndicatorKind = 'people' | 'count' | 'rate' | 'mean';

export type IndicatorDefinition = {
  id: string;
  kind: IndicatorKind;
  /** Days after which a day's facts no longer change (cohorts that mature, statuses set later). */
  maturityDays: number;
  /** Dimension prefixes the facts carry besides 'all'. */
  dimensions: readonly string[];
};

export const INDICATORS = [
  { id: 'people_served', kind: 'people', maturityDays: 14, dimensions: ['tier', 'channel'] },
  { id: 'wait_first_contact', kind: 'mean', maturityDays: 14, dimensions: [] },
  { id: 'no_show_rate', kind: 'rate', maturityDays: 14, dimensions: ['service'] },
  { id: 'remote_share', kind: 'rate', maturityDays: 14, dimensions: ['service'] },
  { id: 'operator_time', kind: 'mean', maturityDays: 14, dimensions: ['service'] },
  { id: 'satisfaction', kind: 'mean', maturityDays: 2, dimensions: ['kind'] },
  { id: 'response_rate', kind: 'rate', maturityDays: 31, dimensions: ['kind'] },
  { id: 'conditionality_events', kind: 'count', maturityDays: 90, dimensions: ['kind', 'outcome'] },
  { id: 'pact_within_30', kind: 'rate', maturityDays: 45, dimensions: [] },
  { id: 'placement_6m', kind: 'rate', maturityDays: 200, dimensions: [] },
] as const satisfies readonly IndicatorDefinition[];

export type IndicatorId = (typeof INDICATORS)[number]['id'];

/** Documented in docs/indicators.md but not computed yet (no reliable source in the data today). */
export const PLANNED = ['coherent_employment_course', 'digital_progression'] as const;

export const TARGETS = ['all', 'over_60', 'low_digital', 'non_native', 'small_town'] as const;
/** "Piccoli comuni": up to this many residents (Legge 158/2017, art. 1) — the proxy for remote/rural. */
export const SMALL_TOWN_MAX_POPULATION = 5000;
/** Fragile targets of §2.8 without a source in the data yet (no disability record). */
export const PLANNED_TARGETS = ['disability'] as const;
export type Target = (typeof TARGETS)[number];

export const isTarget = (v: string): v is Target => (TARGETS as readonly string[]).includes(v);
export const definitionOf = (id: string): IndicatorDefinition | undefined =>
  INDICATORS.find((d) => d.id === id);

/** Cells about fewer people than this are suppressed (shown blank), as the issue asks. */
export const SUPPRESSION_THRESHOLD = 10;

export type Cell = { subjects: number; numerator: number; denominator: number };
export type Figure = { value: number | null; suppressed: boolean; subjects: number };

/** The value of a cell, or null and suppressed when it is about fewer than 10 people. */
export function figureOf(kind: IndicatorKind, c: Cell): Figure {
  if (c.subjects < SUPPRESSION_THRESHOLD) return { value: null, suppressed: true, subjects: c.subjects };
  let value: number | null;
  switch (kind) {
    case 'people':
      value = c.subjects;
      break;
    case 'count':
      value = c.numerator;
      break;
    case 'rate':
      value = c.denominator > 0 ? round1((100 * c.numerator) / c.denominator) : null;
      break;
    case 'mean':
      value = c.denominator > 0 ? round1(c.numerator / c.denominator) : null;
      break;
  }
  return { value, suppressed: false, subjects: c.subjects };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Sums daily facts by a key (the sums are what the period figures are made of). */
export function sumCells<T>(rows: readonly (T & Cell)[], keyOf: (r: T) => string): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const r of rows) {
    const k = keyOf(r);
    const c = out.get(k) ?? { subjects: 0, numerator: 0, denominator: 0 };
    c.subjects += r.subjects;
    c.numerator += r.numerator;
    c.denominator += r.denominator;
    out.set(k, c);
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Longest period a dashboard shows (a bigger one is refused, not silently cut). */
export const MAX_PERIOD_DAYS = 3 * 366;

export type Period = { from: string; to: string };
export type PeriodResult =
  | { ok: true; period: Period }
  | { ok: false; errors: { from?: string; to?: string }; period: Period };

export function isIsoDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * The period asked (from/to as YYYY-MM-DD, both included); empty means the last 90 days up to
 * `today`. Errors are i18n keys; the returned period is always usable (the default when refused).
 */
export function parsePeriod(fromRaw: string, toRaw: string, today: string): PeriodResult {
  const fallback = { from: addDays(today, -89), to: today };
  const from = fromRaw.trim() || fallback.from;
  const to = toRaw.trim() || fallback.to;
  const errors: { from?: string; to?: string } = {};
  if (!isIsoDate(from)) errors.from = 'indicators.errors.date';
  if (!isIsoDate(to)) errors.to = 'indicators.errors.date';
  if (!errors.from && !errors.to) {
    if (from > to) errors.from = 'indicators.errors.upsideDown';
    else if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) errors.to = 'indicators.errors.tooLong';
  }
  if (errors.from || errors.to) return { ok: false, errors, period: fallback };
  return { ok: true, period: { from, to } };
}

/** The dimension's prefix and value: 'service:orientamento' → ['service', 'orientamento']. */
export function splitDimension(dimension: string): [string, string] {
  const i = dimension.indexOf(':');
  return i < 0 ? [dimension, ''] : [dimension.slice(0, i), dimension.slice(i + 1)];
}

/** First day whose facts must be recomputed: the maturity window before the last day computed. */
export function recomputeFrom(
  lastThrough: string | null,
  today: string,
  maturityDays: number,
  origin: string,
) {
  if (!lastThrough) return origin;
  const from = addDays(lastThrough < today ? lastThrough : today, -maturityDays);
  return from < origin ? origin : from;
}
