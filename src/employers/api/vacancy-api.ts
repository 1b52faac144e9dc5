import { z } from 'zod';
import { MATCH_LANGUAGES } from '../../matching/domain/score.ts';
import { NO_CONTROL_CHARS } from '../../platform/http/forms.ts';
import { CONTRACT_TYPES, VACANCY_STATUSES } from '../adapters/employer-tables.ts';
import type { EmployerDeps } from '../deps.ts';
import {
  ESCO_OCCUPATION_RE,
  ESCO_SKILL_RE,
  HOURS,
  isIsoDate,
  OUTCOMES,
  PAY_PERIODS,
  REMOTE_MODES,
  UUID_RE,
  VACANCY_CEFR,
  VACANCY_LICENCES,
  type VacancyDraft,
} from '../domain/vacancy.ts';
import {
  closeVacancy,
  listCompanyVacancies,
  saveVacancy,
  submitVacancy,
  type VacancyRow,
  vacancyOfCompany,
} from '../use-cases/vacancies.ts';
import { feedBody } from '../web/vacancy-feed-route.tsx';

/**
 * Employer actions in /api/v1 (bearer token of an employer account: their company only; another
 * company's vacancy is 404) and the public feed of published vacancies.
 */
const text = (min: number, max: number) => z.string().trim().min(min).max(max).regex(NO_CONTROL_CHARS);
const day = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');

const VacancyInput = z
  .object({
    title: text(3, 150),
    description: text(20, 5000),
    occupationUri: z.string().regex(ESCO_OCCUPATION_RE).nullable().default(null),
    eqfRequired: z.number().int().min(0).max(8).default(0),
    experienceYears: z.number().int().min(0).max(40).default(0),
    essentialSkills: z.array(z.string().regex(ESCO_SKILL_RE)).max(30).default([]),
    optionalSkills: z.array(z.string().regex(ESCO_SKILL_RE)).max(30).default([]),
    languages: z
      .array(z.object({ code: z.enum(MATCH_LANGUAGES), level: z.enum(VACANCY_CEFR) }))
      .max(MATCH_LANGUAGES.length)
      .default([]),
    remote: z.enum(REMOTE_MODES).default('no'),
    siteId: z.string().regex(UUID_RE).nullable().default(null),
    municipalityCode: z
      .string()
      .regex(/^\d{6}$/)
      .nullable()
      .default(null)
      .describe('ISTAT code of the municipality, when not one of the company sites'),
    contractType: z.enum(CONTRACT_TYPES),
    hours: z.enum(HOURS),
    weeklyHours: z.number().int().min(1).max(48).nullable().default(null),
    payMin: z.number().int().min(0).max(1_000_000).nullable().default(null),
    payMax: z.number().int().min(0).max(1_000_000).nullable().default(null),
    payPeriod: z.enum(PAY_PERIODS).nullable().default(null),
    positions: z.number().int().min(1).max(500).default(1),
    startDate: day.nullable().default(null),
    expiresOn: day,
    reservedL68: z.boolean().default(false),
    seasonal: z.boolean().default(false),
    drivingLicence: z.enum(VACANCY_LICENCES).nullable().default(null),
    safetyInfo: text(0, 2000).nullable().default(null),
  })
  .meta({ id: 'VacancyInput' });

const Vacancy = z
  .object({
    id: z.string(),
    status: z.enum(VACANCY_STATUSES),
    title: z.string(),
    description: z.string(),
    occupationUri: z.string().nullable(),
    eqfRequired: z.number(),
    experienceYears: z.number(),
    skills: z.array(z.object({ uri: z.string(), label: z.string(), essential: z.boolean() })),
    languages: z.array(z.object({ code: z.string(), level: z.string() })),
    remote: z.enum(REMOTE_MODES),
    siteId: z.string().nullable(),
    municipalityCode: z.string().nullable(),
    contractType: z.enum(CONTRACT_TYPES),
    hours: z.enum(HOURS),
    weeklyHours: z.number().nullable(),
    payMin: z.number().nullable(),
    payMax: z.number().nullable(),
    payPeriod: z.enum(PAY_PERIODS).nullable(),
    positions: z.number(),
    startDate: z.string().nullable(),
    expiresOn: z.string(),
    reservedL68: z.boolean(),
    seasonal: z.boolean(),
    drivingLicence: z.string().nullable(),
    safetyInfo: z.string().nullable(),
    moderationReason: z.string().nullable(),
    outcome: z.enum(OUTCOMES).nullable(),
  })
  .meta({ id: 'Vacancy' });

const VacancySummary = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(VACANCY_STATUSES),
    expiresOn: z.string(),
    positions: z.number(),
    applications: z.number(),
  })
  .meta({ id: 'VacancySummary' });

