import type { FastifyReply } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { numberFormat } from '../../platform/i18n/format.ts';
import { CsrfField, ErrorSummary, Notice, SelectField, TextField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  type Figure,
  INDICATORS,
  type IndicatorKind,
  isTarget,
  PLANNED,
  PLANNED_TARGETS,
  parsePeriod,
  SUPPRESSION_THRESHOLD,
  splitDimension,
  TARGETS,
  type Target,
} from '../domain/indicators.ts';
import {
  type IndicatorFigures,
  indicatorFigures,
  lastRefresh,
  officesOf,
  scopeOf,
} from '../use-cases/dashboard.ts';
import { refreshFacts, romeDay } from '../use-cases/facts.ts';
import { BarChart } from './chart.tsx';

const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 40) : '');

/** A dimension in words: 'service:orientamento' → the service's name. */
export function dimensionLabel(ctx: RequestContext, dimension: string): string {
  const [prefix, value] = splitDimension(dimension);
  if (prefix === 'all') return ctx.t('indicators.all');
  if (prefix === 'tier')
    return value === 'none' ? ctx.t('indicators.noTier') : ctx.t('indicators.tier', { tier: value });
  const key = prefix === 'service' ? `agenda.services.${value}` : `indicators.dims.${prefix}.${value}`;
  const label = ctx.t(key);
  return label === key ? value : label;
}

export function formatFigure(ctx: RequestContext, kind: IndicatorKind, f: Figure): string {
  if (f.suppressed) return ctx.t('indicators.suppressed');
  if (f.value === null) return '—';
  const n = numberFormat(ctx.lang === 'ar' ? 'ar-u-nu-latn' : ctx.lang, {
    maximumFractionDigits: 1,
  }).format(f.value);
  return kind === 'rate' ? `${n}%` : n;
}

