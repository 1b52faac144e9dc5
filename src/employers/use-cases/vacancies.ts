import { sql } from 'kysely';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { ContractType, VacancyStatus } from '../adapters/employer-tables.ts';
import type { EmployerDeps } from '../deps.ts';
import {
  canClose,
  canSubmit,
  draftRuleErrors,
  type Outcome,
  romeDay,
  statusAfterEdit,
  UUID_RE,
  type VacancyDraft,
} from '../domain/vacancy.ts';

/**
 * The employer's side of vacancies: drafts, submission to the CPI, editing (a published vacancy goes
 * back to moderation) and closing with the outcome. Every query is scoped to the actor's Region and
 * company: another company's vacancy is "not found", exactly like one that does not exist.
 */
export type VacancyPorts = Pick<EmployerDeps, 'db' | 'audit' | 'notifier' | 'config'>;

export type VacancyRow = {
  id: string;
  regionCode: string;
  companyId: string;
  companyName: string;
  companySlug: string | null;
  siteId: string | null;
  title: string;
  description: string;
  occupationUri: string | null;
  occupationLabel: string | null;
  iscoCode: string | null;
  eqfRequired: number;
  experienceYears: number;
  municipalityCode: string | null;
  municipalityName: string | null;
  province: string | null;
  remote: 'no' | 'hybrid' | 'full';
  contractType: ContractType;
  hours: 'full_time' | 'part_time';
  weeklyHours: number | null;
  payMin: number | null;
  payMax: number | null;
  payPeriod: 'hour' | 'month' | 'year' | null;
  positions: number;
  startDate: string | null;
  expiresOn: string;
  reservedL68: boolean;
  seasonal: boolean;
  drivingLicence: string | null;
  safetyInfo: string | null;
  status: VacancyStatus;
  moderationReason: string | null;
  publishedAt: Date | null;
  closedAt: Date | null;
  outcome: Outcome | null;
  hiredCitizenId: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  skills: { uri: string; label: string; essential: boolean }[];
  languages: { code: string; level: string }[];
};

const day = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null);

/** One vacancy with its skills and languages; `companyId` null = any company of the Region (CPI). */
export async function loadVacancy(
  db: Db | Tx,
  regionCode: string,
  id: string,
  companyId: string | null,
  lang: string = 'it',
): Promise<VacancyRow | null> {
  if (!UUID_RE.test(id)) return null;
  let q = db
    .selectFrom('vacancies as v')
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'v.region_code').onRef('c.id', '=', 'v.company_id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'v.municipality_code')
    .leftJoin('esco_occupations as o', 'o.uri', 'v.occupation_uri')
    .selectAll('v')
    .select([
      'c.name as company_name',
      'c.public_slug',
      'm.name as municipality_name',
      'm.province',
      'o.label_it as occ_it',
      'o.label_en as occ_en',
      'o.isco_code',
    ])
    .where('v.region_code', '=', regionCode)
    .where('v.id', '=', id);
  if (companyId !== null) q = q.where('v.company_id', '=', companyId);
  const r = await q.executeTakeFirst();
  if (!r) return null;
  const skills = await db
    .selectFrom('vacancy_skills as vs')
    .innerJoin('esco_skills as s', 's.uri', 'vs.skill_uri')
    .select(['vs.skill_uri', 'vs.essential', 's.label_it', 's.label_en'])
    .where('vs.region_code', '=', regionCode)
    .where('vs.vacancy_id', '=', id)
    .execute();
  const languages = await db
    .selectFrom('vacancy_languages')
    .select(['language', 'level'])
    .where('region_code', '=', regionCode)
    .where('vacancy_id', '=', id)
    .orderBy('language')
    .execute();
  const label = (it: string | null, en: string | null) => (lang === 'en' ? (en ?? it) : (it ?? en)) ?? '';
  return {
    id: r.id,
    regionCode: r.region_code,
    companyId: r.company_id,
    companyName: r.company_name,
    companySlug: r.public_slug,
    siteId: r.site_id,
    title: r.title,
    description: r.description,
    occupationUri: r.occupation_uri,
    occupationLabel: r.occupation_uri ? label(r.occ_it, r.occ_en) : null,
    iscoCode: r.isco_code,
    eqfRequired: r.eqf_required,
    experienceYears: r.experience_years,
    municipalityCode: r.municipality_code,
    municipalityName: r.municipality_name,
    province: r.province,
    remote: r.remote,
    contractType: r.contract_type,
    hours: r.hours,
    weeklyHours: r.weekly_hours,
    payMin: r.pay_min,
    payMax: r.pay_max,
    payPeriod: r.pay_period,
    positions: r.positions,
    startDate: day(r.start_date),
    expiresOn: day(r.expires_on) ?? '',
    reservedL68: r.reserved_l68,
    seasonal: r.seasonal,
    drivingLicence: r.driving_licence,
    safetyInfo: r.safety_info,
    status: r.status,
    moderationReason: r.moderation_reason,
    publishedAt: r.published_at,
    closedAt: r.closed_at,
    outcome: r.outcome,
    hiredCitizenId: r.hired_citizen_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    skills: skills
      .map((s) => ({ uri: s.skill_uri, label: label(s.label_it, s.label_en), essential: s.essential }))
      .sort((a, b) => Number(b.essential) - Number(a.essential) || a.label.localeCompare(b.label)),
    languages: languages.map((l) => ({ code: l.language, level: l.level })),
  };
}

