import { z } from 'zod';
import { validateCodiceFiscale } from '../../identity/domain/codice-fiscale.ts';
import { hit } from '../../platform/auth/rate-limit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { validatePartitaIva } from '../domain/partita-iva.ts';
import {
  type CompanyDeps,
  type Municipality,
  resolveMunicipality,
  signUpCompany,
} from '../use-cases/company.ts';
import {
  atecoCodeField,
  atecoSection,
  crossFieldErrors,
  mobile,
  requiredText,
  sectionOptions,
  sizeBand,
  sizeOptions,
} from './company-shared.tsx';

const signUpSchema = z.object({
  name: requiredText(2, 200, 'company.errors.name'),
  vat: z
    .string()
    .trim()
    .max(20, 'company.errors.vatFormat')
    .min(1, 'errors.required')
    .superRefine((v, ctx) => {
      const check = validatePartitaIva(v);
      if (!check.ok) ctx.addIssue({ code: 'custom', message: `company.errors.vat_${check.reason}` });
    })
    .transform((v) => v.replace(/\s+/g, '').replace(/^IT/i, '')),
  fiscalCode: z
    .string()
    .trim()
    .max(20, 'company.errors.fiscalCode')
    .transform((v) => v.replace(/\s+/g, '').toUpperCase())
    .refine(
      (v) =>
        v === '' ||
        (/^\d{11}$/.test(v) ? validatePartitaIva(v).ok : v.length === 16 && validateCodiceFiscale(v).ok),
      'company.errors.fiscalCode',
    )
    .default(''),
  atecoSection,
  atecoCode: atecoCodeField,
  sizeBand,
  hqMunicipality: requiredText(2, 100, 'company.errors.municipality'),
  hqCode: z.string().max(6).default(''),
  hqAddress: requiredText(3, 200, 'company.errors.address'),
  givenName: requiredText(1, 100),
  familyName: requiredText(1, 100),
  email: z.string().trim().max(254, 'errors.tooLong').email('errors.email'),
  mobile,
  password: z.string().min(1, 'errors.required').max(1000, 'password.too_long'),
});