const Feed = z
  .object({
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
    pages: z.number(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    items: z.array(z.record(z.string(), z.unknown()).describe('schema.org JobPosting')),
  })
  .meta({ id: 'VacancyFeed' });

function toApi(v: VacancyRow): z.infer<typeof Vacancy> {
  return {
    id: v.id,
    status: v.status,
    title: v.title,
    description: v.description,
    occupationUri: v.occupationUri,
    eqfRequired: v.eqfRequired,
    experienceYears: v.experienceYears,
    skills: v.skills,
    languages: v.languages,
    remote: v.remote,
    siteId: v.siteId,
    municipalityCode: v.municipalityCode,
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
    moderationReason: v.moderationReason,
    outcome: v.outcome,
  };
}

function draftOfInput(b: z.infer<typeof VacancyInput>): VacancyDraft {
  return {
    title: b.title,
    description: b.description,
    occupationUri: b.occupationUri,
    eqfRequired: b.eqfRequired,
    experienceYears: b.experienceYears,
    essentialSkills: [...new Set(b.essentialSkills)],
    optionalSkills: [...new Set(b.optionalSkills)].filter((s) => !b.essentialSkills.includes(s)),
    languages: [...new Map(b.languages.map((l) => [l.code, l])).values()],
    remote: b.remote,
    siteId: b.remote === 'full' ? null : b.siteId,
    municipality: b.remote === 'full' || b.siteId ? null : b.municipalityCode,
    contractType: b.contractType,
    hours: b.hours,
    weeklyHours: b.weeklyHours,
    payMin: b.payMin,
    payMax: b.payMax,
    payPeriod: b.payPeriod,
    positions: b.positions,
    startDate: b.startDate,
    expiresOn: b.expiresOn,
    reservedL68: b.reservedL68,
    seasonal: b.seasonal,
    drivingLicence: b.drivingLicence,
    safetyInfo: b.safetyInfo || null,
  };
}

/** Field errors as `field: reason` for the API's message. */
function describe(errors: Record<string, string>): string {
  return Object.entries(errors)
    .map(([f, k]) => `${f}: ${k.replace(/^vacancies\.errors\./, '')}`)
    .join('; ');
}

const NOT_FOUND = { status: 404 as const, error: 'not_found' };

export function registerVacancyApi(deps: EmployerDeps): void {
  const { api } = deps;
  api.addPublic({
    method: 'GET',
    path: '/public/vacancies',
    summary: 'Published vacancies of the Region as schema.org JobPosting (open data, 50 a page: ?page=n)',
    tag: 'vacancies',
    response: Feed,
    handler: async ({ req }) => {
      const raw = (req.query as Record<string, unknown> | undefined)?.page;
      const page = raw === undefined ? 1 : typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
      if (page < 1)
        return { status: 400, error: 'invalid_page', message: 'page must be a whole number from 1' };
      return { status: 200, body: await feedBody(deps, page, new Date()) };
    },
  });
  api.add({
    method: 'GET',
    path: '/employer/vacancies',
    summary: "The vacancies of the caller's company, newest change first",
    tag: 'vacancies',
    roles: ['employer'],
    response: z.array(VacancySummary),
    handler: async ({ user }) => ({
      status: 200,
      body: (await listCompanyVacancies(deps.db, user)).map((v) => ({
        id: v.id,
        title: v.title,
        status: v.status,
        expiresOn: v.expiresOn,
        positions: v.positions,
        applications: v.applications,
      })),
    }),
  });
  api.add({
    method: 'POST',
    path: '/employer/vacancies',
    summary: 'Create a vacancy draft (not yet sent to the CPI)',
    tag: 'vacancies',
    roles: ['employer'],
    body: VacancyInput,
    response: Vacancy,
    handler: async ({ user, body }) => {
      const r = await saveVacancy(deps, user, null, draftOfInput(body), new Date(), { submit: false });
      if (!r.ok) {
        if (r.reason === 'invalid')
          return { status: 400, error: 'invalid_input', message: describe(r.errors) };
        return NOT_FOUND;
      }
      const v = await vacancyOfCompany(deps.db, user, r.id);
      return v ? { status: 201, body: toApi(v) } : NOT_FOUND;
    },
  });
  api.add({
    method: 'GET',
    path: '/employer/vacancies/{id}',
    summary: "One vacancy of the caller's company",
    tag: 'vacancies',
    roles: ['employer'],
    response: Vacancy,
    handler: async ({ user, params }) => {
      const v = await vacancyOfCompany(deps.db, user, params.id ?? '');
      return v ? { status: 200, body: toApi(v) } : NOT_FOUND;
    },
  });
  api.add({
    method: 'POST',
    path: '/employer/vacancies/{id}/submit',
    summary: 'Send a draft (or a rejected vacancy, fixed) to the CPI for moderation',
    tag: 'vacancies',
    roles: ['employer'],
    response: Vacancy,
    handler: async ({ user, params }) => {
      const id = params.id ?? '';
      const r = await submitVacancy(deps, user, id, new Date());
      if (!r.ok) {
        if (r.reason === 'not_found') return NOT_FOUND;
        if (r.reason === 'invalid')
          return { status: 400, error: 'invalid_input', message: describe(r.errors) };
        return {
          status: 409,
          error: 'wrong_status',
          message: 'only a draft or a rejected vacancy can be submitted',
        };
      }
      const v = await vacancyOfCompany(deps.db, user, id);
      return v ? { status: 200, body: toApi(v) } : NOT_FOUND;
    },
  });
  api.add({
    method: 'POST',
    path: '/employer/vacancies/{id}/close',
    summary: 'Close a vacancy with its outcome (the hired person must have applied)',
    tag: 'vacancies',
    roles: ['employer'],
    body: z
      .object({
        outcome: z.enum(OUTCOMES),
        hiredCitizenId: z.string().regex(UUID_RE).nullable().default(null),
      })
      .meta({ id: 'VacancyCloseInput' }),
    response: Vacancy,
    handler: async ({ user, params, body }) => {
      const id = params.id ?? '';
      const r = await closeVacancy(
        deps,
        user,
        id,
        { outcome: body.outcome, hiredCitizenId: body.hiredCitizenId },
        new Date(),
      );
      if (!r.ok) {
        if (r.reason === 'not_found') return NOT_FOUND;
        if (r.reason === 'invalid')
          return { status: 400, error: 'invalid_input', message: describe(r.errors) };
        return { status: 409, error: 'wrong_status', message: 'the vacancy is already closed' };
      }
      const v = await vacancyOfCompany(deps.db, user, id);
      return v ? { status: 200, body: toApi(v) } : NOT_FOUND;
    },
  });
}