/** The vacancy of the employer's own company, or null (unknown, another company's, another Region's). */
export function vacancyOfCompany(db: Db | Tx, user: SessionUser, id: string, lang?: string) {
  if (!user.companyId) return Promise.resolve(null);
  return loadVacancy(db, user.regionCode, id, user.companyId, lang);
}

export type VacancySummary = {
  id: string;
  title: string;
  status: VacancyStatus;
  expiresOn: string;
  updatedAt: Date;
  positions: number;
  applications: number;
};

const companyVacanciesQuery = compiledOnce((db, v: { regionCode: string; companyId: string }) =>
  db
    .selectFrom('vacancies as v')
    .select([
      'v.id',
      'v.title',
      'v.status',
      'v.expires_on',
      'v.updated_at',
      'v.positions',
      (eb) =>
        eb
          .selectFrom('applications as a')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('a.region_code', '=', 'v.region_code')
          .whereRef('a.vacancy_id', '=', 'v.id')
          .as('applications'),
    ])
    .where('v.region_code', '=', v.regionCode)
    .where('v.company_id', '=', v.companyId)
    .orderBy('v.updated_at', 'desc')
    .orderBy('v.id')
    .limit(500),
);

export async function listCompanyVacancies(db: Db, user: SessionUser): Promise<VacancySummary[]> {
  if (!user.companyId) return [];
  const rows = await companyVacanciesQuery(db, { regionCode: user.regionCode, companyId: user.companyId });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    expiresOn: day(r.expires_on) ?? '',
    updatedAt: r.updated_at,
    positions: r.positions,
    applications: Number(r.applications ?? 0),
  }));
}

export type SiteOption = { id: string; address: string; municipality: string; province: string };

export async function companySites(db: Db, user: SessionUser): Promise<SiteOption[]> {
  if (!user.companyId) return [];
  const rows = await db
    .selectFrom('company_sites as s')
    .innerJoin('municipalities as m', 'm.istat_code', 's.municipality_code')
    .select(['s.id', 's.address', 'm.name', 'm.province'])
    .where('s.region_code', '=', user.regionCode)
    .where('s.company_id', '=', user.companyId)
    .orderBy('s.headquarters', 'desc')
    .orderBy('m.name')
    .execute();
  return rows.map((r) => ({ id: r.id, address: r.address, municipality: r.name, province: r.province }));
}

/** A municipality by ISTAT code or by name ("Perugia", "perugia (PG)"). */
export async function resolveMunicipality(
  db: Db | Tx,
  input: string,
): Promise<{ ok: true; code: string } | { ok: false; reason: 'unknown' | 'ambiguous' }> {
  const s = input.trim();
  if (/^\d{6}$/.test(s)) {
    const row = await db
      .selectFrom('municipalities')
      .select('istat_code')
      .where('istat_code', '=', s)
      .executeTakeFirst();
    return row ? { ok: true, code: row.istat_code } : { ok: false, reason: 'unknown' };
  }
  const m = /^(.*?)\s*(?:\(([A-Za-z]{2})\))?$/.exec(s);
  const name = (m?.[1] ?? s).trim();
  const province = m?.[2]?.toUpperCase();
  if (!name) return { ok: false, reason: 'unknown' };
  let q = db
    .selectFrom('municipalities')
    .select('istat_code')
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .limit(2);
  if (province) q = q.where('province', '=', province);
  const rows = await q.execute();
  if (rows.length === 1 && rows[0]) return { ok: true, code: rows[0].istat_code };
  return { ok: false, reason: rows.length === 0 ? 'unknown' : 'ambiguous' };
}