const csvCell = (v: string) => (/[";\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvNumber = (f: Figure) => (f.suppressed || f.value === null ? '' : String(f.value));

function ScrollingTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="table-responsive" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

function IndicatorSection({ ctx, fig }: { ctx: RequestContext; fig: IndicatorFigures }) {
  const { t } = ctx;
  const name = t(`indicators.names.${fig.id}`);
  const rows = [{ dimension: 'all', figure: fig.total }, ...fig.byDimension];
  const bars = rows.map((r) => ({
    label: dimensionLabel(ctx, r.dimension),
    value: r.figure.value,
    text: formatFigure(ctx, fig.kind, r.figure),
  }));
  const id = `chart-${fig.id}`;
  return (
    <section class="mb-5" aria-labelledby={`h-${fig.id}`}>
      <h2 class="h4" id={`h-${fig.id}`}>
        {name}
      </h2>
      <p>{t(`indicators.help.${fig.id}`)}</p>
      <div class="row">
        <div class="col-lg-7">
          <BarChart
            id={id}
            title={name}
            desc={bars.map((b) => `${b.label}: ${b.text}`).join('; ')}
            bars={bars}
          />
        </div>
        <div class="col-lg-5">
          <ScrollingTable label={t('indicators.tableOf', { name })}>
            <table class="table table-sm">
              <caption>{t('indicators.tableOf', { name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('indicators.dimension')}</th>
                  <th scope="col">{t(`indicators.unit.${fig.kind}`)}</th>
                </tr>
              </thead>
              <tbody>
                {bars.map((b) => (
                  <tr>
                    <th scope="row">{b.label}</th>
                    <td>{b.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollingTable>
        </div>
      </div>
    </section>
  );
}

function csvOf(ctx: RequestContext, figures: IndicatorFigures[]): string {
  const lines = [['indicator', 'name', 'dimension', 'dimension_label', 'value', 'suppressed']];
  for (const fig of figures) {
    for (const r of [{ dimension: 'all', figure: fig.total }, ...fig.byDimension]) {
      lines.push([
        fig.id,
        ctx.t(`indicators.names.${fig.id}`),
        r.dimension,
        dimensionLabel(ctx, r.dimension),
        csvNumber(r.figure),
        r.figure.suppressed ? 'yes' : 'no',
      ]);
    }
  }
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** The managers' dashboard (/regione/indicatori): filters in the query string, charts, tables, CSV. */
export function registerIndicatorRoutes(routes: RouteCatalogue, deps: CaseworkPorts): void {
  registerRefresh(routes, deps);
  routes.get('/regione/indicatori', ['regional_manager', 'cpi_operator'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = ctx.user!;
    const scope = scopeOf(user);
    if (!scope) return reply.callNotFound();
    const q = req.query as Record<string, unknown>;
    const values = {
      dal: str(q.dal),
      al: str(q.al),
      ufficio: str(q.ufficio),
      target: str(q.target) || 'all',
    };
    const today = romeDay(new Date());
    const parsed = parsePeriod(values.dal, values.al, today);
    const errors: Record<string, string> = {};
    if (!parsed.ok) {
      if (parsed.errors.from) errors.dal = t(parsed.errors.from);
      if (parsed.errors.to) errors.al = t(parsed.errors.to);
    }
    const offices = await officesOf(deps.db, user.regionCode, scope);
    let officeId: string | null = scope.kind === 'office' ? scope.officeId : null;
    if (scope.kind === 'region' && values.ufficio !== '') {
      if (offices.some((o) => o.id === values.ufficio)) officeId = values.ufficio;
      else errors.ufficio = t('indicators.errors.office');
    }
    const target: Target = isTarget(values.target) ? values.target : 'all';
    if (!isTarget(values.target)) errors.target = t('indicators.errors.target');
    const period = parsed.period;
    const failed = Object.keys(errors).length > 0;
    const figures = await indicatorFigures(deps.db, user.regionCode, {
      period,
      officeId: failed ? (scope.kind === 'office' ? scope.officeId : null) : officeId,
      target: failed ? 'all' : target,
    });
    if (q.formato === 'csv') {
      if (failed)
        return reply.status(400).type('text/plain; charset=utf-8').send(Object.values(errors).join('\n'));
      return sendCsv(reply, `indicatori-${period.from}-${period.to}.csv`, csvOf(ctx, figures));
    }
    const refreshed = await lastRefresh(deps.db, user.regionCode);
    const title = t('indicators.title');
    const query = new URLSearchParams({ dal: period.from, al: period.to, target: failed ? 'all' : target });
    if (officeId && !failed) query.set('ufficio', officeId);
    query.set('formato', 'csv');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        {q.ok === 'ricalcolati' && !failed ? (
          <Notice kind="success">{t('indicators.refreshed')}</Notice>
        ) : null}
        <ErrorSummary ctx={ctx} errors={errors} />
        <p class="lead">
          {t(scope.kind === 'region' ? 'indicators.scopeRegion' : 'indicators.scopeOffice', period)}
        </p>
        <form method="get" action="/regione/indicatori" class="mb-4" novalidate>
          <fieldset>
            <legend class="sl-label">{t('indicators.filters')}</legend>
            <div class="row">
              <div class="col-md-3">
                <TextField
                  name="dal"
                  label={t('indicators.from')}
                  hint={t('indicators.dateHint')}
                  values={{ dal: values.dal || period.from }}
                  errors={errors}
                  maxLength={10}
                />
              </div>
              <div class="col-md-3">
                <TextField
                  name="al"
                  label={t('indicators.to')}
                  hint={t('indicators.dateHint')}
                  values={{ al: values.al || period.to }}
                  errors={errors}
                  maxLength={10}
                />
              </div>
              {scope.kind === 'region' ? (
                <div class="col-md-3">
                  <SelectField
                    name="ufficio"
                    label={t('indicators.office')}
                    values={values}
                    errors={errors}
                    options={[
                      { value: '', label: t('indicators.allOffices') },
                      ...offices.map((o) => ({ value: o.id, label: o.name })),
                    ]}
                  />
                </div>
              ) : null}
              <div class="col-md-3">
                <SelectField
                  name="target"
                  label={t('indicators.target')}
                  values={values}
                  errors={errors}
                  options={TARGETS.map((v) => ({ value: v, label: t(`indicators.targets.${v}`) }))}
                />
              </div>
            </div>
          </fieldset>
          <button type="submit" class="btn btn-primary">
            {t('indicators.show')}
          </button>
        </form>
        <p>
          {t('indicators.suppression', { n: SUPPRESSION_THRESHOLD })}{' '}
          {refreshed
            ? t('indicators.refreshedAt', { when: refreshed.toISOString().slice(0, 16).replace('T', ' ') })
            : t('indicators.neverRefreshed')}
        </p>
        <p>
          <a href={`/regione/indicatori?${query.toString()}`}>{t('indicators.csv')}</a>
        </p>
        {scope.kind === 'region' ? (
          <form method="post" action="/regione/indicatori/ricalcola" class="mb-4">
            <CsrfField ctx={ctx} />
            <button type="submit" class="btn btn-outline-primary btn-sm">
              {t('indicators.refresh')}
            </button>
          </form>
        ) : null}
        {figures.map((fig) => (
          <IndicatorSection ctx={ctx} fig={fig} />
        ))}
        <h2 class="h4">{t('indicators.plannedTitle')}</h2>
        <ul>
          {PLANNED.map((p) => (
            <li>{t(`indicators.planned.${p}`)}</li>
          ))}
          {PLANNED_TARGETS.map((p) => (
            <li>{t(`indicators.planned.${p}`)}</li>
          ))}
        </ul>
        <p>
          <a href="/dati-aperti/indicatori">{t('indicators.openDataLink')}</a>
        </p>
      </Layout>,
      failed ? 400 : 200,
    );
  });
}

/** Recomputes the Region's facts now (the daily job does it at night), then back to the dashboard. */
function registerRefresh(routes: RouteCatalogue, deps: CaseworkPorts): void {
  routes.post('/regione/indicatori/ricalcola', ['regional_manager'], async (req, reply) => {
    const user = req.ctx.user!;
    const done = await refreshFacts(deps.db, user.regionCode, new Date());
    await deps.audit.record({
      regionCode: user.regionCode,
      action: 'indicators.refreshed',
      outcome: 'ok',
      actor: actorOf(user),
      details: done,
    });
    return reply.redirect('/regione/indicatori?ok=ricalcolati', 303);
  });
}

export function sendCsv(reply: FastifyReply, filename: string, body: string, publicData = false) {
  if (publicData) reply.header('Cache-Control', 'public, max-age=3600');
  return reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${filename}"`)
    .send(body);
}

export const INDICATOR_IDS = INDICATORS.map((d) => d.id);
