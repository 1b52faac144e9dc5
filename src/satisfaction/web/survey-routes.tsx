import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { Notice } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  pendingSurveys,
  recordAnswer,
  type Survey,
  surveyByToken,
  surveyOfRespondent,
} from '../use-cases/answers.ts';
import { describeService } from '../use-cases/describe.ts';
import type { SatisfactionDeps } from '../use-cases/invitations.ts';
import { parseAnswer, SurveyForm } from './survey-form.tsx';

type Problem = 'unknown' | 'answered' | 'expired';
const STATUS: Record<Problem, number> = { unknown: 404, answered: 409, expired: 410 };

/** A link that cannot be used (unknown, already answered, expired): said plainly, never an error page. */
function linkProblem(reply: FastifyReply, ctx: RequestContext, reason: Problem, signedInPage = false) {
  const { t } = ctx;
  const title = t(`satisfaction.link.${reason}Title`);
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{t(`satisfaction.link.${reason}`)}</p>
      <p>
        {signedInPage ? (
          <a href="/valutazioni">{t('satisfaction.page.back')}</a>
        ) : (
          <a href="/">{t('errors.backHome')}</a>
        )}
      </p>
    </Layout>,
    STATUS[reason],
  );
}

function surveyPage(
  reply: FastifyReply,
  ctx: RequestContext,
  survey: Survey,
  action: string,
  form: {
    values: Record<string, string | undefined>;
    errors: Record<string, string | undefined>;
    problems: string[];
  },
  hidden?: Record<string, string>,
  status = 200,
) {
  const { t, lang } = ctx;
  const title = t('satisfaction.form.title');
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <SurveyForm
        ctx={ctx}
        action={action}
        about={describeService(t, lang, survey)}
        values={form.values}
        errors={form.errors}
        problems={form.problems}
        {...(hidden ? { hidden } : {})}
      />
    </Layout>,
    status,
  );
}

const EMPTY = { values: {}, errors: {}, problems: [] };

/**
 * The survey by its single-use link (no sign-in) at /valuta/<token>, and in the signed-in page for
 * people and company users at /valutazioni (their open surveys; one at a time with ?invito=<id>).
 */
export function registerSurveyRoutes(routes: RouteCatalogue, deps: SatisfactionDeps): void {
  routes.get('/valuta/grazie', 'public', async (req, reply) => {
    const { t } = req.ctx;
    const title = t('satisfaction.thanks.title');
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={title}>
        <h1>{title}</h1>
        <p class="lead">{t('satisfaction.thanks.body')}</p>
        <p>
          <a href="/">{t('errors.backHome')}</a>
        </p>
      </Layout>,
    );
  });

  routes.get(
    '/valuta/:token',
    'public',
    async (req, reply) => {
      const { token } = req.params as { token: string };
      const found = await surveyByToken(deps.db, token, new Date());
      if (!found.ok) return linkProblem(reply, req.ctx, found.reason);
      return surveyPage(reply, req.ctx, found.survey, `/valuta/${token}`, EMPTY);
    },
    true,
  );

  routes.post('/valuta/:token', 'public', async (req, reply) => {
    const { token } = req.params as { token: string };
    const now = new Date();
    const found = await surveyByToken(deps.db, token, now);
    if (!found.ok) return linkProblem(reply, req.ctx, found.reason);
    const parsed = parseAnswer(req.body, req.ctx.t);
    if (!parsed.ok)
      return surveyPage(reply, req.ctx, found.survey, `/valuta/${token}`, parsed, undefined, 400);
    const saved = await recordAnswer(deps.db, found.survey, parsed.answer, 'link', now);
    if (!saved.ok) return linkProblem(reply, req.ctx, saved.reason);
    return reply.redirect('/valuta/grazie', 303);
  });

  routes.get('/valutazioni', ['citizen', 'employer'], async (req, reply) => {
    const ctx = req.ctx;
    const { t, lang } = ctx;
    const user = ctx.user!;
    const q = req.query as Record<string, unknown>;
    const now = new Date();
    if (typeof q.invito === 'string') {
      const found = await surveyOfRespondent(deps.db, user, q.invito, now);
      if (!found.ok) return linkProblem(reply, ctx, found.reason, true);
      return surveyPage(reply, ctx, found.survey, '/valutazioni', EMPTY, { invito: found.survey.id });
    }
    const pending = await pendingSurveys(deps.db, user, now);
    const title = t('satisfaction.page.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        {q.ok === 'inviata' && <Notice kind="success">{t('satisfaction.page.sent')}</Notice>}
        <p class="lead">{t('satisfaction.page.intro')}</p>
        {pending.length === 0 ? (
          <p>{t('satisfaction.page.none')}</p>
        ) : (
          <ul class="list-group mb-4">
            {pending.map((s) => (
              <li class="list-group-item">
                <a href={`/valutazioni?invito=${s.id}`}>
                  {t('satisfaction.page.answerAbout', { about: describeService(t, lang, s) })}
                </a>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  routes.post('/valutazioni', ['citizen', 'employer'], async (req, reply) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const now = new Date();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const invitation = typeof body.invito === 'string' ? body.invito : '';
    const found = await surveyOfRespondent(deps.db, user, invitation, now);
    if (!found.ok) return linkProblem(reply, ctx, found.reason, true);
    const parsed = parseAnswer(req.body, ctx.t);
    if (!parsed.ok)
      return surveyPage(reply, ctx, found.survey, '/valutazioni', parsed, { invito: found.survey.id }, 400);
    const saved = await recordAnswer(deps.db, found.survey, parsed.answer, 'page', now);
    if (!saved.ok) return linkProblem(reply, ctx, saved.reason, true);
    return reply.redirect('/valutazioni?ok=inviata', 303);
  });
}
