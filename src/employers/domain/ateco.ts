/**
 * ATECO 2007 (ISTAT, the Italian version of NACE Rev. 2): 21 sections (A–U) made of two-digit
 * divisions. A code such as "13.20" or "13.20.00" starts with its division, so the division tells the
 * section: a code that does not belong to the chosen section is a typing mistake worth pointing out.
 * Source: ISTAT, "Classificazione delle attività economiche ATECO 2007", struttura (sezioni e divisioni).
 */
export { ATECO_SECTIONS } from '../../onboarding/domain/profile-steps.ts';

/** First and last division of each section. */
const DIVISIONS: [string, number, number][] = [
  ['A', 1, 3],
  ['B', 5, 9],
  ['C', 10, 33],
  ['D', 35, 35],
  ['E', 36, 39],
  ['F', 41, 43],
  ['G', 45, 47],
  ['H', 49, 53],
  ['I', 55, 56],
  ['J', 58, 63],
  ['K', 64, 66],
  ['L', 68, 68],
  ['M', 69, 75],
  ['N', 77, 82],
  ['O', 84, 84],
  ['P', 85, 85],
  ['Q', 86, 88],
  ['R', 90, 93],
  ['S', 94, 96],
  ['T', 97, 98],
  ['U', 99, 99],
];

export const ATECO_CODE = /^[0-9]{2}(\.[0-9]{1,2}(\.[0-9]{1,2})?)?$/;

/** The section of an ATECO code ("13.20.00" → "C"), or null when the division does not exist. */
export function sectionOfAtecoCode(code: string): string | null {
  if (!ATECO_CODE.test(code)) return null;
  const division = Number(code.slice(0, 2));
  for (const [section, from, to] of DIVISIONS) if (division >= from && division <= to) return section;
  return null;
}

export type AtecoCheck =
  | { ok: true }
  | { ok: false; reason: 'format' | 'division' | 'section'; section?: string };

/** Checks an optional code against the chosen section. */
export function checkAtecoCode(section: string, code: string): AtecoCheck {
  if (!ATECO_CODE.test(code)) return { ok: false, reason: 'format' };
  const of = sectionOfAtecoCode(code);
  if (!of) return { ok: false, reason: 'division' };
  if (of !== section) return { ok: false, reason: 'section', section: of };
  return { ok: true };
}

/**
 * The public page's address from a company name: letters without accents, digits and hyphens
 * ("Tessiture del Chiascio S.r.l." → "tessiture-del-chiascio-srl"), at most 60 characters.
 */
export function slugOf(name: string): string {
  const base = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return base || 'azienda';
}

export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
