/**
 * Candidate search for employers (issue 7 item 5): one of the company's vacancies is the criteria;
 * the matcher ranks the people of the Region who agreed to be found, then the company's narrower
 * filters apply, then each result is explained. Results are pseudonymous: a label per company and
 * person, a sealed handle for the contact form, skills, education, languages, contracts, province and
 * a km band — never name, contacts, age, sex or municipality.
 */
import { sql } from 'kysely';
import { explainPeopleForVacancy, type MatchExplanation } from '../../matching/contract.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Lang } from '../../platform/i18n/i18n.ts';
import type { EmployerDeps } from '../deps.ts';
import { candidatePseudonym, experienceYears, kmBand, sealCandidate } from '../domain/pseudonym.ts';
import { DECLINE_COOLDOWN_DAYS, isUuid } from './contact.ts';

type Deps = Pick<EmployerDeps, 'db' | 'audit' | 'config' | 'matcher'>;

export const RADIUS_MIN = 1;
export const RADIUS_MAX = 200;
export const RADIUS_DEFAULT = 30;
/** How many of the matcher's best are filtered and shown, a page of SHOWN at a time. */
export const RANK_LIMIT = 200;
export const SHOWN = 20;
/** The last page that can hold anyone (pages count from 0). */
export const LAST_PAGE = Math.ceil(RANK_LIMIT / SHOWN) - 1;

export type SearchFilters = {
  vacancyId: string;
  radiusKm: number;
  minEqf: number;
  minYears: number;
  occupationUri: string | null;
  contract: string | null;
};

export type SearchVacancy = { id: string; title: string; status: string; occupationUri: string | null };

/** The company's vacancies that can be the criteria of a search (any status except closed). */
export async function searchableVacancies(db: Db, user: SessionUser): Promise<SearchVacancy[]> {
  if (!user.companyId) return [];
  const rows = await db
    .selectFrom('vacancies')
    .select(['id', 'title', 'status', 'occupation_uri'])
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId)
    .where('status', '<>', 'closed')
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, status: r.status, occupationUri: r.occupation_uri }));
}

/**
 * Choices for the "past occupation" filter: the ESCO occupations of the company's vacancies and their
 * siblings in the same ISCO unit group (a bounded, indexed list, whatever the size of the Region).
 */
export async function occupationChoices(
  db: Db,
  user: SessionUser,
  lang: Lang,
): Promise<{ uri: string; label: string }[]> {
  if (!user.companyId) return [];
  const own = db
    .selectFrom('vacancies')
    .select('occupation_uri')
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId)
    .where('occupation_uri', 'is not', null);
  const rows = await db
    .selectFrom('esco_occupations as o')
    .select(['o.uri', 'o.label_it', 'o.label_en'])
    .where((eb) =>
      eb.or([
        eb('o.uri', 'in', own),
        eb(
          'o.isco_code',
          'in',
          eb.selectFrom('esco_occupations as x').select('x.isco_code').where('x.uri', 'in', own),
        ),
      ]),
    )
    .orderBy(sql`coalesce(o.label_it, o.label_en)`)
    .limit(300)
    .execute();
  return rows.map((r) => ({
    uri: r.uri,
    label: (lang === 'it' ? (r.label_it ?? r.label_en) : (r.label_en ?? r.label_it)) ?? r.uri,
  }));
}

export type CandidateResult = {
  /** Sealed id for this company's forms. */
  handle: string;
  pseudonym: string;
  score: number;
  band: ReturnType<typeof kmBand>;
  explanation: MatchExplanation;
  eqf: number;
  languages: { code: string; level: string }[];
  contracts: string[];
  hours: string | null;
  province: string | null;
  years: number;
  contact: { id: string; status: 'pending' | 'accepted' | 'declined' | 'withdrawn'; recent: boolean } | null;
};

/** One page of a search: `from` is the rank (from 1) of its first result, 0 when the page is empty. */
export type CandidatePage = {
  vacancy: SearchVacancy;
  results: CandidateResult[];
  ranked: number;
  page: number;
  from: number;
  hasNext: boolean;
};

