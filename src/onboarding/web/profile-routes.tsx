import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import { ageOn } from '../../identity/domain/codice-fiscale.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formArray, formValues, NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CheckboxGroup,
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
import {
  ATECO_SECTIONS,
  BENEFITS,
  CEFR,
  CONTRACT_TYPES,
  EQF_LEVELS,
  HOURS,
  ISCO_MAJOR_GROUPS,
  isStep,
  LANGUAGE_CODES,
  LICENCES,
  PROFILE_STEPS,
  type ProfileStep,
  previousStep,
  REMOTE,
  stepNumber,
} from '../domain/profile-steps.ts';
import {
  confirmContact,
  loadProfile,
  type OnboardingDeps,
  type ProfileRow,
  saveStep,
  searchMunicipalities,
  sendVerificationCodes,
} from '../use-cases/profile.ts';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');
/**
 * Dates are typed as text (a date picker would throw away what a person typed wrong): both
 * 31/03/2025 and 2025-03-31 are accepted, months as 09/2023 or 2023-09.
 */
export function normaliseDate(value: string): string {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(value);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : value.trim();
}
export function normaliseMonth(value: string): string {
  const m = /^\s*(\d{1,2})[/.-](\d{4})\s*$/.exec(value);
  return m ? `${m[2]}-${m[1]!.padStart(2, '0')}` : value.trim();
}

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'profile.errors.month');

