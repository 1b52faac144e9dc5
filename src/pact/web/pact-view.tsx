import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  type FieldErrors,
  type FormValues,
  RadioGroup,
  TextField,
} from '../../platform/ui/forms.tsx';
import { type PactContent, pactSections, type SignatureView } from '../domain/pact.ts';
import type { PactDetails } from '../use-cases/pact.ts';

/** Pieces shared by the citizen's, the CPI operator's and the agency's pact pages. */
export function dateTime(ctx: RequestContext, at: Date): string {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(at);
}

export function PartiesStatus({ ctx, details }: { ctx: RequestContext; details: PactDetails }) {
  const { t } = ctx;
  return (
    <>
      <h2 class="h4 mt-4">{t('pact.partiesHeading')}</h2>
      <div class="table-responsive">
        <table class="table">
          <caption class="visually-hidden">{t('pact.partiesHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('pact.party')}</th>
              <th scope="col">{t('pact.signatureStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {details.required.map((party) => {
              const s = details.currentSignatures.find((x) => x.party === party);
              return (
                <tr>
                  <th scope="row">{t(`pact.parties.${party}`)}</th>
                  <td>
                    {s
                      ? t('pact.signedOn', {
                          name: s.signerName,
                          when: dateTime(ctx, s.signedAt),
                          method: t(`pact.methods.${s.method}`),
                          desk: s.atDesk ? ` ${t('pact.doc.atDesk')}` : '',
                        })
                      : details.current.status === 'proposed'
                        ? t('pact.waiting')
                        : t('pact.notYet')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function FullText({
  ctx,
  content,
  signatures,
}: {
  ctx: RequestContext;
  content: PactContent;
  signatures: SignatureView[] | null;
}) {
  const sections = pactSections(content, ctx.t, ctx.lang, signatures);
  return (
    <div>
      {sections.map((s) => (
        <>
          {s.heading && <h3 class="h5 mt-3">{s.heading}</h3>}
          {s.paragraphs.length > 1 ? (
            <ul>
              {s.paragraphs.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          ) : (
            s.paragraphs.map((p) => <p>{p}</p>)
          )}
        </>
      ))}
    </div>
  );
}

export function VersionsList({
  ctx,
  details,
  pdfHref,
}: {
  ctx: RequestContext;
  details: PactDetails;
  pdfHref: (version: number) => string;
}) {
  const { t } = ctx;
  return (
    <>
      <h2 class="h4 mt-4">{t('pact.versionsHeading')}</h2>
      <ul class="list-group mb-4">
        {details.versions.map((v) => (
          <li class="list-group-item">
            {t('pact.versionLine', { version: v.version, status: t(`pact.versionStatus.${v.status}`) })}
            {v.signed_at ? ` — ${t('pact.signedAt', { when: dateTime(ctx, v.signed_at) })}` : ''}
            {v.change_reason ? ` — ${t('pact.reasonWas', { reason: v.change_reason })}` : ''}
            {v.verification_code && (
              <>
                {' — '}
                <a href={`/verifica/${v.verification_code}`}>
                  {t('pact.verifyCode', { code: v.verification_code })}
                </a>
              </>
            )}
            {v.status !== 'draft' && (
              <>
                {' — '}
                <a href={pdfHref(v.version)}>{t('pact.downloadVersion', { version: v.version })}</a>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Send a code, then type it (SMS) — or type the authenticator's code. Works without JavaScript. */
export function SignForms({
  ctx,
  idPrefix,
  sendAction,
  signAction,
  totp,
  legend,
  errors,
  values,
}: {
  ctx: RequestContext;
  idPrefix: string;
  sendAction: string;
  signAction: string;
  totp: boolean;
  legend: string;
  errors: FieldErrors;
  values: FormValues;
}) {
  const { t } = ctx;
  return (
    <>
      <form method="post" action={sendAction} class="mb-3" novalidate>
        <CsrfField ctx={ctx} />
        <button type="submit" class="btn btn-outline-primary">
          {t('pact.sendCode')}
        </button>
      </form>
      <form method="post" action={signAction} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class="mb-4">
          <legend class="h5">{legend}</legend>
          {totp ? (
            <RadioGroup
              name="method"
              label={t('pact.method')}
              values={{ method: values.method ?? 'sms_code' }}
              errors={errors}
              options={[
                { value: 'sms_code', label: t('pact.methods.sms_code') },
                { value: 'totp', label: t('pact.methods.totp') },
              ]}
            />
          ) : (
            <input type="hidden" name="method" value="sms_code" />
          )}
          <TextField
            id={`${idPrefix}-code`}
            name="code"
            label={t('pact.code')}
            hint={t('pact.codeHint')}
            values={values}
            errors={errors}
            inputmode="numeric"
            autocomplete="one-time-code"
            maxLength={12}
          />
          <button type="submit" class="btn btn-primary">
            {t('pact.signButton')}
          </button>
        </fieldset>
      </form>
    </>
  );
}

/**
 * Signing with a fresh SPID/CIE sign-in (decision 0005): first the person confirms who they are at
 * the identity provider and comes back here; then one button signs. Works without JavaScript.
 */
export function EidSignForm({
  ctx,
  confirmation,
  error,
}: {
  ctx: RequestContext;
  confirmation: { provider: 'spid' | 'cie'; at: Date } | null;
  error: string | undefined;
}) {
  const { t } = ctx;
  const back = encodeURIComponent('/patto#eid');
  const time = confirmation
    ? dateTimeFormat(ctx.lang, { timeStyle: 'short', timeZone: 'Europe/Rome' }).format(confirmation.at)
    : '';
  return (
    <section aria-labelledby="eid-heading" class="mb-4">
      <h3 class="h5" id="eid-heading">
        {t('pact.eid.heading')}
      </h3>
      {error && (
        <p class="text-danger fw-semibold" id="eid-error">
          {error}
        </p>
      )}
      {confirmation ? (
        <form method="post" action="/patto/firma-eid" novalidate>
          <CsrfField ctx={ctx} />
          <p>{t('pact.eid.confirmed', { provider: confirmation.provider.toUpperCase(), time })}</p>
          <button
            type="submit"
            class="btn btn-primary"
            id="eid"
            aria-describedby={error ? 'eid-error' : undefined}
          >
            {t('pact.eid.signNow')}
          </button>
        </form>
      ) : (
        <>
          <p>{t('pact.eid.intro')}</p>
          <ul class="sl-inline-list">
            <li>
              <a class="btn btn-outline-primary" id="eid" href={`/accedi/conferma/spid?next=${back}`}>
                {t('pact.eid.withSpid')}
              </a>
            </li>
            <li>
              <a class="btn btn-outline-primary" href={`/accedi/conferma/cie?next=${back}`}>
                {t('pact.eid.withCie')}
              </a>
            </li>
          </ul>
        </>
      )}
    </section>
  );
}
