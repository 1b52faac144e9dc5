/**
 * Job search and the vacancy page: what the database answers. Only published vacancies whose expiry
 * is today or later, of the Region asked for (the visitor's, or the platform's default Region).
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { boundingBox, type Candidate, type SearchInput } from '../domain/search.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The most vacancies a search weighs (newest first) before the exact distance and the order. */
export const CANDIDATE_CAP = 5000;

export type Municipality = { code: string; name: string; province: string; lat: number; lon: number };

export async function municipalityByCode(db: Db, code: string): Promise<Municipality | null> {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const m = await db
    .selectFrom('municipalities')
    .select(['istat_code', 'name', 'province', 'latitude', 'longitude'])
    .where('istat_code', '=', code)
    .executeTakeFirst();
  if (!m || m.latitude === null || m.longitude === null) return null;
  return { code: m.istat_code, name: m.name, province: m.province, lat: m.latitude, lon: m.longitude };
}

export type PlaceResolution =
  | { kind: 'found'; municipality: Municipality }
  | { kind: 'ambiguous'; options: Municipality[] }
  | { kind: 'unknown' };

/**
 * A municipality typed by name → its ISTAT code and coordinates. Exact names (any case) win; else
 * names that begin with what was typed. More than one → a choice list (name and province).
 */
