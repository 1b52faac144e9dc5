import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { CsrfField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { DEMO_IDENTITIES } from '../adapters/demo-identities.ts';
import { DEMO_IDP_PATH, finishDemoLogin } from '../adapters/demo-identity-provider.ts';

function ChooseIdentityPage({ ctx, uid }: { ctx: RequestContext; uid: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('demoIdp.title')}>
      <h1>{t('demoIdp.title')}</h1>
      <div class="alert alert-warning" role="note">
        {t('demoIdp.warning')}
      </div>
      <form method="post" action={`${DEMO_IDP_PATH}/interaction/${uid}/login`}>
        <CsrfField ctx={ctx} />
        <fieldset>
          <legend class="h5">{t('demoIdp.choose')}</legend>
          {DEMO_IDENTITIES.map((who, i) => (
            <div class="form-check">
              <input
                class="form-check-input"
                type="radio"
                name="identity"
                id={`id-${who.id}`}
                value={who.id}
                checked={i === 0}
              />
              <label class="form-check-label" for={`id-${who.id}`}>
                {`${who.givenName} ${who.familyName} — ${who.fiscalCode}`}{' '}
                <span class="text-muted">({t(who.note)})</span>
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="btn btn-primary mt-3">
          {t('demoIdp.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** Demo mode only: the identity provider's own endpoints and its login page. */
export function registerDemoIdpRoutes(
  app: FastifyInstance,
  routes: RouteCatalogue,
  provider: Provider,
): void {
  const callback = provider.callback();
  // The provider reads request bodies itself: give it the raw stream in a context without body parsers.
  app.register(async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    instance.all(`${DEMO_IDP_PATH}/*`, { config: { bare: true } }, async (req, reply) => {
      reply.hijack();
      // oidc-provider learns its mount path from originalUrl (as under Express), then routes on url.
      (req.raw as typeof req.raw & { originalUrl?: string }).originalUrl = req.raw.url;
      req.raw.url = req.raw.url?.slice(DEMO_IDP_PATH.length) || '/';
      callback(req.raw, reply.raw);
    });
  });

  routes.get(`${DEMO_IDP_PATH}/interaction/:uid`, 'public', async (req, reply) => {
    const { uid } = req.params as { uid: string };
    try {
      await provider.interactionDetails(req.raw, reply.raw);
    } catch {
      return reply.redirect('/accedi', 303);
    }
    return sendPage(reply, ChooseIdentityPage({ ctx: req.ctx, uid }));
  });

  routes.post(`${DEMO_IDP_PATH}/interaction/:uid/login`, 'public', async (req, reply) => {
    const body = req.body as Record<string, unknown> | undefined;
    const identity = typeof body?.identity === 'string' ? body.identity : '';
    if (!DEMO_IDENTITIES.some((i) => i.id === identity))
      return reply.redirect(req.url.replace(/\/login$/, ''), 303);
    try {
      reply.hijack();
      await finishDemoLogin(provider, req.raw, reply.raw, identity);
    } catch {
      reply.raw.statusCode = 303;
      reply.raw.setHeader('Location', '/accedi');
      reply.raw.end();
    }
    return reply;
  });
}
