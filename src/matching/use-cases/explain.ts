/**
 * A match explained in the person's terms: the same score as the index, plus the km, the skills met
 * and missing (with their labels), education, languages, contract and driving licence.
 */
import type { Db } from '../../platform/db/database.ts';
import { loadPeople, loadVacancies, type PersonFacts, type VacancyFacts } from '../adapters/facts.ts';
import type { MatchExplanation, SkillRef } from '../contract.ts';
import { CEFR_RANK, distanceKm, scoreAt } from '../domain/score.ts';

type Lang = 'it' | 'en' | 'ar';

async function skillLabels(db: Db, uris: readonly string[], lang: Lang): Promise<Map<string, string>> {
  if (uris.length === 0) return new Map();
  const rows = await db
    .selectFrom('esco_skills')
    .select(['uri', 'label_it', 'label_en'])
    .where('uri', 'in', [...new Set(uris)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.uri,
      (lang === 'it' ? (r.label_it ?? r.label_en) : (r.label_en ?? r.label_it)) ?? r.uri,
    ]),
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

/** Explanations of some vacancies (of the person's Region) for one person, by vacancy id. */
export async function explainVacanciesForPerson(
  db: Db,
  regionCode: string,
  citizenId: string,
  vacancyIds: readonly string[],
  lang: Lang,
): Promise<Map<string, MatchExplanation>> {
  const [person] = await loadPeople(db, { regionCode, citizenIds: [citizenId] });
  if (!person || vacancyIds.length === 0) return new Map();
  const vacancies = await loadVacancies(db, { regionCode, vacancyIds });
  const labels = await skillLabels(
    db,
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
): Promise<Map<string, MatchExplanation>> {
  const [vacancy] = await loadVacancies(db, { regionCode, vacancyIds: [vacancyId] });
  if (!vacancy || citizenIds.length === 0) return new Map();
  const people = await loadPeople(db, { regionCode, citizenIds });
  const labels = await skillLabels(db, vacancy.skillUris, lang);
  return new Map(people.map((p) => [p.citizenId, explainPair(p, vacancy, labels)]));
}

/** The person's domicile with coordinates and their commute km, or null (no domicile yet). */
export async function personLocation(
  db: Db,
  regionCode: string,
  citizenId: string,
): Promise<{ municipalityCode: string; name: string; lat: number; lon: number; maxKm: number } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(citizenId)) return null;
  const row = await db
    .selectFrom('citizen_profiles as p')
    .innerJoin('municipalities as m', 'm.istat_code', 'p.domicile_code')
    .select(['m.istat_code', 'm.name', 'm.latitude', 'm.longitude', 'p.availability'])
    .where('p.region_code', '=', regionCode)
    .where('p.user_id', '=', citizenId)
    .executeTakeFirst();
  if (!row || row.latitude === null || row.longitude === null) return null;
  const km = (row.availability as { maxCommuteKm?: number } | null)?.maxCommuteKm ?? 30;
  return {
    municipalityCode: row.istat_code,
    name: row.name,
    lat: row.latitude,
    lon: row.longitude,
    maxKm: km,
  };
}
