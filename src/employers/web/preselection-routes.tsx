import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
  TextArea,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { EmployerDeps, WireOptions } from '../deps.ts';
import {
  addCandidate,
  answerConsent,
  askConsent,
  candidateCv,
  citizenInvitation,
  employerRequest,
  employerRequests,
  employerShortlist,
  officesOf,
  operatorRequest,
  operatorRequests,
  publishedVacanciesOf,
  type RequestRow,
  rateShortlist,
  requestShortlist,
  sendShortlist,
  shortlistOf,
  suggestions,
  takeRequest,
  validateCv,
} from '../use-cases/preselection.ts';
import { CvView } from './preselection-cv.tsx';

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
    .default('');

function date(ctx: RequestContext, d: Date | null): string {
  if (!d) return '';
  return dateTimeFormat(ctx.lang, { dateStyle: 'medium', timeZone: 'Europe/Rome' }).format(d);
}

function RequestFacts({ ctx, r }: { ctx: RequestContext; r: RequestRow }) {
  const { t } = ctx;
  return (
    <dl class="sl-dl">
      <dt>{t('preselection.company')}</dt>
      <dd>{r.company}</dd>
      <dt>{t('preselection.vacancy')}</dt>
      <dd>{r.vacancy}</dd>
      <dt>{t('preselection.office')}</dt>
      <dd>{r.office}</dd>
      <dt>{t('preselection.statusLabel')}</dt>
      <dd>{t(`preselection.status.${r.status}`)}</dd>
      <dt>{t('preselection.requestedOn')}</dt>
      <dd>{date(ctx, r.created_at)}</dd>
      {r.note && (
        <>
          <dt>{t('preselection.note')}</dt>
          <dd>{r.note}</dd>
        </>
      )}
    </dl>
  );
}

