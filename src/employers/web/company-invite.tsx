import { z } from 'zod';
import { hit } from '../../platform/auth/rate-limit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { ErrorPage } from '../../platform/ui/error-page.tsx';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { CompanyDeps } from '../use-cases/company.ts';
import { acceptInvite, inviteByToken } from '../use-cases/company-users.ts';
import { crossFieldErrors, mobile, requiredText } from './company-shared.tsx';

const acceptSchema = z.object({
  givenName: requiredText(1, 100),
  familyName: requiredText(1, 100),
  mobile,
  password: z.string().min(1, 'errors.required').max(1000, 'password.too_long'),
});

function InviteClosed({
  ctx,
  state,
}: {
  ctx: RequestContext;
  state: 'unknown' | 'used' | 'expired' | 'revoked';
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`company.invite.${state}.title`)}>
      <h1>{t(`company.invite.${state}.title`)}</h1>
      <p class="lead">{t(`company.invite.${state}.body`)}</p>
      <p>
        <a href="/accedi">{t('company.welcome.signIn')}</a>
      </p>
    </Layout>
  );
}

function InvitePage({
  ctx,
  token,
  invite,
  values,
  errors,
}: {
  ctx: RequestContext;
  token: string;
  invite: { email: string; role: string; companyName: string };
  values: FormValues;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('company.invite.title')}>
      <h1>{t('company.invite.title')}</h1>
      <p class="lead">
        {t('company.invite.intro', { company: invite.companyName, role: t(`company.roles.${invite.role}`) })}
      </p>
      <p>{t('company.invite.emailIs', { email: invite.email })}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`/azienda/invito/${token}`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          name="givenName"
          label={t('company.fields.givenName')}
          values={values}
          errors={errors}
          maxLength={100}
          autocomplete="given-name"
        />
        <TextField
          name="familyName"
          label={t('company.fields.familyName')}
          values={values}
          errors={errors}
          maxLength={100}
          autocomplete="family-name"
        />
        <TextField
          name="mobile"
          type="tel"
          label={t('company.fields.mobile')}
          hint={t('company.fields.mobileHint')}
          values={values}
          errors={errors}
          maxLength={20}
          autocomplete="tel"
        />
        <TextField
          name="password"
          type="password"
          label={t('company.fields.password')}
          hint={t('reset.rules')}
          values={{}}
          errors={errors}
          maxLength={128}
          autocomplete="new-password"
        />
        <button type="submit" class="btn btn-primary">
          {t('company.invite.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** `/azienda/invito/:token` (public): the invitee creates their account. */
export function registerInviteAcceptance(routes: RouteCatalogue, deps: CompanyDeps): void {
  const closedStatus = (state: string) => (state === 'unknown' ? 404 : 410);

  routes.get('/azienda/invito/:token', 'public', async (req, reply) => {
    const token = String((req.params as { token: string }).token);
    const invite = await inviteByToken(deps, token);
    if (invite.state !== 'open')
      return sendPage(reply, <InviteClosed ctx={req.ctx} state={invite.state} />, closedStatus(invite.state));
    return sendPage(
      reply,
      <InvitePage ctx={req.ctx} token={token} invite={invite} values={{}} errors={{}} />,
    );
  });

  routes.post('/azienda/invito/:token', 'public', async (req, reply) => {
    const { t } = req.ctx;
    const token = String((req.params as { token: string }).token);
    // Guessing a 256-bit token is hopeless, but each try costs a lookup: keep the pace human.
    if (!(await hit(deps.db, `company-invite:ip:${req.ip}`, 30, 900)))
      return sendPage(
        reply,
        ErrorPage({
          ctx: req.ctx,
          status: 429,
          title: t('company.invite.title'),
          body: t('errors.rateLimited'),
        }),
        429,
      );
    const invite = await inviteByToken(deps, token);
    if (invite.state !== 'open')
      return sendPage(reply, <InviteClosed ctx={req.ctx} state={invite.state} />, closedStatus(invite.state));
    const form = parseForm(acceptSchema, req.body, t);
    const errors = form.ok
      ? crossFieldErrors(
          t,
          { atecoSection: '', atecoCode: '' },
          { value: form.data.password, email: invite.email },
        )
      : form.errors;
    if (!form.ok || Object.keys(errors).length > 0)
      return sendPage(
        reply,
        <InvitePage ctx={req.ctx} token={token} invite={invite} values={form.values} errors={errors} />,
        400,
      );
    const result = await acceptInvite(deps, token, { ...form.data, lang: req.ctx.lang });
    if (!result.ok) {
      if (result.reason === 'email_taken')
        return sendPage(
          reply,
          <InvitePage
            ctx={req.ctx}
            token={token}
            invite={invite}
            values={form.values}
            errors={{ givenName: t('company.errors.emailTaken') }}
          />,
          400,
        );
      return sendPage(
        reply,
        <InviteClosed ctx={req.ctx} state={result.reason} />,
        closedStatus(result.reason),
      );
    }
    return reply.redirect('/azienda/benvenuto?da=invito', 303);
  });
}
