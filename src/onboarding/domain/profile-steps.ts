/**
 * The profile is asked one thing per page, in this order. A person can stop at any step and come
 * back to the same place; what the system already knows (identity from SPID/CIE) is never asked.
 */
export const PROFILE_STEPS = [
  'contatti',
  'verifica',
  'domicilio',
  'istruzione',
  'esperienze',
  'disoccupazione',
  'sostegni',
  'lingue',
  'patenti',
  'disponibilita',
  'riepilogo',
] as const;
export type ProfileStep = (typeof PROFILE_STEPS)[number];

export function isStep(value: unknown): value is ProfileStep {
  return typeof value === 'string' && (PROFILE_STEPS as readonly string[]).includes(value);
}

export function nextStep(step: ProfileStep): ProfileStep {
  const i = PROFILE_STEPS.indexOf(step);
  return PROFILE_STEPS[Math.min(i + 1, PROFILE_STEPS.length - 1)] ?? 'riepilogo';
}

export function previousStep(step: ProfileStep): ProfileStep | null {
  const i = PROFILE_STEPS.indexOf(step);
  return i > 0 ? (PROFILE_STEPS[i - 1] ?? null) : null;
}

/** Steps count from 1 for people ("Passo 3 di 11"). */
export function stepNumber(step: ProfileStep): number {
  return PROFILE_STEPS.indexOf(step) + 1;
}

export const EQF_LEVELS = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
export const BENEFITS = ['naspi', 'adi_sfl', 'none', 'other'] as const;
export const LICENCES = ['AM', 'A1', 'A2', 'A', 'B', 'BE', 'C', 'CE', 'D', 'DE', 'CQC', 'none'] as const;
export const CONTRACT_TYPES = [
  'indeterminato',
  'determinato',
  'apprendistato',
  'somministrazione',
  'tirocinio',
  'stagionale',
] as const;
export const HOURS = ['full_time', 'part_time', 'any'] as const;
export const REMOTE = ['yes', 'no', 'only'] as const;
export const CEFR = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'] as const;
/** ISO 639-1 codes of the languages most often declared in Italy's CPI caseloads. */
export const LANGUAGE_CODES = [
  'it',
  'en',
  'fr',
  'de',
  'es',
  'ro',
  'sq',
  'ar',
  'zh',
  'uk',
  'ru',
  'pt',
  'hi',
  'bn',
  'tl',
  'ur',
  'pa',
  'wo',
] as const;
/** ISCO-08 major groups (ILO), the occupation family when the exact ESCO occupation is not chosen. */
export const ISCO_MAJOR_GROUPS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;
/** ATECO 2007 sections (ISTAT). */
export const ATECO_SECTIONS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  'P',
  'Q',
  'R',
  'S',
  'T',
  'U',
] as const;

/** Ages under 16 cannot declare availability; 16 and 17 are flagged for the operator. */
export function didAgeRule(age: number): 'refused' | 'minor' | 'adult' {
  if (age < 16) return 'refused';
  if (age < 18) return 'minor';
  return 'adult';
}