function RequestsTable({ ctx, rows, base }: { ctx: RequestContext; rows: RequestRow[]; base: string }) {
  const { t } = ctx;
  if (rows.length === 0) return <p>{t('preselection.noRequests')}</p>;
  return (
    <div class="table-responsive">
      <table class="table">
        <caption class="visually-hidden">{t('preselection.requestsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('preselection.vacancy')}</th>
            <th scope="col">{t('preselection.company')}</th>
            <th scope="col">{t('preselection.office')}</th>
            <th scope="col">{t('preselection.statusLabel')}</th>
            <th scope="col">{t('preselection.requestedOn')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">
                <a href={`${base}/${r.id}`}>{r.vacancy}</a>
              </th>
              <td>{r.company}</td>
              <td>{r.office}</td>
              <td>{t(`preselection.status.${r.status}`)}</td>
              <td>{date(ctx, r.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export async function wirePreselection(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {
  const { db } = deps;

  // ── Employer: ask for a shortlist, read it, rate it ──────────────────────────────────────────
  const employerList = async (
    ctx: RequestContext,
    values: FormValues = {},
    errors: FieldErrors = {},
    notice?: string,
  ) => {
    const { t } = ctx;
    const user = ctx.user!;
    const [vacancies, offices, requests] = await Promise.all([
      publishedVacanciesOf(db, user),
      officesOf(db, user.regionCode),
      employerRequests(db, user),
    ]);
    return (
      <Layout ctx={ctx} title={t('preselection.employerTitle')}>
        <h1>{t('preselection.employerTitle')}</h1>
        {notice && <Notice kind="success">{notice}</Notice>}
        <p>{t('preselection.employerIntro')}</p>
        <section aria-labelledby="ask-heading" class="mb-5">
          <h2 id="ask-heading" class="h4">
            {t('preselection.ask')}
          </h2>
          {vacancies.length === 0 ? (
            <p>{t('preselection.noPublished')}</p>
          ) : (
            <>
              <ErrorSummary ctx={ctx} errors={errors} />
              <form method="post" action="/azienda/preselezioni" novalidate>
                <CsrfField ctx={ctx} />
                <SelectField
                  name="vacancy"
                  label={t('preselection.vacancy')}
                  values={values}
                  errors={errors}
                  options={[
                    { value: '', label: t('preselection.choose') },
                    ...vacancies.map((v) => ({ value: v.id, label: v.title })),
                  ]}
                />
                <SelectField
                  name="office"
                  label={t('preselection.office')}
                  values={values}
                  errors={errors}
                  options={[
                    { value: '', label: t('preselection.choose') },
                    ...offices.map((o) => ({ value: o.id, label: o.name })),
                  ]}
                />
                <TextArea
                  name="note"
                  label={t('preselection.note')}
                  hint={t('preselection.noteHint')}
                  values={values}
                  errors={errors}
                  maxLength={2000}
                />
                <button type="submit" class="btn btn-primary">
                  {t('preselection.send')}
                </button>
              </form>
            </>
          )}
        </section>
        <section aria-labelledby="requests-heading">
          <h2 id="requests-heading" class="h4">
            {t('preselection.yourRequests')}
          </h2>
          <RequestsTable ctx={ctx} rows={requests} base="/azienda/preselezioni" />
        </section>
      </Layout>
    );
  };

  routes.get('/azienda/preselezioni', ['employer'], async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const notice = q.ok === 'requested' ? req.ctx.t('preselection.requested') : undefined;
    return sendPage(reply, await employerList(req.ctx, {}, {}, notice));
  });

  routes.post('/azienda/preselezioni', ['employer'], async (req, reply) => {
    const { t } = req.ctx;
    const form = parseForm(
      z.object({
        vacancy: z.string().min(1, 'errors.choose'),
        office: z.string().min(1, 'errors.choose'),
        note: text(2000),
      }),
      req.body,
      t,
    );
    if (!form.ok) return sendPage(reply, await employerList(req.ctx, form.values, form.errors), 400);
    const result = await requestShortlist(deps, req.ctx.user!, {
      vacancyId: form.data.vacancy,
      officeId: form.data.office,
      note: form.data.note,
    });
    if (!result.ok)
      return sendPage(
        reply,
        await employerList(req.ctx, form.values, { [result.field]: t('errors.choose') }),
        400,
      );
    return reply.redirect('/azienda/preselezioni?ok=requested', 303);
  });

  const employerDetail = async (
    ctx: RequestContext,
    reply: FastifyReply,
    id: string,
    values: FormValues = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { t } = ctx;
    const r = await employerRequest(db, ctx.user!, id);
    if (!r) return reply.callNotFound();
    const shortlist = r.status === 'sent' ? await employerShortlist(deps, ctx.user!, r.id) : [];
    const q = ctx.url.includes('ok=rated');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('preselection.detailTitle', { vacancy: r.vacancy })}>
        <h1>{t('preselection.detailTitle', { vacancy: r.vacancy })}</h1>
        {q && <Notice kind="success">{t('preselection.rated')}</Notice>}
        {r.status === 'sent' ? (
          <ErrorSummary ctx={ctx} errors={errors} />
        ) : (
          errors.rating && (
            <div class="alert alert-danger" role="alert">
              {errors.rating}
            </div>
          )
        )}
        <RequestFacts ctx={ctx} r={r} />
        <section aria-labelledby="shortlist-heading" class="mb-5">
          <h2 id="shortlist-heading" class="h4">
            {t('preselection.shortlist')}
          </h2>
          {r.status !== 'sent' ? (
            <p>{t('preselection.notYetSent')}</p>
          ) : (
            shortlist.map((c) => (
              <article class="card mb-3">
                <div class="card-body">
                  <h3 class="h5">{`${c.given_name} ${c.family_name}`}</h3>
                  <CvView ctx={ctx} document={c.document} validated />
                </div>
              </article>
            ))
          )}
        </section>
        <section aria-labelledby="rating-heading">
          <h2 id="rating-heading" class="h4">
            {t('preselection.rating')}
          </h2>
          {r.rating !== null && (
            <p>{t('preselection.yourRating', { rating: r.rating, comment: r.rating_comment ?? '' })}</p>
          )}
          {r.status === 'sent' ? (
            <form method="post" action={`/azienda/preselezioni/${r.id}/valutazione`} novalidate>
              <CsrfField ctx={ctx} />
              <RadioGroup
                name="rating"
                label={t('preselection.ratingLabel')}
                values={values.rating ? values : { rating: r.rating ? String(r.rating) : '' }}
                errors={errors}
                options={['1', '2', '3', '4', '5'].map((n) => ({
                  value: n,
                  label: t(`preselection.stars.${n}`),
                }))}
              />
              <TextArea
                name="comment"
                label={t('preselection.ratingComment')}
                values={values.comment !== undefined ? values : { comment: r.rating_comment ?? '' }}
                errors={errors}
                maxLength={1000}
              />
              <button type="submit" class="btn btn-primary">
                {t('preselection.rate')}
              </button>
            </form>
          ) : (
            <p>{t('preselection.rateAfterSent')}</p>
          )}
        </section>
        <p class="mt-4">
          <a href="/azienda/preselezioni">{t('preselection.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/azienda/preselezioni/:id', ['employer'], async (req, reply) =>
    employerDetail(req.ctx, reply, (req.params as { id: string }).id),
  );

  routes.post('/azienda/preselezioni/:id/valutazione', ['employer'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const { t } = req.ctx;
    const form = parseForm(
      z.object({
        rating: z.enum(['1', '2', '3', '4', '5'], { message: 'errors.choose' }),
        comment: text(1000),
      }),
      req.body,
      t,
    );
    if (!form.ok) return employerDetail(req.ctx, reply, id, form.values, form.errors, 400);
    const result = await rateShortlist(deps, req.ctx.user!, id, Number(form.data.rating), form.data.comment);
    if (result === 'not_found') return reply.callNotFound();
    if (result === 'not_sent')
      return employerDetail(
        req.ctx,
        reply,
        id,
        form.values,
        { rating: t('preselection.errors.notSent') },
        400,
      );
    return reply.redirect(`/azienda/preselezioni/${id}?ok=rated`, 303);
  });

  // ── CPI operator: take, build, validate, ask consent, send ───────────────────────────────────
  routes.get('/operatore/preselezioni', ['cpi_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const rows = await operatorRequests(db, req.ctx.user!);
    const mine = rows.filter((r) => r.office_id === req.ctx.user!.officeId);
    const others = rows.filter((r) => r.office_id !== req.ctx.user!.officeId);
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('preselection.operatorTitle')} wide>
        <h1>{t('preselection.operatorTitle')}</h1>
        <section aria-labelledby="mine-heading" class="mb-5">
          <h2 id="mine-heading" class="h4">
            {t('preselection.myOffice')}
          </h2>
          <RequestsTable ctx={req.ctx} rows={mine} base="/operatore/preselezioni" />
        </section>
        <section aria-labelledby="others-heading">
          <h2 id="others-heading" class="h4">
            {t('preselection.otherOffices')}
          </h2>
          <RequestsTable ctx={req.ctx} rows={others} base="/operatore/preselezioni" />
        </section>
      </Layout>,
    );
  });

  const NOTICES: Record<string, string> = {
    taken: 'preselection.notices.taken',
    added: 'preselection.notices.added',
    validated: 'preselection.notices.validated',
    asked: 'preselection.notices.asked',
    sent: 'preselection.notices.sent',
  };

  const operatorDetail = async (
    ctx: RequestContext,
    reply: FastifyReply,
    id: string,
    error?: string,
    status = 200,
  ) => {
    const { t } = ctx;
    const user = ctx.user!;
    const r = await operatorRequest(db, user, id);
    if (!r) return reply.callNotFound();
    const list = await shortlistOf(db, user.regionCode, r.id);
    await deps.audit.recordReads(
      user,
      'shortlist_candidate',
      'preselection',
      list.map((c) => ({ subjectId: c.citizen_id, objectId: r.id })),
    );
    const inList = new Set(list.map((c) => c.citizen_id));
    const suggested =
      r.status === 'in_progress'
        ? (await suggestions(deps, user, r.id, r.vacancy_id, ctx.lang)).filter(
            (s) => !inList.has(s.citizenId),
          )
        : [];
    const ok = new URL(ctx.url, 'http://x').searchParams.get('ok') ?? '';
    const base = `/operatore/preselezioni/${r.id}`;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('preselection.detailTitle', { vacancy: r.vacancy })} wide>
        <h1>{t('preselection.detailTitle', { vacancy: r.vacancy })}</h1>
        {NOTICES[ok] && <Notice kind="success">{t(NOTICES[ok])}</Notice>}
        {error && (
          <div class="alert alert-danger" role="alert" id="error-summary" tabindex={-1}>
            {error}
          </div>
        )}
        <RequestFacts ctx={ctx} r={r} />
        {r.status === 'requested' && (
          <form method="post" action={`${base}/prendi`}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="btn btn-primary">
              {t('preselection.take')}
            </button>
          </form>
        )}
        {r.status !== 'requested' && (
          <section aria-labelledby="list-heading" class="mb-5">
            <h2 id="list-heading" class="h4">
              {t('preselection.shortlist')}
            </h2>
            {list.length === 0 ? (
              <p>{t('preselection.emptyShortlist')}</p>
            ) : (
              <div class="table-responsive">
                <table class="table">
                  <caption class="visually-hidden">{t('preselection.shortlist')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('preselection.person')}</th>
                      <th scope="col">{t('preselection.score')}</th>
                      <th scope="col">{t('preselection.cv')}</th>
                      <th scope="col">{t('preselection.consent')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((c) => (
                      <tr>
                        <th scope="row">
                          <a
                            href={`${base}/candidati/${c.citizen_id}`}
                          >{`${c.given_name} ${c.family_name}`}</a>
                        </th>
                        <td>{c.score}</td>
                        <td>
                          {!c.has_cv
                            ? t('preselection.noCv')
                            : c.cv_validated
                              ? t('preselection.cvValidated')
                              : t('preselection.cvToCheck')}
                        </td>
                        <td>{t(`preselection.consentStatus.${c.consent}`)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {r.status === 'in_progress' && (
              <ul class="sl-inline-list">
                <li>
                  <form method="post" action={`${base}/consenso`}>
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="btn btn-outline-primary">
                      {t('preselection.askConsent')}
                    </button>
                  </form>
                </li>
                <li>
                  <form method="post" action={`${base}/invia`}>
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="btn btn-primary">
                      {t('preselection.sendToCompany')}
                    </button>
                  </form>
                </li>
              </ul>
            )}
          </section>
        )}
        {r.status === 'in_progress' && (
          <section aria-labelledby="suggested-heading">
            <h2 id="suggested-heading" class="h4">
              {t('preselection.suggested')}
            </h2>
            <p>{t('preselection.onlyVisible')}</p>
            {suggested.length === 0 ? (
              <p>{t('preselection.noSuggestions')}</p>
            ) : (
              <div class="table-responsive">
                <table class="table">
                  <caption class="visually-hidden">{t('preselection.suggested')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('preselection.person')}</th>
                      <th scope="col">{t('preselection.score')}</th>
                      <th scope="col">{t('preselection.distance')}</th>
                      <th scope="col">{t('preselection.skillsMet')}</th>
                      <th scope="col">{t('preselection.skillsMissing')}</th>
                      <th scope="col">{t('preselection.action')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {suggested.map((s) => (
                      <tr>
                        <th scope="row">{`${s.person.given_name} ${s.person.family_name}`}</th>
                        <td>{s.score}</td>
                        <td>
                          {s.explanation?.distanceKm == null
                            ? t('preselection.unknownDistance')
                            : t('preselection.km', { km: s.explanation.distanceKm })}
                        </td>
                        <td>{s.explanation?.skillsMet.map((k) => k.label).join(', ') || '—'}</td>
                        <td>{s.explanation?.skillsMissing.map((k) => k.label).join(', ') || '—'}</td>
                        <td>
                          <form method="post" action={`${base}/candidati`}>
                            <CsrfField ctx={ctx} />
                            <input type="hidden" name="citizen" value={s.citizenId} />
                            <button
                              type="submit"
                              class="btn btn-outline-primary btn-sm"
                              aria-label={t('preselection.addNamed', {
                                name: `${s.person.given_name} ${s.person.family_name}`,
                              })}
                            >
                              {t('preselection.add')}
                            </button>
                          </form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        )}
        <p class="mt-4">
          <a href="/operatore/preselezioni">{t('preselection.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/preselezioni/:id', ['cpi_operator'], async (req, reply) =>
    operatorDetail(req.ctx, reply, (req.params as { id: string }).id),
  );

  const ERRORS = {
    state: 'preselection.errors.state',
    not_visible: 'preselection.errors.notVisible',
    no_cv: 'preselection.errors.noCv',
    none_validated: 'preselection.errors.noneValidated',
    none_consented: 'preselection.errors.noneConsented',
  } as const;

  const afterAction = async (
    req: { ctx: RequestContext },
    reply: FastifyReply,
    id: string,
    result: string,
    ok: string,
    back?: string,
  ) => {
    if (result === 'ok') return reply.redirect(back ?? `/operatore/preselezioni/${id}?ok=${ok}`, 303);
    if (result === 'not_found') return reply.callNotFound();
    return operatorDetail(req.ctx, reply, id, req.ctx.t(ERRORS[result as keyof typeof ERRORS]), 400);
  };

  routes.post('/operatore/preselezioni/:id/prendi', ['cpi_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    return afterAction(req, reply, id, await takeRequest(deps, req.ctx.user!, id), 'taken');
  });

  routes.post('/operatore/preselezioni/:id/candidati', ['cpi_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const citizen = (req.body as Record<string, unknown> | undefined)?.citizen;
    const result = await addCandidate(deps, req.ctx.user!, id, typeof citizen === 'string' ? citizen : '');
    return afterAction(req, reply, id, result, 'added');
  });

  const cvPage = async (
    ctx: RequestContext,
    reply: FastifyReply,
    id: string,
    cid: string,
    error?: string,
  ) => {
    const { t } = ctx;
    const found = await candidateCv(deps, ctx.user!, id, cid);
    if (!found) return reply.callNotFound();
    const { request: r, candidate: c } = found;
    const name = `${c.given_name} ${c.family_name}`;
    const ok = ctx.url.includes('ok=validated');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('preselection.cvTitle', { name })}>
        <h1>{t('preselection.cvTitle', { name })}</h1>
        {ok && <Notice kind="success">{t('preselection.notices.validated')}</Notice>}
        {error && (
          <div class="alert alert-danger" role="alert">
            {error}
          </div>
        )}
        <p>{t('preselection.cvFor', { vacancy: r.vacancy, company: r.company })}</p>
        <CvView ctx={ctx} document={c.document} validated={c.cv_validated} sectionHeading="h2" />
        {r.status === 'in_progress' && c.document !== null && !c.cv_validated && (
          <form method="post" action={`/operatore/preselezioni/${r.id}/candidati/${cid}/verifica`}>
            <CsrfField ctx={ctx} />
            <p>{t('preselection.validateHint')}</p>
            <button type="submit" class="btn btn-primary">
              {t('preselection.validate')}
            </button>
          </form>
        )}
        <p class="mt-4">
          <a href={`/operatore/preselezioni/${r.id}`}>{t('preselection.backToRequest')}</a>
        </p>
      </Layout>,
      error ? 400 : 200,
    );
  };

  routes.get(
    '/operatore/preselezioni/:id/candidati/:cid',
    ['cpi_operator'],
    async (req, reply) => {
      const { id, cid } = req.params as { id: string; cid: string };
      return cvPage(req.ctx, reply, id, cid);
    },
    true,
  );

  routes.post('/operatore/preselezioni/:id/candidati/:cid/verifica', ['cpi_operator'], async (req, reply) => {
    const { id, cid } = req.params as { id: string; cid: string };
    const result = await validateCv(deps, req.ctx.user!, id, cid);
    if (result === 'ok')
      return reply.redirect(`/operatore/preselezioni/${id}/candidati/${cid}?ok=validated`, 303);
    if (result === 'not_found') return reply.callNotFound();
    return cvPage(req.ctx, reply, id, cid, req.ctx.t(ERRORS[result]));
  });

  routes.post('/operatore/preselezioni/:id/consenso', ['cpi_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const result = await askConsent(deps, req.ctx.user!, id);
    return afterAction(req, reply, id, result.ok ? 'ok' : result.error, 'asked');
  });

  routes.post('/operatore/preselezioni/:id/invia', ['cpi_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    return afterAction(req, reply, id, await sendShortlist(deps, req.ctx.user!, id), 'sent');
  });

  // ── The person: consent to send their CV to the company ──────────────────────────────────────
  const consentPage = async (
    ctx: RequestContext,
    reply: FastifyReply,
    id: string,
    values: FormValues = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { t } = ctx;
    const inv = await citizenInvitation(db, ctx.user!, id);
    if (!inv) return reply.callNotFound();
    const ok = ctx.url.includes('ok=answered');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('preselection.consentTitle')}>
        <h1>{t('preselection.consentTitle')}</h1>
        {ok && <Notice kind="success">{t(`preselection.answered.${inv.consent}`)}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t('preselection.consentIntro', { company: inv.company, vacancy: inv.vacancy })}</p>
        <p>{t('preselection.consentWhat')}</p>
        <p>
          <a href={`/offerte/${inv.vacancy_id}`}>{t('preselection.seeVacancy')}</a>
        </p>
        <p>{t('preselection.yourAnswer', { answer: t(`preselection.consentStatus.${inv.consent}`) })}</p>
        {inv.status === 'in_progress' && inv.cv_validated ? (
          <form method="post" action={`/preselezioni/${id}`} novalidate>
            <CsrfField ctx={ctx} />
            <RadioGroup
              name="answer"
              label={t('preselection.answerLabel')}
              values={values.answer ? values : { answer: inv.consent === 'pending' ? '' : inv.consent }}
              errors={errors}
              options={[
                { value: 'given', label: t('preselection.accept') },
                { value: 'refused', label: t('preselection.refuse') },
              ]}
            />
            <button type="submit" class="btn btn-primary">
              {t('preselection.saveAnswer')}
            </button>
          </form>
        ) : (
          <p>{t('preselection.closed')}</p>
        )}
      </Layout>,
      status,
    );
  };

  routes.get('/preselezioni/:id', ['citizen'], async (req, reply) =>
    consentPage(req.ctx, reply, (req.params as { id: string }).id),
  );

  routes.post('/preselezioni/:id', ['citizen'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const { t } = req.ctx;
    const form = parseForm(
      z.object({ answer: z.enum(['given', 'refused'], { message: 'errors.choose' }) }),
      req.body,
      t,
    );
    if (!form.ok) return consentPage(req.ctx, reply, id, form.values, form.errors, 400);
    const result = await answerConsent(deps, req.ctx.user!, id, form.data.answer);
    if (result === 'not_found') return reply.callNotFound();
    if (result === 'state')
      return consentPage(req.ctx, reply, id, form.values, { answer: t('preselection.errors.closed') }, 400);
    return reply.redirect(`/preselezioni/${id}?ok=answered`, 303);
  });
}
