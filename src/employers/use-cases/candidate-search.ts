/**
 * Candidate search for employers (issue 7 item 5): one of the company's vacancies is the criteria;
 * the matcher ranks the people of the Region who agreed to be found, then the company's narrower
 * filters apply, then each result is explained. Results are pseudonymous: a label per company and
 * person, a sealed handle for the contact form, skills, education, languages, contracts, province and
 * a km band — never name, contacts, age, sex or municipality.
 */
import { sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { explainPeopleForVacancy, type MatchExplanation } from '../../matching/contract.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Lang } from '../../platform/i18n/i18n.ts';
import type { EmployerDeps } from '../deps.ts';
import { candidateLabels, experienceYears, kmBand } from '../domain/pseudonym.ts';
import { type ContactStatus, DECLINE_COOLDOWN_DAYS, isUuid } from './contact.ts';

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

/**
 * What the search form shows, in one statement: the company's vacancies that can be the criteria of a
 * search (any status except closed, newest first), the choices for the "past occupation" filter (the
 * ESCO occupations of the company's vacancies and their siblings in the same ISCO unit group: a
 * bounded, indexed list, whatever the size of the Region) and the vacancy asked for, if it is one of
 * the searchable ones (null otherwise: someone else's, a closed one, or one that does not exist).
 */
export async function searchFormOf(
  db: Db,
  user: SessionUser,
  lang: Lang,
  vacancyId: string | null,
): Promise<SearchForm> {
  if (!user.companyId) return { vacancies: [], occupations: [], asked: null };
  const [row] = await searchFormQuery(db, {
    regionCode: user.regionCode,
    companyId: user.companyId,
    vacancyId: vacancyId !== null && isUuid(vacancyId) ? vacancyId : null,
  });
  return formOf(row, lang);
}

export type SearchForm = {
  vacancies: SearchVacancy[];
  occupations: { uri: string; label: string }[];
  asked: SearchVacancy | null;
};

type VacancyRow = { id: string; title: string; status: string; occupation_uri: string | null };
type FormRow = {
  vacancies: VacancyRow[];
  occupations: { uri: string; label_it: string | null; label_en: string | null }[];
  asked: VacancyRow | null;
};

function formOf(row: FormRow | undefined, lang: Lang): SearchForm {
  const vacancy = (r: VacancyRow) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    occupationUri: r.occupation_uri,
  });
  return {
    vacancies: (row?.vacancies ?? []).map(vacancy),
    occupations: (row?.occupations ?? []).map((o) => ({
      uri: o.uri,
      label: (lang === 'it' ? (o.label_it ?? o.label_en) : (o.label_en ?? o.label_it)) ?? o.uri,
    })),
    asked: row?.asked ? vacancy(row.asked) : null,
  };
}

/** The form's three lists as columns of one row (see `searchFormOf`). */
function formColumns(db: Db, v: { regionCode: string; companyId: string; vacancyId: string | null }) {
  const searchable = () =>
    db
      .selectFrom('vacancies')
      .select(['id', 'title', 'status', 'occupation_uri'])
      .where('region_code', '=', v.regionCode)
      .where('company_id', '=', v.companyId)
      .where('status', '<>', 'closed');
  const own = db
    .selectFrom('vacancies')
    .select('occupation_uri')
    .where('region_code', '=', v.regionCode)
    .where('company_id', '=', v.companyId)
    .where('occupation_uri', 'is not', null);
  return [
    jsonArrayFrom(searchable().orderBy('created_at', 'desc').limit(200)).as('vacancies'),
    jsonArrayFrom(
      db
        .selectFrom('esco_occupations as o')
        .select(['o.uri', 'o.label_it', 'o.label_en'])
        .where((x) =>
          x.or([
            x('o.uri', 'in', own),
            x(
              'o.isco_code',
              'in',
              x.selectFrom('esco_occupations as s').select('s.isco_code').where('s.uri', 'in', own),
            ),
          ]),
        )
        .orderBy(sql`coalesce(o.label_it, o.label_en)`)
        .limit(300),
    ).as('occupations'),
    jsonObjectFrom(searchable().where('id', '=', v.vacancyId as string)).as('asked'),
  ] as const;
}
const searchFormQuery = compiledOnce(
  (db, v: { regionCode: string; companyId: string; vacancyId: string | null }) =>
    db.selectNoFrom(formColumns(db, v)),
);

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
  contact: { id: string; status: ContactStatus; recent: boolean } | null;
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
  contact: { id: string; status: ContactStatus; answered_at: string | null } | null;
};

/** What the filters and the cards need of the ranked people, consent checked again. */
const candidateFacts = (db: Db, v: { regionCode: string; companyId: string; ids: string[] }) =>
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
    // The company's latest contact request to the person, if any (its time is text: JSON).
    .select((eb) =>
      jsonObjectFrom(
        eb
          .selectFrom('contact_requests as c')
          .select(['c.id', 'c.status', 'c.answered_at'])
          .whereRef('c.region_code', '=', 'p.region_code')
          .whereRef('c.citizen_id', '=', 'p.user_id')
          .where('c.company_id', '=', v.companyId)
          .orderBy('c.created_at', 'desc')
          .limit(1),
      ).as('contact'),
    )
    .where('p.region_code', '=', v.regionCode)
    .where(sql<boolean>`p.user_id = any(${v.ids})`)
    .where('u.role', '=', 'citizen')
    .where('u.disabled_at', 'is', null)
    .where('cv.visible', '=', true);
