/**
 * Public holidays that close a CPI office. Pure functions on calendar dates ('YYYY-MM-DD', no time, no
 * time zone: a holiday is a day of the Italian civil calendar).
 *
 * National holidays (L. 27 maggio 1949, n. 260, artt. 1-2, as amended; L. 5 marzo 1977, n. 54;
 * D.P.R. 28 dicembre 1985, n. 792; L. 20 novembre 2000, n. 336):
 * 1 Jan, 6 Jan, Easter Sunday, Easter Monday, 25 Apr, 1 May, 2 Jun, 15 Aug, 1 Nov, 8 Dec, 25 Dec, 26 Dec.
 * From 2026 also 4 Oct, San Francesco d'Assisi: L. 8 ottobre 2025, n. 151 (G.U. n. 236 del 10 ottobre
 * 2025, in force from 1 January 2026) adds it to art. 2 of L. 260/1949 (checked on Normattiva).
 *
 * The list is the one in force from 2001 (2 June back on its date) onwards; earlier years get the same
 * list, which is not historically exact (1977-1985 without Epiphany, 1977-2000 2 June moved to the
 * first Sunday of June). Sundays are not listed: opening days come from the weekly templates.
 */

export interface Holiday {
  /** 'YYYY-MM-DD' */
  date: string;
  name: string;
}

export interface PatronSaintDay {
  municipality: string;
  /** 'MM-DD' */
  monthDay: string;
  name: string;
}

/** First year in which 4 October is a national holiday again (L. 151/2025, art. 1). */
export const SAN_FRANCESCO_FROM_YEAR = 2026;

/**
 * Patron-saint days of the demo Umbrian municipalities, keyed by ISTAT code (the same codes as
 * src/app/demo/demo-region.ts). Data, not rules: the local holiday is the patron's feast as celebrated
 * by each Comune (Perugia: San Costanzo, 29 January; Terni: San Valentino, 14 February; Foligno: San
 * Feliciano, 24 January; sources: the Comuni's yearly programmes of the feast reported by local press,
 * e.g. perugiatoday.it 2018-2019, umbriasocial.it 2024, trgmedia.it 2026, provincia.perugia.it 2022).
 * To be checked against each Comune's statute before production use; add a row per municipality served.
 */
export const PATRON_SAINT_DAYS: Readonly<Record<string, PatronSaintDay>> = {
  '054039': { municipality: 'Perugia', monthDay: '01-29', name: 'San Costanzo' },
  '055032': { municipality: 'Terni', monthDay: '02-14', name: 'San Valentino' },
  '054018': { municipality: 'Foligno', monthDay: '01-24', name: 'San Feliciano' },
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year out of range (1583-9999): ${year}`);
  }
}

/** Parses a strict 'YYYY-MM-DD' that exists in the calendar; throws RangeError otherwise. */
export function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`not a valid YYYY-MM-DD date: ${date}`);
}

/** Easter Sunday of the Gregorian calendar (Anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

function nextDay(date: string): string {
  const { year, month, day } = parseIsoDate(date);
  const d = new Date(Date.UTC(year, month - 1, day + 1));
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const FIXED: readonly (readonly [monthDay: string, name: string, fromYear?: number])[] = [
  ['01-01', 'Capodanno'],
  ['01-06', 'Epifania'],
  ['04-25', 'Festa della Liberazione'],
  ['05-01', 'Festa del Lavoro'],
  ['06-02', 'Festa della Repubblica'],
  ['08-15', 'Assunzione di Maria (Ferragosto)'],
  ['10-04', "San Francesco d'Assisi, patrono d'Italia", SAN_FRANCESCO_FROM_YEAR],
  ['11-01', 'Ognissanti'],
  ['12-08', 'Immacolata Concezione'],
  ['12-25', 'Natale'],
  ['12-26', 'Santo Stefano'],
];

const cache = new Map<number, readonly Holiday[]>();

/** National public holidays of a year, sorted by date, one entry per date. */
export function nationalHolidays(year: number): Holiday[] {
  assertYear(year);
  let list = cache.get(year);
  if (!list) {
    const easter = easterSunday(year);
    const all: Holiday[] = [
      ...FIXED.filter(([, , from]) => from === undefined || year >= from).map(([md, name]) => ({
        date: `${year}-${md}`,
        name,
      })),
      { date: easter, name: 'Pasqua' },
      { date: nextDay(easter), name: "Lunedì dell'Angelo (Pasquetta)" },
    ];
    all.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
    // Easter (Sunday or Monday) can fall on 25 April (e.g. 2011, 2038): one entry, both names.
    const merged: Holiday[] = [];
    for (const h of all) {
      const last = merged[merged.length - 1];
      if (last && last.date === h.date) last.name = `${last.name} / ${h.name}`;
      else merged.push({ ...h });
    }
    list = Object.freeze(merged.map((h) => Object.freeze(h)));
    cache.set(year, list);
  }
  return list.map((h) => ({ ...h }));
}

/** The patron-saint holiday of a municipality in a year, or null if the municipality is not in the map. */
export function patronSaintHoliday(municipalityCode: string, year: number): Holiday | null {
  assertYear(year);
  const p = PATRON_SAINT_DAYS[municipalityCode];
  return p ? { date: `${year}-${p.monthDay}`, name: `${p.name}, patrono di ${p.municipality}` } : null;
}

/**
 * The name of the holiday falling on `date` ('YYYY-MM-DD'), national or (with a municipality's ISTAT code)
 * the patron saint's; null on a working day. Throws RangeError on an invalid date.
 */
export function holidayName(date: string, municipalityCode?: string): string | null {
  const { year } = parseIsoDate(date);
  assertYear(year);
  const national = (cache.get(year) ?? nationalHolidays(year)).find((h) => h.date === date);
  if (national) return national.name;
  if (municipalityCode !== undefined) {
    const patron = patronSaintHoliday(municipalityCode, year);
    if (patron && patron.date === date) return patron.name;
  }
  return null;
}

/** Whether `date` ('YYYY-MM-DD') is a national holiday or the municipality's patron-saint day. */
export function isHoliday(date: string, municipalityCode?: string): boolean {
  return holidayName(date, municipalityCode) !== null;
}
