import type { ComponentChildren } from 'preact';
import type { CaseworkPorts } from '../../casework/deps.ts';
import type { Figure } from '../../indicators/domain/indicators.ts';
import { SUPPRESSION_THRESHOLD } from '../../indicators/domain/indicators.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { numberFormat as cachedNumberFormat } from '../../platform/i18n/format.ts';
import { ErrorPage } from '../../platform/ui/error-page.tsx';
import { ErrorSummary, type FieldErrors, SelectField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  DECISION_TABLES,
  DECISIONS,
  type DecisionRow,
  DIGITISABLE,
  filterDecisions,
  INFRA_ITEMS,
  infrastructureCounts,
  PARTICIPANTS,
  PHASES,
  type PlusMinusRow,
  parseDecisionFilter,
  QUESTIONNAIRES,
  REPORT_TABLES,
  type RegionAnswers,
  type ReportTable,
  type ScoresRow,
} from '../domain/report.ts';
import { MEASURE_MONTHS, type Measured, measuredByService } from '../use-cases/measured.ts';
import { GroupedBars } from './bars.tsx';

/** The browsable sections: the §2.4–§2.8 tables plus §2.4 infrastructure rebuilt from the annex. */
export const SECTIONS = ['infrastrutture', ...REPORT_TABLES.map((t) => t.id)] as const;

/** Which questionnaire section holds each Region's own answers to a table. */
const ANNEX_OF: Record<string, keyof RegionAnswers['answers']> = {
  infrastrutture: 's2',
  'efficienza-cpi': 's3_1',
  'efficienza-privati': 's3_2',
  efficacia: 's4',
  'target-fragili': 's7_1',
};

function ScrollingTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="table-responsive" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

const numberFormat = (ctx: RequestContext) =>
  cachedNumberFormat(ctx.lang === 'ar' ? 'ar-u-nu-latn' : ctx.lang, { maximumFractionDigits: 1 });

const itemLabel = (ctx: RequestContext, item: string) => ctx.t(`baseline.items.${item}`);

function sectionTitle(ctx: RequestContext, id: string): string {
  return ctx.t(`baseline.sections.${id}.title`);
}

function sectionRef(id: string): string {
  if (id === 'infrastrutture') return '2.4';
  return REPORT_TABLES.find((t) => t.id === id)?.section ?? '';
}

/** /rapporto: what the report is, its tables, the decision table. */
function IndexPage({ ctx }: { ctx: RequestContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('baseline.index.title')}>
      <h1>{t('baseline.index.title')}</h1>
      <p class="lead">{t('baseline.index.lead', { n: PARTICIPANTS })}</p>
      <p>{t('baseline.index.caveat')}</p>
      <h2 class="h4">{t('baseline.index.tables')}</h2>
      <ul>
        {SECTIONS.map((s) => (
          <li>
            <a href={`/rapporto/tavole/${s}`}>{sectionTitle(ctx, s)}</a>{' '}
            {t('baseline.sectionRef', { section: sectionRef(s) })}
          </li>
        ))}
      </ul>
      <h2 class="h4">{t('baseline.index.decisions')}</h2>
      <p>
        <a href="/rapporto/decisioni">{t('baseline.decisions.title')}</a>
      </p>
      <p>{t('baseline.index.decisionsExplain')}</p>
    </Layout>
  );
}

