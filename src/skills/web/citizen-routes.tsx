import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { readMultipart } from '../../platform/http/uploads.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { labelFor } from '../domain/gap.ts';
import { parseLevel } from '../domain/levels.ts';
import { assessedSkills } from '../use-cases/assessed-skills.ts';
import {
  type AssessmentView,
  addEvidence,
  addJob,
  addTarget,
  type ChecklistSection,
  checklist,
  evidenceFile,
  loadAssessment,
  MAX_TARGETS,
  removeEvidence,
  removeJob,
  removeTarget,
  saveEducation,
  saveSelfLevels,
  searchOccupations,
  submitAssessment,
} from '../use-cases/assessment.ts';
import { currentGaps, type SkillGap } from '../use-cases/gap.ts';
import type { SkillsDeps } from '../wiring.ts';
import { fmtDate, langOf, levelOptions, sendEvidence, sizeKb, UUID } from './shared.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;

const STEPS = [
  { path: '/competenze/obiettivo', key: 'target' },
  { path: '/competenze/esperienze', key: 'jobs' },
  { path: '/competenze/formazione', key: 'education' },
  { path: '/competenze/abilita', key: 'skills' },
  { path: '/competenze/prove', key: 'evidence' },
] as const;

function Steps({ ctx, current }: { ctx: RequestContext; current: string }) {
  return (
    <nav aria-label={ctx.t('skills.steps.label')} class="mb-4">
      <ol>
        {STEPS.map((s) => (
          <li>
            {s.path === current ? (
              <strong aria-current="step">{ctx.t(`skills.steps.${s.key}`)}</strong>
            ) : (
              <a href={s.path}>{ctx.t(`skills.steps.${s.key}`)}</a>
            )}
          </li>
        ))}
        <li>
          {current === '/competenze' ? (
            <strong aria-current="step">{ctx.t('skills.steps.submit')}</strong>
          ) : (
            <a href="/competenze">{ctx.t('skills.steps.submit')}</a>
          )}
        </li>
      </ol>
    </nav>
  );
}

function NextStep({ ctx, href, label }: { ctx: RequestContext; href: string; label?: string }) {
  return (
    <p class="mt-4">
      <a class="btn btn-outline-primary" href={href}>
        {label ?? ctx.t('skills.next')}
      </a>
    </p>
  );
}

function Locked({ ctx }: { ctx: RequestContext }) {
  return <Notice kind="info">{ctx.t('skills.locked')}</Notice>;
}

function notice(ctx: RequestContext, req: Req): string | undefined {
  const ok = (req.query as Record<string, unknown>).ok;
  if (typeof ok !== 'string' || !/^[a-zA-Z]{1,20}$/.test(ok)) return undefined;
  const key = `skills.ok.${ok}`;
  const text = ctx.t(key);
  return text === key ? undefined : text;
}

const titleSchema = z
  .string()
  .trim()
  .min(1, 'errors.required')
  .max(200, 'errors.tooLong')
  .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');

const jobSchema = z.object({
  title: titleSchema,
  years: z
    .string()
    .trim()
    .regex(/^(?:[0-9]|[1-5][0-9]|60)$/, 'skills.errors.years'),
});

