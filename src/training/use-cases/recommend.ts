import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { currentGaps, type SkillGap } from '../../skills/use-cases/gap.ts';
import type { CourseMode, FundingCode } from '../adapters/training-tables.ts';
import {
  type CandidateCourse,
  ESSENTIAL_WEIGHT,
  type MissingSkill,
  mergeMissing,
  OPTIONAL_WEIGHT,
  type Place,
  type Recommendation,
  recommendCourses,
} from '../domain/recommend.ts';
import { todayInRome } from './catalogue.ts';

/**
 * The candidates, in one indexed query: courses of the Region teaching any of the missing skills
 * (course_skills_skill index), starting today or later, not full, with the place's coordinates and
 * the missing skills each one covers; the best covering first. With `limit`, only that many: since
 * a course's score is at most 100 × its coverage, the caller can tell whether the rest could matter.
 */
export async function loadCandidates(
  db: Db,
  regionCode: string,
  missing: readonly MissingSkill[],
  today: string,
  limit?: number,
): Promise<CandidateCourse[]> {
  if (missing.length === 0) return [];
  const all = missing.map((m) => m.uri);
  const essential = missing.filter((m) => m.relation === 'essential').map((m) => m.uri);
  const { rows } = await sql<{
    id: string;
    title: string;
    provider_name: string;
    mode: CourseMode;
    latitude: number | null;
    longitude: number | null;
    municipality_name: string | null;
    starts_on: string;
    seats: number;
    seats_taken: number;
    cost_eur: string;
    funding: FundingCode;
    eqf_level: number | null;
    skills: string[];
  }>`
    select c.id, c.title, p.name as provider_name, c.mode, m.latitude, m.longitude,
           m.name as municipality_name, to_char(c.starts_on, 'YYYY-MM-DD') as starts_on, c.seats,
           c.seats_taken, c.cost_eur, c.funding, c.eqf_level, k.skills
    from (
      select cs.course_id, array_agg(cs.skill_uri) as skills,
             sum(case when cs.skill_uri = any(${essential}::text[]) then ${ESSENTIAL_WEIGHT}::float8
                      else ${OPTIONAL_WEIGHT}::float8 end) as weight
      from course_skills cs
      where cs.region_code = ${regionCode} and cs.skill_uri = any(${all}::text[])
      group by cs.course_id
    ) k
    join courses c on c.region_code = ${regionCode} and c.id = k.course_id
    join training_providers p on p.region_code = c.region_code and p.id = c.provider_id
    left join municipalities m on m.istat_code = c.municipality_code
    where c.starts_on >= ${today}::date and c.seats_taken < c.seats
    order by k.weight desc, c.starts_on, c.id
    ${limit === undefined ? sql`` : sql`limit ${limit}`}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    providerName: r.provider_name,
    mode: r.mode,
    place:
      r.latitude != null && r.longitude != null ? { latitude: r.latitude, longitude: r.longitude } : null,
    municipalityName: r.municipality_name,
    startsOn: r.starts_on,
    seats: r.seats,
    seatsTaken: r.seats_taken,
    costEur: Number(r.cost_eur),
    funding: r.funding,
    eqfLevel: r.eqf_level,
    skillUris: r.skills,
  }));
}

/** How many of the best covering candidates are read first (see `recommendForMissing`). */
export const FIRST_READ = 200;

/** Where the person lives (their domicile's municipality), or null. */
export async function homeOf(db: Db, regionCode: string, citizenId: string): Promise<Place | null> {
  const row = await db
    .selectFrom('citizen_profiles as cp')
    .innerJoin('municipalities as m', 'm.istat_code', 'cp.domicile_code')
    .select(['m.latitude', 'm.longitude'])
    .where('cp.region_code', '=', regionCode)
    .where('cp.user_id', '=', citizenId)
    .executeTakeFirst();
  return row?.latitude != null && row.longitude != null
    ? { latitude: row.latitude, longitude: row.longitude }
    : null;
}

/** Recommendations for given missing skills (the ranking without the gap analysis). */
export async function recommendForMissing(
  db: Db,
  regionCode: string,
  missing: readonly MissingSkill[],
  home: Place | null,
  now = new Date(),
  limit = 10,
): Promise<Recommendation[]> {
  const today = todayInRome(now);
  const weight = (m: MissingSkill) => (m.relation === 'essential' ? ESSENTIAL_WEIGHT : OPTIONAL_WEIGHT);
  const byUri = new Map(missing.map((m) => [m.uri, weight(m)]));
  const total = missing.reduce((sum, m) => sum + weight(m), 0);
  const first = await loadCandidates(db, regionCode, missing, today, FIRST_READ);
  const ranked = recommendCourses({ missing, home, today, candidates: first, limit });
  // Exact without reading everything: a course not read covers at most what the last one read
  // covers, so its score is at most 100 × that coverage; if that cannot reach the last
  // recommendation's score, the rest cannot change the list.
  const last = first.at(-1);
  if (first.length < FIRST_READ || !last || total === 0) return ranked;
  const lastCoverage = last.skillUris.reduce((sum, uri) => sum + (byUri.get(uri) ?? 0), 0) / total;
  const floor =
    ranked.length < limit ? Number.POSITIVE_INFINITY : (ranked.at(-1)?.score ?? Number.POSITIVE_INFINITY);
  if (ranked.length === limit && 100 * lastCoverage < floor) return ranked;
  const everything = await loadCandidates(db, regionCode, missing, today);
  return recommendCourses({ missing, home, today, candidates: everything, limit });
}

/** The person's gaps (skills context) and the courses that close them best, explained. */
export async function recommendForCitizen(
  db: Db,
  regionCode: string,
  citizenId: string,
  lang: 'it' | 'en' | 'ar',
  now = new Date(),
  limit = 10,
): Promise<{ gaps: SkillGap[]; missing: MissingSkill[]; recommendations: Recommendation[] }> {
  const [gaps, home] = await Promise.all([
    currentGaps(db, regionCode, citizenId, lang),
    homeOf(db, regionCode, citizenId),
  ]);
  const missing = mergeMissing(gaps);
  const recommendations = await recommendForMissing(db, regionCode, missing, home, now, limit);
  return { gaps, missing, recommendations };
}
