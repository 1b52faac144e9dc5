/**
 * Reads what the matcher scores from PostgreSQL: the person's domicile, education, languages, licences,
 * accepted contracts, commute km, consent and assessed skills; the vacancy's place, essential skills,
 * education, languages, contract and licence. Used to build the in-process index, to keep it current
 * and to explain a match. Batched: one query per table for any number of records.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import {
  ALL_CONTRACTS,
  bitsOf,
  CONTRACT_KINDS,
  LICENCE_CATEGORIES,
  type Profile,
  packLanguages,
} from '../domain/score.ts';

export interface PersonFacts {
  regionCode: string;
  citizenId: string;
  profile: Profile;
  /** false when the person has no domicile with coordinates (cannot be placed on the map). */
  located: boolean;
  /** The domicile municipality (ISTAT code and name), when it has coordinates. */
  domicile: { code: string; name: string; lat: number; lon: number; maxKm: number } | null;
  skillUris: string[];
  languages: { code: string; level: string }[];
  licences: string[];
  contracts: string[];
}

export interface VacancyFacts {
  regionCode: string;
  vacancyId: string;
  profile: Profile;
  /** Published and not expired: what the index holds. */
  live: boolean;
  skillUris: string[];
  languages: { code: string; level: string }[];
  contract: string;
  licence: string | null;
  remote: 'no' | 'hybrid' | 'full';
  eqf: number;
}

const micro = (deg: number | null) => (deg === null ? 0 : Math.round(deg * 1e6));