export type SaveResult =
  | { ok: true; id: string; status: VacancyStatus }
  | { ok: false; reason: 'not_found' | 'not_editable' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** Database checks on a draft: the site is the company's, the place exists, ESCO concepts exist. */
async function resolveDraft(
  db: Db | Tx,
  user: SessionUser & { companyId: string },
  d: VacancyDraft,
): Promise<{ errors: Record<string, string>; municipalityCode: string | null; skills: Set<string> }> {
  const errors: Record<string, string> = {};
  let municipalityCode: string | null = null;
  if (d.remote !== 'full') {
    if (d.siteId) {
      const site = await db
        .selectFrom('company_sites')
        .select('municipality_code')
        .where('region_code', '=', user.regionCode)
        .where('company_id', '=', user.companyId)
        .where('id', '=', d.siteId)
        .executeTakeFirst();
      if (site) municipalityCode = site.municipality_code;
      else errors.site_id = 'errors.choose';
    } else if (d.municipality) {
      const r = await resolveMunicipality(db, d.municipality);
      if (r.ok) municipalityCode = r.code;
      else
        errors.municipality =
          r.reason === 'ambiguous'
            ? 'vacancies.errors.municipalityAmbiguous'
            : 'vacancies.errors.municipality';
    }
  }
  if (d.occupationUri) {
    const occ = await db
      .selectFrom('esco_occupations')
      .select('uri')
      .where('uri', '=', d.occupationUri)
      .executeTakeFirst();
    if (!occ) errors.occupation_q = 'vacancies.errors.occupation';
  }
  const wanted = [...d.essentialSkills, ...d.optionalSkills];
  const skills = new Set<string>();
  if (wanted.length) {
    const rows = await db.selectFrom('esco_skills').select('uri').where('uri', 'in', wanted).execute();
    for (const r of rows) skills.add(r.uri);
  }
  return { errors, municipalityCode, skills };
}

function columns(d: VacancyDraft, municipalityCode: string | null) {
  return {
    site_id: d.remote === 'full' ? null : d.siteId,
    title: d.title,
    description: d.description,
    occupation_uri: d.occupationUri,
    eqf_required: d.eqfRequired,
    experience_years: d.experienceYears,
    municipality_code: municipalityCode,
    remote: d.remote,
    contract_type: d.contractType,
    hours: d.hours,
    weekly_hours: d.weeklyHours,
    pay_min: d.payMin,
    pay_max: d.payMax,
    pay_period: d.payMin === null && d.payMax === null ? null : d.payPeriod,
    positions: d.positions,
    start_date: d.startDate,
    expires_on: d.expiresOn,
    reserved_l68: d.reservedL68,
    seasonal: d.seasonal,
    driving_licence: d.drivingLicence,
    safety_info: d.safetyInfo,
  };
}

async function replaceRequirements(
  trx: Tx,
  regionCode: string,
  vacancyId: string,
  d: VacancyDraft,
  known: Set<string>,
): Promise<void> {
  await trx
    .deleteFrom('vacancy_skills')
    .where('region_code', '=', regionCode)
    .where('vacancy_id', '=', vacancyId)
    .execute();
  await trx
    .deleteFrom('vacancy_languages')
    .where('region_code', '=', regionCode)
    .where('vacancy_id', '=', vacancyId)
    .execute();
  const skills = [
    ...d.essentialSkills.filter((s) => known.has(s)).map((s) => ({ uri: s, essential: true })),
    ...d.optionalSkills
      .filter((s) => known.has(s) && !d.essentialSkills.includes(s))
      .map((s) => ({ uri: s, essential: false })),
  ];
  if (skills.length)
    await trx
      .insertInto('vacancy_skills')
      .values(
        skills.map((s) => ({
          region_code: regionCode,
          vacancy_id: vacancyId,
          skill_uri: s.uri,
          essential: s.essential,
        })),
      )
      .execute();
  if (d.languages.length)
    await trx
      .insertInto('vacancy_languages')
      .values(
        d.languages.map((l) => ({
          region_code: regionCode,
          vacancy_id: vacancyId,
          language: l.code,
          level: l.level as 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2',
        })),
      )
      .execute();
}

async function event(
  trx: Tx,
  regionCode: string,
  vacancyId: string,
  kind: 'created' | 'edited' | 'submitted' | 'published' | 'rejected' | 'expired' | 'closed',
  actorId: string | null,
  at: Date,
  reason: string | null = null,
): Promise<string> {
  const row = await trx
    .insertInto('vacancy_events')
    .values({ region_code: regionCode, vacancy_id: vacancyId, event: kind, actor_id: actorId, reason, at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export { event as recordVacancyEvent };

/**
 * Create (id null) or edit a vacancy of the employer's company; `submit` also sends it to the CPI.
 * Editing a published (or already submitted) vacancy sends it back to moderation.
 */
export async function saveVacancy(
  deps: VacancyPorts,
  user: SessionUser,
  id: string | null,
  draft: VacancyDraft,
  now: Date,
  options: { submit: boolean },
): Promise<SaveResult> {
  if (!user.companyId) return { ok: false, reason: 'not_found' };
  const actor = { ...user, companyId: user.companyId };
  const ruleErrors = draftRuleErrors(draft, romeDay(now));
  const resolved = await resolveDraft(deps.db, actor, draft);
  const errors = { ...resolved.errors, ...ruleErrors };
  if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
  return deps.db.transaction().execute(async (trx): Promise<SaveResult> => {
    let vacancyId: string;
    let status: VacancyStatus;
    if (id === null) {
      status = options.submit ? 'submitted' : 'draft';
      const row = await trx
        .insertInto('vacancies')
        .values({
          region_code: user.regionCode,
          company_id: actor.companyId,
          created_by: user.id,
          status,
          created_at: now,
          updated_at: now,
          ...columns(draft, resolved.municipalityCode),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      vacancyId = row.id;
      await event(trx, user.regionCode, vacancyId, 'created', user.id, now);
    } else {
      if (!UUID_RE.test(id)) return { ok: false, reason: 'not_found' };
      const current = await trx
        .selectFrom('vacancies')
        .select(['status'])
        .where('region_code', '=', user.regionCode)
        .where('company_id', '=', actor.companyId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) return { ok: false, reason: 'not_found' };
      const after = statusAfterEdit(current.status);
      if (!after) return { ok: false, reason: 'not_editable' };
      status = options.submit ? 'submitted' : after;
      await trx
        .updateTable('vacancies')
        .set({
          ...columns(draft, resolved.municipalityCode),
          status,
          updated_at: now,
          ...(status === 'submitted' || status === 'draft'
            ? { moderation_reason: null, moderated_by: null, moderated_at: null }
            : {}),
          ...(current.status === 'published' ? { published_at: null } : {}),
        })
        .where('region_code', '=', user.regionCode)
        .where('id', '=', id)
        .execute();
      vacancyId = id;
      await event(trx, user.regionCode, vacancyId, 'edited', user.id, now);
    }
    await replaceRequirements(trx, user.regionCode, vacancyId, draft, resolved.skills);
    const submittedNow = status === 'submitted';
    if (submittedNow) await event(trx, user.regionCode, vacancyId, 'submitted', user.id, now);
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: id === null ? 'vacancy.created' : 'vacancy.edited',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'vacancy',
        objectId: vacancyId,
        details: { status, companyId: actor.companyId },
      },
      trx,
    );
    return { ok: true, id: vacancyId, status };
  });
}

export type ActionResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'wrong_status' }
  | { ok: false; reason: 'invalid'; errors: Record<string, string> };

/** Send a draft (or a rejected vacancy, after fixing it) to the CPI for moderation. */
export async function submitVacancy(
  deps: VacancyPorts,
  user: SessionUser,
  id: string,
  now: Date,
): Promise<ActionResult> {
  if (!user.companyId || !UUID_RE.test(id)) return { ok: false, reason: 'not_found' };
  const companyId = user.companyId;
  return deps.db.transaction().execute(async (trx): Promise<ActionResult> => {
    const v = await trx
      .selectFrom('vacancies')
      .select(['status', 'expires_on'])
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!v) return { ok: false, reason: 'not_found' };
    if (!canSubmit(v.status)) return { ok: false, reason: 'wrong_status' };
    if ((day(v.expires_on) ?? '') <= romeDay(now))
      return { ok: false, reason: 'invalid', errors: { expires_on: 'vacancies.errors.expiryPast' } };
    await trx
      .updateTable('vacancies')
      .set({
        status: 'submitted',
        updated_at: now,
        moderation_reason: null,
        moderated_by: null,
        moderated_at: null,
      })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .execute();
    await event(trx, user.regionCode, id, 'submitted', user.id, now);
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'vacancy.submitted',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'vacancy',
        objectId: id,
      },
      trx,
    );
    return { ok: true };
  });
}

