/**
 * A course as typed by an operator (form) or read from a CSV row: validated field by field, each
 * error an i18n key tied to its field (column), so the form shows it next to the field and the CSV
 * import lists it with the row number and the column name.
 */
import type { CourseMode, FundingCode } from '../adapters/training-tables.ts';

export const MODES: readonly CourseMode[] = ['remote', 'in_person', 'blended'];
export const FUNDING_CODES: readonly FundingCode[] = [
  'gol',
  'garanzia_giovani',
  'fse_plus',
  'fondi_interprofessionali',
  'none',
];

export type CourseInput = {
  title: string;
  description: string;
  eqfLevel: number | null;
  mode: CourseMode;
  municipalityCode: string | null;
  address: string | null;
  startsOn: string;
  endsOn: string;
  hours: number;
  seats: number;
  costEur: number;
  funding: FundingCode;
};

export type CourseField =
  | 'title'
  | 'description'
  | 'eqf_level'
  | 'mode'
  | 'municipality_code'
  | 'address'
  | 'starts_on'
  | 'ends_on'
  | 'hours'
  | 'seats'
  | 'cost_eur'
  | 'funding';

export type InputErrors = Partial<Record<string, string>>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to reject control characters
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value && Number(m[1]) >= 2000;
}

function text(raw: string | undefined, max: number, required: boolean): { value: string; error?: string } {
  const value = (raw ?? '').trim();
  if (required && value === '') return { value, error: 'errors.required' };
  if (value.length > max) return { value, error: 'errors.tooLong' };
  if (CONTROL.test(value)) return { value, error: 'errors.invalidCharacters' };
  return { value };
}

function integer(raw: string | undefined, min: number, max: number): { value: number; error?: string } {
  const value = (raw ?? '').trim();
  if (value === '') return { value: 0, error: 'errors.required' };
  if (!/^\d{1,6}$/.test(value)) return { value: 0, error: 'training.errors.wholeNumber' };
  const n = Number(value);
  if (n < min || n > max) return { value: n, error: 'training.errors.outOfRange' };
  return { value: n };
}

/** Euros with a comma or a dot and at most two decimals; empty means free. */
export function parseEuro(raw: string | undefined): number | null {
  const value = (raw ?? '').trim().replace(/\s/g, '');
  if (value === '') return 0;
  const m = /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(value);
  if (!m) return null;
  return Number(`${m[1]}.${m[2] ?? '0'}`);
}

/** Validate the course fields of a form or a CSV row (keys are the column names). */
export function validateCourse(
  raw: Record<string, string | undefined>,
): { ok: true; value: CourseInput } | { ok: false; errors: InputErrors } {
  const errors: InputErrors = {};
  const title = text(raw.title, 200, true);
  if (title.error) errors.title = title.error;
  const description = text(raw.description, 4000, false);
  if (description.error) errors.description = description.error;
  const address = text(raw.address, 200, false);
  if (address.error) errors.address = address.error;

  let eqfLevel: number | null = null;
  const eqfRaw = (raw.eqf_level ?? '').trim();
  if (eqfRaw !== '') {
    if (!/^[1-8]$/.test(eqfRaw)) errors.eqf_level = 'training.errors.eqf';
    else eqfLevel = Number(eqfRaw);
  }

  const modeRaw = (raw.mode ?? '').trim();
  const mode = MODES.find((m) => m === modeRaw);
  if (!mode) errors.mode = modeRaw === '' ? 'errors.required' : 'errors.choose';

  const municipalityRaw = (raw.municipality_code ?? '').trim();
  let municipalityCode: string | null = null;
  if (municipalityRaw !== '') {
    if (!/^\d{6}$/.test(municipalityRaw)) errors.municipality_code = 'training.errors.municipality';
    else municipalityCode = municipalityRaw;
  } else if (mode && mode !== 'remote') errors.municipality_code = 'training.errors.placeRequired';

  const startsOn = (raw.starts_on ?? '').trim();
  const endsOn = (raw.ends_on ?? '').trim();
  if (startsOn === '') errors.starts_on = 'errors.required';
  else if (!isIsoDate(startsOn)) errors.starts_on = 'training.errors.date';
  if (endsOn === '') errors.ends_on = 'errors.required';
  else if (!isIsoDate(endsOn)) errors.ends_on = 'training.errors.date';
  else if (!errors.starts_on && endsOn < startsOn) errors.ends_on = 'training.errors.endsBeforeStart';

  const hours = integer(raw.hours, 1, 5000);
  if (hours.error) errors.hours = hours.error;
  const seats = integer(raw.seats, 1, 10000);
  if (seats.error) errors.seats = seats.error;

  const cost = parseEuro(raw.cost_eur);
  if (cost === null || cost > 100000) errors.cost_eur = 'training.errors.cost';

  const fundingRaw = (raw.funding ?? '').trim() || 'none';
  const funding = FUNDING_CODES.find((f) => f === fundingRaw);
  if (!funding) errors.funding = 'errors.choose';

  if (Object.keys(errors).length > 0 || !mode || !funding || cost === null) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title: title.value,
      description: description.value,
      eqfLevel,
      mode,
      municipalityCode: mode === 'remote' ? null : municipalityCode,
      address: mode === 'remote' ? null : address.value || null,
      startsOn,
      endsOn,
      hours: hours.value,
      seats: seats.value,
      costEur: cost,
      funding,
    },
  };
}

