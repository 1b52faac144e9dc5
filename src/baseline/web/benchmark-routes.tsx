import type { ComponentChildren } from 'preact';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { type Figure, type IndicatorKind, parsePeriod } from '../../indicators/domain/indicators.ts';
import { romeDay } from '../../indicators/use-cases/facts.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { numberFormat } from '../../platform/i18n/format.ts';
import { ErrorSummary, type FieldErrors, TextField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { type IndicatorComparison, visibleTo } from '../domain/benchmark.ts';
import { type RegionName, regionComparison, regionsCompared } from '../use-cases/benchmark.ts';
import { GroupedBars } from './bars.tsx';

const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 40) : '');

function ScrollingTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="table-responsive" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

function show(ctx: RequestContext, kind: IndicatorKind, f: Figure): string {
  if (f.suppressed && f.subjects > 0) return ctx.t('baseline.suppressed');
  if (f.value === null) return '—';
  const n = numberFormat(ctx.lang === 'ar' ? 'ar-u-nu-latn' : ctx.lang, {
    maximumFractionDigits: 1,
  }).format(f.value);
  return kind === 'rate' ? `${n}%` : n;
}

function showChange(ctx: RequestContext, kind: IndicatorKind, change: number | null): string {
  if (change === null) return '—';
  const n = numberFormat(ctx.lang === 'ar' ? 'ar-u-nu-latn' : ctx.lang, {
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(change);
  return kind === 'rate' ? ctx.t('baseline.benchmark.points', { n }) : n;
}

function Comparison({
  ctx,
  c,
  names,
  national,
}: {
  ctx: RequestContext;
  c: IndicatorComparison;
  names: Map<string, string>;
  national: boolean;
}) {
  const { t } = ctx;
  const name = t(`indicators.names.${c.id}`);
  const rows = [
    ...c.regions.map((r) => ({ label: names.get(r.region) ?? r.region, ...r })),
    { label: t('baseline.benchmark.national'), region: '', rank: null, ...c.national },
  ];
  const bars = rows.map((r) => ({
    label: r.label,
    values: [r.figure.value],
    texts: [show(ctx, c.kind, r.figure)],
  }));
  return (
    <section class="mb-5" aria-labelledby={`h-${c.id}`}>
      <h2 class="h4" id={`h-${c.id}`}>
        {name}
      </h2>
      <p>
        {t(`indicators.help.${c.id}`)}{' '}
        {c.direction === null
          ? t('baseline.benchmark.notRanked')
          : national
            ? t(`baseline.benchmark.direction.${c.direction}`)
            : ''}
      </p>
      <GroupedBars
        id={`chart-${c.id}`}
        title={name}
        desc={bars.map((b) => `${b.label}: ${b.texts[0]}`).join('; ')}
        series={[t('baseline.benchmark.value')]}
        bars={bars}
      />
      <ScrollingTable label={t('baseline.tableOf', { name })}>
        <table class="table table-sm">
          <caption>{t('baseline.tableOf', { name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('baseline.region')}</th>
              {national && c.direction !== null ? <th scope="col">{t('baseline.benchmark.rank')}</th> : null}
              <th scope="col">{t('baseline.benchmark.value')}</th>
              <th scope="col">{t('baseline.benchmark.previous')}</th>
              <th scope="col">{t('baseline.benchmark.change')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.label}</th>
                {national && c.direction !== null ? <td>{r.rank === null ? '—' : String(r.rank)}</td> : null}
                <td>{show(ctx, c.kind, r.figure)}</td>
                <td>{show(ctx, c.kind, r.previous)}</td>
                <td>{showChange(ctx, c.kind, r.change)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </section>
  );
}

/** /nazionale/confronto: Regions on the same indicator definitions (issue 9 item 4). */
export function registerBenchmarkRoutes(routes: RouteCatalogue, deps: CaseworkPorts): void {
  routes.get('/nazionale/confronto', ['national_manager', 'regional_manager'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = ctx.user!;
    const q = req.query as Record<string, unknown>;
    const values = { dal: str(q.dal), al: str(q.al) };
    const parsed = parsePeriod(values.dal, values.al, romeDay(new Date()));
    const errors: FieldErrors = {};
    if (!parsed.ok) {
      if (parsed.errors.from) errors.dal = t(parsed.errors.from);
      if (parsed.errors.to) errors.al = t(parsed.errors.to);
    }
    const national = user.role === 'national_manager';
    const regions: RegionName[] = await regionsCompared(deps.db);
    const names = new Map(regions.map((r) => [r.code, r.name]));
    const comparison = parsed.ok
      ? visibleTo(await regionComparison(deps.db, parsed.period), { national, region: user.regionCode })
      : null;
    const title = t('baseline.benchmark.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p class="lead">
          {national ? t('baseline.benchmark.leadNational') : t('baseline.benchmark.leadRegion')}
        </p>
        <form method="get" action="/nazionale/confronto" class="mb-3" novalidate>
          <TextField
            name="dal"
            label={t('indicators.from')}
            hint={t('indicators.dateHint')}
            values={values}
            errors={errors}
            maxLength={10}
          />
          <TextField
            name="al"
            label={t('indicators.to')}
            hint={t('indicators.dateHint')}
            values={values}
            errors={errors}
            maxLength={10}
          />
          <button type="submit" class="btn btn-outline-primary btn-sm">
            {t('baseline.decisions.show')}
          </button>
        </form>
        {comparison && parsed.ok ? (
          <>
            <p>{t('baseline.benchmark.period', { from: parsed.period.from, to: parsed.period.to })}</p>
            <p>{t('baseline.benchmark.explain')}</p>
            {comparison.map((c) => (
              <Comparison ctx={ctx} c={c} names={names} national={national} />
            ))}
          </>
        ) : null}
      </Layout>,
      parsed.ok ? 200 : 400,
    );
  });
}