const candidateFactsQuery = compiledOnce(candidateFacts);

/**
 * The form's lists and the facts of the first ranked people in one statement: a search page's first
 * round trip to PostgreSQL (decision 0012). The vacancy may not be the company's: the facts are then
 * read but never used (`asked` is null and the caller answers "not found").
 */
const formAndFactsQuery = compiledOnce(
  (db, v: { regionCode: string; companyId: string; vacancyId: string; ids: string[] }) =>
    db.selectNoFrom([...formColumns(db, v), jsonArrayFrom(candidateFacts(db, v)).as('facts')]),
);

/** A search answered: the form's lists, and one page of results unless the search cannot be made. */
export type SearchAnswer = {
  form: SearchForm;
  /** Null when `filters.vacancyId` is not one of the company's searchable vacancies (or no company). */
  found: CandidatePage | null;
  /** The "past occupation" filter names an occupation ESCO does not have: nothing was searched. */
  unknownOccupation: boolean;
};

/**
 * One page of a search for `filters.vacancyId`, with the form's lists (`searchFormOf`). `filters` are
 * already validated by the route. The matcher ranks first (in memory), so that the form's lists and
 * the first ranked people's facts come in one statement; nothing is shown, audited or read further
 * unless the vacancy is one of the company's searchable ones.
 */
export async function searchCandidates(
  deps: Deps,
  user: SessionUser,
  filters: SearchFilters,
  lang: Lang,
  page = 0,
  now = new Date(),
): Promise<SearchAnswer> {
  const { db } = deps;
  const companyId = user.companyId;
  if (!companyId)
    return { form: { vacancies: [], occupations: [], asked: null }, found: null, unknownOccupation: false };
  // Without a narrowing filter, the page needs only the best up to its end (and a few more, for someone
  // whose consent the index has not yet seen withdrawn); the filters need a longer list to choose from.
  const narrows =
    filters.minEqf > 0 || filters.minYears > 0 || filters.occupationUri !== null || filters.contract !== null;
  const start = page * SHOWN;
  const end = start + SHOWN;
  const firstStep = end + 1 + Math.ceil(SHOWN / 5);
  const rank = (limit: number) =>
    deps.matcher.rankPeopleForVacancy(user.regionCode, filters.vacancyId, {
      radiusKm: filters.radiusKm,
      limit,
    });
  let ranked = await rank(narrows ? RANK_LIMIT : Math.min(firstStep, RANK_LIMIT));
  const [row] = await formAndFactsQuery(db, {
    regionCode: user.regionCode,
    companyId,
    vacancyId: filters.vacancyId,
    ids: ranked.slice(0, firstStep).map((r) => r.citizenId),
  });
  const form = formOf(row, lang);
  const vacancy = form.asked;
  // Someone else's vacancy, a closed one, or one that does not exist: the facts read are dropped.
  if (!vacancy) return { form, found: null, unknownOccupation: false };
  if (filters.occupationUri && !form.occupations.some((o) => o.uri === filters.occupationUri)) {
    const known = await db
      .selectFrom('esco_occupations')
      .select('uri')
      .where('uri', '=', filters.occupationUri)
      .executeTakeFirst();
    if (!known) return { form, found: null, unknownOccupation: true };
  }
  const answer = (found: CandidatePage): SearchAnswer => ({ form, found, unknownOccupation: false });
  if (ranked.length === 0) return answer({ vacancy, results: [], ranked: 0, page, from: 0, hasNext: false });
  // The facts the filters and the page need; consent is checked again here (the index may lag a commit).
  // Read in two steps: the best ranked up to this page and one more (usually enough to fill the page and
  // know whether another follows; read with the form above), the rest only if the filters left the page
  // short.
  const facts = new Map<string, PersonRow>();
  const kept: typeof ranked = [];
  for (const step of [0, 1]) {
    if (kept.length > end) break;
    if (step === 1 && !narrows && ranked.length === firstStep && firstStep < RANK_LIMIT)
      ranked = await rank(RANK_LIMIT);
    // (A longer list read again may have moved by a change in between: nobody is looked at twice.)
    const slice =
      step === 0
        ? ranked.slice(0, firstStep)
        : ranked.slice(firstStep).filter((r) => !facts.has(r.citizenId));
    if (slice.length === 0) break;
    const ids = slice.map((r) => r.citizenId);
    const rows = (
      step === 0
        ? (row?.facts ?? [])
        : await candidateFactsQuery(db, { regionCode: user.regionCode, companyId, ids })
    ) as PersonRow[];
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
    for (const r of slice) {
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
  const cooldown = now.getTime() - DECLINE_COOLDOWN_DAYS * 86_400_000;
  const results: CandidateResult[] = [];
  for (const r of shown) {
    const f = facts.get(r.citizenId);
    const e = explained.get(r.citizenId);
    if (!f || !e) continue;
    const latest = f.contact;
    const availability = (f.availability ?? {}) as { hours?: string };
    results.push({
      ...candidateLabels(deps.config.sessionSecret, companyId, r.citizenId),
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
  return answer({
    vacancy,
    results,
    ranked: ranked.length,
    page,
    from: results.length > 0 ? start + 1 : 0,
    hasNext: kept.length > end,
  });
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
