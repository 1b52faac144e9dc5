import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formArray, formValues } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { readMultipart } from '../../platform/http/uploads.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { Pager, pageOf } from '../../platform/ui/pager.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { CSV_COLUMNS, FUNDING_CODES, MODES, type RowError, validateCourse } from '../domain/course-input.ts';
import {
  agenciesOf,
  courseSkills,
  createProvider,
  isoDate,
  manageableProviders,
  managedCourse,
  municipalitiesOf,
  operatorCourses,
  saveCourse,
  searchSkills,
  skillsByUri,
  UUID,
} from '../use-cases/catalogue.ts';
import {
  courseEnrolments,
  DECISIONS,
  type Decision,
  decideEnrolment,
  type EnrolmentDeps,
} from '../use-cases/enrolment.ts';
import { importCourses } from '../use-cases/import.ts';
import { formatDate, fundingLabel, modeLabel, str } from './shared.tsx';

const OPERATORS = ['cpi_operator', 'apl_operator'] as const;
const SKILL_URI = /^https?:\/\/[\x21-\x7e]{1,300}$/;

type Deps = EnrolmentDeps & { config: Config };

export function registerOperatorTrainingRoutes(routes: RouteCatalogue, deps: Deps): void {
  const { db } = deps;

  routes.get('/operatore/corsi', OPERATORS, async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const op = ctx.user!;
    const page = pageOf(str(req.query, 'pagina'));
    const rows = await operatorCourses(db, op, page);
    const ok = str(req.query, 'ok');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('training.op.title')} wide>
        <h1>{t('training.op.title')}</h1>
        {ok === 'imported' && (
          <Notice kind="success">{t('training.import.done', { n: Number(str(req.query, 'n')) || 0 })}</Notice>
        )}
        <ul class="sl-inline-list">
          <li>
            <a href="/operatore/corsi/nuovo">{t('training.op.new')}</a>
          </li>
          <li>
            <a href="/operatore/corsi/importa">{t('training.import.title')}</a>
          </li>
          <li>
            <a href="/operatore/corsi/enti">{t('training.providers.title')}</a>
          </li>
          <li>
            <a href="/corsi">{t('training.search.title')}</a>
          </li>
        </ul>
        {rows.length === 0 ? (
          <p>{t('training.op.none')}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <caption class="visually-hidden">{t('training.op.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('training.fields.course')}</th>
                  <th scope="col">{t('training.fields.start')}</th>
                  <th scope="col">{t('training.fields.seats')}</th>
                  <th scope="col">{t('training.op.pending')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, 20).map((c) => (
                  <tr>
                    <th scope="row">
                      <a href={`/operatore/corsi/${c.id}`}>{c.title}</a>
                      <span class="d-block small">{`${c.provider_name} · ${modeLabel(ctx, c.mode)}`}</span>
                    </th>
                    <td>{formatDate(ctx, c.starts_on)}</td>
                    <td>{`${c.seats_taken} / ${c.seats}`}</td>
                    <td>{c.pending}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          ctx={ctx}
          path="/operatore/corsi"
          params={{}}
          page={page}
          hasNext={rows.length > 20}
          label={ctx.t('training.pages')}
        />
      </Layout>,
    );
  });

  // ── Course form ───────────────────────────────────────────────────────────────────────────────
  const renderForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    courseId: string | null,
    values: FormValues,
    errors: FieldErrors,
    chosen: string[],
    skillQuery: string,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const op = ctx.user!;
    const [providers, municipalities, chosenSkills, found] = await Promise.all([
      manageableProviders(db, op),
      municipalitiesOf(db, op.regionCode),
      skillsByUri(db, chosen, ctx.lang),
      searchSkills(db, skillQuery, ctx.lang),
    ]);
    const results = found.filter((s) => !chosen.includes(s.uri));
    const action = courseId ? `/operatore/corsi/${courseId}/modifica` : '/operatore/corsi/nuovo';
    const title = courseId ? t('training.op.edit') : t('training.op.new');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        {providers.length === 0 ? (
          op.role === 'cpi_operator' ? (
            <p>
              {t('training.op.noProvidersCpi')}{' '}
              <a href="/operatore/corsi/enti">{t('training.op.addProvider')}</a>
            </p>
          ) : (
            <p>{t('training.op.noProviders')}</p>
          )
        ) : (
          <>
            <ErrorSummary ctx={ctx} errors={errors} />
            <form method="post" action={action} novalidate>
              <CsrfField ctx={ctx} />
              <SelectField
                name="provider_id"
                label={t('training.fields.provider')}
                values={values}
                errors={errors}
                options={[
                  { value: '', label: t('training.op.chooseProvider') },
                  ...providers.map((p) => ({ value: p.id, label: p.name })),
                ]}
              />
              <TextField
                name="title"
                label={t('training.fields.title')}
                values={values}
                errors={errors}
                maxLength={200}
              />
              <TextArea
                name="description"
                label={t('training.fields.description')}
                values={values}
                errors={errors}
                maxLength={4000}
              />
              <SelectField
                name="mode"
                label={t('training.fields.mode')}
                values={values}
                errors={errors}
                options={[
                  { value: '', label: t('training.op.chooseMode') },
                  ...MODES.map((m) => ({ value: m, label: modeLabel(ctx, m) })),
                ]}
              />
              <SelectField
                name="municipality_code"
                label={t('training.fields.municipality')}
                hint={t('training.op.municipalityHint')}
                values={values}
                errors={errors}
                options={[
                  { value: '', label: t('training.op.noMunicipality') },
                  ...municipalities.map((m) => ({ value: m.istat_code, label: m.name })),
                ]}
              />
              <TextField
                name="address"
                label={t('training.fields.address')}
                values={values}
                errors={errors}
                maxLength={200}
              />
              <TextField
                name="starts_on"
                type="date"
                label={t('training.fields.startsOn')}
                values={values}
                errors={errors}
              />
              <TextField
                name="ends_on"
                type="date"
                label={t('training.fields.endsOn')}
                values={values}
                errors={errors}
              />
              <TextField
                name="hours"
                inputmode="numeric"
                label={t('training.fields.hours')}
                values={values}
                errors={errors}
              />
              <TextField
                name="seats"
                inputmode="numeric"
                label={t('training.fields.seats')}
                values={values}
                errors={errors}
              />
              <TextField
                name="cost_eur"
                label={t('training.fields.cost')}
                hint={t('training.op.costHint')}
                values={values}
                errors={errors}
              />
              <SelectField
                name="funding"
                label={t('training.fields.funding')}
                values={values}
                errors={errors}
                options={FUNDING_CODES.map((f) => ({ value: f, label: fundingLabel(ctx, f) }))}
              />
              <SelectField
                name="eqf_level"
                label={t('training.fields.eqf')}
                values={values}
                errors={errors}
                options={[
                  { value: '', label: t('training.op.noEqf') },
                  ...['1', '2', '3', '4', '5', '6', '7', '8'].map((n) => ({
                    value: n,
                    label: t('training.eqfN', { n }),
                  })),
                ]}
              />
              <fieldset class="mb-4" id="skills">
                <legend class="sl-label">{t('training.fields.skills')}</legend>
                {errors.skills && <div class="sl-field-error">{errors.skills}</div>}
                {chosenSkills.length === 0 && results.length === 0 && (
                  <p>{t('training.op.noSkillsChosen')}</p>
                )}
                {[
                  ...chosenSkills.map((s) => ({ ...s, checked: true })),
                  ...results.map((s) => ({ ...s, checked: false })),
                ].map((s, i) => (
                  <div class="form-check">
                    <input
                      class="form-check-input"
                      type="checkbox"
                      name="skills"
                      id={`skill-${i}`}
                      value={s.uri}
                      checked={s.checked}
                    />
                    <label class="form-check-label" for={`skill-${i}`}>
                      {s.label}
                    </label>
                  </div>
                ))}
                <div class="form-group mt-3 mb-3">
                  <label for="skill_query" class="active sl-label">
                    {t('training.op.skillSearch')}
                  </label>
                  <input
                    id="skill_query"
                    name="skill_query"
                    class="form-control"
                    value={skillQuery}
                    maxLength={100}
                  />
                </div>
                <button type="submit" name="azione" value="cerca" class="btn btn-outline-primary btn-sm">
                  {t('training.op.skillSearchButton')}
                </button>
              </fieldset>
              <button type="submit" name="azione" value="salva" class="btn btn-primary">
                {t('training.op.save')}
              </button>
            </form>
          </>
        )}
        <p class="mt-3">
          <a href="/operatore/corsi">{t('training.op.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  const submitForm = async (req: FastifyRequest, reply: FastifyReply, courseId: string | null) => {
    const ctx = req.ctx;
    const op = ctx.user!;
    const values = formValues(req.body);
    const chosen = formArray(req.body, 'skills', 50).filter((u) => SKILL_URI.test(u));
    const skillQuery = (values.skill_query ?? '').slice(0, 100);
    if (values.azione === 'cerca') return renderForm(req, reply, courseId, values, {}, chosen, skillQuery);
    const errors: FieldErrors = {};
    const course = validateCourse(values);
    if (!course.ok) for (const [k, v] of Object.entries(course.errors)) if (v) errors[k] = ctx.t(v);
    const providerId = values.provider_id ?? '';
    if (!UUID.test(providerId)) errors.provider_id = ctx.t('errors.choose');
    if (!course.ok || Object.keys(errors).length > 0)
      return renderForm(req, reply, courseId, values, errors, chosen, skillQuery, 400);
    const r = await saveCourse(deps, op, courseId, providerId, course.value, chosen);
    if (r.ok) return reply.redirect(`/operatore/corsi/${r.id}?ok=saved`, 303);
    if (r.reason === 'not_found') return reply.callNotFound();
    const field =
      r.reason === 'unknown_provider'
        ? 'provider_id'
        : r.reason === 'unknown_municipality'
          ? 'municipality_code'
          : r.reason === 'unknown_skill'
            ? 'skills'
            : 'seats';
    return renderForm(
      req,
      reply,
      courseId,
      values,
      { [field]: ctx.t(`training.errors.${r.reason}`) },
      chosen,
      skillQuery,
      400,
    );
  };

  routes.get('/operatore/corsi/nuovo', OPERATORS, async (req, reply) =>
    renderForm(req, reply, null, { funding: 'none' }, {}, [], ''),
  );
  routes.post('/operatore/corsi/nuovo', OPERATORS, async (req, reply) => submitForm(req, reply, null));

  routes.get('/operatore/corsi/:id/modifica', OPERATORS, async (req, reply) => {
    const { id } = req.params as { id: string };
    const op = req.ctx.user!;
    const c = await managedCourse(db, op, id);
    if (!c) return reply.callNotFound();
    const skills = await courseSkills(db, op.regionCode, c.id, req.ctx.lang);
    const values: FormValues = {
      provider_id: c.provider_id,
      title: c.title,
      description: c.description,
      mode: c.mode,
      municipality_code: c.municipality_code ?? '',
      address: c.address ?? '',
      starts_on: isoDate(c.starts_on),
      ends_on: isoDate(c.ends_on),
      hours: String(c.hours),
      seats: String(c.seats),
      cost_eur: Number(c.cost_eur) === 0 ? '0' : String(Number(c.cost_eur)),
      funding: c.funding,
      eqf_level: c.eqf_level ? String(c.eqf_level) : '',
    };
    return renderForm(
      req,
      reply,
      c.id,
      values,
      {},
      skills.map((s) => s.uri),
      '',
    );
  });
  routes.post('/operatore/corsi/:id/modifica', OPERATORS, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!(await managedCourse(db, req.ctx.user!, id))) return reply.callNotFound();
    return submitForm(req, reply, id);
  });

  // ── Course page with its enrolments ───────────────────────────────────────────────────────────
  routes.get('/operatore/corsi/:id', OPERATORS, async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const op = ctx.user!;
    const { id } = req.params as { id: string };
    const c = await managedCourse(db, op, id);
    if (!c) return reply.callNotFound();
    const enrolments = await courseEnrolments(db, op, c.id);
    await deps.audit.recordReads(
      op,
      'course_enrolment',
      'training',
      enrolments.map((e) => ({ subjectId: e.citizen_id, objectId: e.id })),
    );
    const ok = str(req.query, 'ok');
    const error = str(req.query, 'errore');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={c.title} wide>
        <h1>{c.title}</h1>
        {ok && DECISIONS.includes(ok as Decision) && (
          <Notice kind="success">{t(`training.op.done.${ok}`)}</Notice>
        )}
        {ok === 'saved' && <Notice kind="success">{t('training.op.saved')}</Notice>}
        {(error === 'full' || error === 'wrong_status') && (
          <div class="alert alert-danger" role="alert">
            {t(`training.op.errors.${error}`)}
          </div>
        )}
        <p>
          {`${c.provider_name} · ${modeLabel(ctx, c.mode)} · ${formatDate(ctx, c.starts_on)} · `}
          {t('training.op.seatsTaken', { taken: c.seats_taken, seats: c.seats })}
        </p>
        <ul class="sl-inline-list">
          <li>
            <a href={`/operatore/corsi/${c.id}/modifica`}>{t('training.op.edit')}</a>
          </li>
          <li>
            <a href={`/corsi/${c.id}`}>{t('training.op.publicPage')}</a>
          </li>
          <li>
            <a href="/operatore/corsi">{t('training.op.back')}</a>
          </li>
        </ul>
        <h2 class="h4">{t('training.op.enrolments')}</h2>
        {enrolments.length === 0 ? (
          <p>{t('training.op.noEnrolments')}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <caption class="visually-hidden">{t('training.op.enrolments')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('training.fields.person')}</th>
                  <th scope="col">{t('training.fields.requestedAt')}</th>
                  <th scope="col">{t('training.fields.status')}</th>
                  <th scope="col">{t('training.fields.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {enrolments.map((e) => {
                  const name = `${e.given_name} ${e.family_name}`;
                  const actions: Decision[] =
                    e.status === 'requested'
                      ? ['confirm', 'refuse']
                      : e.status === 'confirmed'
                        ? ['complete', 'not_complete', 'refuse']
                        : [];
                  return (
                    <tr>
                      <th scope="row">{name}</th>
                      <td>{formatDate(ctx, e.requested_at)}</td>
                      <td>{t(`training.status.${e.status}`)}</td>
                      <td>
                        {actions.length === 0
                          ? '—'
                          : actions.map((a) => (
                              <form method="post" action={`/operatore/corsi/iscrizioni/${e.id}`} class="mb-3">
                                <CsrfField ctx={ctx} />
                                <input type="hidden" name="decisione" value={a} />
                                <button type="submit" class="btn btn-outline-primary btn-sm">
                                  {t(`training.op.actions.${a}`)}
                                  <span class="visually-hidden">{`: ${name}`}</span>
                                </button>
                              </form>
                            ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  routes.post('/operatore/corsi/iscrizioni/:id', OPERATORS, async (req, reply) => {
    const { id } = req.params as { id: string };
    const decision = formValues(req.body).decisione;
    if (!DECISIONS.includes(decision as Decision)) return reply.callNotFound();
    const r = await decideEnrolment(deps, req.ctx.user!, id, decision as Decision);
    if (r.result === 'not_found') return reply.callNotFound();
    if (r.result === 'full' && !r.courseId) {
      // The seat check refused inside the transaction: find the course to go back to it.
      const e = await db
        .selectFrom('course_enrolments')
        .select('course_id')
        .where('region_code', '=', req.ctx.user!.regionCode)
        .where('id', '=', id)
        .executeTakeFirst();
      return reply.redirect(`/operatore/corsi/${e?.course_id ?? ''}?errore=full`, 303);
    }
    if (r.result !== 'ok') return reply.redirect(`/operatore/corsi/${r.courseId}?errore=${r.result}`, 303);
    return reply.redirect(`/operatore/corsi/${r.courseId}?ok=${decision}`, 303);
  });

  // ── Providers ────────────────────────────────────────────────────────────────────────────────
  const renderProviders = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const op = ctx.user!;
    const [providers, agencies] = await Promise.all([
      manageableProviders(db, op),
      agenciesOf(db, op.regionCode),
    ]);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('training.providers.title')}>
        <h1>{t('training.providers.title')}</h1>
        {str(req.query, 'ok') === 'created' && (
          <Notice kind="success">{t('training.providers.created')}</Notice>
        )}
        {providers.length === 0 ? (
          <p>{t('training.providers.none')}</p>
        ) : (
          <ul>
            {providers.map((p) => (
              <li>{`${p.name} — ${t('training.providers.vat')} ${p.vat_number}${p.accreditation_code ? ` — ${p.accreditation_code}` : ''}`}</li>
            ))}
          </ul>
        )}
        {op.role === 'cpi_operator' ? (
          <>
            <h2 class="h4">{t('training.providers.add')}</h2>
            <ErrorSummary ctx={ctx} errors={errors} />
            <form method="post" action="/operatore/corsi/enti" novalidate>
              <CsrfField ctx={ctx} />
              <TextField
                name="name"
                label={t('training.providers.name')}
                values={values}
                errors={errors}
                maxLength={200}
              />
              <TextField
                name="vat_number"
                label={t('training.providers.vat')}
                inputmode="numeric"
                values={values}
                errors={errors}
                maxLength={11}
              />
              <TextField
                name="accreditation_code"
                label={t('training.providers.accreditation')}
                values={values}
                errors={errors}
                maxLength={50}
              />
              <SelectField
                name="agency_id"
                label={t('training.providers.agency')}
                hint={t('training.providers.agencyHint')}
                values={values}
                errors={errors}
                options={[
                  { value: '', label: t('training.providers.noAgency') },
                  ...agencies.map((a) => ({ value: a.id, label: a.name })),
                ]}
              />
              <button type="submit" class="btn btn-primary">
                {t('training.providers.save')}
              </button>
            </form>
          </>
        ) : (
          <p>{t('training.providers.cpiOnly')}</p>
        )}
        <p class="mt-3">
          <a href="/operatore/corsi">{t('training.op.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/corsi/enti', OPERATORS, async (req, reply) => renderProviders(req, reply, {}, {}));
  routes.post('/operatore/corsi/enti', ['cpi_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const values = formValues(req.body);
    const errors: FieldErrors = {};
    const name = (values.name ?? '').trim();
    const vat = (values.vat_number ?? '').trim();
    const accreditation = (values.accreditation_code ?? '').trim();
    const agency = (values.agency_id ?? '').trim();
    if (!name) errors.name = t('errors.required');
    else if (name.length > 200) errors.name = t('errors.tooLong');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
    else if (/[\u0000-\u001F\u007F]/.test(name)) errors.name = t('errors.invalidCharacters');
    if (!/^\d{11}$/.test(vat)) errors.vat_number = t('training.errors.vat');
    if (accreditation.length > 50) errors.accreditation_code = t('errors.tooLong');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
    else if (/[\u0000-\u001F\u007F]/.test(accreditation))
      errors.accreditation_code = t('errors.invalidCharacters');
    if (agency && !UUID.test(agency)) errors.agency_id = t('errors.choose');
    if (Object.keys(errors).length > 0) return renderProviders(req, reply, values, errors, 400);
    const r = await createProvider(deps, req.ctx.user!, {
      name,
      vatNumber: vat,
      accreditationCode: accreditation || null,
      agencyId: agency || null,
    });
    if (r === 'ok') return reply.redirect('/operatore/corsi/enti?ok=created', 303);
    const field = r === 'unknown_agency' ? 'agency_id' : 'vat_number';
    return renderProviders(req, reply, values, { [field]: t(`training.providers.errors.${r}`) }, 400);
  });

  // ── CSV import ───────────────────────────────────────────────────────────────────────────────
  const renderImport = (
    ctx: RequestContext,
    reply: FastifyReply,
    errors: RowError[],
    fileError?: string,
    status = 200,
  ) => {
    const { t } = ctx;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('training.import.title')} wide>
        <h1>{t('training.import.title')}</h1>
        <p>{t('training.import.intro')}</p>
        {(errors.length > 0 || fileError) && (
          <div class="alert alert-danger" role="alert" id="error-summary" tabindex={-1}>
            <h2 class="h5">{t('training.import.failed')}</h2>
            {fileError && (
              <p>
                <a href="#file">{fileError}</a>
              </p>
            )}
            <ul class="mb-0">
              {errors.slice(0, 200).map((e) => (
                <li>
                  {e.row > 0
                    ? e.column
                      ? t('training.import.errorAt', { row: e.row, column: e.column, message: t(e.error) })
                      : t('training.import.errorRow', { row: e.row, message: t(e.error) })
                    : t(e.error)}
                </li>
              ))}
            </ul>
            {errors.length > 200 && <p>{t('training.import.moreErrors', { n: errors.length - 200 })}</p>}
          </div>
        )}
        <form method="post" action="/operatore/corsi/importa" enctype="multipart/form-data">
          <CsrfField ctx={ctx} />
          <div class="form-group mb-4">
            <label for="file" class="active sl-label">
              {t('training.import.file')}
            </label>
            <input
              id="file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              class="form-control"
              aria-describedby={fileError ? 'file-hint file-error' : 'file-hint'}
              aria-invalid={fileError ? 'true' : undefined}
            />
            <small id="file-hint" class="form-text d-block">
              {t('training.import.fileHint')}
            </small>
            {fileError && (
              <div id="file-error" class="sl-field-error">
                {fileError}
              </div>
            )}
          </div>
          <button type="submit" class="btn btn-primary">
            {t('training.import.submit')}
          </button>
        </form>
        <h2 class="h4 mt-3">{t('training.import.columnsHeading')}</h2>
        <div class="table-responsive">
          <table class="table">
            <caption class="visually-hidden">{t('training.import.columnsHeading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('training.import.column')}</th>
                <th scope="col">{t('training.import.meaning')}</th>
              </tr>
            </thead>
            <tbody>
              {CSV_COLUMNS.map((c) => (
                <tr>
                  <th scope="row">
                    <code>{c}</code>
                  </th>
                  <td>{t(`training.import.columns.${c}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2 class="h4">{t('training.import.exampleHeading')}</h2>
        <pre>
          <code>{`provider_vat,title,mode,municipality_code,starts_on,ends_on,hours,seats,cost_eur,funding,skills
01234567897,Saldatura TIG,in_person,054039,2027-02-01,2027-03-15,120,12,0,gol,http://data.europa.eu/esco/skill/…`}</code>
        </pre>
        <p>
          <a href="/operatore/corsi">{t('training.op.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/corsi/importa', OPERATORS, async (req, reply) => renderImport(req.ctx, reply, []));
  routes.post('/operatore/corsi/importa', OPERATORS, async (req, reply) => {
    const ctx = req.ctx;
    const { files } = await readMultipart(req.body);
    const file = files.find((f) => f.field === 'file');
    if (!file || file.data.length === 0)
      return renderImport(ctx, reply, [], ctx.t('training.import.noFile'), 400);
    if (file.truncated) {
      const mb = Math.floor(deps.config.uploadMaxBytes / 1048576);
      return renderImport(ctx, reply, [], ctx.t('upload.tooLarge', { mb }), 400);
    }
    const r = await importCourses(deps, ctx.user!, file.data);
    if (!r.ok) return renderImport(ctx, reply, r.errors, undefined, 400);
    return reply.redirect(`/operatore/corsi?ok=imported&n=${r.imported}`, 303);
  });
}
