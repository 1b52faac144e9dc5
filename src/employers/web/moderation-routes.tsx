import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SessionUser } from '../../platform/auth/session.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  TextArea,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { EmployerDeps } from '../deps.ts';
import { matchedTerms } from '../domain/wording.ts';
import {
  moderationQueue,
  publishVacancy,
  rejectVacancy,
  vacancyForModeration,
  wordingOf,
} from '../use-cases/moderation.ts';
import { type VacancyRow, vacancyEvents } from '../use-cases/vacancies.ts';
import {
  conflictPage,
  EventList,
  formatDay,
  formatTime,
  notFoundPage,
  StatusBadge,
  VacancyFacts,
} from './vacancy-view.tsx';

const OPERATOR = ['cpi_operator'] as const;

const RejectForm = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .min(10, 'vacancies.errors.reasonShort')
    .max(1000, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

/** CPI moderation of vacancies: the queue, the detail with the wording check, publish and reject. */
export function wireModeration(routes: RouteCatalogue, deps: EmployerDeps): void {
  routes.get('/operatore/offerte', OPERATOR, async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const queue = await moderationQueue(deps.db, user);
    const ok = (req.query as Record<string, unknown>).ok;
    const okKey = ok === 'published' || ok === 'rejected' ? ok : null;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('vacancies.moderation.title')} wide>
        <h1>{t('vacancies.moderation.title')}</h1>
        {okKey && <Notice kind="success">{t(`vacancies.moderation.ok.${okKey}`)}</Notice>}
        <p>{t('vacancies.moderation.intro')}</p>
        {queue.length === 0 ? (
          <p>{t('vacancies.moderation.empty')}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <caption class="visually-hidden">{t('vacancies.moderation.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('vacancies.field.title')}</th>
                  <th scope="col">{t('vacancies.field.company')}</th>
                  <th scope="col">{t('vacancies.moderation.submittedAt')}</th>
                  <th scope="col">{t('vacancies.field.expiresOn')}</th>
                  <th scope="col">{t('vacancies.moderation.check')}</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((q) => (
                  <tr>
                    <th scope="row">
                      <a href={`/operatore/offerte/${q.id}`}>{q.title}</a>
                    </th>
                    <td>{q.companyName}</td>
                    <td>{formatTime(req.ctx, q.submittedAt)}</td>
                    <td>{formatDay(req.ctx, q.expiresOn)}</td>
                    <td>{q.flagged ? t('vacancies.moderation.flagged') : t('vacancies.moderation.clean')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  const detail = async (
    req: FastifyRequest,
    reply: FastifyReply,
    v: VacancyRow,
    form: { values: FormValues; errors: FieldErrors },
    status = 200,
  ) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const matches = wordingOf(v);
    const events = await vacancyEvents(deps.db, user.regionCode, v.id);
    const terms = matchedTerms(matches);
    const values: FormValues = {
      reason:
        form.values.reason ??
        (terms.length
          ? t('vacancies.moderation.reasonPrefill', { terms: terms.map((x) => `"${x}"`).join(', ') })
          : ''),
    };
    const open = v.status === 'submitted';
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={v.title} wide>
        <h1>{v.title}</h1>
        <ErrorSummary ctx={req.ctx} errors={form.errors} />
        <p>
          {t('vacancies.view.status')}: <StatusBadge ctx={req.ctx} status={v.status} />
        </p>
        <section aria-labelledby="check-heading" class="mb-4">
          <h2 id="check-heading">{t('vacancies.moderation.check')}</h2>
          {matches.length === 0 ? (
            <p>{t('vacancies.moderation.noMatches')}</p>
          ) : (
            <div class="alert alert-danger" role="note">
              <p>{t('vacancies.moderation.blocked', { count: matches.length })}</p>
              <ul class="mb-0">
                {matches.map((m) => (
                  <li>
                    <mark>{m.text}</mark> —{' '}
                    {t(`vacancies.field.${m.field === 'safety_info' ? 'safety' : m.field}`)} ·{' '}
                    {t(`vacancies.wording.category.${m.category}`)} · {m.reference}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
        <section aria-labelledby="vacancy-heading" class="mb-4">
          <h2 id="vacancy-heading">{t('vacancies.moderation.vacancy')}</h2>
          <VacancyFacts ctx={req.ctx} v={v} matches={matches} />
        </section>
        {open && (
          <section aria-labelledby="decision-heading" class="mb-4">
            <h2 id="decision-heading">{t('vacancies.moderation.decision')}</h2>
            {matches.length === 0 ? (
              <form method="post" action={`/operatore/offerte/${v.id}/pubblica`} class="mb-4">
                <CsrfField ctx={req.ctx} />
                <button type="submit" class="btn btn-primary">
                  {t('vacancies.moderation.publish')}
                </button>
              </form>
            ) : (
              <p>{t('vacancies.moderation.cannotPublish')}</p>
            )}
            <form method="post" action={`/operatore/offerte/${v.id}/rifiuta`} novalidate>
              <CsrfField ctx={req.ctx} />
              <TextArea
                name="reason"
                label={t('vacancies.moderation.reason')}
                hint={t('vacancies.moderation.reasonHint')}
                values={values}
                errors={form.errors}
                rows={4}
                maxLength={1000}
                required
              />
              <button type="submit" class="btn btn-outline-primary">
                {t('vacancies.moderation.reject')}
              </button>
            </form>
          </section>
        )}
        <EventList ctx={req.ctx} events={events} />
        <p class="mt-4">
          <a href="/operatore/offerte">{t('vacancies.moderation.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/offerte/:id', OPERATOR, async (req, reply) => {
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const v = await vacancyForModeration(deps.db, user, id, req.ctx.lang);
    if (!v) return notFoundPage(req, reply);
    return detail(req, reply, v, { values: {}, errors: {} });
  });

  routes.post('/operatore/offerte/:id/pubblica', OPERATOR, async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const result = await publishVacancy(deps, user, id, new Date());
    if (result.ok) return reply.redirect('/operatore/offerte?ok=published', 303);
    if (result.reason === 'not_found') return notFoundPage(req, reply);
    const v = await vacancyForModeration(deps.db, user, id, req.ctx.lang);
    if (!v) return notFoundPage(req, reply);
    if (result.reason === 'wrong_status')
      return conflictPage(req, reply, t('vacancies.moderation.notSubmitted'), `/operatore/offerte/${id}`);
    const message =
      result.reason === 'blocked'
        ? t('vacancies.moderation.cannotPublish')
        : t('vacancies.moderation.expired');
    return detail(req, reply, v, { values: {}, errors: { 'check-heading': message } }, 409);
  });

  routes.post('/operatore/offerte/:id/rifiuta', OPERATOR, async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user as SessionUser;
    const { id } = req.params as { id: string };
    const v = await vacancyForModeration(deps.db, user, id, req.ctx.lang);
    if (!v) return notFoundPage(req, reply);
    const parsed = parseForm(RejectForm, req.body, t);
    if (!parsed.ok)
      return detail(
        req,
        reply,
        v,
        { values: { reason: parsed.values.reason ?? '' }, errors: parsed.errors },
        400,
      );
    const result = await rejectVacancy(deps, user, v.id, parsed.data.reason, new Date());
    if (result.ok) return reply.redirect('/operatore/offerte?ok=rejected', 303);
    if (result.reason === 'not_found') return notFoundPage(req, reply);
    return conflictPage(req, reply, t('vacancies.moderation.notSubmitted'), `/operatore/offerte/${v.id}`);
  });
}