const educationSchema = z.object({
  eqf: z.enum(['', '1', '2', '3', '4', '5', '6', '7', '8'], { message: 'errors.choose' }),
  educationTitle: z
    .string()
    .trim()
    .max(200, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
  informal: z.string().trim().max(4000, 'errors.tooLong').regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

export function citizenRoutes(routes: RouteCatalogue, deps: SkillsDeps): void {
  const citizen = ['citizen'] as const;
  const me = (req: Req) => req.ctx.user!;

  // Overview and submission ------------------------------------------------------------------
  const overview = async (req: Req, reply: Reply, error?: string, status = 200) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = me(req);
    const view = await loadAssessment(deps.db, user.regionCode, user.id, langOf(ctx));
    const st = view?.assessment.status ?? 'none';
    const answered = view ? [...view.levels.values()].filter((l) => l.self_level !== null).length : 0;
    const validatedSkills =
      st === 'validated'
        ? (await assessedSkills(deps.db, user.regionCode, user.id)).filter((k) => k.validated)
        : [];
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('skills.overview.title')}>
        <h1>{t('skills.overview.title')}</h1>
        {status === 200 && notice(ctx, req) && <Notice kind="success">{notice(ctx, req)}</Notice>}
        <ErrorSummary ctx={ctx} errors={error ? { submit: error } : {}} />
        <p class="lead">{t('skills.overview.intro')}</p>
        <p>{t(`skills.status.${st}`)}</p>
        {st !== 'validated' && <Steps ctx={ctx} current="/competenze" />}
        {!view && <NextStep ctx={ctx} href="/competenze/obiettivo" label={t('skills.overview.start')} />}
        {view && (
          <>
            <h2 class="h4">{t('skills.overview.summary')}</h2>
            <ul>
              <li>
                {t('skills.overview.targets', {
                  list: view.targets.map((x) => x.label).join(', ') || t('skills.overview.noneYet'),
                })}
              </li>
              <li>{t('skills.overview.jobs', { count: view.jobs.length })}</li>
              <li>{t('skills.overview.answered', { count: answered })}</li>
              <li>{t('skills.overview.files', { count: view.evidence.length })}</li>
            </ul>
            {st === 'validated' && view.assessment.validated_at && (
              <p>{t('skills.overview.validatedOn', { date: fmtDate(ctx, view.assessment.validated_at) })}</p>
            )}
            {validatedSkills.length > 0 && (
              <>
                <h2 class="h4">{t('skills.overview.validatedSkills')}</h2>
                <ul>
                  {validatedSkills.map((s) => (
                    <li>
                      {labelFor(langOf(ctx), s.labelIt, s.labelEn, s.uri)}: {t(`skills.level.l${s.level}`)}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {st !== 'validated' && (
              <form method="post" action="/competenze/invia">
                <CsrfField ctx={ctx} />
                <p id="submit">
                  {t(st === 'submitted' ? 'skills.overview.resubmitHint' : 'skills.overview.submitHint')}
                </p>
                <button type="submit" class="btn btn-primary">
                  {t(st === 'submitted' ? 'skills.overview.resubmit' : 'skills.overview.submit')}
                </button>
              </form>
            )}
            <p class="mt-4">
              <a href="/competenze/divario">{t('skills.overview.gapLink')}</a>
            </p>
          </>
        )}
      </Layout>,
      status,
    );
  };
  routes.get('/competenze', citizen, async (req, reply) => overview(req, reply), true);
  routes.post('/competenze/invia', citizen, async (req, reply) => {
    const r = await submitAssessment(deps, me(req));
    if (r === 'ok') return reply.redirect('/competenze?ok=submitted', 303);
    if (r === 'locked') return reply.redirect('/competenze', 303);
    return overview(
      req,
      reply,
      req.ctx.t(`skills.errors.${r === 'no_target' ? 'noTarget' : 'noLevels'}`),
      400,
    );
  });

  // Step 1: target occupations --------------------------------------------------------------
  const targetPage = async (
    req: Req,
    reply: Reply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = me(req);
    const lang = langOf(ctx);
    const view = await loadAssessment(deps.db, user.regionCode, user.id, lang);
    const locked = view?.assessment.status === 'validated';
    const q = (values.q ?? '').slice(0, 100);
    const results = q.trim().length >= 2 ? await searchOccupations(deps.db, q, lang) : [];
    const chosen = new Set(view?.targets.map((x) => x.uri) ?? []);
    const options = results.filter((r) => !chosen.has(r.uri));
    const full = (view?.targets.length ?? 0) >= MAX_TARGETS;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('skills.target.title')}>
        <h1>{t('skills.target.title')}</h1>
        {status === 200 && notice(ctx, req) && <Notice kind="success">{notice(ctx, req)}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        <Steps ctx={ctx} current="/competenze/obiettivo" />
        <p>{t('skills.target.intro', { max: MAX_TARGETS })}</p>
        {locked && <Locked ctx={ctx} />}
        <h2 class="h4">{t('skills.target.chosen')}</h2>
        {!view || view.targets.length === 0 ? (
          <p>{t('skills.target.none')}</p>
        ) : (
          <ul class="list-unstyled">
            {view.targets.map((x) => (
              <li class="mb-2">
                {x.label}
                {!locked && (
                  <form method="post" action="/competenze/obiettivo/rimuovi" class="mb-2">
                    <CsrfField ctx={ctx} />
                    <input type="hidden" name="occupation" value={x.uri} />
                    <button type="submit" class="btn btn-outline-primary btn-sm">
                      {t('skills.target.remove', { label: x.label })}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {!locked && !full && (
          <>
            <h2 class="h4 mt-4">{t('skills.target.search')}</h2>
            <form method="get" action="/competenze/obiettivo">
              <TextField
                name="q"
                label={t('skills.target.query')}
                hint={t('skills.target.queryHint')}
                values={{ q }}
                errors={{}}
                maxLength={100}
              />
              <button type="submit" class="btn btn-outline-primary">
                {t('skills.target.searchButton')}
              </button>
            </form>
            {q.trim().length >= 2 &&
              (options.length === 0 ? (
                <p class="mt-4">{t('skills.target.noResults', { q })}</p>
              ) : (
                <form method="post" action="/competenze/obiettivo" class="mt-4" novalidate>
                  <CsrfField ctx={ctx} />
                  <input type="hidden" name="q" value={q} />
                  <RadioGroup
                    name="occupation"
                    label={t('skills.target.results', { q })}
                    options={options.map((o) => ({ value: o.uri, label: o.label }))}
                    values={values}
                    errors={errors}
                  />
                  <button type="submit" class="btn btn-primary">
                    {t('skills.target.add')}
                  </button>
                </form>
              ))}
          </>
        )}
        {full && !locked && <p>{t('skills.target.full', { max: MAX_TARGETS })}</p>}
        <NextStep ctx={ctx} href="/competenze/esperienze" />
      </Layout>,
      status,
    );
  };
  routes.get(
    '/competenze/obiettivo',
    citizen,
    async (req, reply) => {
      const q = (req.query as Record<string, unknown>).q;
      return targetPage(req, reply, { q: typeof q === 'string' ? q : '' }, {});
    },
    true,
  );
  routes.post('/competenze/obiettivo', citizen, async (req, reply) => {
    const form = parseForm(
      z.object({ occupation: z.string().min(1, 'errors.choose').max(500, 'errors.choose') }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) return targetPage(req, reply, form.values, form.errors, 400);
    const r = await addTarget(deps, me(req), form.data.occupation);
    if (r === 'ok') return reply.redirect('/competenze/obiettivo?ok=targetAdded', 303);
    if (r === 'duplicate') return reply.redirect('/competenze/obiettivo', 303);
    const message = r === 'full' ? 'skills.errors.full' : r === 'locked' ? 'skills.locked' : 'errors.choose';
    return targetPage(req, reply, form.values, { occupation: req.ctx.t(message, { max: MAX_TARGETS }) }, 400);
  });
  routes.post('/competenze/obiettivo/rimuovi', citizen, async (req, reply) => {
    const form = parseForm(z.object({ occupation: z.string().min(1).max(500) }), req.body, req.ctx.t);
    if (!form.ok) return reply.callNotFound();
    const r = await removeTarget(deps, me(req), form.data.occupation);
    if (r === 'not_found') return reply.callNotFound();
    return reply.redirect('/competenze/obiettivo?ok=targetRemoved', 303);
  });

  // Step 2: past jobs --------------------------------------------------------------------------
  const jobsPage = async (req: Req, reply: Reply, values: FormValues, errors: FieldErrors, status = 200) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = me(req);
    const view = await loadAssessment(deps.db, user.regionCode, user.id, langOf(ctx));
    const locked = view?.assessment.status === 'validated';
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('skills.jobs.title')}>
        <h1>{t('skills.jobs.title')}</h1>
        {status === 200 && notice(ctx, req) && <Notice kind="success">{notice(ctx, req)}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        <Steps ctx={ctx} current="/competenze/esperienze" />
        <p>{t('skills.jobs.intro')}</p>
        {locked && <Locked ctx={ctx} />}
        {!view || view.jobs.length === 0 ? (
          <p>{t('skills.jobs.none')}</p>
        ) : (
          <ul class="list-unstyled">
            {view.jobs.map((j) => (
              <li class="mb-2">
                {t('skills.jobs.item', { title: j.title, count: j.years })}
                {j.occupationLabel && j.occupationLabel !== j.title && ` (${j.occupationLabel})`}
                {!locked && (
                  <form method="post" action={`/competenze/esperienze/${j.id}/rimuovi`} class="mb-2">
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="btn btn-outline-primary btn-sm">
                      {t('skills.jobs.remove', { title: j.title })}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {!locked && (
          <form method="post" action="/competenze/esperienze" novalidate class="mt-4">
            <CsrfField ctx={ctx} />
            <fieldset>
              <legend class="h4">{t('skills.jobs.add')}</legend>
              <TextField
                name="title"
                label={t('skills.jobs.jobTitle')}
                hint={t('skills.jobs.jobTitleHint')}
                values={values}
                errors={errors}
                maxLength={200}
              />
              <TextField
                name="years"
                label={t('skills.jobs.years')}
                hint={t('skills.jobs.yearsHint')}
                inputmode="numeric"
                values={values}
                errors={errors}
                maxLength={2}
              />
              <button type="submit" class="btn btn-primary">
                {t('skills.jobs.addButton')}
              </button>
            </fieldset>
          </form>
        )}
        <NextStep ctx={ctx} href="/competenze/formazione" />
      </Layout>,
      status,
    );
  };
  routes.get('/competenze/esperienze', citizen, async (req, reply) => jobsPage(req, reply, {}, {}), true);
  routes.post('/competenze/esperienze', citizen, async (req, reply) => {
    const form = parseForm(jobSchema, req.body, req.ctx.t);
    if (!form.ok) return jobsPage(req, reply, form.values, form.errors, 400);
    const r = await addJob(deps, me(req), { title: form.data.title, years: Number(form.data.years) });
    if (r === 'ok') return reply.redirect('/competenze/esperienze?ok=jobAdded', 303);
    const message = r === 'full' ? 'skills.errors.tooManyJobs' : 'skills.locked';
    return jobsPage(req, reply, form.values, { title: req.ctx.t(message) }, 400);
  });
  routes.post('/competenze/esperienze/:job/rimuovi', citizen, async (req, reply) => {
    const { job } = req.params as { job: string };
    const r = await removeJob(deps, me(req), job);
    if (r !== 'ok') return reply.callNotFound();
    return reply.redirect('/competenze/esperienze?ok=jobRemoved', 303);
  });

  // Step 3: education and informal experience ---------------------------------------------------
  const educationPage = async (
    req: Req,
    reply: Reply,
    values: FormValues | null,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = me(req);
    const view = await loadAssessment(deps.db, user.regionCode, user.id, langOf(ctx));
    const a = view?.assessment;
    const locked = a?.status === 'validated';
    const shown: FormValues = values ?? {
      eqf: a?.education_eqf ? String(a.education_eqf) : '',
      educationTitle: a?.education_title ?? '',
      informal: a?.informal_experience ?? '',
    };
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('skills.education.title')}>
        <h1>{t('skills.education.title')}</h1>
        {status === 200 && notice(ctx, req) && <Notice kind="success">{notice(ctx, req)}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        <Steps ctx={ctx} current="/competenze/formazione" />
        {locked && <Locked ctx={ctx} />}
        <form method="post" action="/competenze/formazione" novalidate>
          <CsrfField ctx={ctx} />
          <SelectField
            name="eqf"
            label={t('skills.education.eqf')}
            hint={t('skills.education.eqfHint')}
            values={shown}
            errors={errors}
            options={[
              { value: '', label: t('skills.education.eqfNone') },
              ...['1', '2', '3', '4', '5', '6', '7', '8'].map((l) => ({
                value: l,
                label: t(`skills.education.eqfLevels.l${l}`),
              })),
            ]}
          />
          <TextField
            name="educationTitle"
            label={t('skills.education.titleField')}
            hint={t('skills.education.titleHint')}
            values={shown}
            errors={errors}
            maxLength={200}
          />
          <TextArea
            name="informal"
            label={t('skills.education.informal')}
            hint={t('skills.education.informalHint')}
            values={shown}
            errors={errors}
            maxLength={4000}
          />
          {!locked && (
            <button type="submit" class="btn btn-primary">
              {t('skills.save')}
            </button>
          )}
        </form>
        <NextStep ctx={ctx} href="/competenze/abilita" />
      </Layout>,
      status,
    );
  };
  routes.get(
    '/competenze/formazione',
    citizen,
    async (req, reply) => educationPage(req, reply, null, {}),
    true,
  );
  routes.post('/competenze/formazione', citizen, async (req, reply) => {
    const form = parseForm(educationSchema, req.body, req.ctx.t);
    if (!form.ok) return educationPage(req, reply, form.values, form.errors, 400);
    const r = await saveEducation(deps, me(req), {
      eqf: form.data.eqf ? Number(form.data.eqf) : null,
      title: form.data.educationTitle || null,
      informal: form.data.informal || null,
    });
    if (r === 'locked')
      return educationPage(req, reply, form.values, { eqf: req.ctx.t('skills.locked') }, 400);
    return reply.redirect('/competenze/formazione?ok=saved', 303);
  });

  // Step 4: the checklist -----------------------------------------------------------------------
  const SkillFieldsets = ({
    ctx,
    section,
    relation,
    values,
  }: {
    ctx: RequestContext;
    section: ChecklistSection;
    relation: 'essential' | 'optional';
    values: FormValues;
  }) => {
    const skills = section.skills.filter((s) => s.relation === relation);
    if (skills.length === 0) return null;
    return (
      <>
        <h3 class="h5 mt-4">{ctx.t(`skills.checklist.${relation}`, { count: skills.length })}</h3>
        {skills.map((s) => (
          <RadioGroup
            name={s.field}
            label={s.label}
            options={levelOptions(ctx)}
            values={values}
            errors={{}}
          />
        ))}
      </>
    );
  };
  const skillsPage = async (req: Req, reply: Reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = me(req);
    const lang = langOf(ctx);
    const view = await loadAssessment(deps.db, user.regionCode, user.id, lang);
    const sections = view ? await checklist(deps.db, user.regionCode, view.assessment.id, lang) : [];
    const locked = view?.assessment.status === 'validated';
    const values: FormValues = {};
    for (const s of sections.flatMap((x) => x.skills)) {
      const l = view?.levels.get(s.uri)?.self_level;
      if (l !== null && l !== undefined) values[s.field] = String(l);
    }
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('skills.checklist.title')}>
        <h1>{t('skills.checklist.title')}</h1>
        {notice(ctx, req) && <Notice kind="success">{notice(ctx, req)}</Notice>}
        <Steps ctx={ctx} current="/competenze/abilita" />
        {locked && <Locked ctx={ctx} />}
        {sections.length === 0 ? (
          <p>
            {t('skills.checklist.noTarget')} <a href="/competenze/obiettivo">{t('skills.steps.target')}</a>
          </p>
        ) : (
          <>
            <p>{t('skills.checklist.intro')}</p>
            <h2 class="h4">{t('skills.checklist.scale')}</h2>
            <ul>
              {levelOptions(ctx).map((o) => (
                <li>{o.label}</li>
              ))}
            </ul>
            <form method="post" action="/competenze/abilita" novalidate>
              <CsrfField ctx={ctx} />
              {sections.map((section) => (
                <section>
                  <h2 class="h4 mt-4">
                    {t('skills.checklist.for', { occupation: section.occupationLabel })}
                  </h2>
                  {section.skills.length === 0 && <p>{t('skills.checklist.noSkills')}</p>}
                  <SkillFieldsets ctx={ctx} section={section} relation="essential" values={values} />
                  <SkillFieldsets ctx={ctx} section={section} relation="optional" values={values} />
                </section>
              ))}
              {!locked && (
                <button type="submit" class="btn btn-primary mt-4">
                  {t('skills.save')}
                </button>
              )}
            </form>
          </>
        )}
        <NextStep ctx={ctx} href="/competenze/prove" />
      </Layout>,
    );
  };
  routes.get('/competenze/abilita', citizen, async (req, reply) => skillsPage(req, reply), true);
  routes.post('/competenze/abilita', citizen, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const r = await saveSelfLevels(deps, me(req), (field) => parseLevel(body[field]), langOf(req.ctx));
    if (r === 'locked') return reply.redirect('/competenze/abilita', 303);
    return reply.redirect('/competenze/abilita?ok=levelsSaved', 303);
  });

  // Step 5: evidence portfolio ------------------------------------------------------------------
  const evidencePage = async (
    req: Req,
    reply: Reply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = me(req);
    const lang = langOf(ctx);
    const view: AssessmentView | null = await loadAssessment(deps.db, user.regionCode, user.id, lang);
    const sections = view ? await checklist(deps.db, user.regionCode, view.assessment.id, lang) : [];
    const locked = view?.assessment.status === 'validated';
    const mb = Math.floor(deps.config.uploadMaxBytes / 1048576);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('skills.evidence.title')}>
        <h1>{t('skills.evidence.title')}</h1>
        {status === 200 && notice(ctx, req) && <Notice kind="success">{notice(ctx, req)}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        <Steps ctx={ctx} current="/competenze/prove" />
        <p>{t('skills.evidence.intro')}</p>
        {locked && <Locked ctx={ctx} />}
        <h2 class="h4">{t('skills.evidence.yourFiles')}</h2>
        {!view || view.evidence.length === 0 ? (
          <p>{t('skills.evidence.none')}</p>
        ) : (
          <ul class="list-unstyled">
            {view.evidence.map((e) => (
              <li class="mb-2">
                <a href={`/competenze/prove/${e.id}`}>
                  {t('skills.evidence.file', { name: e.filename, size: sizeKb(e.size) })}
                </a>{' '}
                — {e.skillLabel ?? t('skills.evidence.general')}
                {!locked && (
                  <form method="post" action={`/competenze/prove/${e.id}/rimuovi`} class="mb-2">
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="btn btn-outline-primary btn-sm">
                      {t('skills.evidence.remove', { name: e.filename })}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {!locked && (
          <form method="post" action="/competenze/prove" enctype="multipart/form-data" class="mt-4">
            <CsrfField ctx={ctx} />
            <fieldset>
              <legend class="h4">{t('skills.evidence.add')}</legend>
              <SelectField
                name="skill"
                label={t('skills.evidence.skill')}
                values={values}
                errors={errors}
                options={[
                  { value: '', label: t('skills.evidence.general') },
                  ...sections.flatMap((s) => s.skills).map((s) => ({ value: s.uri, label: s.label })),
                ]}
              />
              <div class="form-group mb-4">
                <label class="sl-label" for="file">
                  {t('skills.evidence.fileField')}
                </label>
                <input
                  type="file"
                  id="file"
                  name="file"
                  accept="application/pdf,image/jpeg,image/png"
                  aria-describedby={errors.file ? 'file-hint file-error' : 'file-hint'}
                  aria-invalid={errors.file ? 'true' : undefined}
                />
                <small id="file-hint" class="form-text d-block">
                  {t('skills.evidence.fileHint', { mb })}
                </small>
                {errors.file && (
                  <div id="file-error" class="sl-field-error">
                    {errors.file}
                  </div>
                )}
              </div>
              <button type="submit" class="btn btn-primary">
                {t('skills.evidence.upload')}
              </button>
            </fieldset>
          </form>
        )}
        <NextStep ctx={ctx} href="/competenze" />
      </Layout>,
      status,
    );
  };
  routes.get('/competenze/prove', citizen, async (req, reply) => evidencePage(req, reply, {}, {}), true);
  routes.post('/competenze/prove', citizen, async (req, reply) => {
    const { t } = req.ctx;
    const { fields, files } = await readMultipart(req.body);
    const form = parseForm(z.object({ skill: z.string().max(500, 'errors.choose') }), fields, t);
    if (!form.ok) return evidencePage(req, reply, form.values, form.errors, 400);
    const values = form.values;
    const file = files.find((f) => f.field === 'file');
    if (!file || file.data.length === 0)
      return evidencePage(req, reply, values, { file: t('skills.errors.fileMissing') }, 400);
    if (file.truncated) {
      const mb = Math.floor(deps.config.uploadMaxBytes / 1048576);
      return evidencePage(req, reply, values, { file: t('upload.tooLarge', { mb }) }, 400);
    }
    const r = await addEvidence(
      deps,
      me(req),
      { skillUri: form.data.skill || null, filename: file.filename, data: file.data },
      langOf(req.ctx),
    );
    if (r === 'ok') return reply.redirect('/competenze/prove?ok=fileAdded', 303);
    const messages = {
      bad_type: { file: t('skills.errors.fileType') },
      infected: { file: t('skills.errors.infected') },
      bad_skill: { skill: t('errors.choose') },
      locked: { file: t('skills.locked') },
    } as const;
    return evidencePage(req, reply, values, messages[r], 400);
  });
  routes.post('/competenze/prove/:eid/rimuovi', citizen, async (req, reply) => {
    const { eid } = req.params as { eid: string };
    const r = await removeEvidence(deps, me(req), eid);
    if (r !== 'ok') return reply.callNotFound();
    return reply.redirect('/competenze/prove?ok=fileRemoved', 303);
  });
  routes.get('/competenze/prove/:eid', citizen, async (req, reply) => {
    const { eid } = req.params as { eid: string };
    if (!UUID.test(eid)) return reply.callNotFound();
    const user = me(req);
    return sendEvidence(reply, await evidenceFile(deps.db, user.regionCode, user.id, eid));
  });

  // Gap analysis --------------------------------------------------------------------------------
  const GapList = ({
    ctx,
    gap,
    relation,
  }: {
    ctx: RequestContext;
    gap: SkillGap;
    relation: 'essential' | 'optional';
  }) => {
    const items = gap.missing.filter((m) => m.relation === relation);
    return (
      <>
        <h3 class="h5 mt-4">{ctx.t(`skills.gap.${relation}`, { count: items.length })}</h3>
        {items.length === 0 ? (
          <p>{ctx.t('skills.gap.noneMissing')}</p>
        ) : (
          <ul>
            {items.map((m) => (
              <li>{m.label}</li>
            ))}
          </ul>
        )}
      </>
    );
  };
  routes.get(
    '/competenze/divario',
    citizen,
    async (req, reply) => {
      const ctx = req.ctx;
      const { t } = ctx;
      const user = me(req);
      const gaps = await currentGaps(deps.db, user.regionCode, user.id, langOf(ctx));
      return sendPage(
        reply,
        <Layout ctx={ctx} title={t('skills.gap.title')}>
          <h1>{t('skills.gap.title')}</h1>
          <p>{t('skills.gap.intro')}</p>
          {gaps.length === 0 && (
            <p>
              {t('skills.checklist.noTarget')} <a href="/competenze/obiettivo">{t('skills.steps.target')}</a>
            </p>
          )}
          {gaps.map((g) => (
            <section>
              <h2 class="h4 mt-4">{g.occupationLabel}</h2>
              <p>
                {t('skills.gap.count', {
                  count: g.missing.length,
                  essential: g.missing.filter((m) => m.relation === 'essential').length,
                })}
              </p>
              <GapList ctx={ctx} gap={g} relation="essential" />
              <GapList ctx={ctx} gap={g} relation="optional" />
            </section>
          ))}
          {gaps.some((g) => g.missing.length > 0) && (
            <p class="mt-4">
              <a href="/corsi/consigliati">{t('skills.gap.courses')}</a>
            </p>
          )}
          <p class="mt-4">
            <a href="/competenze">{t('skills.backToOverview')}</a>
          </p>
        </Layout>,
      );
    },
    true,
  );
}