export type Applicant = { citizenId: string; name: string; status: string };

/** The people who applied to a vacancy of the employer's company (to say who was hired). */
export async function applicantsOf(db: Db, user: SessionUser, vacancyId: string): Promise<Applicant[]> {
  if (!user.companyId || !UUID_RE.test(vacancyId)) return [];
  const rows = await db
    .selectFrom('applications as a')
    .innerJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 'a.region_code').onRef('v.id', '=', 'a.vacancy_id'),
    )
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'a.region_code').onRef('u.id', '=', 'a.citizen_id'),
    )
    .select(['a.citizen_id', 'u.given_name', 'u.family_name', 'a.status'])
    .where('a.region_code', '=', user.regionCode)
    .where('a.vacancy_id', '=', vacancyId)
    .where('v.company_id', '=', user.companyId)
    .where('a.status', '<>', 'withdrawn')
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .execute();
  return rows.map((r) => ({
    citizenId: r.citizen_id,
    name: `${r.given_name} ${r.family_name}`,
    status: r.status,
  }));
}

/**
 * Close a vacancy with its outcome. `filled_platform` may name the hired person, who must have applied
 * to this vacancy.
 */
export async function closeVacancy(
  deps: VacancyPorts,
  user: SessionUser,
  id: string,
  input: { outcome: Outcome; hiredCitizenId: string | null },
  now: Date,
): Promise<ActionResult> {
  if (!user.companyId || !UUID_RE.test(id)) return { ok: false, reason: 'not_found' };
  const companyId = user.companyId;
  const hired = input.outcome === 'filled_platform' ? input.hiredCitizenId : null;
  if (hired !== null && !UUID_RE.test(hired))
    return {
      ok: false,
      reason: 'invalid',
      errors: { hired_citizen_id: 'vacancies.errors.hiredNotApplicant' },
    };
  return deps.db.transaction().execute(async (trx): Promise<ActionResult> => {
    const v = await trx
      .selectFrom('vacancies')
      .select(['status'])
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!v) return { ok: false, reason: 'not_found' };
    if (!canClose(v.status)) return { ok: false, reason: 'wrong_status' };
    if (hired) {
      const applied = await trx
        .selectFrom('applications')
        .select('id')
        .where('region_code', '=', user.regionCode)
        .where('vacancy_id', '=', id)
        .where('citizen_id', '=', hired)
        .executeTakeFirst();
      if (!applied)
        return {
          ok: false,
          reason: 'invalid',
          errors: { hired_citizen_id: 'vacancies.errors.hiredNotApplicant' },
        };
    }
    await trx
      .updateTable('vacancies')
      .set({
        status: 'closed',
        outcome: input.outcome,
        hired_citizen_id: hired,
        closed_at: now,
        updated_at: now,
      })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .execute();
    const eventId = await event(trx, user.regionCode, id, 'closed', user.id, now, input.outcome);
    await trx
      .insertInto('national_outbox')
      .values({
        region_code: user.regionCode,
        idempotency_key: `vacancy.closed:${user.regionCode}:${id}:${eventId}`,
        kind: 'vacancy.closed',
        payload: JSON.stringify({ vacancyId: id, outcome: input.outcome, closedAt: now.toISOString() }),
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'vacancy.closed',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: hired,
        objectType: 'vacancy',
        objectId: id,
        details: { outcome: input.outcome },
      },
      trx,
    );
    return { ok: true };
  });
}

