import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formValues } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat, numberFormat } from '../../platform/i18n/format.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import {
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SubmitButton,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  type Assessment,
  type AssessmentInput,
  assess,
  EMPLOYMENTS,
  FIRST_YEAR,
  isCalendarDate,
  MAX_WEEKS,
  PARAMETERS,
  TERMINATIONS,
  todayInRome,
} from '../domain/naspi.ts';

/**
 * The NASpI self-check form, as text typed by a person: dates in two formats, euro amounts with
 * Italian or English separators. Messages are i18n keys ('errors.*' or 'naspi.errors.*').
 */
export const NASPI_FIELDS = [
  'employment',
  'termination',
  'endDate',
  'weeks',
  'weeksUsed',
  'pay',
  'age',
  'recentExit',
  'weeksSinceExit',
] as const;

type Parsed<T> = { value: T } | { error: string };

function parsed<T>(fn: (v: string) => Parsed<T>) {
  return z.string().transform((raw, ctx) => {
    const r = fn(raw.trim());
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.value;
  });
}

export function parseDate(v: string, today: string): Parsed<string> {
  if (v === '') return { error: 'errors.required' };
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  const iso = dmy ? `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` : v;
  if (!isCalendarDate(iso)) return { error: 'naspi.errors.date' };
  if (iso > today) return { error: 'naspi.errors.dateFuture' };
  if (iso < `${FIRST_YEAR}-01-01`) return { error: 'naspi.errors.dateTooOld' };
  return { value: iso };
}

function wholeNumber(min: number, max: number, message: string, required = true) {
  return (v: string): Parsed<number | null> => {
    if (v === '') return required ? { error: 'errors.required' } : { value: null };
    if (!/^\d{1,4}$/.test(v)) return { error: message };
    const n = Number(v);
    return n < min || n > max ? { error: message } : { value: n };
  };
}

const MAX_PAY_CENTS = 1_000_000_000; // €10 million over 4 years: anything above is a typing error

/** Euro amount → cents: 54000 · 54.000 · 54.000,50 · 54000,50 · 54,000.50 · 54000.50 */
export function parseEuroCents(v: string): Parsed<number> {
  if (v === '') return { error: 'errors.required' };
  const s = v.replace(/[\s\u00a0€]/g, '');
  let normal: string | null = null;
  if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(s)) normal = s.replace(/,/g, '');
  else if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) normal = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,10}([.,]\d{1,2})?$/.test(s)) normal = s.replace(',', '.');
  if (normal === null) return { error: 'naspi.errors.pay' };
  const [units = '0', decimals = ''] = normal.split('.');
  const cents = Number(units) * 100 + Number(decimals.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > MAX_PAY_CENTS) return { error: 'naspi.errors.pay' };
  return { value: cents };
}

export function naspiFormSchema(today: string) {
  return z
    .object({
      employment: z.enum(EMPLOYMENTS, { message: 'errors.choose' }),
      termination: z.enum(TERMINATIONS, { message: 'errors.choose' }),
      endDate: parsed((v) => parseDate(v, today)),
      weeks: parsed(wholeNumber(0, MAX_WEEKS, 'naspi.errors.weeks')),
      weeksUsed: parsed(wholeNumber(0, MAX_WEEKS, 'naspi.errors.weeksUsed', false)),
      pay: parsed(parseEuroCents),
      age: parsed(wholeNumber(15, 99, 'naspi.errors.age')),
      recentExit: z.enum(['yes', 'no'], { message: 'errors.choose' }),
      weeksSinceExit: parsed(wholeNumber(0, 52, 'naspi.errors.weeksSinceExit', false)),
    })
    .superRefine((f, ctx) => {
      if ((f.weeksUsed ?? 0) > (f.weeks ?? 0))
        ctx.addIssue({ code: 'custom', path: ['weeksUsed'], message: 'naspi.errors.weeksUsed' });
      if (f.recentExit === 'yes' && f.weeksSinceExit === null)
        ctx.addIssue({
          code: 'custom',
          path: ['weeksSinceExit'],
          message: 'naspi.errors.weeksSinceExitRequired',
        });
    })
    .transform(
      (f): AssessmentInput => ({
        employment: f.employment,
        termination: f.termination,
        endDate: f.endDate,
        contributionWeeks: f.weeks ?? 0,
        weeksAlreadyUsed: f.weeksUsed ?? 0,
        taxablePayCents: f.pay,
        ageAtClaim: f.age ?? 0,
        recentVoluntaryExit: f.recentExit === 'yes',
        weeksSinceVoluntaryExit: f.recentExit === 'yes' ? f.weeksSinceExit : null,
      }),
    );
}