/** The CSV import's columns, in the order the page documents them. */
export const CSV_COLUMNS = [
  'provider_vat',
  'title',
  'description',
  'eqf_level',
  'mode',
  'municipality_code',
  'address',
  'starts_on',
  'ends_on',
  'hours',
  'seats',
  'cost_eur',
  'funding',
  'skills',
] as const;
export const REQUIRED_CSV_COLUMNS = [
  'provider_vat',
  'title',
  'mode',
  'starts_on',
  'ends_on',
  'hours',
  'seats',
];
export const MAX_CSV_ROWS = 2000;
/** An ESCO skill URI, or a project-defined one of the curated demo set (`urn:sportello:skill:…`). */
const SKILL_URI = /^(?:https?:\/\/[\x21-\x7e]{1,300}|urn:sportello:skill:[a-z0-9-]{1,100})$/;

export type CsvCourse = CourseInput & { providerVat: string; skillUris: string[] };
export type RowError = { row: number; column: string; error: string };

/** The header must name every required column and only known ones. */
export function checkHeader(header: readonly string[]): RowError[] {
  const errors: RowError[] = [];
  const known = new Set<string>(CSV_COLUMNS);
  for (const h of header)
    if (!known.has(h))
      errors.push({ row: 1, column: h.slice(0, 60), error: 'training.import.unknownColumn' });
  for (const r of REQUIRED_CSV_COLUMNS)
    if (!header.includes(r)) errors.push({ row: 1, column: r, error: 'training.import.missingColumn' });
  return errors;
}

/**
 * One data row (row number as the person counts it in a spreadsheet: the header is row 1). Skills are
 * ESCO URIs separated by "|" or ";"; whether they exist is checked against the database later.
 */
export function validateCsvRow(
  row: number,
  record: Record<string, string | undefined>,
): { ok: true; value: CsvCourse } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const vat = (record.provider_vat ?? '').trim();
  if (!/^\d{11}$/.test(vat)) errors.push({ row, column: 'provider_vat', error: 'training.errors.vat' });
  const skillUris = [
    ...new Set(
      (record.skills ?? '')
        .split(/[|;]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (skillUris.length > 50 || skillUris.some((u) => !SKILL_URI.test(u)))
    errors.push({ row, column: 'skills', error: 'training.errors.skillUri' });
  const course = validateCourse(record);
  if (!course.ok)
    for (const [column, error] of Object.entries(course.errors))
      if (error) errors.push({ row, column, error });
  if (errors.length > 0 || !course.ok) return { ok: false, errors };
  return { ok: true, value: { ...course.value, providerVat: vat, skillUris } };
}