export type VacancyEventRow = { event: string; at: Date; reason: string | null };

export async function vacancyEvents(
  db: Db,
  regionCode: string,
  vacancyId: string,
): Promise<VacancyEventRow[]> {
  if (!UUID_RE.test(vacancyId)) return [];
  return db
    .selectFrom('vacancy_events')
    .select(['event', 'at', 'reason'])
    .where('region_code', '=', regionCode)
    .where('vacancy_id', '=', vacancyId)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(100)
    .execute();
}

/** The draft as stored, for the edit form. */
export function draftOf(v: VacancyRow): VacancyDraft {
  return {
    title: v.title,
    description: v.description,
    occupationUri: v.occupationUri,
    eqfRequired: v.eqfRequired,
    experienceYears: v.experienceYears,
    essentialSkills: v.skills.filter((s) => s.essential).map((s) => s.uri),
    optionalSkills: v.skills.filter((s) => !s.essential).map((s) => s.uri),
    languages: v.languages,
    remote: v.remote,
    siteId: v.siteId,
    municipality: v.siteId ? null : v.municipalityCode,
    contractType: v.contractType,
    hours: v.hours,
    weeklyHours: v.weeklyHours,
    payMin: v.payMin,
    payMax: v.payMax,
    payPeriod: v.payPeriod,
    positions: v.positions,
    startDate: v.startDate,
    expiresOn: v.expiresOn,
    reservedL68: v.reservedL68,
    seasonal: v.seasonal,
    drivingLicence: v.drivingLicence,
    safetyInfo: v.safetyInfo,
  };
}
