import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SessionUser } from '../../platform/auth/session.ts';
import { formArray, formValues, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { occupation, searchOccupations, searchSkills } from '../../taxonomy/use-cases/search.ts';
import { registerVacancyApi } from '../api/vacancy-api.ts';
import type { EmployerDeps, WireOptions } from '../deps.ts';
import {
  addMonths,
  canClose,
  canSubmit,
  draftFromForm,
  ESCO_OCCUPATION_RE,
  languagesFromForm,
  OUTCOMES,
  romeDay,
  skillList,
  statusAfterEdit,
  UUID_RE,
  VacancyFormFields,
} from '../domain/vacancy.ts';
import { startExpiryJob } from '../use-cases/moderation.ts';
import {
  applicantsOf,
  closeVacancy,
  companySites,
  listCompanyVacancies,
  saveVacancy,
  submitVacancy,
  type VacancyRow,
  vacancyEvents,
  vacancyOfCompany,
} from '../use-cases/vacancies.ts';
import { wireModeration } from './moderation-routes.tsx';
import { feedRoute } from './vacancy-feed-route.tsx';
import { type Choice, VacancyFormPage } from './vacancy-form.tsx';
import {
  conflictPage,
  EventList,
  formatDay,
  notFoundPage,
  StatusBadge,
  VacancyFacts,
} from './vacancy-view.tsx';

const EMPLOYER = ['employer'] as const;

/** Routes (and jobs, when options.worker) of this part of the employers context. */
export async function wireVacancies(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  options: WireOptions,
): Promise<void> {
  employerRoutes(routes, deps);
  wireModeration(routes, deps);
  feedRoute(routes, deps);
  registerVacancyApi(deps);
  if (options.worker) await startExpiryJob(deps);
}

type FormState = {
  values: FormValues;
  essential: string[];
  optional: string[];
  errors: FieldErrors;
  search: 'occupation' | 'skills' | null;
};

function valuesOf(v: VacancyRow): FormValues {
  const values: FormValues = {
    title: v.title,
    description: v.description,
    occupation_uri: v.occupationUri ?? '',
    eqf_required: String(v.eqfRequired),
    experience_years: String(v.experienceYears),
    remote: v.remote,
    site_id: v.siteId ?? (v.municipalityCode ? 'other' : ''),
    municipality: v.siteId || !v.municipalityName ? '' : `${v.municipalityName} (${v.province ?? ''})`,
    contract_type: v.contractType,
    hours: v.hours,
    weekly_hours: v.weeklyHours === null ? '' : String(v.weeklyHours),
    pay_min: v.payMin === null ? '' : String(v.payMin),
    pay_max: v.payMax === null ? '' : String(v.payMax),
    pay_period: v.payPeriod ?? '',
    positions: String(v.positions),
    start_date: v.startDate ?? '',
    expires_on: v.expiresOn,
    reserved_l68: v.reservedL68 ? '1' : undefined,
    seasonal: v.seasonal ? '1' : undefined,
    driving_licence: v.drivingLicence ?? '',
    safety_info: v.safetyInfo ?? '',
  };
  for (const l of v.languages) values[`lang_${l.code}`] = l.level;
  return values;
}

function emptyValues(now: Date): FormValues {
  return {
    eqf_required: '0',
    experience_years: '0',
    remote: 'no',
    hours: 'full_time',
    positions: '1',
    expires_on: addMonths(romeDay(now), 1),
  };
}

async function skillLabels(deps: EmployerDeps, uris: string[], lang: string): Promise<Choice[]> {
  if (uris.length === 0) return [];
  const rows = await deps.db
    .selectFrom('esco_skills')
    .select(['uri', 'label_it', 'label_en'])
    .where('uri', 'in', uris)
    .execute();
  return rows.map((r) => ({
    value: r.uri,
    label: (lang === 'en' ? (r.label_en ?? r.label_it) : (r.label_it ?? r.label_en)) ?? r.uri,
  }));
}

async function renderForm(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: EmployerDeps,
  page: { id: string | null; status: string | null },
  state: FormState,
  httpStatus = 200,
) {
  const { t, lang } = req.ctx;
  const user = req.ctx.user as SessionUser;
  const values = state.values;
  // The occupation: the chosen one, plus the matches of a search, plus "none".
  const occupationOptions: Choice[] = [];
  const current =
    values.occupation_uri && ESCO_OCCUPATION_RE.test(values.occupation_uri) ? values.occupation_uri : null;
  const detail = current ? await occupation(deps.db, current, lang) : null;
  if (detail)
    occupationOptions.push({ value: detail.uri, label: `${detail.label} (ISCO ${detail.isco.code})` });
  let occupationSearched = false;
  const errors = { ...state.errors };
  if (state.search === 'occupation' && (values.occupation_q ?? '').trim().length < 2)
    errors.occupation_q = t('vacancies.form.occupationTooShort');
  if (state.search === 'occupation' && (values.occupation_q ?? '').trim().length >= 2) {
    occupationSearched = true;
    for (const hit of await searchOccupations(deps.db, values.occupation_q ?? '', lang, 10))
      if (hit.uri !== detail?.uri)
        occupationOptions.push({ value: hit.uri, label: `${hit.label} (ISCO ${hit.iscoCode})` });
  }
  occupationOptions.push({ value: '', label: t('vacancies.form.noOccupationChoice') });
  // Skills: the occupation's essential ones, those already chosen, and the matches of a search.
  const seen = new Set<string>();
  const skillOptions: Choice[] = [];
  const add = (c: Choice) => {
    if (seen.has(c.value) || skillOptions.length >= 80) return;
    seen.add(c.value);
    skillOptions.push(c);
  };
  for (const c of await skillLabels(deps, skillList([...state.essential, ...state.optional]), lang)) add(c);
  if (detail)
    for (const s of detail.skills) if (s.relation === 'essential') add({ value: s.uri, label: s.label });
  let skillSearched = false;
  if (state.search === 'skills' && (values.skill_q ?? '').trim().length >= 2) {
    skillSearched = true;
    for (const hit of await searchSkills(deps.db, values.skill_q ?? '', lang, 15))
      add({ value: hit.uri, label: hit.label });
  }
  const sites = await companySites(deps.db, user);
  const editingLive = page.status === 'published' || page.status === 'submitted';
  return sendPage(
    reply,
    <VacancyFormPage
      ctx={req.ctx}
      action={page.id ? `/azienda/offerte/${page.id}/modifica` : '/azienda/offerte/nuova'}
      title={page.id ? t('vacancies.form.editTitle') : t('vacancies.form.newTitle')}
      values={values}
      errors={errors}
      essential={state.essential}
      optional={state.optional}
      occupationOptions={occupationOptions}
      occupationSearched={occupationSearched}
      skillOptions={skillOptions}
      skillSearched={skillSearched}
      sites={sites}
      backToModeration={editingLive}
      canSubmit={!editingLive}
    />,
    httpStatus,
  );
}

async function handleFormPost(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: EmployerDeps,
  id: string | null,
  status: string | null,
) {
  const { t } = req.ctx;
  const user = req.ctx.user as SessionUser;
  const values = formValues(req.body);
  const essential = skillList(formArray(req.body, 'skill_essential', 60));
  const optional = skillList(formArray(req.body, 'skill_optional', 60));
  const action = values.action ?? 'save';
  const page = { id, status };
  if (action === 'findOccupation' || action === 'findSkills') {
    return renderForm(req, reply, deps, page, {
      values,
      essential,
      optional,
      errors: {},
      search: action === 'findOccupation' ? 'occupation' : 'skills',
    });
  }
  const parsed = parseForm(VacancyFormFields, req.body, t);
  const langs = languagesFromForm(values);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  for (const f of langs.invalid) errors[f] = t('errors.choose');
  if (!parsed.ok || langs.invalid.length) {
    return renderForm(req, reply, deps, page, { values, essential, optional, errors, search: null }, 400);
  }
  const draft = draftFromForm(parsed.data, {
    essentialSkills: essential,
    optionalSkills: optional,
    languages: langs.languages,
  });
  const result = await saveVacancy(deps, user, id, draft, new Date(), { submit: action === 'submit' });
  if (!result.ok) {
    if (result.reason === 'not_found') return notFoundPage(req, reply);
    if (result.reason === 'not_editable')
      return conflictPage(req, reply, t('vacancies.errors.notEditable'), `/azienda/offerte/${id}`);
    const translated: FieldErrors = {};
    for (const [field, key] of Object.entries('errors' in result ? result.errors : {}))
      translated[field] = t(key);
    return renderForm(
      req,
      reply,
      deps,
      page,
      { values, essential, optional, errors: translated, search: null },
      400,
    );
  }
  return reply.redirect(
    `/azienda/offerte/${result.id}?ok=${result.status === 'submitted' ? 'submitted' : 'saved'}`,
    303,
  );
}

const STATUS_ORDER = ['draft', 'rejected', 'submitted', 'published', 'expired', 'closed'] as const;

function employerRoutes(routes: RouteCatalogue, deps: EmployerDeps): void {
  routes.get('/azienda/offerte', EMPLOYER, async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const list = await listCompanyVacancies(deps.db, user);
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('vacancies.list.title')} wide>
        <h1>{t('vacancies.list.title')}</h1>
        <p>{t('vacancies.list.intro')}</p>
        <p>
          <a class="btn btn-primary" href="/azienda/offerte/nuova">
            {t('vacancies.list.new')}
          </a>
        </p>
        {list.length === 0 && <p>{t('vacancies.list.empty')}</p>}
        {STATUS_ORDER.map((status) => {
          const rows = list.filter((v) => v.status === status);
          if (rows.length === 0) return null;
          return (
            <section aria-labelledby={`status-${status}`} class="mb-4">
              <h2 id={`status-${status}`}>{`${t(`vacancies.statusPlural.${status}`)} (${rows.length})`}</h2>
              <div class="table-responsive">
                <table class="table">
                  <caption class="visually-hidden">{t(`vacancies.statusPlural.${status}`)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('vacancies.field.title')}</th>
                      <th scope="col">{t('vacancies.field.expiresOn')}</th>
                      <th scope="col">{t('vacancies.field.positions')}</th>
                      <th scope="col">{t('vacancies.list.applications')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((v) => (
                      <tr>
                        <th scope="row">
                          <a href={`/azienda/offerte/${v.id}`}>{v.title}</a>
                        </th>
                        <td>{formatDay(req.ctx, v.expiresOn)}</td>
                        <td>{v.positions}</td>
                        <td>{v.applications}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          );
        })}
      </Layout>,
    );
  });

  routes.get('/azienda/offerte/nuova', EMPLOYER, async (req, reply) =>
    renderForm(
      req,
      reply,
      deps,
      { id: null, status: null },
      {
        values: emptyValues(new Date()),
        essential: [],
        optional: [],
        errors: {},
        search: null,
      },
    ),
  );
  routes.post('/azienda/offerte/nuova', EMPLOYER, async (req, reply) =>
    handleFormPost(req, reply, deps, null, null),
  );

  routes.get('/azienda/offerte/:id', EMPLOYER, async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const v = await vacancyOfCompany(deps.db, user, id, req.ctx.lang);
    if (!v) return notFoundPage(req, reply);
    const events = await vacancyEvents(deps.db, user.regionCode, v.id);
    const ok = (req.query as Record<string, unknown>).ok;
    const okKey = typeof ok === 'string' && ['saved', 'submitted', 'closed'].includes(ok) ? ok : null;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={v.title} wide>
        <h1>{v.title}</h1>
        {okKey && <Notice kind="success">{t(`vacancies.ok.${okKey}`)}</Notice>}
        <p>
          {t('vacancies.view.status')}: <StatusBadge ctx={req.ctx} status={v.status} />
          {v.status === 'closed' && v.outcome ? ` · ${t(`vacancies.outcome.${v.outcome}`)}` : ''}
        </p>
        <p>{t(`vacancies.statusHelp.${v.status}`)}</p>
        {v.status === 'rejected' && v.moderationReason && (
          <div class="alert alert-warning" role="note">
            <h2 class="h5">{t('vacancies.view.rejectedReason')}</h2>
            <p class="mb-0">{v.moderationReason}</p>
          </div>
        )}
        <ul class="sl-inline-list mb-4">
          {statusAfterEdit(v.status) && (
            <li>
              <a class="btn btn-outline-primary" href={`/azienda/offerte/${v.id}/modifica`}>
                {t('vacancies.view.edit')}
              </a>
            </li>
          )}
          {canSubmit(v.status) && (
            <li>
              <form method="post" action={`/azienda/offerte/${v.id}/invia`}>
                <CsrfField ctx={req.ctx} />
                <button type="submit" class="btn btn-primary">
                  {t('vacancies.form.submit')}
                </button>
              </form>
            </li>
          )}
          {v.status === 'published' && (
            <li>
              <a class="btn btn-outline-primary" href={`/offerte/${v.id}`}>
                {t('vacancies.view.publicPage')}
              </a>
            </li>
          )}
          {canClose(v.status) && (
            <li>
              <a class="btn btn-outline-primary" href={`/azienda/offerte/${v.id}/chiudi`}>
                {t('vacancies.view.close')}
              </a>
            </li>
          )}
        </ul>
        <VacancyFacts ctx={req.ctx} v={v} />
        <EventList ctx={req.ctx} events={events} />
        <p class="mt-4">
          <a href="/azienda/offerte">{t('vacancies.back')}</a>
        </p>
      </Layout>,
    );
  });

  routes.get('/azienda/offerte/:id/modifica', EMPLOYER, async (req, reply) => {
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const v = await vacancyOfCompany(deps.db, user, id, req.ctx.lang);
    if (!v) return notFoundPage(req, reply);
    if (!statusAfterEdit(v.status))
      return conflictPage(req, reply, req.ctx.t('vacancies.errors.notEditable'), `/azienda/offerte/${v.id}`);
    return renderForm(
      req,
      reply,
      deps,
      { id: v.id, status: v.status },
      {
        values: valuesOf(v),
        essential: v.skills.filter((s) => s.essential).map((s) => s.uri),
        optional: v.skills.filter((s) => !s.essential).map((s) => s.uri),
        errors: {},
        search: null,
      },
    );
  });
  routes.post('/azienda/offerte/:id/modifica', EMPLOYER, async (req, reply) => {
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const v = await vacancyOfCompany(deps.db, user, id);
    if (!v) return notFoundPage(req, reply);
    if (!statusAfterEdit(v.status))
      return conflictPage(req, reply, req.ctx.t('vacancies.errors.notEditable'), `/azienda/offerte/${v.id}`);
    return handleFormPost(req, reply, deps, v.id, v.status);
  });

  routes.post('/azienda/offerte/:id/invia', EMPLOYER, async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const result = await submitVacancy(deps, user, id, new Date());
    if (result.ok) return reply.redirect(`/azienda/offerte/${id}?ok=submitted`, 303);
    if (result.reason === 'not_found') return notFoundPage(req, reply);
    const message =
      result.reason === 'invalid'
        ? t('vacancies.errors.expiryPastSubmit')
        : t('vacancies.errors.cannotSubmit');
    return conflictPage(req, reply, message, `/azienda/offerte/${id}`);
  });

  const closePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    v: VacancyRow,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const applicants = await applicantsOf(deps.db, user, v.id);
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('vacancies.close.title')}>
        <h1>{t('vacancies.close.title')}</h1>
        <p class="lead">{v.title}</p>
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p>{t('vacancies.close.intro')}</p>
        <form method="post" action={`/azienda/offerte/${v.id}/chiudi`} novalidate>
          <CsrfField ctx={req.ctx} />
          <RadioGroup
            name="outcome"
            label={t('vacancies.close.outcome')}
            values={values}
            errors={errors}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`vacancies.outcome.${o}`) }))}
          />
          {applicants.length > 0 ? (
            <SelectField
              name="hired_citizen_id"
              label={t('vacancies.close.hired')}
              hint={t('vacancies.close.hiredHint')}
              values={values}
              errors={errors}
              options={[
                { value: '', label: t('vacancies.close.hiredNone') },
                ...applicants.map((a) => ({ value: a.citizenId, label: a.name })),
              ]}
            />
          ) : (
            <p>{t('vacancies.close.noApplicants')}</p>
          )}
          <button type="submit" class="btn btn-primary">
            {t('vacancies.close.confirm')}
          </button>
        </form>
        <p class="mt-4">
          <a href={`/azienda/offerte/${v.id}`}>{t('vacancies.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/azienda/offerte/:id/chiudi', EMPLOYER, async (req, reply) => {
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const v = await vacancyOfCompany(deps.db, user, id);
    if (!v) return notFoundPage(req, reply);
    if (!canClose(v.status))
      return conflictPage(
        req,
        reply,
        req.ctx.t('vacancies.errors.alreadyClosed'),
        `/azienda/offerte/${v.id}`,
      );
    return closePage(req, reply, v, {}, {});
  });

  const CloseForm = z.object({
    outcome: z.enum(OUTCOMES, { error: 'errors.choose' }),
    hired_citizen_id: z
      .string()
      .optional()
      .transform((s) => (s ? s : undefined))
      .pipe(z.string().regex(UUID_RE, 'errors.choose').optional()),
  });
  routes.post('/azienda/offerte/:id/chiudi', EMPLOYER, async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const v = await vacancyOfCompany(deps.db, user, id);
    if (!v) return notFoundPage(req, reply);
    const parsed = parseForm(CloseForm, req.body, t);
    if (!parsed.ok) return closePage(req, reply, v, parsed.values, parsed.errors, 400);
    const result = await closeVacancy(
      deps,
      user,
      v.id,
      { outcome: parsed.data.outcome, hiredCitizenId: parsed.data.hired_citizen_id ?? null },
      new Date(),
    );
    if (result.ok) return reply.redirect(`/azienda/offerte/${v.id}?ok=closed`, 303);
    if (result.reason === 'not_found') return notFoundPage(req, reply);
    if (result.reason === 'wrong_status')
      return conflictPage(req, reply, t('vacancies.errors.alreadyClosed'), `/azienda/offerte/${v.id}`);
    const errors: FieldErrors = {};
    for (const [field, key] of Object.entries('errors' in result ? result.errors : {}))
      errors[field] = t(key);
    return closePage(req, reply, v, parsed.values, errors, 400);
  });
}