export type NaspiFormResult =
  | { ok: true; data: AssessmentInput; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

/** Like parseForm, but our own message keys ('naspi.errors.*') are translated too. */
export function parseNaspiForm(query: unknown, t: Translate, today: string): NaspiFormResult {
  const values = formValues(query);
  const input: Record<string, string> = {};
  for (const f of NASPI_FIELDS) input[f] = (values[f] ?? '').slice(0, 200);
  const result = naspiFormSchema(today).safeParse(input);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    const known = issue.message.startsWith('errors.') || issue.message.startsWith('naspi.errors.');
    errors[field] = t(known ? issue.message : 'errors.invalid');
  }
  return { ok: false, errors, values };
}

/** True when the query carries at least one answer (a submitted form, not a first visit). */
export function hasAnswers(values: FormValues): boolean {
  return NASPI_FIELDS.some((f) => values[f] !== undefined);
}

// ---------------------------------------------------------------------------------------------------
// Pages

const BASE = '/sostegni/naspi';

function money(lang: string, cents: number): string {
  return numberFormat(lang, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

function longDate(lang: string, iso: string): string {
  return dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

function decimal(lang: string, n: number): string {
  return numberFormat(lang, { maximumFractionDigits: 2 }).format(n);
}

/** The answers as a query string, to go back to the form with them (and to bookmark the result). */
function answersQuery(values: FormValues): string {
  const q = new URLSearchParams();
  for (const f of NASPI_FIELDS) {
    const v = values[f];
    if (v !== undefined) q.set(f, v.slice(0, 200));
  }
  return q.toString();
}

function NaspiFormPage({
  ctx,
  values,
  errors = {},
}: {
  ctx: RequestContext;
  values: FormValues;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('naspi.title')}>
      <h1>{t('naspi.title')}</h1>
      <p class="lead">{t('naspi.intro')}</p>
      <p>
        <strong>{t('naspi.estimateNotice')}</strong>{' '}
        <a href={`${BASE}/ipotesi`}>{t('naspi.assumptionsLink')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="get" action={`${BASE}/risultato`} novalidate>
        <input type="hidden" name="lang" value={ctx.lang} />
        <h2 class="h4 mt-4">{t('naspi.sections.job')}</h2>
        <RadioGroup
          name="employment"
          label={t('naspi.fields.employment')}
          values={values}
          errors={errors}
          options={EMPLOYMENTS.map((e) => ({ value: e, label: t(`naspi.employments.${e}`) }))}
        />
        <RadioGroup
          name="termination"
          label={t('naspi.fields.termination')}
          values={values}
          errors={errors}
          options={TERMINATIONS.map((e) => ({ value: e, label: t(`naspi.terminations.${e}`) }))}
        />
        <TextField
          name="endDate"
          inputmode="numeric"
          label={t('naspi.fields.endDate')}
          hint={t('naspi.fields.endDateHint')}
          values={values}
          errors={errors}
          maxLength={10}
        />
        <h2 class="h4 mt-4">{t('naspi.sections.contributions')}</h2>
        <TextField
          name="weeks"
          label={t('naspi.fields.weeks')}
          hint={t('naspi.fields.weeksHint')}
          inputmode="numeric"
          values={values}
          errors={errors}
          maxLength={3}
        />
        <TextField
          name="weeksUsed"
          label={t('naspi.fields.weeksUsed')}
          hint={t('naspi.fields.weeksUsedHint')}
          inputmode="numeric"
          values={values}
          errors={errors}
          maxLength={3}
        />
        <TextField
          name="pay"
          label={t('naspi.fields.pay')}
          hint={t('naspi.fields.payHint')}
          inputmode="decimal"
          values={values}
          errors={errors}
          maxLength={20}
        />
        <h2 class="h4 mt-4">{t('naspi.sections.you')}</h2>
        <TextField
          name="age"
          label={t('naspi.fields.age')}
          hint={t('naspi.fields.ageHint')}
          inputmode="numeric"
          values={values}
          errors={errors}
          maxLength={2}
        />
        <RadioGroup
          name="recentExit"
          label={t('naspi.fields.recentExit')}
          hint={t('naspi.fields.recentExitHint')}
          values={values}
          errors={errors}
          options={[
            { value: 'no', label: t('naspi.no') },
            { value: 'yes', label: t('naspi.yes') },
          ]}
        />
        <TextField
          name="weeksSinceExit"
          label={t('naspi.fields.weeksSinceExit')}
          hint={t('naspi.fields.weeksSinceExitHint')}
          inputmode="numeric"
          values={values}
          errors={errors}
          maxLength={2}
        />
        <SubmitButton>{t('naspi.submit')}</SubmitButton>
      </form>
    </Layout>
  );
}

function NaspiResultPage({
  ctx,
  values,
  assessment,
}: {
  ctx: RequestContext;
  values: FormValues;
  assessment: Assessment;
}) {
  const { t, lang } = ctx;
  const { eligibility, parameters, estimate } = assessment;
  const p = parameters.parameters;
  return (
    <Layout ctx={ctx} title={t('naspi.result.title')} wide>
      <h1>{t('naspi.result.title')}</h1>
      {eligibility.eligible === 'probably' ? (
        <div class="alert alert-success" role="status">
          <h2 class="h4">{t('naspi.result.probably')}</h2>
          <p class="mb-0">
            {t('naspi.result.deadline', { date: longDate(lang, eligibility.claimDeadline) })}
          </p>
        </div>
      ) : (
        <div class="alert alert-warning" role="status">
          <h2 class="h4">{t('naspi.result.no')}</h2>
          <p>{t('naspi.result.reasonsIntro')}</p>
          <ul>
            {eligibility.reasons.map((r) => (
              <li>{t(`naspi.reasons.${r}`)}</li>
            ))}
          </ul>
          <p class="mb-0">{t('naspi.result.noHelp')}</p>
        </div>
      )}
      <p>
        <strong>{t('naspi.estimateNotice')}</strong>{' '}
        <a href={`${BASE}/ipotesi`}>{t('naspi.assumptionsLink')}</a>
      </p>
      {estimate && (
        <>
          <h2 class="h4 mt-4">{t('naspi.result.amountHeading')}</h2>
          {parameters.fallback && (
            <Notice kind="warning">
              {t('naspi.result.fallback', { year: parameters.requestedYear, applied: p.year })}
            </Notice>
          )}
          <dl class="row">
            <dt class="col-sm-5">{t('naspi.result.averagePay')}</dt>
            <dd class="col-sm-7">{money(lang, estimate.averageMonthlyPayCents)}</dd>
            <dt class="col-sm-5">{t('naspi.result.monthlyAmount')}</dt>
            <dd class="col-sm-7">
              <strong>{money(lang, estimate.monthlyAmountCents)}</strong>
              {estimate.cappedAtMaximum && ` ${t('naspi.result.capped')}`}
            </dd>
            <dt class="col-sm-5">{t('naspi.result.duration')}</dt>
            <dd class="col-sm-7">
              {t('naspi.result.durationValue', {
                weeks: decimal(lang, estimate.durationWeeks),
                months: decimal(lang, estimate.durationMonths),
              })}
              {estimate.durationCapped && ` ${t('naspi.result.durationCapped')}`}
            </dd>
            <dt class="col-sm-5">{t('naspi.result.reduction')}</dt>
            <dd class="col-sm-7">
              {t('naspi.result.reductionValue', { month: estimate.reductionFromMonth })}
            </dd>
            <dt class="col-sm-5">{t('naspi.result.total')}</dt>
            <dd class="col-sm-7">{money(lang, estimate.totalCents)}</dd>
          </dl>
          <p>{t('naspi.result.gross')}</p>
          <div class="table-responsive">
            <table class="table table-sm">
              <caption>{t('naspi.result.scheduleCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('naspi.result.month')}</th>
                  <th scope="col" class="text-end">
                    {t('naspi.result.amount')}
                  </th>
                  <th scope="col">{t('naspi.result.note')}</th>
                </tr>
              </thead>
              <tbody>
                {estimate.schedule.map((r) => (
                  <tr>
                    <th scope="row">{t('naspi.result.monthN', { month: r.month })}</th>
                    <td class="text-end">{money(lang, r.amountCents)}</td>
                    <td>
                      {r.partialDays !== null
                        ? t('naspi.result.partialNote', { days: r.partialDays })
                        : r.reduced
                          ? t('naspi.result.reducedNote')
                          : t('naspi.result.fullNote')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p class="small">
        {t('naspi.result.parametersUsed', {
          year: p.year,
          threshold: money(lang, p.thresholdCents),
          maximum: money(lang, p.maximumCents),
          source: p.source,
        })}
      </p>
      <ul class="sl-inline-list">
        <li>
          <a href={`${BASE}?${answersQuery(values)}`}>{t('naspi.result.change')}</a>
        </li>
        <li>
          <a href={BASE}>{t('naspi.result.again')}</a>
        </li>
      </ul>
    </Layout>
  );
}

function NaspiAssumptionsPage({ ctx }: { ctx: RequestContext }) {
  const { t, lang } = ctx;
  const rules = ['rule1', 'rule2', 'rule3', 'rule4', 'rule5', 'rule6', 'rule7', 'rule8'] as const;
  const limits = ['limit1', 'limit2', 'limit3', 'limit4'] as const;
  return (
    <Layout ctx={ctx} title={t('naspi.assumptions.title')} wide>
      <h1>{t('naspi.assumptions.title')}</h1>
      <p class="lead">{t('naspi.assumptions.intro')}</p>
      <div class="alert alert-info" role="note">
        {t('naspi.assumptions.notDecision')}
      </div>
      <h2 class="h4 mt-4">{t('naspi.assumptions.rulesHeading')}</h2>
      <ul>
        {rules.map((r) => (
          <li>{t(`naspi.assumptions.${r}`)}</li>
        ))}
      </ul>
      <h2 class="h4 mt-4">{t('naspi.assumptions.limitsHeading')}</h2>
      <ul>
        {limits.map((r) => (
          <li>{t(`naspi.assumptions.${r}`)}</li>
        ))}
      </ul>
      <h2 class="h4 mt-4">{t('naspi.assumptions.parametersHeading')}</h2>
      <div class="table-responsive">
        <table class="table table-sm">
          <caption>{t('naspi.assumptions.parametersCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('naspi.assumptions.year')}</th>
              <th scope="col" class="text-end">
                {t('naspi.assumptions.threshold')}
              </th>
              <th scope="col" class="text-end">
                {t('naspi.assumptions.maximum')}
              </th>
              <th scope="col">{t('naspi.assumptions.source')}</th>
            </tr>
          </thead>
          <tbody>
            {PARAMETERS.map((p) => (
              <tr>
                <th scope="row">{p.year}</th>
                <td class="text-end">{money(lang, p.thresholdCents)}</td>
                <td class="text-end">{money(lang, p.maximumCents)}</td>
                <td>{p.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={BASE}>{t('naspi.assumptions.back')}</a>
      </p>
    </Layout>
  );
}

/** Public pages: the self-check works before signing in and without JavaScript (GET forms). */
export function registerNaspiRoutes(routes: RouteCatalogue, _deps: { db: Db }): void {
  routes.get(BASE, 'public', async (req, reply) => {
    const values = formValues(req.query);
    if (!hasAnswers(values)) values.recentExit = 'no';
    return sendPage(reply, NaspiFormPage({ ctx: req.ctx, values }));
  });

  routes.get(
    `${BASE}/risultato`,
    'public',
    async (req, reply) => {
      const today = todayInRome();
      const form = parseNaspiForm(req.query, req.ctx.t, today);
      if (!form.ok)
        return sendPage(
          reply,
          NaspiFormPage({ ctx: req.ctx, values: form.values, errors: form.errors }),
          400,
        );
      const assessment = assess(form.data, today);
      return sendPage(reply, NaspiResultPage({ ctx: req.ctx, values: form.values, assessment }));
    },
    true,
  );

  routes.get(`${BASE}/ipotesi`, 'public', async (req, reply) =>
    sendPage(reply, NaspiAssumptionsPage({ ctx: req.ctx })),
  );
}
