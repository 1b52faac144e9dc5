import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { JobPostingInput } from '../domain/job-posting.ts';
import { romeDay, UUID_RE } from '../domain/vacancy.ts';

/**
 * The open-data feed: published, unexpired vacancies of the Region as schema.org JobPosting inputs,
 * newest first, a page at a time. Also the input for one vacancy (the public page's JSON-LD).
 */
export const FEED_PAGE_SIZE = 50;

function base(db: Db, regionCode: string, today: string) {
  return db
    .selectFrom('vacancies as v')
    .where('v.region_code', '=', regionCode)
    .where('v.status', '=', 'published')
    .where('v.expires_on', '>=', today as unknown as Date);
}

async function inputs(db: Db, regionCode: string, ids: string[]): Promise<JobPostingInput[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('vacancies as v')
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'v.region_code').onRef('c.id', '=', 'v.company_id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'v.municipality_code')
    .leftJoin('esco_occupations as o', 'o.uri', 'v.occupation_uri')
    .select([
      'v.id',
      'v.title',
      'v.description',
      'v.published_at',
      'v.created_at',
      'v.expires_on',
      'v.contract_type',
      'v.hours',
      'v.remote',
      'v.pay_min',
      'v.pay_max',
      'v.pay_period',
      'v.occupation_uri',
      'v.eqf_required',
      'v.positions',
      'v.experience_years',
      'v.start_date',
      'v.weekly_hours',
      'c.name as company_name',
      'c.public_slug',
      'm.name as municipality',
      'm.province',
      'o.isco_code',
      (eb) =>
        eb
          .selectFrom('vacancy_skills as vs')
          .innerJoin('esco_skills as s', 's.uri', 'vs.skill_uri')
          .select(
            sql<
              string[]
            >`coalesce(array_agg(coalesce(s.label_it, s.label_en) order by vs.essential desc, coalesce(s.label_it, s.label_en)), '{}')`.as(
              'skills',
            ),
          )
          .whereRef('vs.region_code', '=', 'v.region_code')
          .whereRef('vs.vacancy_id', '=', 'v.id')
          .as('skills'),
    ])
    .where('v.region_code', '=', regionCode)
    .where('v.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const posting: JobPostingInput = {
      id: r.id,
      title: r.title,
      description: r.description,
      datePosted: r.published_at ?? r.created_at,
      expiresOn: r.expires_on,
      contractType: r.contract_type,
      hours: r.hours,
      company: { name: r.company_name, publicSlug: r.public_slug },
      place: r.municipality ? { municipality: r.municipality, province: r.province } : null,
      remote: r.remote,
      pay: r.pay_period ? { min: r.pay_min, max: r.pay_max, period: r.pay_period } : null,
      occupation: r.occupation_uri ? { uri: r.occupation_uri, iscoCode: r.isco_code } : null,
      eqfRequired: r.eqf_required,
      skills: r.skills ?? [],
      positions: r.positions,
      experienceYears: r.experience_years,
      startDate: r.start_date,
      weeklyHours: r.weekly_hours,
    };
    return [posting];
  });
}

export async function publishedPostings(
  db: Db,
  regionCode: string,
  now: Date,
  page: number,
  pageSize = FEED_PAGE_SIZE,
): Promise<{ total: number; items: JobPostingInput[] }> {
  const today = romeDay(now);
  const totalRow = await base(db, regionCode, today)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirst();
  const ids = await base(db, regionCode, today)
    .select('v.id')
    .orderBy('v.published_at', 'desc')
    .orderBy('v.match_seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(totalRow?.n ?? 0),
    items: await inputs(
      db,
      regionCode,
      ids.map((r) => r.id),
    ),
  };
}

/** One published, unexpired vacancy as a JobPosting input (for the public vacancy page), or null. */
export async function publishedPosting(
  db: Db,
  regionCode: string,
  id: string,
  now: Date,
): Promise<JobPostingInput | null> {
  if (!UUID_RE.test(id)) return null;
  const row = await base(db, regionCode, romeDay(now))
    .select('v.id')
    .where('v.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return (await inputs(db, regionCode, [id]))[0] ?? null;
}