function uniq(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

type PersonRow = {
  region_code: string;
  user_id: string;
  match_seq: number;
  education_eqf: number | null;
  languages: unknown;
  driving_licences: string[];
  availability: unknown;
  latitude: number | null;
  longitude: number | null;
  domicile_code: string | null;
  domicile_name: string | null;
  visible: boolean | null;
};

/**
 * Facts of people. `filter`: either some citizens of one Region, or all people of all Regions
 * (index build; `afterSeq` pages through them in match_seq order).
 */
export async function loadPeople(
  db: Db,
  filter:
    | { regionCode: string; citizenIds: readonly string[] }
    | { all: true; afterSeq: number; limit: number },
): Promise<PersonFacts[]> {
  const uuid = /^[0-9a-f-]{36}$/i;
  let q = db
    .selectFrom('citizen_profiles as p')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'p.region_code').onRef('u.id', '=', 'p.user_id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'p.domicile_code')
    .leftJoin('candidate_visibility as v', (j) =>
      j.onRef('v.region_code', '=', 'p.region_code').onRef('v.citizen_id', '=', 'p.user_id'),
    )
    .select([
      'p.region_code',
      'p.user_id',
      'p.match_seq',
      'p.education_eqf',
      'p.languages',
      'p.driving_licences',
      'p.availability',
      'm.latitude',
      'm.longitude',
      'm.istat_code as domicile_code',
      'm.name as domicile_name',
      'v.visible',
    ])
    .where('u.role', '=', 'citizen')
    .where('u.disabled_at', 'is', null);
  if ('all' in filter) {
    q = q.where('p.match_seq', '>', filter.afterSeq).orderBy('p.match_seq').limit(filter.limit);
  } else {
    const ids = filter.citizenIds.filter((id) => uuid.test(id));
    if (ids.length === 0) return [];
    q = q.where('p.region_code', '=', filter.regionCode).where('p.user_id', 'in', ids);
  }
  const rows = (await q.execute()) as PersonRow[];
  if (rows.length === 0) return [];
  const skillRows = await sql<{ region_code: string; citizen_id: string; uri: string; match_id: number }>`
    select a.region_code, a.citizen_id, s.uri, s.match_id
      from skill_assessments a
      join skill_assessment_skills k on k.region_code = a.region_code and k.assessment_id = a.id
      join esco_skills s on s.uri = k.skill_uri
     where (a.region_code, a.citizen_id) in (select * from unnest(${rows.map((r) => r.region_code)}::text[], ${rows.map((r) => r.user_id)}::uuid[]))
       and coalesce(case when a.status = 'validated' then k.validated_level end, k.self_level, 0) >= 1`.execute(
    db,
  );
  const skills = new Map<string, { uris: string[]; ids: number[] }>();
  for (const s of skillRows.rows) {
    const key = `${s.region_code}:${s.citizen_id}`;
    const e = skills.get(key) ?? { uris: [], ids: [] };
    e.uris.push(s.uri);
    e.ids.push(s.match_id);
    skills.set(key, e);
  }
  return rows.map((r) => {
    const langs = Array.isArray(r.languages) ? (r.languages as { code: string; level: string }[]) : [];
    const availability = (r.availability ?? {}) as { contracts?: string[]; maxCommuteKm?: number };
    const contracts = Array.isArray(availability.contracts) ? availability.contracts : [];
    const s = skills.get(`${r.region_code}:${r.user_id}`) ?? { uris: [], ids: [] };
    const located = r.latitude !== null && r.longitude !== null;
    return {
      regionCode: r.region_code,
      citizenId: r.user_id,
      located,
      domicile:
        located && r.domicile_code && r.domicile_name
          ? {
              code: r.domicile_code,
              name: r.domicile_name,
              lat: r.latitude ?? 0,
              lon: r.longitude ?? 0,
              maxKm: availability.maxCommuteKm ?? 30,
            }
          : null,
      skillUris: s.uris,
      languages: langs,
      licences: r.driving_licences.filter((l) => l !== 'none'),
      contracts,
      profile: {
        id: r.match_seq,
        skills: uniq(s.ids),
        eqf: r.education_eqf ?? 0,
        langs: packLanguages(langs),
        contracts: contracts.length === 0 ? ALL_CONTRACTS : bitsOf(contracts, CONTRACT_KINDS),
        licences: bitsOf(r.driving_licences, LICENCE_CATEGORIES),
        lat: micro(r.latitude),
        lon: micro(r.longitude),
        remote: false,
        maxKm: Math.max(1, Math.min(255, Math.round(availability.maxCommuteKm ?? 30))),
        consent: r.visible === true,
      },
    };
  });
}

type VacancyRow = {
  region_code: string;
  id: string;
  match_seq: number;
  eqf_required: number;
  contract_type: string;
  driving_licence: string | null;
  remote: 'no' | 'hybrid' | 'full';
  latitude: number | null;
  longitude: number | null;
  live: boolean;
};

/** Facts of vacancies: some of one Region, or all live ones of all Regions (index build, paged by match_seq). */
export async function loadVacancies(
  db: Db,
  filter:
    | { regionCode: string; vacancyIds: readonly string[] }
    | { all: true; afterSeq: number; limit: number },
): Promise<VacancyFacts[]> {
  const uuid = /^[0-9a-f-]{36}$/i;
  let q = db
    .selectFrom('vacancies as v')
    .leftJoin('municipalities as m', 'm.istat_code', 'v.municipality_code')
    .select([
      'v.region_code',
      'v.id',
      'v.match_seq',
      'v.eqf_required',
      'v.contract_type',
      'v.driving_licence',
      'v.remote',
      'm.latitude',
      'm.longitude',
      sql<boolean>`v.status = 'published' and v.expires_on >= current_date`.as('live'),
    ]);
  if ('all' in filter) {
    q = q
      .where('v.status', '=', 'published')
      .where(sql<boolean>`v.expires_on >= current_date`)
      .where('v.match_seq', '>', filter.afterSeq)
      .orderBy('v.match_seq')
      .limit(filter.limit);
  } else {
    const ids = filter.vacancyIds.filter((id) => uuid.test(id));
    if (ids.length === 0) return [];
    q = q.where('v.region_code', '=', filter.regionCode).where('v.id', 'in', ids);
  }
  const rows = (await q.execute()) as VacancyRow[];
  if (rows.length === 0) return [];
  const keys = sql`(select * from unnest(${rows.map((r) => r.region_code)}::text[], ${rows.map((r) => r.id)}::uuid[]))`;
  const skillRows = await sql<{ region_code: string; vacancy_id: string; uri: string; match_id: number }>`
    select k.region_code, k.vacancy_id, s.uri, s.match_id
      from vacancy_skills k join esco_skills s on s.uri = k.skill_uri
     where k.essential and (k.region_code, k.vacancy_id) in ${keys}`.execute(db);
  const langRows = await sql<{ region_code: string; vacancy_id: string; language: string; level: string }>`
    select region_code, vacancy_id, language, level from vacancy_languages
     where (region_code, vacancy_id) in ${keys}`.execute(db);
  const skills = new Map<string, { uris: string[]; ids: number[] }>();
  for (const s of skillRows.rows) {
    const key = `${s.region_code}:${s.vacancy_id}`;
    const e = skills.get(key) ?? { uris: [], ids: [] };
    e.uris.push(s.uri);
    e.ids.push(s.match_id);
    skills.set(key, e);
  }
  const langs = new Map<string, { code: string; level: string }[]>();
  for (const l of langRows.rows) {
    const key = `${l.region_code}:${l.vacancy_id}`;
    langs.set(key, [...(langs.get(key) ?? []), { code: l.language, level: l.level }]);
  }
  return rows.map((r) => {
    const key = `${r.region_code}:${r.id}`;
    const s = skills.get(key) ?? { uris: [], ids: [] };
    const l = langs.get(key) ?? [];
    const remote = r.remote === 'full' || r.latitude === null || r.longitude === null;
    return {
      regionCode: r.region_code,
      vacancyId: r.id,
      live: r.live,
      skillUris: s.uris,
      languages: l,
      contract: r.contract_type,
      licence: r.driving_licence,
      remote: r.remote,
      eqf: r.eqf_required,
      profile: {
        id: r.match_seq,
        skills: uniq(s.ids),
        eqf: r.eqf_required,
        langs: packLanguages(l),
        contracts: bitsOf([r.contract_type], CONTRACT_KINDS),
        licences: r.driving_licence ? bitsOf([r.driving_licence], LICENCE_CATEGORIES) : 0,
        lat: micro(r.latitude),
        lon: micro(r.longitude),
        remote,
        maxKm: 0,
        consent: true,
      },
    };
  });
}
