import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import { formValues } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { CsrfField, ErrorSummary, Notice, RadioGroup } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  type CampaignDeps,
  receivesCampaigns,
  recordClick,
  setReceivesCampaigns,
  unsubscribe,
  unsubscribeState,
} from '../use-cases/campaigns.ts';

type Problem = 'unknown' | 'used';
const STATUS: Record<Problem, number> = { unknown: 404, used: 410 };

function simplePage(reply: FastifyReply, ctx: RequestContext, title: string, body: string, status: number) {
  const { t } = ctx;
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{body}</p>
      <p>
        {ctx.user?.role === 'citizen' ? (
          <a href="/preferenze/comunicazioni">{t('campaigns.unsubscribe.manage')}</a>
        ) : (
          <a href="/">{t('errors.backHome')}</a>
        )}
      </p>
    </Layout>,
    status,
  );
}

const linkProblem = (reply: FastifyReply, ctx: RequestContext, reason: Problem) =>
  simplePage(
    reply,
    ctx,
    ctx.t(`campaigns.unsubscribe.${reason}Title`),
    ctx.t(`campaigns.unsubscribe.${reason}`),
    STATUS[reason],
  );

/**
 * What the people who receive a campaign use, without signing in: the tracked link (/c/<token>,
 * recorded then redirected to an internal page only) and the single-use unsubscribe link; and the
 * signed-in person's own setting at /preferenze/comunicazioni.
 */
export function registerPublicCampaignRoutes(routes: RouteCatalogue, deps: CampaignDeps): void {
  routes.get(
    '/c/:token',
    'public',
    async (req, reply) => {
      const { token } = req.params as { token: string };
      const to = await recordClick(deps.db, token, new Date());
      if (!to)
        return simplePage(
          reply,
          req.ctx,
          req.ctx.t('campaigns.click.unknownTitle'),
          req.ctx.t('campaigns.click.unknown'),
          404,
        );
      return reply.redirect(to, 303);
    },
    true,
  );

  routes.get('/campagne/disiscriviti/fatto', 'public', async (req, reply) =>
    simplePage(
      reply,
      req.ctx,
      req.ctx.t('campaigns.unsubscribe.doneTitle'),
      req.ctx.t('campaigns.unsubscribe.done'),
      200,
    ),
  );

  routes.get(
    '/campagne/disiscriviti/:token',
    'public',
    async (req, reply) => {
      const ctx = req.ctx;
      const { token } = req.params as { token: string };
      const state = await unsubscribeState(deps.db, token);
      if (state !== 'valid') return linkProblem(reply, ctx, state);
      const title = ctx.t('campaigns.unsubscribe.title');
      return sendPage(
        reply,
        <Layout ctx={ctx} title={title}>
          <h1>{title}</h1>
          <p class="lead">{ctx.t('campaigns.unsubscribe.lead')}</p>
          <form method="post" action={`/campagne/disiscriviti/${token}`}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="btn btn-primary">
              {ctx.t('campaigns.unsubscribe.button')}
            </button>
          </form>
        </Layout>,
      );
    },
    true,
  );

  routes.post('/campagne/disiscriviti/:token', 'public', async (req, reply) => {
    const { token } = req.params as { token: string };
    const state = await unsubscribe(deps, token, new Date());
    if (state !== 'valid') return linkProblem(reply, req.ctx, state);
    return reply.redirect('/campagne/disiscriviti/fatto', 303);
  });

  const prefsPage = async (
    reply: FastifyReply,
    ctx: RequestContext,
    values: Record<string, string | undefined>,
    errors: Record<string, string | undefined>,
    saved: boolean,
    status = 200,
  ) => {
    const { t } = ctx;
    const title = t('campaigns.prefs.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        {saved && <Notice kind="success">{t('campaigns.prefs.saved')}</Notice>}
        <p class="lead">{t('campaigns.prefs.lead')}</p>
        <form method="post" action="/preferenze/comunicazioni" novalidate>
          <CsrfField ctx={ctx} />
          <RadioGroup
            name="campagne"
            label={t('campaigns.prefs.legend')}
            values={values}
            errors={errors}
            options={[
              { value: 'si', label: t('campaigns.prefs.yes') },
              { value: 'no', label: t('campaigns.prefs.no') },
            ]}
          />
          <button type="submit" class="btn btn-primary">
            {t('campaigns.prefs.save')}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  routes.get('/preferenze/comunicazioni', ['citizen'], async (req, reply) => {
    const receive = await receivesCampaigns(deps.db, req.ctx.user!);
    const q = req.query as Record<string, unknown>;
    return prefsPage(reply, req.ctx, { campagne: receive ? 'si' : 'no' }, {}, q.ok === 'salvata');
  });

  routes.post('/preferenze/comunicazioni', ['citizen'], async (req, reply) => {
    const values = formValues(req.body);
    const choice = values.campagne;
    if (choice !== 'si' && choice !== 'no')
      return prefsPage(reply, req.ctx, values, { campagne: req.ctx.t('errors.choose') }, false, 400);
    await setReceivesCampaigns(deps, req.ctx.user!, choice === 'si');
    return reply.redirect('/preferenze/comunicazioni?ok=salvata', 303);
  });
}
