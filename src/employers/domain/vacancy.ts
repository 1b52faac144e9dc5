import { z } from 'zod';
import { MATCH_LANGUAGES } from '../../matching/domain/score.ts';
import { NO_CONTROL_CHARS } from '../../platform/http/forms.ts';
import { CONTRACT_TYPES, type ContractType, type VacancyStatus } from '../adapters/employer-tables.ts';

export { romeDay } from '../../platform/i18n/format.ts';

/**
 * A vacancy as the employer writes it (form or API), its rules, and its life: draft → submitted →
 * published | rejected; published → expired (daily job) or closed with the outcome. Pure.
 */
export const REMOTE_MODES = ['no', 'hybrid', 'full'] as const;
export const HOURS = ['full_time', 'part_time'] as const;
export const PAY_PERIODS = ['hour', 'month', 'year'] as const;
export const VACANCY_LICENCES = ['AM', 'A1', 'A2', 'A', 'B', 'BE', 'C', 'CE', 'D', 'DE', 'CQC'] as const;
export const VACANCY_CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export const OUTCOMES = ['filled_platform', 'filled_elsewhere', 'not_filled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** The longest an expiry may be from today. */
export const MAX_EXPIRY_MONTHS = 6;

export type VacancyDraft = {
  title: string;
  description: string;
  occupationUri: string | null;
  eqfRequired: number;
  experienceYears: number;
  essentialSkills: string[];
  optionalSkills: string[];
  languages: { code: string; level: string }[];
  remote: 'no' | 'hybrid' | 'full';
  /** One of the company's sites, or a municipality (ISTAT code, or name with an optional "(PG)"). */
  siteId: string | null;
  municipality: string | null;
  contractType: ContractType;
  hours: 'full_time' | 'part_time';
  weeklyHours: number | null;
  payMin: number | null;
  payMax: number | null;
  payPeriod: 'hour' | 'month' | 'year' | null;
  positions: number;
  startDate: string | null;
  expiresOn: string;
  reservedL68: boolean;
  seasonal: boolean;
  drivingLicence: string | null;
  safetyInfo: string | null;
};

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A concept URI of the taxonomy (ESCO, or the curated set's own `urn:`); existence is checked in the database. */
export const ESCO_SKILL_RE = /^[a-z][a-z0-9+.-]{1,20}:[^\s<>"']{1,200}$/;
export const ESCO_OCCUPATION_RE = ESCO_SKILL_RE;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A valid calendar day `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `YYYY-MM-DD` plus whole months, clamped to the month's last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, 'errors.required')
    .min(min, 'vacancies.errors.tooShort')
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
    .optional()
    .transform((v) => (v ? v : null));
const int = (min: number, max: number, key: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,7}$/, key)
    .transform(Number)
    .pipe(z.number().int().min(min, key).max(max, key));
const optionalInt = (min: number, max: number, key: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(int(min, max, key).optional())
    .transform((v) => v ?? null);
const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: 'errors.choose' });
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.enum(values, { error: 'errors.choose' }).optional())
    .transform((v) => v ?? null);
const date = (key: string) =>
  z.string({ error: 'errors.required' }).trim().min(1, 'errors.required').refine(isIsoDate, key);
const optionalDate = (key: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().refine(isIsoDate, key).optional())
    .transform((v) => v ?? null);

/** The single-valued fields of the vacancy form (repeated fields are read with formArray). */
export const VacancyFormFields = z.object({
  title: text(3, 150),
  description: text(20, 5000),
  occupation_uri: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().regex(ESCO_OCCUPATION_RE, 'errors.choose').optional())
    .transform((v) => v ?? null),
  eqf_required: int(0, 8, 'errors.choose'),
  experience_years: int(0, 40, 'vacancies.errors.experience'),
  remote: choice(REMOTE_MODES),
  site_id: z
    .string()
    .optional()
    .transform((v) => (v && v !== 'other' ? v : undefined))
    .pipe(z.string().regex(UUID_RE, 'errors.choose').optional())
    .transform((v) => v ?? null),
  municipality: optionalText(80),
  contract_type: choice(CONTRACT_TYPES),
  hours: choice(HOURS),
  weekly_hours: optionalInt(1, 48, 'vacancies.errors.weeklyHours'),
  pay_min: optionalInt(0, 1_000_000, 'vacancies.errors.pay'),
  pay_max: optionalInt(0, 1_000_000, 'vacancies.errors.pay'),
  pay_period: optionalChoice(PAY_PERIODS),
  positions: int(1, 500, 'vacancies.errors.positions'),
  start_date: optionalDate('vacancies.errors.date'),
  expires_on: date('vacancies.errors.date'),
  reserved_l68: z.string().optional(),
  seasonal: z.string().optional(),
  driving_licence: optionalChoice(VACANCY_LICENCES),
  safety_info: optionalText(2000),
});
export type VacancyFormData = z.infer<typeof VacancyFormFields>;

/** Languages chosen in the form: one select per language (`lang_it` = 'B2'), only MATCH_LANGUAGES. */
export function languagesFromForm(values: Record<string, string | undefined>): {
  languages: { code: string; level: string }[];
  invalid: string[];
} {
  const languages: { code: string; level: string }[] = [];
  const invalid: string[] = [];
  for (const code of MATCH_LANGUAGES) {
    const level = values[`lang_${code}`];
    if (!level) continue;
    if ((VACANCY_CEFR as readonly string[]).includes(level)) languages.push({ code, level });
    else invalid.push(`lang_${code}`);
  }
  return { languages, invalid };
}

/** Skill URIs from a repeated field: only ESCO skill URIs, each once, at most 30. */
export function skillList(list: string[]): string[] {
  return [...new Set(list.filter((s) => ESCO_SKILL_RE.test(s)))].slice(0, 30);
}

export function draftFromForm(
  data: VacancyFormData,
  extra: {
    essentialSkills: string[];
    optionalSkills: string[];
    languages: { code: string; level: string }[];
  },
): VacancyDraft {
  const essential = skillList(extra.essentialSkills);
  return {
    title: data.title,
    description: data.description,
    occupationUri: data.occupation_uri,
    eqfRequired: data.eqf_required,
    experienceYears: data.experience_years,
    essentialSkills: essential,
    optionalSkills: skillList(extra.optionalSkills).filter((s) => !essential.includes(s)),
    languages: extra.languages,
    remote: data.remote,
    siteId: data.remote === 'full' ? null : data.site_id,
    municipality: data.remote === 'full' || data.site_id ? null : data.municipality,
    contractType: data.contract_type,
    hours: data.hours,
    weeklyHours: data.weekly_hours,
    payMin: data.pay_min,
    payMax: data.pay_max,
    payPeriod: data.pay_period,
    positions: data.positions,
    startDate: data.start_date,
    expiresOn: data.expires_on,
    reservedL68: Boolean(data.reserved_l68),
    seasonal: Boolean(data.seasonal),
    drivingLicence: data.driving_licence,
    safetyInfo: data.safety_info,
  };
}

/**
 * The rules across fields, as i18n keys by form field: pay range the right way round and with its
 * period, expiry in the future and at most six months ahead, a place unless fully remote.
 */
export function draftRuleErrors(d: VacancyDraft, today: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (d.payMin !== null && d.payMax !== null && d.payMin > d.payMax)
    errors.pay_max = 'vacancies.errors.payOrder';
  if ((d.payMin !== null || d.payMax !== null) && d.payPeriod === null)
    errors.pay_period = 'vacancies.errors.payPeriod';
  if (d.expiresOn <= today) errors.expires_on = 'vacancies.errors.expiryPast';
  else if (d.expiresOn > addMonths(today, MAX_EXPIRY_MONTHS))
    errors.expires_on = 'vacancies.errors.expiryFar';
  if (d.remote !== 'full' && !d.siteId && !d.municipality) errors.site_id = 'vacancies.errors.place';
  if (d.hours === 'full_time' && d.weeklyHours !== null && d.weeklyHours < 30)
    errors.weekly_hours = 'vacancies.errors.fullTimeHours';
  if (d.hours === 'part_time' && d.weeklyHours !== null && d.weeklyHours > 39)
    errors.weekly_hours = 'vacancies.errors.partTimeHours';
  return errors;
}

/** Which statuses the employer may still edit; editing a published vacancy sends it back to moderation. */
export function statusAfterEdit(status: VacancyStatus): VacancyStatus | null {
  switch (status) {
    case 'draft':
      return 'draft';
    case 'rejected':
      return 'draft';
    case 'submitted':
    case 'published':
      return 'submitted';
    default:
      return null;
  }
}

export function canSubmit(status: VacancyStatus): boolean {
  return status === 'draft' || status === 'rejected';
}

export function canClose(status: VacancyStatus): boolean {
  return status !== 'closed';
}
