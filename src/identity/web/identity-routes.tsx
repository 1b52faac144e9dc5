import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { endAllSessions, endSession, SESSION_COOKIE } from '../../platform/auth/session.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { clearCookie, setCookie } from '../../platform/http/server.ts';
import { sendPage } from '../../platform/ui/render.ts';
import type { EidProvider, EidPurpose, EidRelyingParty } from '../adapters/eid-relying-party.ts';
import { confirmWithEid } from '../use-cases/confirm-with-eid.ts';
import type { Client, IdentityDeps } from '../use-cases/deps.ts';
import { requestPasswordReset, resetPassword, resetTokenIsUsable } from '../use-cases/password-reset.ts';
import { sendSignInCode, verifySignInCode } from '../use-cases/second-factor.ts';
import {
  EMPLOYER_EID_RETURN,
  EMPLOYER_LINK_RETURN,
  linkEidToEmployer,
  signInWithEid,
} from '../use-cases/sign-in-with-eid.ts';
import { signInWithPassword } from '../use-cases/sign-in-with-password.ts';
import { EidErrorPage } from './eid-error-page.tsx';
import { CodePage, ForgotPasswordPage, ResetPasswordPage, SignInPage } from './sign-in-pages.tsx';

const OIDC_STATE_COOKIE = '__Host-sl_oidc';

