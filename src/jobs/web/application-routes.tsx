import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type CvDocument, validateCv } from '../../cv/domain/cv.ts';
import { pdfSections } from '../../cv/web/cv-format.ts';
import type { EmployerDeps, WireOptions } from '../../employers/deps.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { actionsFrom, EMPLOYER_ACTIONS, hireStartDate, todayInRome } from '../domain/applications.ts';
import {
  apply,
  decide,
  MAX_MESSAGE,
  myApplications,
  openApplication,
  vacancyApplications,
  withdraw,
} from '../use-cases/applications.ts';
import { formatDate, formatDateTime, str } from './shared.tsx';
import { renderVacancyPage } from './vacancy-page.tsx';

const text = (max: number) =>
  z.string().max(max, 'errors.tooLong').regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');

const ApplyForm = z.object({ messaggio: text(MAX_MESSAGE).optional().default('') });
const DecideForm = z.object({
  azione: z.enum(EMPLOYER_ACTIONS, { message: 'errors.choose' }),
  nota: text(1000).optional().default(''),
  inizio: z.string().max(20, 'errors.tooLong').optional().default(''),
});

/** The CV snapshot, section by section (the same wording as the CV's PDF). */
function CvView({ req, snapshot }: { req: FastifyRequest; snapshot: unknown }) {
  const { t, lang } = req.ctx;
  const checked = validateCv(snapshot);
  const cv = (checked.ok ? checked.cv : snapshot) as CvDocument;
  let sections: ReturnType<typeof pdfSections> = [];
  try {
    sections = pdfSections(t, lang, cv);
  } catch {
    sections = [];
  }
  const name = `${cv?.personal?.givenName ?? ''} ${cv?.personal?.familyName ?? ''}`.trim();
  return (
    <>
      {name && <p class="lead">{name}</p>}
      {sections.length === 0 && <p>{t('jobs.employer.emptyCv')}</p>}
      {sections.map((s) => (
        <section>
          <h3 class="h5">{s.heading}</h3>
          {(s.paragraphs ?? []).map((p) => (
            <p>{p}</p>
          ))}
          {(s.entries ?? []).length > 0 && (
            <ul>
              {(s.entries ?? []).map((e) => (
                <li>
                  <strong>{e.heading}</strong>
                  {e.lines.filter(Boolean).map((l) => (
                    <span class="d-block">{l}</span>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

/** Routes (and jobs, when options.worker) of this part of the jobs context. */
export async function wireApplications(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {
  const { db } = deps;

  routes.post('/offerte/:id/candidatura', ['citizen'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const { t } = req.ctx;
    const user = req.ctx.user!;
    const form = parseForm(ApplyForm, req.body, t);
    if (!form.ok)
      return renderVacancyPage(deps, req, reply, id, { errors: form.errors, values: form.values }, 400);
    const r = await apply(deps, user, id, form.data.messaggio);
    if (r.result === 'not_found') return reply.callNotFound();
    if (r.result === 'ok') return reply.redirect('/candidature?ok=sent', 303);
    if (r.result === 'already')
      return renderVacancyPage(
        deps,
        req,
        reply,
        id,
        { alert: t('jobs.apply.errors.already'), values: form.values },
        409,
      );
    return renderVacancyPage(
      deps,
      req,
      reply,
      id,
      { alert: t('jobs.apply.errors.noCv'), alertLinkToCv: true, values: form.values },
      400,
    );
  });

  routes.get(
    '/candidature',
    ['citizen'],
    async (req, reply) => {
      const ctx = req.ctx;
      const { t } = ctx;
      const rows = await myApplications(db, ctx.user!);
      const ok = str(req.query, 'ok');
      return sendPage(
        reply,
        <Layout ctx={ctx} title={t('jobs.mine.title')}>
          <h1>{t('jobs.mine.title')}</h1>
          {ok === 'sent' && <Notice kind="success">{t('jobs.mine.sent')}</Notice>}
          {ok === 'withdrawn' && <Notice kind="success">{t('jobs.mine.withdrawn')}</Notice>}
          {ok === 'closed' && <Notice kind="info">{t('jobs.mine.closed')}</Notice>}
          {rows.length === 0 ? (
            <p>
              {t('jobs.mine.none')} <a href="/offerte">{t('jobs.mine.search')}</a>
            </p>
          ) : (
            <ul class="list-unstyled">
              {rows.map((r) => (
                <li class="card card-body mb-3">
                  <h2 class="h5">{r.live ? <a href={`/offerte/${r.vacancy_id}`}>{r.title}</a> : r.title}</h2>
                  <p class="mb-1">{r.company_name}</p>
                  <p class="mb-1">
                    <strong>{t('jobs.mine.status', { status: t(`jobs.status.${r.status}`) })}</strong>
                  </p>
                  <p class="mb-1 small">{t('jobs.mine.history')}</p>
                  <ol class="small">
                    {r.events.map((e) => (
                      <li>
                        {`${formatDateTime(ctx, e.at)} — ${t(`jobs.status.${e.status}`)}`}
                        {e.note ? ` — ${e.note}` : ''}
                      </li>
                    ))}
                  </ol>
                  {['sent', 'viewed', 'interview'].includes(r.status) && (
                    <form method="post" action={`/candidature/${r.id}/ritira`}>
                      <CsrfField ctx={ctx} />
                      <button type="submit" class="btn btn-outline-primary btn-sm">
                        {t('jobs.mine.withdraw')}
                        <span class="visually-hidden">{`: ${r.title}`}</span>
                      </button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/offerte">{t('jobs.mine.search')}</a>
          </p>
        </Layout>,
      );
    },
    true,
  );

  routes.post('/candidature/:id/ritira', ['citizen'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const r = await withdraw(deps, req.ctx.user!, id);
    if (r === 'not_found') return reply.callNotFound();
    return reply.redirect(`/candidature?ok=${r === 'ok' ? 'withdrawn' : 'closed'}`, 303);
  });

  routes.get(
    '/azienda/offerte/:id/candidature',
    ['employer'],
    async (req, reply) => {
      const ctx = req.ctx;
      const { t } = ctx;
      const { id } = req.params as { id: string };
      const list = await vacancyApplications(deps, ctx.user!, id);
      if (!list) return reply.callNotFound();
      const title = t('jobs.employer.listTitle', { title: list.vacancy.title });
      return sendPage(
        reply,
        <Layout ctx={ctx} title={title} wide>
          <h1>{title}</h1>
          {list.rows.length === 0 ? (
            <p>{t('jobs.employer.none')}</p>
          ) : (
            <div class="table-responsive">
              <table class="table">
                <caption class="visually-hidden">{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('jobs.employer.person')}</th>
                    <th scope="col">{t('jobs.employer.received')}</th>
                    <th scope="col">{t('jobs.employer.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.rows.map((r) => (
                    <tr>
                      <th scope="row">
                        <a href={`/azienda/candidature/${r.id}`}>{`${r.given_name} ${r.family_name}`}</a>
                      </th>
                      <td>{formatDate(ctx, r.created_at)}</td>
                      <td>{t(`jobs.status.${r.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p>
            <a href="/azienda/offerte">{t('jobs.employer.backToVacancies')}</a>
          </p>
        </Layout>,
      );
    },
    true,
  );

  const renderApplication = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state: { errors?: FieldErrors; values?: FormValues } = {},
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const a = await openApplication(deps, ctx.user!, id);
    if (!a) return reply.callNotFound();
    const title = t('jobs.employer.detailTitle', { name: `${a.given_name} ${a.family_name}` });
    const errors = state.errors ?? {};
    const values = state.values ?? {};
    const ok = str(req.query, 'ok');
    const actions = actionsFrom(a.status);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        {(EMPLOYER_ACTIONS as readonly string[]).includes(ok) && (
          <Notice kind="success">{t('jobs.employer.updated', { status: t(`jobs.status.${ok}`) })}</Notice>
        )}
        <ErrorSummary ctx={ctx} errors={errors} />
        <dl class="sl-dl">
          <dt>{t('jobs.employer.vacancy')}</dt>
          <dd>
            <a href={`/azienda/offerte/${a.vacancy_id}/candidature`}>{a.title}</a>
          </dd>
          <dt>{t('jobs.employer.received')}</dt>
          <dd>{formatDateTime(ctx, a.created_at)}</dd>
          <dt>{t('jobs.employer.status')}</dt>
          <dd>{t(`jobs.status.${a.status}`)}</dd>
          <dt>{t('jobs.employer.message')}</dt>
          <dd>{a.message ?? t('jobs.employer.noMessage')}</dd>
        </dl>
        <h2 class="h4">{t('jobs.employer.history')}</h2>
        <ol>
          {a.events.map((e) => (
            <li>
              {`${formatDateTime(ctx, e.at)} — ${t(`jobs.status.${e.status}`)}`}
              {e.note ? ` — ${e.note}` : ''}
            </li>
          ))}
        </ol>
        <h2 class="h4">{t('jobs.employer.cv', { version: a.cv_version })}</h2>
        <CvView req={req} snapshot={a.cv_snapshot} />
        <h2 class="h4">{t('jobs.employer.actionsHeading')}</h2>
        {actions.length === 0 ? (
          <p>{t('jobs.employer.noActions')}</p>
        ) : (
          <form method="post" action={`/azienda/candidature/${a.id}/stato`}>
            <CsrfField ctx={ctx} />
            <fieldset class="mb-4" aria-describedby={errors.azione ? 'azione-error' : undefined}>
              <legend class="sl-label">{t('jobs.employer.action')}</legend>
              {actions.map((act, i) => (
                <div class="form-check">
                  <input
                    class="form-check-input"
                    type="radio"
                    name="azione"
                    id={i === 0 ? 'azione' : `azione-${act}`}
                    value={act}
                    checked={values.azione === act}
                  />
                  <label class="form-check-label" for={i === 0 ? 'azione' : `azione-${act}`}>
                    {t(`jobs.employer.actions.${act}`)}
                  </label>
                </div>
              ))}
              {errors.azione && (
                <div id="azione-error" class="sl-field-error">
                  {errors.azione}
                </div>
              )}
            </fieldset>
            <TextArea
              name="nota"
              label={t('jobs.employer.note')}
              hint={t('jobs.employer.noteHint')}
              values={values}
              errors={errors}
              rows={3}
              maxLength={1000}
            />
            <TextField
              name="inizio"
              type="date"
              label={t('jobs.employer.startDate')}
              hint={t('jobs.employer.startDateHint')}
              values={values}
              errors={errors}
            />
            <button type="submit" class="btn btn-primary">
              {t('jobs.employer.submit')}
            </button>
          </form>
        )}
      </Layout>,
      status,
    );
  };

  routes.get(
    '/azienda/candidature/:id',
    ['employer'],
    async (req, reply) => {
      const { id } = req.params as { id: string };
      return renderApplication(req, reply, id);
    },
    true,
  );

  routes.post('/azienda/candidature/:id/stato', ['employer'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const { t } = req.ctx;
    const form = parseForm(DecideForm, req.body, t);
    if (!form.ok) return renderApplication(req, reply, id, { errors: form.errors, values: form.values }, 400);
    const start = hireStartDate(form.data.azione === 'hired' ? form.data.inizio : '', todayInRome());
    if (!start.ok)
      return renderApplication(
        req,
        reply,
        id,
        { errors: { inizio: t(start.error) }, values: form.values },
        400,
      );
    const note = form.data.nota.trim() === '' ? null : form.data.nota.trim();
    const r = await decide(deps, req.ctx.user!, id, form.data.azione, note, start.day);
    if (r.result === 'not_found') return reply.callNotFound();
    if (r.result === 'wrong_status')
      return renderApplication(
        req,
        reply,
        id,
        { errors: { azione: t('jobs.employer.errors.wrongStatus') }, values: form.values },
        409,
      );
    return reply.redirect(`/azienda/candidature/${id}?ok=${form.data.azione}`, 303);
  });
}