export async function resolvePlace(db: Db, typed: string, chosenCode: string): Promise<PlaceResolution> {
  const name = typed.trim();
  if (chosenCode) {
    const m = await municipalityByCode(db, chosenCode);
    // A code kept from an earlier choice counts only while the typed name is still its name.
    if (m && m.name.toLowerCase() === name.toLowerCase()) return { kind: 'found', municipality: m };
  }
  const base = db
    .selectFrom('municipalities')
    .select(['istat_code', 'name', 'province', 'latitude', 'longitude'])
    .where('latitude', 'is not', null)
    .where('longitude', 'is not', null)
    .orderBy('name')
    .orderBy('province')
    .orderBy('istat_code')
    .limit(20);
  let rows = await base.where(sql<boolean>`lower(name) = lower(${name})`).execute();
  if (rows.length === 0) {
    const pattern = `${name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    rows = await base.where(sql<boolean>`lower(name) like ${pattern}`).execute();
  }
  const list = rows.map((m) => ({
    code: m.istat_code,
    name: m.name,
    province: m.province,
    lat: m.latitude as number,
    lon: m.longitude as number,
  }));
  if (list.length === 0) return { kind: 'unknown' };
  if (list.length === 1) return { kind: 'found', municipality: list[0] as Municipality };
  return { kind: 'ambiguous', options: list };
}

/**
 * The vacancies that pass the filters and the text, within the box around the place (when there is
 * one): just what the order needs. The exact distance is computed afterwards.
 */
export async function searchCandidates(
  db: Db,
  regionCode: string,
  input: SearchInput,
  around: { lat: number; lon: number; km: number } | null,
  /** Only these vacancies (e.g. the matcher's ranked ones), still filtered. */
  onlyIds?: readonly string[],
): Promise<Candidate[]> {
  if (onlyIds?.length === 0) return [];
  let q = db
    .selectFrom('vacancies as v')
    .leftJoin('municipalities as m', 'm.istat_code', 'v.municipality_code')
    .select([
      'v.id',
      'v.remote',
      'm.latitude',
      'm.longitude',
      sql<Date>`coalesce(v.published_at, v.created_at)`.as('published'),
    ])
    .where('v.region_code', '=', regionCode)
    .where('v.status', '=', 'published')
    .where(sql<boolean>`v.expires_on >= current_date`);
  // One array parameter: the same statement text (prepared once per connection) whatever the count.
  if (onlyIds) q = q.where(sql<boolean>`v.id = any(${[...onlyIds]}::uuid[])`);
  if (input.q) q = q.where(sql<boolean>`v.search_vector @@ websearch_to_tsquery('italian', ${input.q})`);
  if (input.contract) q = q.where('v.contract_type', '=', input.contract);
  if (input.hours) q = q.where('v.hours', '=', input.hours);
  if (input.remote === 'si') q = q.where('v.remote', 'in', ['hybrid', 'full']);
  if (input.remote === 'solo') q = q.where('v.remote', '=', 'full');
  if (input.l68) q = q.where('v.reserved_l68', '=', true);
  if (input.seasonal) q = q.where('v.seasonal', '=', true);
  if (input.days !== null)
    q = q.where(
      sql<boolean>`coalesce(v.published_at, v.created_at) >= now() - make_interval(days => ${input.days})`,
    );
  if (around) {
    const b = boundingBox(around.lat, around.lon, around.km);
    q = q.where((eb) =>
      eb.or([
        eb('v.remote', '=', 'full'),
        eb.and([
          eb('m.latitude', '>=', b.minLat),
          eb('m.latitude', '<=', b.maxLat),
          eb('m.longitude', '>=', b.minLon),
          eb('m.longitude', '<=', b.maxLon),
        ]),
      ]),
    );
  }
  // With a place, the cap keeps the nearest ones (squared equirectangular distance; fully remote first).
  if (around) {
    const cos = Math.cos((around.lat * Math.PI) / 180);
    q = q.orderBy(
      sql`case when v.remote = 'full' then 0 else power(m.latitude - ${around.lat}, 2) + power((m.longitude - ${around.lon}) * ${cos}, 2) end`,
    );
  }
  const rows = await q
    .orderBy(sql`coalesce(v.published_at, v.created_at)`, 'desc')
    .orderBy('v.id')
    .limit(CANDIDATE_CAP)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    remote: r.remote,
    latitude: r.latitude,
    longitude: r.longitude,
    publishedAt: new Date(r.published),
  }));
}

export type VacancyCard = {
  id: string;
  title: string;
  companyName: string;
  companySlug: string | null;
  municipality: string | null;
  province: string | null;
  contract: string;
  hours: 'full_time' | 'part_time';
  remote: 'no' | 'hybrid' | 'full';
  reservedL68: boolean;
  seasonal: boolean;
  publishedAt: Date;
  expiresOn: Date;
  /** The municipality's coordinates (for the km from a search's place). */
  latitude: number | null;
  longitude: number | null;
};

const cardColumns = [
  'v.id',
  'v.title',
  'c.name as company_name',
  'c.public_slug',
  'm.name as municipality',
  'm.province',
  'v.contract_type',
  'v.hours',
  'v.remote',
  'v.reserved_l68',
  'v.seasonal',
  'v.published_at',
  'v.created_at',
  'v.expires_on',
  'm.latitude',
  'm.longitude',
] as const;

function liveVacancies(db: Db, regionCode: string) {
  return db
    .selectFrom('vacancies as v')
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'v.region_code').onRef('c.id', '=', 'v.company_id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'v.municipality_code')
    .where('v.region_code', '=', regionCode)
    .where('v.status', '=', 'published')
    .where(sql<boolean>`v.expires_on >= current_date`);
}

/** The cards of one page of results, in the order of `ids`. */
export async function vacancyCards(
  db: Db,
  regionCode: string,
  ids: readonly string[],
): Promise<VacancyCard[]> {
  if (ids.length === 0) return [];
  const rows = await liveVacancies(db, regionCode)
    .select([...cardColumns])
    .where(sql<boolean>`v.id = any(${[...ids]}::uuid[])`)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        title: r.title,
        companyName: r.company_name,
        companySlug: r.public_slug,
        municipality: r.municipality,
        province: r.province,
        contract: r.contract_type,
        hours: r.hours,
        remote: r.remote,
        reservedL68: r.reserved_l68,
        seasonal: r.seasonal,
        publishedAt: r.published_at ?? r.created_at,
        expiresOn: r.expires_on,
        latitude: r.latitude,
        longitude: r.longitude,
      },
    ];
  });
}

export type VacancyDetail = VacancyCard & {
  companyId: string;
  description: string;
  municipalityCode: string | null;
  occupationUri: string | null;
  occupationLabel: string | null;
  iscoCode: string | null;
  eqfRequired: number;
  experienceYears: number;
  weeklyHours: number | null;
  payMin: number | null;
  payMax: number | null;
  payPeriod: 'hour' | 'month' | 'year' | null;
  positions: number;
  startDate: Date | null;
  drivingLicence: string | null;
  safetyInfo: string | null;
  skills: { uri: string; label: string; essential: boolean }[];
  languages: { code: string; level: string }[];
};

/** A published, unexpired vacancy of the Region with everything its page shows, or null. */
export async function vacancyDetail(
  db: Db,
  regionCode: string,
  id: string,
  lang: string,
): Promise<VacancyDetail | null> {
  if (!UUID.test(id)) return null;
  const r = await liveVacancies(db, regionCode)
    .leftJoin('esco_occupations as o', 'o.uri', 'v.occupation_uri')
    .select([
      ...cardColumns,
      'v.company_id',
      'v.description',
      'v.municipality_code',
      'v.occupation_uri',
      'o.label_it as occupation_it',
      'o.label_en as occupation_en',
      'o.isco_code',
      'v.eqf_required',
      'v.experience_years',
      'v.weekly_hours',
      'v.pay_min',
      'v.pay_max',
      'v.pay_period',
      'v.positions',
      'v.start_date',
      'v.driving_licence',
      'v.safety_info',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  const [skills, languages] = await Promise.all([
    db
      .selectFrom('vacancy_skills as k')
      .innerJoin('esco_skills as s', 's.uri', 'k.skill_uri')
      .select(['s.uri', 's.label_it', 's.label_en', 'k.essential'])
      .where('k.region_code', '=', regionCode)
      .where('k.vacancy_id', '=', id)
      .orderBy('k.essential', 'desc')
      .orderBy('s.uri')
      .execute(),
    db
      .selectFrom('vacancy_languages')
      .select(['language', 'level'])
      .where('region_code', '=', regionCode)
      .where('vacancy_id', '=', id)
      .orderBy('language')
      .execute(),
  ]);
  const label = (it: string | null, en: string | null) => (lang === 'it' ? (it ?? en) : (en ?? it));
  return {
    id: r.id,
    title: r.title,
    companyName: r.company_name,
    companySlug: r.public_slug,
    municipality: r.municipality,
    province: r.province,
    contract: r.contract_type,
    hours: r.hours,
    remote: r.remote,
    reservedL68: r.reserved_l68,
    seasonal: r.seasonal,
    publishedAt: r.published_at ?? r.created_at,
    expiresOn: r.expires_on,
    companyId: r.company_id,
    description: r.description,
    municipalityCode: r.municipality_code,
    latitude: r.latitude,
    longitude: r.longitude,
    occupationUri: r.occupation_uri,
    occupationLabel: label(r.occupation_it, r.occupation_en),
    iscoCode: r.isco_code,
    eqfRequired: r.eqf_required,
    experienceYears: r.experience_years,
    weeklyHours: r.weekly_hours,
    payMin: r.pay_min,
    payMax: r.pay_max,
    payPeriod: r.pay_period,
    positions: r.positions,
    startDate: r.start_date,
    drivingLicence: r.driving_licence,
    safetyInfo: r.safety_info,
    skills: skills.map((s) => ({
      uri: s.uri,
      label: label(s.label_it, s.label_en) ?? s.uri,
      essential: s.essential,
    })),
    languages: languages.map((l) => ({ code: l.language, level: l.level })),
  };
}
