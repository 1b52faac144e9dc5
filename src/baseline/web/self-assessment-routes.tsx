import type { CaseworkPorts } from '../../casework/deps.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat, numberFormat } from '../../platform/i18n/format.ts';
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
import { INFRA_ITEMS } from '../domain/report.ts';
import {
  answersOf,
  type Baseline,
  baselineOf,
  EFFECTIVENESS_ITEMS,
  EFFICIENCY_ITEMS,
  FRAGILE_ITEMS,
  type SelfAnswers,
  selfAssessmentSchema,
  valuesOf,
} from '../domain/self-assessment.ts';
import { assessmentsOf, type StoredAssessment, saveAssessment } from '../use-cases/self-assessment.ts';

const PATH = '/regione/autovalutazione';

const romeYear = (d: Date) =>
  Number(dateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric' }).format(d));

function baselineText(ctx: RequestContext, b: Baseline): string {
  const { t } = ctx;
  if (b.kind === 'suff') return t('baseline.self.baseSuff', { n: b.sufficient, of: b.of });
  if (b.kind === 'pm') return t('baseline.self.basePm', { plus: b.plus ?? 0, minus: b.minus ?? 0 });
  return b.mean === null
    ? '—'
    : t('baseline.self.baseScore', {
        mean: numberFormat(ctx.lang === 'ar' ? 'ar-u-nu-latn' : ctx.lang).format(b.mean),
        n: b.answers,
      });
}

function answerText(ctx: RequestContext, v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  if (v === '+') return ctx.t('baseline.plus');
  if (v === '-') return ctx.t('baseline.minus');
  if (v === 'sufficient' || v === 'insufficient') return ctx.t(`baseline.${v}`);
  return String(v);
}

function Comparison({ ctx, stored }: { ctx: RequestContext; stored: StoredAssessment[] }) {
  const { t } = ctx;
  if (stored.length === 0) return <p>{t('baseline.self.noneYet')}</p>;
  const rows: { section: keyof SelfAnswers; item: string }[] = [
    ...INFRA_ITEMS.map((item) => ({ section: 's2' as const, item })),
    ...EFFICIENCY_ITEMS.map((item) => ({ section: 's3_1' as const, item })),
    ...EFFECTIVENESS_ITEMS.map((item) => ({ section: 's4' as const, item })),
    ...FRAGILE_ITEMS.map((item) => ({ section: 's7_1' as const, item })),
  ];
  const label = t('baseline.self.comparisonTitle');
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="table-responsive" tabIndex={0} aria-label={label}>
      <table class="table table-sm">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">{t('baseline.item')}</th>
            <th scope="col">{t('baseline.self.baseline2021')}</th>
            {stored.map((s) => (
              <th scope="col">{String(s.year)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{t(`baseline.items.${r.item}`)}</th>
              <td>{baselineText(ctx, baselineOf(r.section, r.item))}</td>
              {stored.map((s) => (
                <td>
                  {answerText(ctx, (s.answers[r.section] as Record<string, string | number | null>)[r.item])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Page({
  ctx,
  year,
  values,
  errors,
  stored,
  saved,
}: {
  ctx: RequestContext;
  year: number;
  values: FormValues;
  errors: FieldErrors;
  stored: StoredAssessment[];
  saved: boolean;
}) {
  const { t } = ctx;
  const title = t('baseline.self.title', { year });
  const pm = [
    { value: '', label: t('baseline.self.noAnswer') },
    { value: '+', label: t('baseline.plus') },
    { value: '-', label: t('baseline.minus') },
  ];
  return (
    <Layout ctx={ctx} title={title} wide>
      <h1>{title}</h1>
      {saved ? <Notice kind="success">{t('baseline.self.saved')}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="lead">{t('baseline.self.lead')}</p>
      <form method="post" action={PATH} novalidate>
        <CsrfField ctx={ctx} />
        <h2 class="h4">{t('baseline.sections.infrastrutture.title')}</h2>
        {INFRA_ITEMS.map((i) => (
          <RadioGroup
            name={`s2_${i}`}
            label={t(`baseline.items.${i}`)}
            values={values}
            errors={errors}
            options={[
              { value: 'sufficient', label: t('baseline.sufficient') },
              { value: 'insufficient', label: t('baseline.insufficient') },
            ]}
          />
        ))}
        <h2 class="h4">{t('baseline.sections.efficienza-cpi.title')}</h2>
        {EFFICIENCY_ITEMS.map((i) => (
          <SelectField
            name={`s31_${i}`}
            label={t(`baseline.items.${i}`)}
            values={values}
            errors={errors}
            options={pm}
          />
        ))}
        <h2 class="h4">{t('baseline.sections.efficacia.title')}</h2>
        {EFFECTIVENESS_ITEMS.map((i) => (
          <SelectField
            name={`s4_${i}`}
            label={t(`baseline.items.${i}`)}
            values={values}
            errors={errors}
            options={pm}
          />
        ))}
        <h2 class="h4">{t('baseline.sections.target-fragili.title')}</h2>
        <p>{t('baseline.self.scoreHelp')}</p>
        {FRAGILE_ITEMS.map((i) => (
          <TextField
            name={`s71_${i}`}
            label={t(`baseline.items.${i}`)}
            hint={t('baseline.self.scoreHint')}
            inputmode="numeric"
            maxLength={2}
            values={values}
            errors={errors}
          />
        ))}
        <button type="submit" class="btn btn-primary">
          {t('baseline.self.submit')}
        </button>
      </form>
      <h2 class="h4 mt-5">{t('baseline.self.comparisonTitle')}</h2>
      <p>{t('baseline.self.comparisonExplain')}</p>
      <Comparison ctx={ctx} stored={stored} />
    </Layout>
  );
}

/** The 2021 questionnaire online, once a year per Region, beside the 2021 baseline (regional managers). */
export function registerSelfAssessmentRoutes(routes: RouteCatalogue, deps: CaseworkPorts): void {
  routes.get(PATH, ['regional_manager'], async (req, reply) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const year = romeYear(new Date());
    const stored = await assessmentsOf(deps, user.regionCode);
    const current = stored.find((s) => s.year === year);
    const saved = (req.query as Record<string, unknown>).ok === 'salvato';
    return sendPage(
      reply,
      <Page
        ctx={ctx}
        year={year}
        values={current ? valuesOf(current.answers) : {}}
        errors={{}}
        stored={stored}
        saved={saved}
      />,
    );
  });

  routes.post(PATH, ['regional_manager'], async (req, reply) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const year = romeYear(new Date());
    const parsed = parseForm(selfAssessmentSchema, req.body, ctx.t);
    if (!parsed.ok) {
      const stored = await assessmentsOf(deps, user.regionCode);
      return sendPage(
        reply,
        <Page
          ctx={ctx}
          year={year}
          values={parsed.values}
          errors={parsed.errors}
          stored={stored}
          saved={false}
        />,
        400,
      );
    }
    await saveAssessment(deps, user, year, answersOf(parsed.data as Record<string, unknown>));
    return reply.redirect(`${PATH}?ok=salvato`, 303);
  });
}