/** Only same-site paths: never an open redirect. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 500 ? value : '/';
}

export function clientOf(req: FastifyRequest): Client {
  return { ip: req.ip, userAgent: req.headers['user-agent'] };
}

const emailField = z
  .string()
  .trim()
  .min(1, 'errors.required')
  .max(254, 'errors.tooLong')
  .email('errors.email');

const SignInForm = z.object({
  email: emailField,
  password: z.string().min(1, 'errors.required').max(200, 'errors.tooLong'),
  next: z.string().optional(),
});

const CodeForm = z.object({
  code: z.string().trim().min(1, 'errors.required').max(12, 'errors.tooLong'),
  method: z.enum(['sms', 'totp']).default('sms'),
  next: z.string().optional(),
});

export type IdentityWebDeps = IdentityDeps & { eid: EidRelyingParty | null; defaultRegion: string };

function startSession(reply: FastifyReply, deps: IdentityWebDeps, token: string) {
  setCookie(reply, deps.config, SESSION_COOKIE, token);
}

async function codeMethodFor(
  deps: IdentityWebDeps,
  req: FastifyRequest,
): Promise<{ totp: boolean; sms: boolean }> {
  const user = req.ctx.session?.user;
  if (!user) return { totp: false, sms: false };
  const row = await deps.db
    .selectFrom('users')
    .select(['totp_enabled_at', 'phone'])
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .executeTakeFirst();
  return { totp: Boolean(row?.totp_enabled_at), sms: Boolean(row?.phone) };
}

export function registerIdentityRoutes(routes: RouteCatalogue, deps: IdentityWebDeps): void {
  routes.get('/accedi', 'public', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    if (req.ctx.user) return reply.redirect(safeNext(q.next), 303);
    const notice =
      q.ok === 'password-reset'
        ? req.ctx.t('reset.done')
        : q.ok === 'signed-out'
          ? req.ctx.t('signIn.signedOut')
          : undefined;
    return sendPage(reply, SignInPage({ ctx: req.ctx, next: safeNext(q.next), notice }));
  });

  routes.post('/accedi', 'public', async (req, reply) => {
    const { t } = req.ctx;
    const form = parseForm(SignInForm, req.body, t);
    const next = safeNext(form.values.next);
    if (!form.ok)
      return sendPage(
        reply,
        SignInPage({ ctx: req.ctx, values: form.values, errors: form.errors, next }),
        400,
      );
    const result = await signInWithPassword(deps, form.data, clientOf(req));
    if (!result.ok) {
      const message = t(`signIn.errors.${result.reason}`);
      return sendPage(
        reply,
        SignInPage({ ctx: req.ctx, values: form.values, errors: { email: message }, next }),
        result.reason === 'rate_limited' ? 429 : 400,
      );
    }
    startSession(reply, deps, result.sessionToken);
    return reply.redirect(`/accedi/codice?method=${result.method}&next=${encodeURIComponent(next)}`, 303);
  });

  routes.get('/accedi/codice', 'public', async (req, reply) => {
    const session = req.ctx.session;
    if (session?.stage !== 'second_factor') return reply.redirect('/accedi', 303);
    const q = req.query as Record<string, unknown>;
    const available = await codeMethodFor(deps, req);
    const method = q.method === 'sms' || !available.totp ? 'sms' : 'totp';
    const notice = q.sent === '1' ? req.ctx.t('code.sent') : undefined;
    return sendPage(
      reply,
      CodePage({ ctx: req.ctx, method, canUseSms: available.sms, notice, next: safeNext(q.next) }),
    );
  });

  routes.post('/accedi/codice', 'public', async (req, reply) => {
    const session = req.ctx.session;
    if (session?.stage !== 'second_factor') return reply.redirect('/accedi', 303);
    const { t } = req.ctx;
    const available = await codeMethodFor(deps, req);
    const form = parseForm(CodeForm, req.body, t);
    const method = form.values.method === 'totp' && available.totp ? 'totp' : 'sms';
    const next = safeNext(form.values.next);
    if (!form.ok)
      return sendPage(
        reply,
        CodePage({ ctx: req.ctx, method, errors: form.errors, canUseSms: available.sms, next }),
        400,
      );
    const result = await verifySignInCode(deps, session, { code: form.data.code, method }, clientOf(req));
    if (!result.ok) {
      if (result.reason === 'expired_session') return reply.redirect('/accedi', 303);
      const status = result.reason === 'wrong' ? 400 : 429;
      return sendPage(
        reply,
        CodePage({
          ctx: req.ctx,
          method,
          errors: { code: t(`code.errors.${result.reason}`) },
          canUseSms: available.sms,
          next,
        }),
        status,
      );
    }
    startSession(reply, deps, result.sessionToken);
    return reply.redirect(next, 303);
  });

  routes.post('/accedi/codice/nuovo', 'public', async (req, reply) => {
    const session = req.ctx.session;
    if (session?.stage !== 'second_factor') return reply.redirect('/accedi', 303);
    const next = safeNext((req.body as Record<string, unknown> | undefined)?.next);
    const sent = await sendSignInCode(deps, { regionCode: session.user.regionCode, userId: session.user.id });
    if (sent !== 'sent') {
      const available = await codeMethodFor(deps, req);
      return sendPage(
        reply,
        CodePage({
          ctx: req.ctx,
          method: 'sms',
          errors: { code: req.ctx.t(`code.errors.${sent}`) },
          canUseSms: available.sms,
          next,
        }),
        429,
      );
    }
    return reply.redirect(`/accedi/codice?method=sms&sent=1&next=${encodeURIComponent(next)}`, 303);
  });

  // `confirm`: a fresh SPID/CIE sign-in by a signed-in person, to confirm an action (the pact).
  const startEid =
    (provider: EidProvider, purpose: EidPurpose, fixedReturn?: string) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      if (!deps.eid) {
        return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: 'unavailable' }), 503);
      }
      const returnTo =
        fixedReturn ?? (purpose === 'confirm' ? safeNext((req.query as Record<string, unknown>).next) : null);
      try {
        const { url, state } = await deps.eid.start(provider, { purpose, returnTo });
        setCookie(reply, deps.config, OIDC_STATE_COOKIE, state, 600);
        return reply.redirect(url, 303);
      } catch (error) {
        req.log.error({ err: error }, 'identity provider unreachable');
        return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: 'unavailable' }), 503);
      }
    };
  routes.get('/accedi/spid', 'public', startEid('spid', 'sign_in'));
  routes.get('/accedi/cie', 'public', startEid('cie', 'sign_in'));
  routes.get('/accedi/conferma/spid', 'signed-in', startEid('spid', 'confirm'));
  routes.get('/accedi/conferma/cie', 'signed-in', startEid('cie', 'confirm'));
  // Company users (issue 7): sign in to the company account, or link SPID/CIE to it.
  routes.get('/accedi/azienda/spid', 'public', startEid('spid', 'sign_in', EMPLOYER_EID_RETURN));
  routes.get('/accedi/azienda/cie', 'public', startEid('cie', 'sign_in', EMPLOYER_EID_RETURN));
  routes.get('/accedi/collega/spid', ['employer'], startEid('spid', 'confirm', EMPLOYER_LINK_RETURN));
  routes.get('/accedi/collega/cie', ['employer'], startEid('cie', 'confirm', EMPLOYER_LINK_RETURN));

  routes.get('/accedi/eid/callback', 'public', async (req, reply) => {
    if (!deps.eid) return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: 'unavailable' }), 503);
    const current = new URL(req.url, deps.config.publicUrl);
    if (current.searchParams.get('error')) {
      return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: 'cancelled' }), 400);
    }
    let identity: Awaited<ReturnType<EidRelyingParty['finish']>>;
    try {
      identity = await deps.eid.finish(current, req.cookies[OIDC_STATE_COOKIE]);
    } catch (error) {
      req.log.warn({ err: error }, 'eID sign-in refused');
      return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: 'failed' }), 400);
    } finally {
      clearCookie(reply, OIDC_STATE_COOKIE);
    }
    if (identity.purpose === 'confirm' && identity.returnTo === EMPLOYER_LINK_RETURN) {
      const linked = await linkEidToEmployer(deps, req.ctx.session ?? null, identity, clientOf(req));
      return reply.redirect(`/azienda?eid=${linked}`, 303);
    }
    if (identity.purpose === 'confirm') {
      const confirmed = await confirmWithEid(deps, req.ctx.session ?? null, identity, clientOf(req));
      if (!confirmed.ok)
        return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: confirmed.reason }), 400);
      return reply.redirect(safeNext(identity.returnTo), 303);
    }
    const result = await signInWithEid(deps, identity, clientOf(req));
    if (!result.ok && result.reason === 'no_company_account')
      return reply.redirect('/azienda/benvenuto?da=spid', 303);
    if (!result.ok) return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: result.reason }), 400);
    if (req.ctx.session) await endSession(deps.db, req.ctx.session.idHash);
    startSession(reply, deps, result.sessionToken);
    return reply.redirect(identity.returnTo === EMPLOYER_EID_RETURN ? EMPLOYER_EID_RETURN : '/', 303);
  });

  routes.post('/esci', 'public', async (req, reply) => {
    if (req.ctx.session) {
      await endSession(deps.db, req.ctx.session.idHash);
      const u = req.ctx.session.user;
      await deps.audit.record({
        regionCode: u.regionCode,
        action: 'signout',
        outcome: 'ok',
        actor: {
          id: u.id,
          role: u.role,
          regionCode: u.regionCode,
          officeId: u.officeId,
          agencyId: u.agencyId,
        },
      });
    }
    clearCookie(reply, SESSION_COOKIE);
    return reply.redirect('/accedi?ok=signed-out', 303);
  });

  routes.post('/account/esci-ovunque', 'signed-in', async (req, reply) => {
    const u = req.ctx.user!;
    await endAllSessions(deps.db, u.regionCode, u.id);
    await deps.audit.record({
      regionCode: u.regionCode,
      action: 'signout.everywhere',
      outcome: 'ok',
      actor: { id: u.id, role: u.role, regionCode: u.regionCode, officeId: u.officeId, agencyId: u.agencyId },
    });
    clearCookie(reply, SESSION_COOKIE);
    return reply.redirect('/accedi?ok=signed-out', 303);
  });

  routes.get('/password/dimenticata', 'public', async (req, reply) => {
    const sent = (req.query as Record<string, unknown>).ok === 'sent';
    return sendPage(reply, ForgotPasswordPage({ ctx: req.ctx, sent }));
  });

  routes.post('/password/dimenticata', 'public', async (req, reply) => {
    const form = parseForm(z.object({ email: emailField }), req.body, req.ctx.t);
    if (!form.ok)
      return sendPage(
        reply,
        ForgotPasswordPage({ ctx: req.ctx, values: form.values, errors: form.errors }),
        400,
      );
    const result = await requestPasswordReset(deps, form.data, clientOf(req));
    if (result === 'rate_limited') {
      return sendPage(
        reply,
        ForgotPasswordPage({
          ctx: req.ctx,
          values: form.values,
          errors: { email: req.ctx.t('errors.rateLimited') },
        }),
        429,
      );
    }
    return reply.redirect('/password/dimenticata?ok=sent', 303);
  });

  routes.get('/password/reimposta/:token', 'public', async (req, reply) => {
    const { token } = req.params as { token: string };
    if (!(await resetTokenIsUsable(deps, token))) {
      return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: 'reset_link' }), 400);
    }
    return sendPage(reply, ResetPasswordPage({ ctx: req.ctx, token }));
  });

  routes.post('/password/reimposta/:token', 'public', async (req, reply) => {
    const { token } = req.params as { token: string };
    const form = parseForm(
      z.object({ password: z.string().min(1, 'errors.required').max(1000, 'errors.tooLong') }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok)
      return sendPage(reply, ResetPasswordPage({ ctx: req.ctx, token, errors: form.errors }), 400);
    const result = await resetPassword(deps, { token, password: form.data.password }, clientOf(req));
    if (!result.ok) {
      if (result.reason === 'invalid_token')
        return sendPage(reply, EidErrorPage({ ctx: req.ctx, reason: 'reset_link' }), 400);
      return sendPage(
        reply,
        ResetPasswordPage({
          ctx: req.ctx,
          token,
          errors: { password: req.ctx.t(`password.${result.reason}`) },
        }),
        400,
      );
    }
    return reply.redirect('/accedi?ok=password-reset', 303);
  });
}