function SignUpPage({
  ctx,
  values,
  errors,
  hqOptions = [],
}: {
  ctx: RequestContext;
  values: FormValues;
  errors: FieldErrors;
  hqOptions?: Municipality[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('company.signUp.title')}>
      <h1>{t('company.signUp.title')}</h1>
      <p class="lead">{t('company.signUp.intro')}</p>
      <p>
        {t('company.signUp.haveAccount')} <a href="/accedi">{t('company.signUp.signIn')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/azienda/registrati" novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class="mb-4">
          <legend class="h4">{t('company.signUp.companyHeading')}</legend>
          <TextField
            name="name"
            label={t('company.fields.name')}
            values={values}
            errors={errors}
            maxLength={200}
            autocomplete="organization"
          />
          <TextField
            name="vat"
            label={t('company.fields.vat')}
            hint={t('company.fields.vatHint')}
            values={values}
            errors={errors}
            maxLength={20}
            inputmode="numeric"
          />
          <TextField
            name="fiscalCode"
            label={t('company.fields.fiscalCode')}
            hint={t('company.fields.fiscalCodeHint')}
            values={values}
            errors={errors}
            maxLength={20}
          />
          <SelectField
            name="atecoSection"
            label={t('company.fields.atecoSection')}
            values={values}
            errors={errors}
            options={sectionOptions(t)}
          />
          <TextField
            name="atecoCode"
            label={t('company.fields.atecoCode')}
            hint={t('company.fields.atecoCodeHint')}
            values={values}
            errors={errors}
            maxLength={10}
          />
          <RadioGroup
            name="sizeBand"
            label={t('company.fields.sizeBand')}
            values={values}
            errors={errors}
            options={sizeOptions(t)}
          />
        </fieldset>
        <fieldset class="mb-4">
          <legend class="h4">{t('company.signUp.hqHeading')}</legend>
          <TextField
            name="hqMunicipality"
            label={t('company.fields.municipality')}
            hint={t('company.fields.municipalityHint')}
            values={values}
            errors={errors}
            maxLength={100}
          />
          {hqOptions.length > 0 && (
            <RadioGroup
              name="hqCode"
              label={t('company.fields.chooseMunicipality')}
              values={values}
              errors={errors}
              options={hqOptions.map((m) => ({ value: m.istat_code, label: `${m.name} (${m.province})` }))}
            />
          )}
          <TextField
            name="hqAddress"
            label={t('company.fields.address')}
            hint={t('company.fields.addressHint')}
            values={values}
            errors={errors}
            maxLength={200}
            autocomplete="street-address"
          />
        </fieldset>
        <fieldset class="mb-4">
          <legend class="h4">{t('company.signUp.userHeading')}</legend>
          <p>{t('company.signUp.userIntro')}</p>
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
            name="email"
            type="email"
            label={t('company.fields.email')}
            values={values}
            errors={errors}
            maxLength={254}
            autocomplete="email"
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
        </fieldset>
        <button type="submit" class="btn btn-primary">
          {t('company.signUp.submit')}
        </button>
      </form>
    </Layout>
  );
}

export function registerCompanySignUp(
  routes: RouteCatalogue,
  deps: CompanyDeps,
  region: () => Promise<string>,
): void {
  routes.get('/azienda/registrati', 'public', async (req, reply) =>
    sendPage(reply, <SignUpPage ctx={req.ctx} values={{ sizeBand: 'micro' }} errors={{}} />),
  );

  routes.post('/azienda/registrati', 'public', async (req, reply) => {
    const { t } = req.ctx;
    const form = parseForm(signUpSchema, req.body, t);
    const bad = (errors: FieldErrors, hqOptions: Municipality[] = []) =>
      sendPage(
        reply,
        <SignUpPage ctx={req.ctx} values={form.values} errors={errors} hqOptions={hqOptions} />,
        400,
      );
    if (!form.ok) return bad(form.errors);
    // Each sign-up hashes a password: a few per hour from one address are plenty.
    if (!(await hit(deps.db, `company-signup:ip:${req.ip}`, 20, 3600)))
      return sendPage(
        reply,
        <SignUpPage ctx={req.ctx} values={form.values} errors={{ name: t('errors.rateLimited') }} />,
        429,
      );
    const data = form.data;
    const cross = crossFieldErrors(t, data, { value: data.password, email: data.email });
    const place = await resolveMunicipality(deps.db, data.hqMunicipality, data.hqCode);
    if (!place.ok)
      cross[place.reason === 'choose' ? 'hqCode' : 'hqMunicipality'] = t(
        place.reason === 'choose' ? 'company.errors.chooseMunicipality' : 'company.errors.noMunicipality',
        { q: data.hqMunicipality },
      );
    if (Object.keys(cross).length > 0 || !place.ok) return bad(cross, place.ok ? [] : place.options);
    const result = await signUpCompany(deps, await region(), {
      companyName: data.name,
      vatNumber: data.vat,
      fiscalCode: data.fiscalCode || data.vat,
      atecoSection: data.atecoSection,
      atecoCode: data.atecoCode || null,
      sizeBand: data.sizeBand,
      hqMunicipality: place.municipality.istat_code,
      hqAddress: data.hqAddress,
      givenName: data.givenName,
      familyName: data.familyName,
      email: data.email,
      mobile: data.mobile,
      password: data.password,
      lang: req.ctx.lang,
    });
    if (!result.ok)
      return bad(
        result.reason === 'vat_taken'
          ? { vat: t('company.errors.vatTaken') }
          : { email: t('company.errors.emailTaken') },
      );
    return reply.redirect('/azienda/benvenuto?da=registrazione', 303);
  });

  routes.get('/azienda/benvenuto', 'public', async (req, reply) => {
    const { t } = req.ctx;
    const da = (req.query as Record<string, unknown>).da;
    const from = da === 'invito' ? 'invite' : da === 'spid' ? 'noEid' : 'signUp';
    return sendPage(
      reply,
      <Layout
        ctx={req.ctx}
        title={t(from === 'noEid' ? 'company.welcome.noEidTitle' : 'company.welcome.title')}
      >
        <h1>{t(from === 'noEid' ? 'company.welcome.noEidTitle' : 'company.welcome.title')}</h1>
        <Notice kind={from === 'noEid' ? 'warning' : 'success'}>{t(`company.welcome.${from}`)}</Notice>
        <p>{t('company.welcome.howToSignIn')}</p>
        <p>
          <a class="btn btn-primary" href="/accedi">
            {t('company.welcome.signIn')}
          </a>
        </p>
        <p>{t('company.welcome.eidHint')}</p>
        <ul>
          <li>
            <a href="/accedi/azienda/spid">{t('company.welcome.eidSpid')}</a>
          </li>
          <li>
            <a href="/accedi/azienda/cie">{t('company.welcome.eidCie')}</a>
          </li>
        </ul>
      </Layout>,
    );
  });
}
