import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { CsrfField, ErrorSummary, type FieldErrors, Notice, TextField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  confirmTotpEnrolment,
  describeTotp,
  pendingTotpSecret,
  startTotpEnrolment,
  type TotpSetup,
} from '../use-cases/totp-enrolment.ts';
import type { IdentityWebDeps } from './identity-routes.tsx';

type SessionRow = {
  created_at: Date;
  last_seen_at: Date;
  auth_method: string;
  user_agent: string | null;
  current: boolean;
};

function SecurityPage({
  ctx,
  totpEnabled,
  setup,
  sessions,
  errors = {},
  notice,
}: {
  ctx: RequestContext;
  totpEnabled: boolean;
  setup: TotpSetup | null;
  sessions: SessionRow[];
  errors?: FieldErrors;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const fmt = dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  return (
    <Layout ctx={ctx} title={t('security.title')}>
      <h1>{t('security.title')}</h1>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <section aria-labelledby="totp-heading" class="mb-5">
        <h2 id="totp-heading" class="h4">
          {t('security.totpHeading')}
        </h2>
        {totpEnabled && !setup ? <p>{t('security.totpOn')}</p> : <p>{t('security.totpIntro')}</p>}
        {setup ? (
          <>
            <ol>
              <li>{t('security.totpStep1')}</li>
              <li>
                {t('security.totpStep2')}
                <div class="my-3">
                  <img src={setup.qrDataUrl} alt={t('security.qrAlt')} width="200" height="200" />
                </div>
                <p>
                  {t('security.totpManual')}{' '}
                  <code class="sl-secret">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
                </p>
              </li>
              <li>{t('security.totpStep3')}</li>
            </ol>
            <form method="post" action="/account/totp/conferma" novalidate>
              <CsrfField ctx={ctx} />
              <TextField
                name="code"
                label={t('fields.code')}
                autocomplete="one-time-code"
                inputmode="numeric"
                values={{}}
                errors={errors}
                maxLength={12}
              />
              <button type="submit" class="btn btn-primary">
                {t('security.totpConfirm')}
              </button>
            </form>
          </>
        ) : (
          <form method="post" action="/account/totp/inizia">
            <CsrfField ctx={ctx} />
            <button type="submit" class="btn btn-outline-primary">
              {totpEnabled ? t('security.totpRestart') : t('security.totpStart')}
            </button>
          </form>
        )}
      </section>
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" class="h4">
          {t('security.sessionsHeading')}
        </h2>
        <table class="table">
          <caption class="visually-hidden">{t('security.sessionsHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('security.started')}</th>
              <th scope="col">{t('security.lastSeen')}</th>
              <th scope="col">{t('security.method')}</th>
              <th scope="col">{t('security.device')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td>{fmt.format(s.created_at)}</td>
                <td>
                  {fmt.format(s.last_seen_at)} {s.current && <strong>({t('security.thisSession')})</strong>}
                </td>
                <td>{s.auth_method}</td>
                <td>{(s.user_agent ?? '').slice(0, 60)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/account/esci-ovunque">
          <CsrfField ctx={ctx} />
          <button type="submit" class="btn btn-outline-primary">
            {t('security.signOutEverywhere')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function registerAccountRoutes(routes: RouteCatalogue, deps: IdentityWebDeps): void {
  async function render(
    ctx: RequestContext,
    options: { errors?: FieldErrors; notice?: string | undefined; status?: number },
  ) {
    const user = ctx.user!;
    const row = await deps.db
      .selectFrom('users')
      .select(['totp_enabled_at'])
      .where('region_code', '=', user.regionCode)
      .where('id', '=', user.id)
      .executeTakeFirst();
    const pending = await pendingTotpSecret(deps, user);
    const sessions = await deps.db
      .selectFrom('sessions')
      .select(['id_hash', 'created_at', 'last_seen_at', 'auth_method', 'user_agent'])
      .where('region_code', '=', user.regionCode)
      .where('user_id', '=', user.id)
      .where('stage', '=', 'active')
      .orderBy('last_seen_at', 'desc')
      .execute();
    const current = ctx.session?.idHash;
    return SecurityPage({
      ctx,
      totpEnabled: Boolean(row?.totp_enabled_at),
      setup: pending ? await describeTotp(pending, user) : null,
      sessions: sessions.map((s) => ({ ...s, current: Boolean(current?.equals(s.id_hash)) })),
      errors: options.errors ?? {},
      notice: options.notice,
    });
  }

  routes.get('/account/sicurezza', 'signed-in', async (req, reply) => {
    const ok = (req.query as Record<string, unknown>).ok;
    const notice = ok === 'totp' ? req.ctx.t('security.totpDone') : undefined;
    return sendPage(reply, await render(req.ctx, { notice }));
  });

  routes.post('/account/totp/inizia', 'signed-in', async (req, reply) => {
    await startTotpEnrolment(deps, req.ctx.user!);
    return reply.redirect('/account/sicurezza', 303);
  });

  routes.post('/account/totp/conferma', 'signed-in', async (req, reply) => {
    const form = parseForm(
      z.object({ code: z.string().trim().min(1, 'errors.required').max(12, 'errors.tooLong') }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) return sendPage(reply, await render(req.ctx, { errors: form.errors }), 400);
    const ok = await confirmTotpEnrolment(deps, req.ctx.user!, form.data.code);
    if (!ok)
      return sendPage(
        reply,
        await render(req.ctx, { errors: { code: req.ctx.t('code.errors.wrong') } }),
        400,
      );
    return reply.redirect('/account/sicurezza?ok=totp', 303);
  });
}
