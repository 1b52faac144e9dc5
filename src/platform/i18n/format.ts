/**
 * Cached Intl formatters. Building an `Intl.DateTimeFormat` or `NumberFormat` costs tens of
 * microseconds — more than formatting with it — and a page of 20 cards built several per card (issue 10
 * load figures). These return one shared, immutable formatter per locale and options.
 */
import { ForgetfulMap } from '../memory/bounded-maps.ts';

type Options = Record<string, unknown> | undefined;

const MAX = 2000;
// Options come from code, not from users, so the sets are small; the bound is only a safety net.
const dates = new ForgetfulMap<string, Intl.DateTimeFormat>(MAX);
const numbers = new ForgetfulMap<string, Intl.NumberFormat>(MAX);
const names = new ForgetfulMap<string, Intl.DisplayNames>(MAX);

function cached<T>(
  store: Map<string, T>,
  locales: string | string[] | undefined,
  options: Options,
  make: () => T,
): T {
  const key = JSON.stringify([locales ?? null, options ?? null]);
  let f = store.get(key);
  if (f === undefined) {
    f = make();
    store.set(key, f);
  }
  return f;
}

export function dateTimeFormat(
  locales?: string | string[],
  options?: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  return cached(dates, locales, options as Options, () => new Intl.DateTimeFormat(locales, options));
}

export function numberFormat(
  locales?: string | string[],
  options?: Intl.NumberFormatOptions,
): Intl.NumberFormat {
  return cached(numbers, locales, options as Options, () => new Intl.NumberFormat(locales, options));
}

/** Throws like `new Intl.DisplayNames` for a malformed locale (callers keep their try/catch). */
export function displayNames(
  locales: string | string[],
  options: Intl.DisplayNamesOptions,
): Intl.DisplayNames {
  return cached(names, locales, options as unknown as Options, () => new Intl.DisplayNames(locales, options));
}

const days = new ForgetfulMap<string, string>(100_000);

/**
 * A calendar day (midnight or noon UTC) in the `dateStyle` of `locale` ("12 mar 1985"). Lists show
 * the same days again and again (birth dates, a vacancy's dates), and Intl takes a microsecond or two
 * each (4% of the people search page, profiled under bench/load.ts): each is formatted once per locale
 * and style.
 */
export function formatDay(locale: string, day: Date, style: 'medium' | 'long' = 'medium'): string {
  const key = `${locale}:${style}:${day.getTime()}`;
  let text = days.get(key);
  if (text === undefined) {
    text = dateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(day);
    days.set(key, text);
  }
  return text;
}

const ROME_DAY = { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' } as const;

/** The calendar day of an instant in Italy (YYYY-MM-DD): what "today" means for a deadline. */
export function romeDay(at: Date): string {
  return dateTimeFormat('en-CA', ROME_DAY).format(at);
}
