/**
 * What the matching context offers the others (issue 7): ranking in both directions with the one
 * explained score, and the explanation of a match in the person's terms (km, skills met and missing,
 * education, languages, contract, driving licence).
 *
 * The score (src/matching/domain/score.ts), in integer points, higher is better, ties by the lower key:
 *   essential skills 400 × met / required (400 when none required) · education (EQF) met 150 ·
 *   languages met 100 · contract wanted 100 · driving licence held (or none needed) 50 ·
 *   nearness max(0, 200 − 2 × km) (fully remote vacancies count as 0 km).
 * Only people who agreed to be found (`candidate_visibility.visible`) are ranked for vacancies; only
 * published, unexpired vacancies are ranked for people.
 */
import type { FactsReader } from './adapters/facts-cache.ts';
export interface RankedVacancy {
  vacancyId: string;
  score: number;
}

export interface RankedPerson {
  citizenId: string;
  score: number;
}

export interface Matcher {
  /** The facts the matcher knows, cached in the process (pass to the explain functions). */
  readonly facts: FactsReader;
  /** Published vacancies of the Region for the person, best first (radius: the person's own commute km if omitted). */
  rankVacanciesForPerson(
    regionCode: string,
    citizenId: string,
    options: { radiusKm?: number; limit: number },
  ): Promise<RankedVacancy[]>;
  /** People of the Region who agreed to be found, best first for the vacancy (radius default 30 km). */
  rankPeopleForVacancy(
    regionCode: string,
    vacancyId: string,
    options: { radiusKm?: number; limit: number },
  ): Promise<RankedPerson[]>;
}

export interface SkillRef {
  uri: string;
  label: string;
}

/** One match explained; the same numbers whichever side asks. */
export interface MatchExplanation {
  score: number;
  /** km between the person's domicile and the vacancy's place; null when fully remote or unknown. */
  distanceKm: number | null;
  remote: 'no' | 'hybrid' | 'full';
  skillsMet: SkillRef[];
  skillsMissing: SkillRef[];
  eqfRequired: number;
  eqfMet: boolean;
  languagesMet: { code: string; level: string }[];
  languagesMissing: { code: string; level: string }[];
  contract: string;
  contractMet: boolean;
  licenceRequired: string | null;
  licenceMet: boolean;
}

export type { FactsReader } from './adapters/facts-cache.ts';
export { explainPeopleForVacancy, explainVacanciesForPerson, personLocation } from './use-cases/explain.ts';