function PlusMinusSection({ ctx, id, rows }: { ctx: RequestContext; id: string; rows: PlusMinusRow[] }) {
  const { t } = ctx;
  const num = numberFormat(ctx);
  const title = sectionTitle(ctx, id);
  const show = (v: number | null) => (v === null ? '—' : num.format(v));
  const bars = rows.map((r) => ({
    label: itemLabel(ctx, r.item),
    values: [r.plus, r.minus],
    texts: [show(r.plus), show(r.minus)],
  }));
  return (
    <>
      <GroupedBars
        id={`chart-${id}`}
        title={title}
        desc={bars
          .map((b) => `${b.label}: ${t('baseline.plus')} ${b.texts[0]}, ${t('baseline.minus')} ${b.texts[1]}`)
          .join('; ')}
        series={[t('baseline.plus'), t('baseline.minus')]}
        bars={bars}
        max={PARTICIPANTS}
      />
      <ScrollingTable label={t('baseline.tableOf', { name: title })}>
        <table class="table table-sm">
          <caption>{t('baseline.tableOf', { name: title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('baseline.item')}</th>
              <th scope="col">{t('baseline.plus')}</th>
              <th scope="col">{t('baseline.minus')}</th>
              <th scope="col">{t('baseline.remark')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">
                  {itemLabel(ctx, r.item)}
                  {r.added ? ` ${t('baseline.added')}` : ''}
                </th>
                <td>{show(r.plus)}</td>
                <td>{show(r.minus)}</td>
                <td lang="it">{r.remark ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </>
  );
}

function ScoresSection({ ctx, id, rows }: { ctx: RequestContext; id: string; rows: ScoresRow[] }) {
  const { t } = ctx;
  const num = numberFormat(ctx);
  const title = sectionTitle(ctx, id);
  const stats = rows.map((r) => {
    const scores = r.scores.filter((s): s is number => typeof s === 'number');
    const mean = scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
    return { row: r, mean, answered: scores.length };
  });
  const bars = stats.map((s) => ({
    label: itemLabel(ctx, s.row.item),
    values: [s.mean],
    texts: [s.mean === null ? '—' : num.format(s.mean)],
  }));
  const columns = Math.max(...rows.map((r) => r.scores.length));
  return (
    <>
      <p>{t('baseline.meanExplain')}</p>
      <GroupedBars
        id={`chart-${id}`}
        title={title}
        desc={bars.map((b) => `${b.label}: ${b.texts[0]}`).join('; ')}
        series={[t('baseline.mean')]}
        bars={bars}
        max={10}
      />
      <ScrollingTable label={t('baseline.tableOf', { name: title })}>
        <table class="table table-sm">
          <caption>{t('baseline.tableOf', { name: title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('baseline.item')}</th>
              {Array.from({ length: columns }, (_, i) => (
                <th scope="col">{t('baseline.experience', { n: i + 1 })}</th>
              ))}
              <th scope="col">{t('baseline.mean')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <tr>
                <th scope="row">{itemLabel(ctx, s.row.item)}</th>
                {Array.from({ length: columns }, (_, i) => {
                  const v = s.row.scores[i];
                  return <td>{v === undefined || v === null ? '—' : String(v)}</td>;
                })}
                <td>{s.mean === null ? '—' : num.format(s.mean)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </>
  );
}

function InfrastructureSection({ ctx }: { ctx: RequestContext }) {
  const { t } = ctx;
  const num = numberFormat(ctx);
  const title = sectionTitle(ctx, 'infrastrutture');
  const counts = infrastructureCounts();
  const bars = counts.map((c) => ({
    label: itemLabel(ctx, c.item),
    values: [c.sufficient, c.insufficient],
    texts: [num.format(c.sufficient), num.format(c.insufficient)],
  }));
  return (
    <>
      <p>{t('baseline.infraExplain')}</p>
      <GroupedBars
        id="chart-infrastrutture"
        title={title}
        desc={bars
          .map(
            (b) =>
              `${b.label}: ${t('baseline.sufficient')} ${b.texts[0]}, ${t('baseline.insufficient')} ${b.texts[1]}`,
          )
          .join('; ')}
        series={[t('baseline.sufficient'), t('baseline.insufficient')]}
        bars={bars}
        max={PARTICIPANTS}
      />
      <ScrollingTable label={t('baseline.tableOf', { name: title })}>
        <table class="table table-sm">
          <caption>{t('baseline.tableOf', { name: title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('baseline.item')}</th>
              <th scope="col">{t('baseline.sufficient')}</th>
              <th scope="col">{t('baseline.insufficient')}</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((c) => (
              <tr>
                <th scope="row">{itemLabel(ctx, c.item)}</th>
                <td>{num.format(c.sufficient)}</td>
                <td>{num.format(c.insufficient)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </>
  );
}

/** Each Region's own answers to the questionnaire section behind a table. */
function RegionsTable({ ctx, id }: { ctx: RequestContext; id: string }) {
  const { t } = ctx;
  const key = ANNEX_OF[id];
  if (!key) return null;
  const items =
    key === 's2'
      ? [...INFRA_ITEMS]
      : [...new Set(QUESTIONNAIRES.flatMap((r) => Object.keys(r.answers[key] ?? {})))];
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'object') {
      const a = (v as { answer: string | null }).answer;
      return a === null ? '—' : t(`baseline.${a}`);
    }
    if (v === '+') return t('baseline.plus');
    if (v === '-') return t('baseline.minus');
    return String(v);
  };
  const label = t('baseline.regionsTitle');
  return (
    <>
      <h2 class="h4 mt-4">{label}</h2>
      <p>{t('baseline.regionsExplain')}</p>
      <ScrollingTable label={label}>
        <table class="table table-sm table-bordered">
          <caption class="visually-hidden">{label}</caption>
          <thead>
            <tr>
              <th scope="col">{t('baseline.region')}</th>
              {items.map((i) => (
                <th scope="col">{itemLabel(ctx, i)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {QUESTIONNAIRES.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                {items.map((i) => (
                  <td>{cell((r.answers[key] as Record<string, unknown> | null)?.[i])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </>
  );
}

function TablePage({ ctx, id }: { ctx: RequestContext; id: string }) {
  const { t } = ctx;
  const table: ReportTable | undefined = REPORT_TABLES.find((x) => x.id === id);
  const title = sectionTitle(ctx, id);
  return (
    <Layout ctx={ctx} title={title} wide>
      <p>
        <a href="/rapporto">{t('baseline.index.title')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">
        {t('baseline.sectionRef', { section: sectionRef(id) })} {t(`baseline.sections.${id}.question`)}
      </p>
      {id === 'infrastrutture' ? (
        <InfrastructureSection ctx={ctx} />
      ) : table?.kind === 'plus_minus' ? (
        <PlusMinusSection ctx={ctx} id={id} rows={table.rows} />
      ) : table?.kind === 'scores' ? (
        <ScoresSection ctx={ctx} id={id} rows={table.rows} />
      ) : null}
      {table ? (
        <p>
          {t('baseline.note')} <span lang="it">{table.note}</span>
        </p>
      ) : null}
      <RegionsTable ctx={ctx} id={id} />
    </Layout>
  );
}

function FigureCell({
  ctx,
  figure,
  unit,
}: {
  ctx: RequestContext;
  figure: Figure | undefined;
  unit: string;
}) {
  if (!figure || figure.suppressed || figure.value === null)
    return <td>{figure?.suppressed && figure.subjects > 0 ? ctx.t('baseline.suppressed') : ''}</td>;
  return <td>{`${numberFormat(ctx).format(figure.value)}${unit}`}</td>;
}

function DecisionsPage({
  ctx,
  rows,
  measured,
  values,
  errors,
}: {
  ctx: RequestContext;
  rows: DecisionRow[];
  measured: Map<string, Measured> | null;
  values: { digitizzabile: string; fase: string };
  errors: FieldErrors;
}) {
  const { t } = ctx;
  const title = t('baseline.decisions.title');
  return (
    <Layout ctx={ctx} title={title} wide>
      <p>
        <a href="/rapporto">{t('baseline.index.title')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="lead">{t('baseline.decisions.lead')}</p>
      <p>{t('baseline.decisions.measuredExplain', { months: MEASURE_MONTHS, min: SUPPRESSION_THRESHOLD })}</p>
      <form method="get" action="/rapporto/decisioni" class="mb-3" novalidate>
        <SelectField
          name="digitizzabile"
          label={t('baseline.decisions.digitisable')}
          values={values}
          errors={errors}
          options={[
            { value: '', label: t('baseline.decisions.any') },
            ...DIGITISABLE.map((d) => ({ value: d, label: t(`baseline.digitisable.${d}`) })),
          ]}
        />
        <SelectField
          name="fase"
          label={t('baseline.decisions.phase')}
          values={values}
          errors={errors}
          options={[
            { value: '', label: t('baseline.decisions.any') },
            ...PHASES.map((p) => ({ value: p, label: t(`baseline.phases.${p}`) })),
          ]}
        />
        <button type="submit" class="btn btn-outline-primary btn-sm">
          {t('baseline.decisions.show')}
        </button>
      </form>
      {measured === null ? null : rows.length === 0 ? (
        <p>{t('baseline.decisions.none')}</p>
      ) : (
        <>
          <p>{t('baseline.decisions.count', { count: rows.length })}</p>
          <ScrollingTable label={title}>
            <table class="table table-sm">
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('baseline.decisions.service')}</th>
                  <th scope="col">{t('baseline.decisions.digitisable')}</th>
                  <th scope="col">{t('baseline.decisions.opinion')}</th>
                  <th scope="col">{t('baseline.decisions.phase')}</th>
                  <th scope="col">{t('baseline.decisions.platformService')}</th>
                  <th scope="col">{t('baseline.decisions.remoteShare')}</th>
                  <th scope="col">{t('baseline.decisions.satisfaction')}</th>
                  <th scope="col">{t('baseline.decisions.noShowRate')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const m = r.service ? measured.get(r.service) : undefined;
                  const table = DECISION_TABLES.find((x) => x.id === r.table);
                  return (
                    <tr id={`d-${r.id}`}>
                      <th scope="row">
                        <span lang="it">{r.name}</span>
                        {r.description ? (
                          <details>
                            <summary>{t('baseline.decisions.description')}</summary>
                            <span lang="it">{r.description}</span>
                          </details>
                        ) : null}
                      </th>
                      <td>{t(`baseline.digitisable.${r.digitisable}`)}</td>
                      <td lang="it">
                        {r.opinion} {t('baseline.sectionRef', { section: table?.section ?? r.section })}
                      </td>
                      <td>{t(`baseline.phases.${r.phase}`)}</td>
                      <td>
                        {r.service ? t(`agenda.services.${r.service}`) : t('baseline.decisions.notMeasured')}
                      </td>
                      <FigureCell ctx={ctx} figure={m?.remoteShare} unit="%" />
                      <FigureCell ctx={ctx} figure={m?.satisfaction} unit="/5" />
                      <FigureCell ctx={ctx} figure={m?.noShowRate} unit="%" />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollingTable>
        </>
      )}
    </Layout>
  );
}

/**
 * The measured figures are read from the raw appointments and answers of 12 months: a public page
 * must not run that on every request, so each Region's figures are kept for a few minutes.
 */
const MEASURED_TTL_MS = 5 * 60_000;

/** The report as living data: public pages (the report is public; the figures are aggregates). */
export function registerReportRoutes(routes: RouteCatalogue, deps: CaseworkPorts): void {
  const cache = new Map<string, { at: number; value: Promise<Map<string, Measured>> }>();
  const measuredFor = (region: string): Promise<Map<string, Measured>> => {
    const now = Date.now();
    const hit = cache.get(region);
    if (hit && now - hit.at < MEASURED_TTL_MS) return hit.value;
    const value = measuredByService(deps.db, region, new Date(now));
    value.catch(() => cache.delete(region));
    cache.set(region, { at: now, value });
    return value;
  };

  routes.get('/rapporto', 'public', async (req, reply) => sendPage(reply, <IndexPage ctx={req.ctx} />));

  routes.get('/rapporto/tavole/:section', 'public', async (req, reply) => {
    const ctx = req.ctx;
    const section = String((req.params as { section?: string }).section ?? '');
    if (!(SECTIONS as readonly string[]).includes(section))
      return sendPage(
        reply,
        ErrorPage({
          ctx,
          status: 404,
          title: ctx.t('errors.notFoundTitle'),
          body: ctx.t('errors.notFoundBody'),
        }),
        404,
      );
    return sendPage(reply, <TablePage ctx={ctx} id={section} />);
  });

  routes.get('/rapporto/decisioni', 'public', async (req, reply) => {
    const ctx = req.ctx;
    const parsed = parseDecisionFilter(req.query as Record<string, unknown>);
    if (!parsed.ok) {
      const errors: FieldErrors = {};
      if (parsed.errors.digitizzabile) errors.digitizzabile = ctx.t('errors.choose');
      if (parsed.errors.fase) errors.fase = ctx.t('errors.choose');
      return sendPage(
        reply,
        <DecisionsPage ctx={ctx} rows={[]} measured={null} values={parsed.values} errors={errors} />,
        400,
      );
    }
    // The signed-in person's Region, or the Region this deployment serves.
    const region = ctx.user?.regionCode ?? deps.defaultRegion;
    const measured = await measuredFor(region);
    const rows = filterDecisions(DECISIONS, parsed.filter);
    return sendPage(
      reply,
      <DecisionsPage
        ctx={ctx}
        rows={rows}
        measured={measured}
        values={{ digitizzabile: parsed.filter.digitisable, fase: parsed.filter.phase }}
        errors={{}}
      />,
    );
  });
}