function StepPage({
  ctx,
  step,
  errors = {},
  notice,
  children,
  submitLabel,
}: {
  ctx: RequestContext;
  step: ProfileStep;
  errors?: FieldErrors;
  notice?: string | undefined;
  children: ComponentChildren;
  submitLabel?: string;
}) {
  const { t } = ctx;
  const back = previousStep(step);
  return (
    <Layout ctx={ctx} title={t(`profile.steps.${step}.title`)}>
      {back && (
        <p>
          <a href={`/profilo/passo/${back}`}>{t('profile.back')}</a>
        </p>
      )}
      <p class="text-muted mb-1">
        {t('profile.progress', { n: stepNumber(step), total: PROFILE_STEPS.length })}
      </p>
      <h1>{t(`profile.steps.${step}.title`)}</h1>
      <p>{t(`profile.steps.${step}.intro`)}</p>
      {notice && <Notice kind="info">{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`/profilo/passo/${step}`} novalidate>
        <CsrfField ctx={ctx} />
        {children}
        <button type="submit" name="action" value="next" class="btn btn-primary">
          {submitLabel ?? t('profile.continue')}
        </button>
      </form>
      <p class="mt-4 small">{t('profile.saved')}</p>
    </Layout>
  );
}

const monthLabel = (value: string | null, lang: string) =>
  value
    ? dateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${value}-01T00:00:00Z`),
      )
    : '—';

type StepRender = (
  ctx: RequestContext,
  profile: ProfileRow,
  values: FormValues,
  errors: FieldErrors,
  extra: { query: Record<string, unknown>; checked?: string[] },
) => Promise<ReturnType<typeof StepPage>> | ReturnType<typeof StepPage>;

export function registerProfileRoutes(routes: RouteCatalogue, deps: OnboardingDeps): void {
  const { db } = deps;
  const optionsOf = (ctx: RequestContext, prefix: string, values: readonly (string | number)[]) =>
    values.map((v) => ({ value: String(v), label: ctx.t(`${prefix}.${v}`) }));

  const renders: Record<ProfileStep, StepRender> = {
    contatti: (ctx, p, values, errors) => (
      <StepPage ctx={ctx} step="contatti" errors={errors}>
        <TextField
          name="email"
          type="email"
          label={ctx.t('fields.email')}
          autocomplete="email"
          values={{ email: p.email ?? '', ...values }}
          errors={errors}
          maxLength={254}
        />
        <TextField
          name="mobile"
          type="tel"
          label={ctx.t('profile.mobile')}
          hint={ctx.t('profile.mobileHint')}
          autocomplete="tel"
          values={{ mobile: p.mobile ?? '', ...values }}
          errors={errors}
          maxLength={20}
        />
      </StepPage>
    ),
    verifica: (ctx, p, values, errors, { query }) => (
      <StepPage
        ctx={ctx}
        step="verifica"
        errors={errors}
        notice={query.sent === '1' ? ctx.t('profile.codesSent') : undefined}
      >
        {p.email_verified_at ? (
          <p>{ctx.t('profile.emailVerified', { email: p.email ?? '' })}</p>
        ) : (
          <TextField
            name="email_code"
            label={ctx.t('profile.emailCode', { email: p.email ?? '' })}
            inputmode="numeric"
            autocomplete="one-time-code"
            values={values}
            errors={errors}
            maxLength={12}
          />
        )}
        {p.mobile_verified_at ? (
          <p>{ctx.t('profile.mobileVerified', { mobile: p.mobile ?? '' })}</p>
        ) : (
          <TextField
            name="mobile_code"
            label={ctx.t('profile.mobileCode', { mobile: p.mobile ?? '' })}
            inputmode="numeric"
            autocomplete="one-time-code"
            values={values}
            errors={errors}
            maxLength={12}
          />
        )}
        <p>
          <button type="submit" name="action" value="resend" class="btn btn-outline-primary btn-sm">
            {ctx.t('profile.resend')}
          </button>
        </p>
      </StepPage>
    ),
    domicilio: async (ctx, p, values, errors, { query }) => {
      const q = String(query.q ?? '').slice(0, 100);
      const found = q ? await searchMunicipalities(db, q) : [];
      const current = p.domicile_code
        ? await db
            .selectFrom('municipalities')
            .select(['istat_code', 'name', 'province'])
            .where('istat_code', '=', p.domicile_code)
            .executeTakeFirst()
        : undefined;
      const options = [
        ...(current && !found.some((f) => f.istat_code === current.istat_code) ? [current] : []),
        ...found,
      ];
      return (
        <Layout ctx={ctx} title={ctx.t('profile.steps.domicilio.title')}>
          <p>
            <a href="/profilo/passo/verifica">{ctx.t('profile.back')}</a>
          </p>
          <p class="text-muted mb-1">
            {ctx.t('profile.progress', { n: stepNumber('domicilio'), total: PROFILE_STEPS.length })}
          </p>
          <h1>{ctx.t('profile.steps.domicilio.title')}</h1>
          <p>{ctx.t('profile.steps.domicilio.intro')}</p>
          <ErrorSummary ctx={ctx} errors={errors} />
          <form method="get" action="/profilo/passo/domicilio">
            <TextField
              name="q"
              label={ctx.t('profile.searchMunicipality')}
              hint={ctx.t('profile.searchHint')}
              values={{ q }}
              errors={errors}
              maxLength={100}
            />
            <button type="submit" class="btn btn-outline-primary mb-4">
              {ctx.t('profile.search')}
            </button>
          </form>
          {q && found.length === 0 && <p>{ctx.t('profile.noMunicipality', { q })}</p>}
          {options.length > 0 && (
            <form method="post" action="/profilo/passo/domicilio" novalidate>
              <CsrfField ctx={ctx} />
              <RadioGroup
                name="domicile"
                label={ctx.t('profile.chooseMunicipality')}
                values={{ domicile: values.domicile ?? p.domicile_code ?? undefined }}
                errors={errors}
                options={options.map((m) => ({ value: m.istat_code, label: `${m.name} (${m.province})` }))}
              />
              <button type="submit" name="action" value="next" class="btn btn-primary">
                {ctx.t('profile.continue')}
              </button>
            </form>
          )}
        </Layout>
      );
    },
    istruzione: (ctx, p, values, errors) => (
      <StepPage ctx={ctx} step="istruzione" errors={errors}>
        <SelectField
          name="eqf"
          label={ctx.t('profile.eqf')}
          hint={ctx.t('profile.eqfHint')}
          values={{ eqf: p.education_eqf === null ? '' : String(p.education_eqf), ...values }}
          errors={errors}
          options={[
            { value: '', label: ctx.t('form.choose') },
            ...optionsOf(ctx, 'profile.eqfLevels', EQF_LEVELS),
          ]}
        />
        <TextField
          name="title"
          label={ctx.t('profile.educationTitle')}
          hint={ctx.t('profile.educationTitleHint')}
          values={{ title: p.education_title ?? '', ...values }}
          errors={errors}
          maxLength={200}
        />
      </StepPage>
    ),
    esperienze: (ctx, p, values, errors) => (
      <StepPage ctx={ctx} step="esperienze" errors={errors}>
        {p.work_history.length > 0 ? (
          <table class="table">
            <caption>{ctx.t('profile.workAdded')}</caption>
            <thead>
              <tr>
                <th scope="col">{ctx.t('profile.occupation')}</th>
                <th scope="col">{ctx.t('profile.from')}</th>
                <th scope="col">{ctx.t('profile.to')}</th>
                <th scope="col">
                  <span class="visually-hidden">{ctx.t('profile.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.work_history.map((w, i) => (
                <tr>
                  <td>{`${w.occupation} — ${ctx.t(`profile.isco.${w.iscoGroup}`)}`}</td>
                  <td>{monthLabel(w.from, ctx.lang)}</td>
                  <td>{w.to ? monthLabel(w.to, ctx.lang) : ctx.t('profile.ongoing')}</td>
                  <td>
                    <button
                      type="submit"
                      name="action"
                      value={`remove-${i}`}
                      class="btn btn-outline-primary btn-sm"
                    >
                      {ctx.t('profile.remove')}
                      <span class="visually-hidden">{` ${w.occupation}`}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{ctx.t('profile.noWork')}</p>
        )}
        <fieldset class="mb-3">
          <legend class="h5">{ctx.t('profile.addWork')}</legend>
          <TextField
            name="occupation"
            label={ctx.t('profile.occupation')}
            hint={ctx.t('profile.occupationHint')}
            values={values}
            errors={errors}
            maxLength={150}
          />
          <SelectField
            name="isco"
            label={ctx.t('profile.iscoGroup')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: ctx.t('form.choose') },
              ...optionsOf(ctx, 'profile.isco', ISCO_MAJOR_GROUPS),
            ]}
          />
          <SelectField
            name="sector"
            label={ctx.t('profile.sector')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: ctx.t('form.choose') },
              ...optionsOf(ctx, 'profile.ateco', ATECO_SECTIONS),
            ]}
          />
          <TextField
            name="from"
            inputmode="numeric"
            label={ctx.t('profile.from')}
            hint={ctx.t('profile.monthHint')}
            values={values}
            errors={errors}
            maxLength={7}
          />
          <TextField
            name="to"
            inputmode="numeric"
            label={ctx.t('profile.toOptional')}
            hint={ctx.t('profile.monthHint')}
            values={values}
            errors={errors}
            maxLength={7}
          />
          <button type="submit" name="action" value="add" class="btn btn-outline-primary mb-3">
            {ctx.t('profile.addThisWork')}
          </button>
        </fieldset>
      </StepPage>
    ),
    disoccupazione: (ctx, p, values, errors) => (
      <StepPage ctx={ctx} step="disoccupazione" errors={errors}>
        <TextField
          name="since"
          inputmode="numeric"
          label={ctx.t('profile.unemployedSince')}
          hint={ctx.t('profile.dateHint')}
          values={{
            since: p.unemployed_since
              ? p.unemployed_since.toISOString().slice(0, 10).split('-').reverse().join('/')
              : '',
            ...values,
          }}
          errors={errors}
          maxLength={10}
        />
      </StepPage>
    ),
    sostegni: (ctx, p, _values, errors, { checked }) => (
      <StepPage ctx={ctx} step="sostegni" errors={errors}>
        <CheckboxGroup
          name="benefits"
          label={ctx.t('profile.benefits')}
          options={optionsOf(ctx, 'profile.benefitTypes', BENEFITS)}
          checked={checked ?? p.benefits}
          errors={errors}
        />
      </StepPage>
    ),
    lingue: (ctx, p, values, errors) => (
      <StepPage ctx={ctx} step="lingue" errors={errors}>
        {p.languages.length > 0 && (
          <ul>
            {p.languages.map((l, i) => (
              <li>
                {`${ctx.t(`profile.languageNames.${l.code}`)} — ${ctx.t(`profile.cefr.${l.level}`)} `}
                <button type="submit" name="action" value={`remove-${i}`} class="btn btn-link btn-sm">
                  {ctx.t('profile.remove')}
                  <span class="visually-hidden">{` ${ctx.t(`profile.languageNames.${l.code}`)}`}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <fieldset class="mb-3">
          <legend class="h5">{ctx.t('profile.addLanguage')}</legend>
          <SelectField
            name="language"
            label={ctx.t('profile.language')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: ctx.t('form.choose') },
              ...optionsOf(ctx, 'profile.languageNames', LANGUAGE_CODES),
            ]}
          />
          <SelectField
            name="level"
            label={ctx.t('profile.level')}
            hint={ctx.t('profile.levelHint')}
            values={values}
            errors={errors}
            options={[{ value: '', label: ctx.t('form.choose') }, ...optionsOf(ctx, 'profile.cefr', CEFR)]}
          />
          <button type="submit" name="action" value="add" class="btn btn-outline-primary mb-3">
            {ctx.t('profile.addThisLanguage')}
          </button>
        </fieldset>
      </StepPage>
    ),
    patenti: (ctx, p, _values, errors, { checked }) => (
      <StepPage ctx={ctx} step="patenti" errors={errors}>
        <CheckboxGroup
          name="licences"
          label={ctx.t('profile.licences')}
          options={optionsOf(ctx, 'profile.licenceTypes', LICENCES)}
          checked={checked ?? p.driving_licences}
          errors={errors}
        />
      </StepPage>
    ),
    disponibilita: (ctx, p, values, errors, { checked }) => {
      const a = p.availability;
      return (
        <StepPage ctx={ctx} step="disponibilita" errors={errors}>
          <RadioGroup
            name="hours"
            label={ctx.t('profile.hours')}
            values={{ hours: a?.hours, ...values }}
            errors={errors}
            options={optionsOf(ctx, 'profile.hoursTypes', HOURS)}
          />
          <CheckboxGroup
            name="contracts"
            label={ctx.t('profile.contracts')}
            options={optionsOf(ctx, 'profile.contractTypes', CONTRACT_TYPES)}
            checked={checked ?? a?.contracts ?? []}
            errors={errors}
          />
          <TextField
            name="km"
            type="number"
            inputmode="numeric"
            label={ctx.t('profile.maxCommute')}
            hint={ctx.t('profile.maxCommuteHint')}
            values={{ km: a ? String(a.maxCommuteKm) : '', ...values }}
            errors={errors}
            maxLength={3}
          />
          <RadioGroup
            name="remote"
            label={ctx.t('profile.remote')}
            values={{ remote: a?.remote, ...values }}
            errors={errors}
            options={optionsOf(ctx, 'profile.remoteTypes', REMOTE)}
          />
        </StepPage>
      );
    },
    riepilogo: async (ctx, p) => {
      const place = p.domicile_code
        ? await db
            .selectFrom('municipalities')
            .select(['name', 'province'])
            .where('istat_code', '=', p.domicile_code)
            .executeTakeFirst()
        : undefined;
      const u = ctx.user!;
      const row = (label: string, value: string, step: ProfileStep | null) => (
        <>
          <dt>{label}</dt>
          <dd>
            {value || '—'}{' '}
            {step && (
              <a href={`/profilo/passo/${step}`}>
                {ctx.t('profile.change')}
                <span class="visually-hidden">{` ${label}`}</span>
              </a>
            )}
          </dd>
        </>
      );
      return (
        <StepPage ctx={ctx} step="riepilogo" submitLabel={ctx.t('profile.confirm')}>
          <h2 class="h5">{ctx.t('profile.fromIdentity')}</h2>
          <dl class="sl-dl">
            {row(ctx.t('profile.name'), `${u.givenName} ${u.familyName}`, null)}
            {row(ctx.t('fields.fiscalCode'), u.fiscalCode ?? '', null)}
          </dl>
          <h2 class="h5">{ctx.t('profile.yourAnswers')}</h2>
          <dl class="sl-dl">
            {row(ctx.t('fields.email'), p.email ?? '', 'contatti')}
            {row(ctx.t('profile.mobile'), p.mobile ?? '', 'contatti')}
            {row(
              ctx.t('profile.steps.domicilio.title'),
              place ? `${place.name} (${place.province})` : '',
              'domicilio',
            )}
            {row(
              ctx.t('profile.eqf'),
              p.education_eqf === null
                ? ''
                : `${ctx.t(`profile.eqfLevels.${p.education_eqf}`)} ${p.education_title ? `— ${p.education_title}` : ''}`,
              'istruzione',
            )}
            {row(
              ctx.t('profile.steps.esperienze.title'),
              p.work_history.map((w) => w.occupation).join(', '),
              'esperienze',
            )}
            {row(
              ctx.t('profile.unemployedSince'),
              p.unemployed_since ? p.unemployed_since.toISOString().slice(0, 10) : '',
              'disoccupazione',
            )}
            {row(
              ctx.t('profile.benefits'),
              p.benefits.map((b) => ctx.t(`profile.benefitTypes.${b}`)).join(', '),
              'sostegni',
            )}
            {row(
              ctx.t('profile.steps.lingue.title'),
              p.languages.map((l) => `${ctx.t(`profile.languageNames.${l.code}`)} ${l.level}`).join(', '),
              'lingue',
            )}
            {row(ctx.t('profile.licences'), p.driving_licences.join(', '), 'patenti')}
            {row(
              ctx.t('profile.steps.disponibilita.title'),
              p.availability
                ? `${ctx.t(`profile.hoursTypes.${p.availability.hours}`)}, ${p.availability.maxCommuteKm} km, ${ctx.t(`profile.remoteTypes.${p.availability.remote}`)}`
                : '',
              'disponibilita',
            )}
          </dl>
        </StepPage>
      );
    },
  };

  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    step: ProfileStep,
    values: FormValues = {},
    errors: FieldErrors = {},
    checked?: string[],
  ) => {
    const profile = await loadProfile(db, req.ctx.user!);
    const page = await renders[step](req.ctx, profile, values, errors, {
      query: req.query as Record<string, unknown>,
      ...(checked ? { checked } : {}),
    });
    return sendPage(reply, page, Object.keys(errors).length > 0 ? 400 : 200);
  };

  routes.get('/profilo', ['citizen'], async (req, reply) => {
    const profile = await loadProfile(db, req.ctx.user!);
    if (profile.completed_at) return reply.redirect('/profilo/did', 303);
    return reply.redirect(
      `/profilo/passo/${isStep(profile.current_step) ? profile.current_step : 'contatti'}`,
      303,
    );
  });

  routes.get('/profilo/passo/:step', ['citizen'], async (req, reply) => {
    const { step } = req.params as { step: string };
    if (!isStep(step)) return reply.callNotFound();
    return show(req, reply, step);
  });

  routes.post('/profilo/passo/:step', ['citizen'], async (req, reply) => {
    const { step } = req.params as { step: string };
    if (!isStep(step)) return reply.callNotFound();
    const user = req.ctx.user!;
    const { t } = req.ctx;
    const values = formValues(req.body);
    const action = values.action ?? 'next';
    const profile = await loadProfile(db, user);
    const go = (s: ProfileStep, query = '') => reply.redirect(`/profilo/passo/${s}${query}`, 303);

    switch (step) {
      case 'contatti': {
        const form = parseForm(
          z.object({
            email: z.string().trim().max(254, 'errors.tooLong').email('errors.email'),
            mobile: z
              .string()
              .trim()
              .regex(/^\+?[0-9 ]{8,18}$/, 'profile.errors.mobile'),
          }),
          req.body,
          t,
        );
        if (!form.ok) return show(req, reply, step, form.values, form.errors);
        const emailChanged = form.data.email.toLowerCase() !== (profile.email ?? '').toLowerCase();
        const mobileChanged =
          form.data.mobile.replace(/\s/g, '') !== (profile.mobile ?? '').replace(/\s/g, '');
        await saveStep(db, user, step, { email: form.data.email, mobile: form.data.mobile });
        if (emailChanged)
          await db
            .updateTable('citizen_profiles')
            .set({ email_verified_at: null })
            .where('region_code', '=', user.regionCode)
            .where('user_id', '=', user.id)
            .execute();
        if (mobileChanged)
          await db
            .updateTable('citizen_profiles')
            .set({ mobile_verified_at: null })
            .where('region_code', '=', user.regionCode)
            .where('user_id', '=', user.id)
            .execute();
        await sendVerificationCodes(deps, user);
        return go('verifica', '?sent=1');
      }
      case 'verifica': {
        if (action === 'resend') {
          const sent = await sendVerificationCodes(deps, user);
          if (sent !== 'sent') return show(req, reply, step, {}, { email_code: t('errors.rateLimited') });
          return go('verifica', '?sent=1');
        }
        const errors: FieldErrors = {};
        if (
          !profile.email_verified_at &&
          !(await confirmContact(deps, user, 'verify_email', values.email_code ?? ''))
        )
          errors.email_code = t('profile.errors.code');
        if (
          !profile.mobile_verified_at &&
          !(await confirmContact(deps, user, 'verify_phone', values.mobile_code ?? ''))
        )
          errors.mobile_code = t('profile.errors.code');
        if (Object.keys(errors).length > 0) return show(req, reply, step, {}, errors);
        await saveStep(db, user, step, {});
        return go('domicilio');
      }
      case 'domicilio': {
        const code = values.domicile ?? '';
        const found = /^[0-9]{6}$/.test(code)
          ? await db
              .selectFrom('municipalities')
              .select('istat_code')
              .where('istat_code', '=', code)
              .executeTakeFirst()
          : undefined;
        if (!found) return show(req, reply, step, {}, { q: t('profile.errors.municipality') });
        await saveStep(db, user, step, { domicile_code: found.istat_code });
        return go('istruzione');
      }
      case 'istruzione': {
        const form = parseForm(
          z.object({
            eqf: z.enum(EQF_LEVELS.map(String) as [string, ...string[]], { message: 'errors.choose' }),
            title: z
              .string()
              .trim()
              .max(200, 'errors.tooLong')
              .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
              .default(''),
          }),
          req.body,
          t,
        );
        if (!form.ok) return show(req, reply, step, form.values, form.errors);
        await saveStep(db, user, step, {
          education_eqf: Number(form.data.eqf),
          education_title: form.data.title,
        });
        return go('esperienze');
      }
      case 'esperienze':
      case 'lingue': {
        const list = step === 'esperienze' ? [...profile.work_history] : [...profile.languages];
        const column = step === 'esperienze' ? 'work_history' : 'languages';
        if (action.startsWith('remove-')) {
          list.splice(Number(action.slice(7)), 1);
          await saveStep(db, user, step, { [column]: JSON.stringify(list) }, false);
          return go(step);
        }
        if (action === 'add') {
          if (step === 'esperienze') {
            const form = parseForm(
              z
                .object({
                  occupation: text(150),
                  isco: z.enum(ISCO_MAJOR_GROUPS, { message: 'errors.choose' }),
                  sector: z.enum(ATECO_SECTIONS, { message: 'errors.choose' }),
                  from: z.string().transform(normaliseMonth).pipe(month),
                  to: z
                    .string()
                    .default('')
                    .transform(normaliseMonth)
                    .pipe(z.union([z.literal(''), month])),
                })
                .refine((w) => !w.to || w.to >= w.from, {
                  message: 'profile.errors.periodOrder',
                  path: ['to'],
                })
                .refine((w) => w.from <= new Date().toISOString().slice(0, 7), {
                  message: 'profile.errors.future',
                  path: ['from'],
                }),
              req.body,
              t,
            );
            if (!form.ok) return show(req, reply, step, form.values, form.errors);
            if (list.length >= 30)
              return show(req, reply, step, form.values, { occupation: t('profile.errors.tooMany') });
            const w = form.data;
            await saveStep(
              db,
              user,
              step,
              {
                work_history: JSON.stringify([
                  ...profile.work_history,
                  {
                    from: w.from,
                    to: w.to || null,
                    occupation: w.occupation,
                    iscoGroup: w.isco,
                    sector: w.sector,
                  },
                ]),
              },
              false,
            );
          } else {
            const form = parseForm(
              z.object({
                language: z.enum(LANGUAGE_CODES, { message: 'errors.choose' }),
                level: z.enum(CEFR, { message: 'errors.choose' }),
              }),
              req.body,
              t,
            );
            if (!form.ok) return show(req, reply, step, form.values, form.errors);
            const rest = profile.languages.filter((l) => l.code !== form.data.language);
            await saveStep(
              db,
              user,
              step,
              { languages: JSON.stringify([...rest, { code: form.data.language, level: form.data.level }]) },
              false,
            );
          }
          return go(step);
        }
        await saveStep(db, user, step, {});
        return go(step === 'esperienze' ? 'disoccupazione' : 'patenti');
      }
      case 'disoccupazione': {
        const form = parseForm(
          z.object({
            since: z
              .string()
              .transform(normaliseDate)
              .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'profile.errors.date')),
          }),
          req.body,
          t,
        );
        if (!form.ok) return show(req, reply, step, form.values, form.errors);
        const date = new Date(`${form.data.since}T00:00:00Z`);
        if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== form.data.since)
          return show(req, reply, step, form.values, { since: t('profile.errors.date') });
        if (date > new Date())
          return show(req, reply, step, form.values, { since: t('profile.errors.future') });
        const birth = await db
          .selectFrom('users')
          .select('birth_date')
          .where('region_code', '=', user.regionCode)
          .where('id', '=', user.id)
          .executeTakeFirst();
        if (birth?.birth_date && ageOn(birth.birth_date.toISOString().slice(0, 10), date) < 15) {
          return show(req, reply, step, form.values, { since: t('profile.errors.beforeWorkingAge') });
        }
        await saveStep(db, user, step, { unemployed_since: form.data.since });
        return go('sostegni');
      }
      case 'sostegni': {
        const chosen = formArray(req.body, 'benefits');
        const valid = chosen.every((b) => (BENEFITS as readonly string[]).includes(b));
        if (!valid || chosen.length === 0)
          return show(
            req,
            reply,
            step,
            {},
            { benefits: t(valid ? 'errors.choose' : 'profile.errors.unknownBenefit') },
            chosen.filter((b) => (BENEFITS as readonly string[]).includes(b)),
          );
        if (chosen.includes('none') && chosen.length > 1)
          return show(req, reply, step, {}, { benefits: t('profile.errors.noneAndOthers') }, chosen);
        await saveStep(db, user, step, { benefits: chosen });
        return go('lingue');
      }
      case 'patenti': {
        const chosen = formArray(req.body, 'licences');
        const valid = chosen.every((b) => (LICENCES as readonly string[]).includes(b));
        if (!valid) return show(req, reply, step, {}, { licences: t('errors.invalid') }, []);
        await saveStep(db, user, step, { driving_licences: chosen.filter((l) => l !== 'none') });
        return go('disponibilita');
      }
      case 'disponibilita': {
        const contracts = formArray(req.body, 'contracts');
        const form = parseForm(
          z.object({
            hours: z.enum(HOURS, { message: 'errors.choose' }),
            km: z.coerce
              .number({ message: 'profile.errors.km' })
              .int('profile.errors.km')
              .min(0, 'profile.errors.km')
              .max(300, 'profile.errors.km'),
            remote: z.enum(REMOTE, { message: 'errors.choose' }),
          }),
          req.body,
          t,
        );
        const badContract = !contracts.every((c) => (CONTRACT_TYPES as readonly string[]).includes(c));
        if (!form.ok || badContract || contracts.length === 0) {
          const errors = form.ok ? {} : form.errors;
          if (badContract || contracts.length === 0) errors.contracts = t('errors.choose');
          return show(
            req,
            reply,
            step,
            form.values,
            errors,
            contracts.filter((c) => (CONTRACT_TYPES as readonly string[]).includes(c)),
          );
        }
        await saveStep(db, user, step, {
          availability: JSON.stringify({
            hours: form.data.hours,
            contracts,
            maxCommuteKm: form.data.km,
            remote: form.data.remote,
          }),
        });
        return go('riepilogo');
      }
      case 'riepilogo': {
        const missing =
          !profile.email_verified_at || !profile.mobile_verified_at
            ? 'verifica'
            : !profile.domicile_code
              ? 'domicilio'
              : profile.education_eqf === null
                ? 'istruzione'
                : !profile.unemployed_since
                  ? 'disoccupazione'
                  : profile.benefits.length === 0
                    ? 'sostegni'
                    : !profile.availability
                      ? 'disponibilita'
                      : null;
        if (missing) return go(missing, '?incomplete=1');
        await db
          .updateTable('citizen_profiles')
          .set({ completed_at: new Date(), updated_at: new Date() })
          .where('region_code', '=', user.regionCode)
          .where('user_id', '=', user.id)
          .execute();
        return reply.redirect('/profilo/did', 303);
      }
    }
  });
}
