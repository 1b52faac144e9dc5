import type { RequestContext } from '../../platform/http/context.ts';
import { asset } from '../../platform/ui/assets.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';

export function SignInPage({
  ctx,
  values = {},
  errors = {},
  notice,
  next,
}: {
  ctx: RequestContext;
  values?: FormValues;
  errors?: FieldErrors;
  notice?: string | undefined;
  next: string;
}) {
  const { t } = ctx;
  const nextQuery = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return (
    <Layout ctx={ctx} title={t('signIn.title')}>
      <h1>{t('signIn.title')}</h1>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <section aria-labelledby="eid-heading" class="mb-5">
        <h2 id="eid-heading" class="h4">
          {t('signIn.eidHeading')}
        </h2>
        <p>{t('signIn.eidIntro')}</p>
        <div class="sl-eid-buttons">
          <a class="sl-eid-button sl-spid-button" href={`/accedi/spid${nextQuery}`}>
            <img src={asset('spid-icon.svg')} alt="" width="24" height="24" />
            <span>{t('signIn.spidButton')}</span>
          </a>
          <a class="sl-eid-button sl-cie-button" href={`/accedi/cie${nextQuery}`}>
            <img src={asset('cie-icon.svg')} alt="" width="24" height="24" />
            <span>{t('signIn.cieButton')}</span>
          </a>
        </div>
        <p class="small mt-2">{t('signIn.spidHelp')}</p>
      </section>
      <section aria-labelledby="local-heading">
        <h2 id="local-heading" class="h4">
          {t('signIn.localHeading')}
        </h2>
        <p>{t('signIn.localIntro')}</p>
        <form method="post" action="/accedi" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={next} />
          <TextField
            name="email"
            type="email"
            label={t('fields.email')}
            autocomplete="username"
            values={values}
            errors={errors}
            maxLength={254}
          />
          <TextField
            name="password"
            type="password"
            label={t('fields.password')}
            autocomplete="current-password"
            values={{}}
            errors={errors}
            maxLength={200}
          />
          <button type="submit" class="btn btn-primary">
            {t('signIn.submit')}
          </button>
        </form>
        <p class="mt-3">
          <a href="/password/dimenticata">{t('signIn.forgotPassword')}</a>
        </p>
      </section>
      <section aria-labelledby="company-heading" class="mt-5">
        <h2 id="company-heading" class="h4">
          {t('signIn.companyHeading')}
        </h2>
        <p>{t('signIn.companyIntro')}</p>
        <ul>
          <li>
            <a href="/accedi/azienda/spid">{t('signIn.companySpid')}</a>
          </li>
          <li>
            <a href="/accedi/azienda/cie">{t('signIn.companyCie')}</a>
          </li>
          <li>
            <a href="/azienda/registrati">{t('signIn.companyRegister')}</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}

export function CodePage({
  ctx,
  method,
  errors = {},
  notice,
  canUseSms,
  next,
}: {
  ctx: RequestContext;
  method: 'sms' | 'totp';
  errors?: FieldErrors;
  notice?: string | undefined;
  canUseSms: boolean;
  next: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('code.title')}>
      <h1>{t('code.title')}</h1>
      {notice && <Notice kind="info">{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{method === 'sms' ? t('code.smsIntro') : t('code.totpIntro')}</p>
      <form method="post" action="/accedi/codice" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="method" value={method} />
        <input type="hidden" name="next" value={next} />
        <TextField
          name="code"
          label={t('fields.code')}
          hint={t('code.hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          values={{}}
          errors={errors}
          maxLength={12}
        />
        <button type="submit" class="btn btn-primary">
          {t('code.submit')}
        </button>
      </form>
      {canUseSms && (
        <form method="post" action="/accedi/codice/nuovo" class="mt-4">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={next} />
          <button type="submit" class="btn btn-outline-primary">
            {method === 'sms' ? t('code.resend') : t('code.useSms')}
          </button>
        </form>
      )}
    </Layout>
  );
}

export function ForgotPasswordPage({
  ctx,
  values = {},
  errors = {},
  sent = false,
}: {
  ctx: RequestContext;
  values?: FormValues;
  errors?: FieldErrors;
  sent?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.forgotTitle')}>
      <h1>{t('reset.forgotTitle')}</h1>
      {sent ? (
        <Notice kind="success">{t('reset.sent')}</Notice>
      ) : (
        <>
          <ErrorSummary ctx={ctx} errors={errors} />
          <p>{t('reset.forgotIntro')}</p>
          <form method="post" action="/password/dimenticata" novalidate>
            <CsrfField ctx={ctx} />
            <TextField
              name="email"
              type="email"
              label={t('fields.email')}
              autocomplete="email"
              values={values}
              errors={errors}
              maxLength={254}
            />
            <button type="submit" class="btn btn-primary">
              {t('reset.send')}
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function ResetPasswordPage({
  ctx,
  token,
  errors = {},
}: {
  ctx: RequestContext;
  token: string;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('reset.title')}>
      <h1>{t('reset.title')}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('reset.rules')}</p>
      <form method="post" action={`/password/reimposta/${token}`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          name="password"
          type="password"
          label={t('fields.newPassword')}
          autocomplete="new-password"
          values={{}}
          errors={errors}
          maxLength={200}
        />
        <button type="submit" class="btn btn-primary">
          {t('reset.submit')}
        </button>
      </form>
    </Layout>
  );
}