type PersonRow = {
  user_id: string;
  education_eqf: number | null;
  languages: unknown;
  availability: unknown;
  work_history: unknown;
  province: string | null;
  visible: boolean | null;
};

/**
 * Run a search. Null when the vacancy is not one of the company's searchable vacancies (→ 404).
 * `filters` are already validated by the route.
 */
const candidateFactsQuery = compiledOnce((db, v: { regionCode: string; ids: string[] }) =>
  db
    .selectFrom('citizen_profiles as p')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'p.region_code').onRef('u.id', '=', 'p.user_id'),
    )
    .innerJoin('candidate_visibility as cv', (j) =>
      j.onRef('cv.region_code', '=', 'p.region_code').onRef('cv.citizen_id', '=', 'p.user_id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'p.domicile_code')
    .select([
      'p.user_id',
      'p.education_eqf',
      'p.languages',
      'p.availability',
      'p.work_history',
      'm.province',
      'cv.visible',
    ])
    .where('p.region_code', '=', v.regionCode)
    .where(sql<boolean>`p.user_id = any(${v.ids})`)
    .where('u.role', '=', 'citizen')
    .where('u.disabled_at', 'is', null)
    .where('cv.visible', '=', true),
);

const contactsQuery = compiledOnce((db, v: { regionCode: string; companyId: string; ids: string[] }) =>
  db
    .selectFrom('contact_requests')
    .select(['id', 'citizen_id', 'status', 'answered_at', 'created_at'])
    .where('region_code', '=', v.regionCode)
    .where('company_id', '=', v.companyId)
    .where(sql<boolean>`citizen_id = any(${v.ids})`)
    .orderBy('created_at', 'desc'),
);

export async function searchCandidates(
  deps: Deps,
  user: SessionUser,
  filters: SearchFilters,
  lang: Lang,
  page = 0,
  now = new Date(),
): Promise<CandidatePage | null> {
  const { db } = deps;
  const companyId = user.companyId;
  if (!companyId || !isUuid(filters.vacancyId)) return null;
  const vacancy = await db
    .selectFrom('vacancies')
    .select(['id', 'title', 'status', 'occupation_uri'])
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', companyId)
    .where('id', '=', filters.vacancyId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (!vacancy) return null;
  const v: SearchVacancy = {
    id: vacancy.id,
    title: vacancy.title,
    status: vacancy.status,
    occupationUri: vacancy.occupation_uri,
  };
  const ranked = await deps.matcher.rankPeopleForVacancy(user.regionCode, vacancy.id, {
    radiusKm: filters.radiusKm,
    limit: RANK_LIMIT,
  });
  if (ranked.length === 0) return { vacancy: v, results: [], ranked: 0, page, from: 0, hasNext: false };
  // The facts the filters and the page need; consent is checked again here (the index may lag a commit).
  // Read in two steps: the best ranked up to this page and one more (usually enough to fill the page and
  // know whether another follows), the rest only if the filters left the page short.
  const facts = new Map<string, PersonRow>();
  const kept: typeof ranked = [];
  const start = page * SHOWN;
  const end = start + SHOWN;
  const firstStep = end + 1 + Math.ceil(SHOWN / 5);
  for (const step of [ranked.slice(0, firstStep), ranked.slice(firstStep)]) {
    if (step.length === 0 || kept.length > end) break;
    const ids = step.map((r) => r.citizenId);
    const rows = (await candidateFactsQuery(db, { regionCode: user.regionCode, ids })) as PersonRow[];
    for (const r of rows) facts.set(r.user_id, r);
    let occupationHolders: Set<string> | null = null;
    if (filters.occupationUri) {
      const holders = await db
        .selectFrom('skill_assessment_jobs as j')
        .innerJoin('skill_assessments as a', (jn) =>
          jn.onRef('a.region_code', '=', 'j.region_code').onRef('a.id', '=', 'j.assessment_id'),
        )
        .select('a.citizen_id')
        .where('j.region_code', '=', user.regionCode)
        .where('j.occupation_uri', '=', filters.occupationUri)
        .where('a.citizen_id', 'in', ids)
        .execute();
      occupationHolders = new Set(holders.map((h) => h.citizen_id));
    }
    for (const r of step) {
      const f = facts.get(r.citizenId);
      if (f?.visible !== true) continue;
      if ((f.education_eqf ?? 0) < filters.minEqf) continue;
      if (filters.minYears > 0 && experienceYears(f.work_history as never, now) < filters.minYears) continue;
      if (occupationHolders !== null && !occupationHolders.has(r.citizenId)) continue;
      if (filters.contract) {
        const accepted = contractsOf(f.availability);
        if (accepted.length > 0 && !accepted.includes(filters.contract)) continue;
      }
      kept.push(r);
    }
  }
  const shown = kept.slice(start, end);
  const explained = await explainPeopleForVacancy(
    db,
    user.regionCode,
    vacancy.id,
    shown.map((r) => r.citizenId),
    lang,
    deps.matcher.facts,
  );
  const contacts = shown.length
    ? await contactsQuery(db, {
        regionCode: user.regionCode,
        companyId,
        ids: shown.map((r) => r.citizenId),
      })
    : [];
  const cooldown = now.getTime() - DECLINE_COOLDOWN_DAYS * 86_400_000;
  const results: CandidateResult[] = [];
  for (const r of shown) {
    const f = facts.get(r.citizenId);
    const e = explained.get(r.citizenId);
    if (!f || !e) continue;
    const latest = contacts.find((c) => c.citizen_id === r.citizenId);
    const availability = (f.availability ?? {}) as { hours?: string };
    results.push({
      handle: sealCandidate(deps.config.sessionSecret, companyId, r.citizenId),
      pseudonym: candidatePseudonym(deps.config.sessionSecret, companyId, r.citizenId),
      score: r.score,
      band: kmBand(e.distanceKm),
      explanation: e,
      eqf: f.education_eqf ?? 0,
      languages: Array.isArray(f.languages) ? (f.languages as { code: string; level: string }[]) : [],
      contracts: contractsOf(f.availability),
      hours: typeof availability.hours === 'string' ? availability.hours : null,
      province: f.province,
      years: experienceYears(f.work_history as never, now),
      contact: latest
        ? {
            id: latest.id,
            status: latest.status,
            recent:
              latest.status !== 'declined' ||
              (latest.answered_at !== null && new Date(latest.answered_at).getTime() > cooldown),
          }
        : null,
    });
  }
  await deps.audit.record({
    regionCode: user.regionCode,
    action: 'candidates.searched',
    outcome: 'ok',
    actor: actorOf(user),
    purpose: 'candidate_search',
    objectType: 'vacancy',
    objectId: vacancy.id,
    details: { ...filters, page, ranked: ranked.length, shown: results.length },
  });
  return {
    vacancy: v,
    results,
    ranked: ranked.length,
    page,
    from: results.length > 0 ? start + 1 : 0,
    hasNext: kept.length > end,
  };
}

function contractsOf(availability: unknown): string[] {
  const c = (availability as { contracts?: unknown } | null)?.contracts;
  return Array.isArray(c) ? c.filter((x): x is string => typeof x === 'string') : [];
}

/** The person behind a sealed handle, if they still agree to be found (for the contact form). */
export async function visibleCandidate(db: Db, regionCode: string, citizenId: string): Promise<boolean> {
  const row = await db
    .selectFrom('candidate_visibility as v')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'v.region_code').onRef('u.id', '=', 'v.citizen_id'),
    )
    .select('v.visible')
    .where('v.region_code', '=', regionCode)
    .where('v.citizen_id', '=', citizenId)
    .where('u.role', '=', 'citizen')
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  return row?.visible === true;
}
