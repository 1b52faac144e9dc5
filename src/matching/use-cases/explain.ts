/**
 * A match explained in the person's terms: the same score as the index, plus the km, the skills met
 * and missing (with their labels), education, languages, contract and driving licence.
 */
import type { Db } from '../../platform/db/database.ts';
import type { PersonFacts, VacancyFacts } from '../adapters/facts.ts';
import { databaseFacts, type FactsReader } from '../adapters/facts-cache.ts';
import type { MatchExplanation, SkillRef } from '../contract.ts';
import { CEFR_RANK, distanceKm, scoreAt } from '../domain/score.ts';

type Lang = 'it' | 'en' | 'ar';

async function skillLabels(
  facts: FactsReader,
  uris: readonly string[],
  lang: Lang,
): Promise<Map<string, string>> {
  if (uris.length === 0) return new Map();
  const rows = await facts.skillLabels(uris);
  return new Map(
    [...rows].map(([uri, l]) => [uri, (lang === 'it' ? (l.it ?? l.en) : (l.en ?? l.it)) ?? uri]),
  );
}

function explainPair(p: PersonFacts, v: VacancyFacts, labels: Map<string, string>): MatchExplanation {
  const ref = (uri: string): SkillRef => ({ uri, label: labels.get(uri) ?? uri });
  const held = new Set(p.skillUris);
  const km =
    v.profile.remote || !p.located
      ? null
      : distanceKm(p.profile.lat, p.profile.lon, v.profile.lat, v.profile.lon);
  // Unknown domicile: no nearness points (unless the job is fully remote), never refused for distance.
  const s = scoreAt(p.profile, v.profile, v.profile.remote ? 0 : (km ?? 1000));
  const personLevel = (code: string) =>
    Math.max(0, ...p.languages.filter((l) => l.code === code).map((l) => CEFR_RANK[l.level] ?? 0));
  const languagesMet = v.languages.filter((l) => personLevel(l.code) >= (CEFR_RANK[l.level] ?? 0));
  const languagesMissing = v.languages.filter((l) => personLevel(l.code) < (CEFR_RANK[l.level] ?? 0));
  return {
    score: s,
    distanceKm: km === null ? null : Math.round(km * 10) / 10,
    remote: v.remote,
    skillsMet: v.skillUris.filter((u) => held.has(u)).map(ref),
    skillsMissing: v.skillUris.filter((u) => !held.has(u)).map(ref),
    eqfRequired: v.eqf,
    eqfMet: p.profile.eqf >= v.eqf,
    languagesMet,
    languagesMissing,
    contract: v.contract,
    contractMet: (p.profile.contracts & v.profile.contracts) !== 0,
    licenceRequired: v.licence,
    licenceMet: v.licence === null || p.licences.includes(v.licence),
  };
}

/**
 * Explanations of some vacancies (of the person's Region) for one person, by vacancy id. `facts`: the
 * matcher's cache when the caller has one (`matcher.facts`), else straight from PostgreSQL.
 */
export async function explainVacanciesForPerson(
  db: Db,
  regionCode: string,
  citizenId: string,
  vacancyIds: readonly string[],
  lang: Lang,
  facts: FactsReader = databaseFacts(db),
): Promise<Map<string, MatchExplanation>> {
  if (vacancyIds.length === 0) return new Map();
  const [person] = await facts.people(regionCode, [citizenId]);
  if (!person) return new Map();
  const vacancies = await facts.vacancies(regionCode, vacancyIds);
  const labels = await skillLabels(
    facts,
    vacancies.flatMap((v) => v.skillUris),
    lang,
  );
  return new Map(vacancies.map((v) => [v.vacancyId, explainPair(person, v, labels)]));
}

/** Explanations of one vacancy for some people of its Region, by citizen id. */
export async function explainPeopleForVacancy(
  db: Db,
  regionCode: string,
  vacancyId: string,
  citizenIds: readonly string[],
  lang: Lang,
  facts: FactsReader = databaseFacts(db),
): Promise<Map<string, MatchExplanation>> {
  if (citizenIds.length === 0) return new Map();
  const [vacancy] = await facts.vacancies(regionCode, [vacancyId]);
  if (!vacancy) return new Map();
  const people = await facts.people(regionCode, citizenIds);
  const labels = await skillLabels(facts, vacancy.skillUris, lang);
  return new Map(people.map((p) => [p.citizenId, explainPair(p, vacancy, labels)]));
}

/** The person's domicile with coordinates and their commute km, or null (no domicile yet). */
export async function personLocation(
  db: Db,
  regionCode: string,
  citizenId: string,
  facts: FactsReader = databaseFacts(db),
): Promise<{ municipalityCode: string; name: string; lat: number; lon: number; maxKm: number } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(citizenId)) return null;
  const [person] = await facts.people(regionCode, [citizenId]);
  const home = person?.domicile;
  if (!home) return null;
  return { municipalityCode: home.code, name: home.name, lat: home.lat, lon: home.lon, maxKm: home.maxKm };
}
