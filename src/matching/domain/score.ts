/**
 * The one matching score, used by both directions, by the in-process index and by the brute-force
 * reference. Integer points; ties are broken by record id ascending by the callers.
 *
 *   essential skills   400 × met / required (400 when none is required)
 *   education (EQF)    150 when the person's level ≥ the required one
 *   languages          100 when every required language is at or above the required CEFR level
 *   contract           100 when the vacancy's contract is one the person accepts
 *   driving licence     50 when none is required or the person holds the category
 *   nearness           max(0, 200 − ⌊2 × km⌋); a fully remote vacancy is 0 km away
 *   outside the radius  −1 (not a match)
 */

/** Languages the matcher scores (4 bits each in a 32-bit word): the ones most asked for in Italian vacancies. */
export const MATCH_LANGUAGES = ['it', 'en', 'fr', 'de', 'es', 'pt', 'ro', 'ar'] as const;
/** CEFR level → 1…6; a mother tongue is 7. */
export const CEFR_RANK: Record<string, number> = { A1: 1, A2: 2, B1: 3, B2: 4, C1: 5, C2: 6, native: 7 };
export const CEFR_BY_RANK = ['', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'] as const;
/** Driving licence categories (bit i). */
export const LICENCE_CATEGORIES = ['AM', 'A1', 'A2', 'A', 'B', 'BE', 'C', 'CE', 'D', 'DE', 'CQC'] as const;
/** Contract types (bit i). */
export const CONTRACT_KINDS = [
  'indeterminato',
  'determinato',
  'apprendistato',
  'somministrazione',
  'tirocinio',
  'stagionale',
] as const;
export const ALL_CONTRACTS = (1 << CONTRACT_KINDS.length) - 1;

export interface Profile {
  /** Integer key (vacancies.match_seq or citizen_profiles.match_seq). */
  id: number;
  /** Skill numbers (esco_skills.match_id), without repeats: the person's skills or the vacancy's essential ones. */
  skills: readonly number[];
  eqf: number;
  /** 8 languages × 4 bits (MATCH_LANGUAGES order): person's level 0…7, vacancy's required level 0…6. */
  langs: number;
  /** Bitmask over CONTRACT_KINDS: the person's accepted contracts, or the vacancy's one contract. */
  contracts: number;
  /** Bitmask over LICENCE_CATEGORIES: held by the person, or the one category required (0: none). */
  licences: number;
  /** Latitude/longitude in micro-degrees (fixed point). */
  lat: number;
  lon: number;
  /** Vacancy: fully remote (distance 0). Person: always false. */
  remote: boolean;
  /** Person: max commute km (the default radius of their search). */
  maxKm: number;
  /** Person: agreed to be found. Vacancy: true. */
  consent: boolean;
}

/**
 * Distance: equirectangular, with the cosine of the vacancy's 0.05° latitude band (its centre). Within
 * Italy that is within 0.1% of the great-circle distance, and it is cheap and deterministic: the index
 * reads the band's cosine once per cell (its cells are the same bands) or once per query.
 */
export const BAND = 50_000; // 0.05° in micro-degrees
const COS_BAND = new Float64Array(1801);
for (let i = 0; i < COS_BAND.length; i++)
  COS_BAND[i] = Math.cos((((i * BAND + BAND / 2) / 1e6) * Math.PI) / 180);
export const KM_PER_MICRODEGREE = (6371 * Math.PI) / 180e6;

export function cosBand(vacancyLat: number): number {
  const i = Math.floor(Math.abs(vacancyLat) / BAND);
  return COS_BAND[Math.min(1800, i)] as number;
}

/** km from the person to the vacancy, given the cosine of the vacancy's band. */
export function kmWithCos(
  personLat: number,
  personLon: number,
  vacancyLat: number,
  vacancyLon: number,
  c: number,
): number {
  const x = (vacancyLon - personLon) * c;
  const y = vacancyLat - personLat;
  return Math.sqrt(x * x + y * y) * KM_PER_MICRODEGREE;
}

/** km from the person to the vacancy (micro-degrees in). */
export function distanceKm(
  personLat: number,
  personLon: number,
  vacancyLat: number,
  vacancyLon: number,
): number {
  return kmWithCos(personLat, personLon, vacancyLat, vacancyLon, cosBand(vacancyLat));
}

const GUARDS = 0x88888888 | 0;

/**
 * True when every 4-bit person level is ≥ the vacancy's (SWAR: a guard bit per field, and no borrow
 * crosses fields because levels are ≤ 7). Levels ≤ 7 keep both words below 2³¹, so all of it stays in
 * 32-bit integers.
 */
export function languagesMet(person: number, vacancy: number): boolean {
  return (((person | GUARDS) - vacancy) & GUARDS) === GUARDS;
}

/** The formula, on plain numbers: the index's scan loop and `score` both call it. */
export function points(
  required: number,
  met: number,
  eqfOk: boolean,
  langsOk: boolean,
  contractOk: boolean,
  licenceOk: boolean,
  km: number,
): number {
  let s = required === 0 ? 400 : Math.floor((400 * met) / required);
  if (eqfOk) s += 150;
  if (langsOk) s += 100;
  if (contractOk) s += 100;
  if (licenceOk) s += 50;
  const near = 200 - Math.floor(km * 2);
  return near > 0 ? s + near : s;
}

export function countMet(person: readonly number[], vacancy: readonly number[]): number {
  let met = 0;
  for (const s of vacancy) if (person.includes(s)) met++;
  return met;
}

/** Score in integer points, or -1 if outside the radius. */
export function score(person: Profile, vacancy: Profile, radiusKm: number): number {
  const d = vacancy.remote ? 0 : distanceKm(person.lat, person.lon, vacancy.lat, vacancy.lon);
  return d > radiusKm ? -1 : scoreAt(person, vacancy, d);
}

/** Score with a known distance (e.g. no nearness points when the person's domicile is unknown). */
export function scoreAt(person: Profile, vacancy: Profile, km: number): number {
  return points(
    vacancy.skills.length,
    countMet(person.skills, vacancy.skills),
    person.eqf >= vacancy.eqf,
    languagesMet(person.langs, vacancy.langs),
    (person.contracts & vacancy.contracts) !== 0,
    vacancy.licences === 0 || (person.licences & vacancy.licences) !== 0,
    km,
  );
}

/** Index (in MATCH_LANGUAGES) of each language whose required level the person does not reach. */
export function languagesMissing(person: number, vacancy: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    if (((person >>> (i * 4)) & 15) < ((vacancy >>> (i * 4)) & 15)) out.push(i);
  }
  return out;
}

/** Pack {code, level}[] into the 8 × 4-bit word; languages outside MATCH_LANGUAGES are not scored. */
export function packLanguages(list: readonly { code: string; level: string }[]): number {
  let word = 0;
  for (const { code, level } of list) {
    const i = (MATCH_LANGUAGES as readonly string[]).indexOf(code);
    const rank = CEFR_RANK[level] ?? 0;
    if (i < 0 || rank === 0) continue;
    const cur = (word >>> (i * 4)) & 15;
    if (rank > cur) word = (word & ~(15 << (i * 4))) | (rank << (i * 4));
  }
  return word;
}

export function bitsOf<T extends string>(values: readonly string[], universe: readonly T[]): number {
  let mask = 0;
  for (const v of values) {
    const i = (universe as readonly string[]).indexOf(v);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}
