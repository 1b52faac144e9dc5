import type { ComponentChildren } from 'preact';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat, numberFormat } from '../../platform/i18n/format.ts';
import { ErrorSummary, type FieldErrors, SelectField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { HORIZON } from '../domain/model.ts';
import type { WeekLoad } from '../domain/queue.ts';
import {
  demandForecast,
  type ForecastData,
  officesInScope,
  type SeriesResult,
  serviceCodes,
} from '../use-cases/forecast.ts';
import { ForecastChart } from './chart.tsx';

/** Weeks of recorded demand drawn before the forecast. */
const SHOWN_HISTORY = 26;

const one = (v: unknown): string => (typeof v === 'string' ? v.trim().slice(0, 100) : '');

/** A table wider than the screen scrolls sideways, reachable by keyboard. */
function ScrollingTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="table-responsive" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

function formats(ctx: RequestContext) {
  const week = dateTimeFormat(ctx.lang, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const shortWeek = dateTimeFormat(ctx.lang, { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
  const num = numberFormat(ctx.lang, { maximumFractionDigits: 1 });
  return {
    week: (monday: string) => week.format(new Date(`${monday}T00:00:00Z`)),
    shortWeek: (monday: string) => shortWeek.format(new Date(`${monday}T00:00:00Z`)),
    num: (v: number) => num.format(v),
  };
}

function waitText(ctx: RequestContext, load: WeekLoad): string {
  const { t } = ctx;
  if (load.waitDays === null) return t('forecasts.wait.beyond', { days: Math.round(load.atLeastDays) });
  const days = Math.round(load.waitDays);
  return days === 0 ? t('forecasts.wait.none') : t('forecasts.wait.days', { count: days });
}

function errorText(ctx: RequestContext, result: SeriesResult): string {
  const { t } = ctx;
  const f = formats(ctx);
  if (!result.forecast.ok) return '—';
  const { mae, mape } = result.forecast.backtest;
  return mape === null
    ? t('forecasts.errorMaeOnly', { mae: f.num(mae) })
    : t('forecasts.errorBoth', { mape: f.num(mape), mae: f.num(mae) });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function Summary({ ctx, result }: { ctx: RequestContext; result: SeriesResult }) {
  const { t } = ctx;
  const f = formats(ctx);
  if (!result.forecast.ok || !result.load) {
    return (
      <div class="alert alert-info" role="status">
        <p class="mb-0">
          {t('forecasts.tooLittle', {
            weeks: result.history.length,
            needed: result.forecast.ok ? 0 : result.forecast.needed,
          })}
        </p>
      </div>
    );
  }
  const last = result.load[result.load.length - 1]!;
  return (
    <>
      {sum(result.capacity) === 0 && (
        <div class="alert alert-warning">
          <p class="mb-0">{t('forecasts.noCapacity')}</p>
        </div>
      )}
      <dl>
        <dt>{t('forecasts.summary.demand')}</dt>
        <dd>{f.num(Math.round(sum(result.forecast.forecast)))}</dd>
        <dt>{t('forecasts.summary.capacity')}</dt>
        <dd>{f.num(sum(result.capacity))}</dd>
        <dt>{t('forecasts.summary.backlog')}</dt>
        <dd>{f.num(Math.round(last.backlog))}</dd>
        <dt>{t('forecasts.summary.wait')}</dt>
        <dd>{waitText(ctx, last)}</dd>
        <dt>{t('forecasts.summary.method')}</dt>
        <dd>{t(`forecasts.methods.${result.forecast.method}`)}</dd>
        <dt>{t('forecasts.summary.backtest')}</dt>
        <dd>{errorText(ctx, result)}</dd>
      </dl>
    </>
  );
}

function Detail({ ctx, result }: { ctx: RequestContext; result: SeriesResult }) {
  const { t } = ctx;
  const f = formats(ctx);
  if (!result.forecast.ok || !result.load) return null;
  const fc = result.forecast;
  const shown = result.historyWeeks.slice(-SHOWN_HISTORY);
  const offset = result.historyWeeks.length - shown.length;
  const heldOutFrom = result.history.length - HORIZON;
  const labels = [...shown, ...result.weeks];
  const data = {
    labels: labels.map(f.shortWeek),
    history: [...shown.map((_, i) => result.history[offset + i]!), ...result.weeks.map(() => null)],
    backtest: [
      ...shown.map((_, i) =>
        offset + i >= heldOutFrom ? fc.backtest.predicted[offset + i - heldOutFrom]! : null,
      ),
      ...result.weeks.map(() => null),
    ],
    forecast: [...shown.map(() => null), ...fc.forecast],
    capacity: [...shown.map(() => null), ...result.capacity],
  };
  return (
    <>
      <h2 class="h4 mt-4" id="chart-heading">
        {t('forecasts.chartHeading')}
      </h2>
      <figure class="mb-4">
        <ForecastChart
          id="forecast-chart"
          data={data}
          format={f.num}
          text={{
            title: t('forecasts.chart.title'),
            desc: t('forecasts.chart.desc', { weeks: shown.length, horizon: HORIZON }),
            history: t('forecasts.chart.history'),
            backtest: t('forecasts.chart.backtest'),
            forecast: t('forecasts.chart.forecast'),
            capacity: t('forecasts.chart.capacity'),
          }}
        />
        <figcaption class="small">{t('forecasts.chart.caption')}</figcaption>
      </figure>
      <h2 class="h4 mt-4">{t('forecasts.tableHeading')}</h2>
      <ScrollingTable label={t('forecasts.tableHeading')}>
        <table class="table table-bordered">
          <caption>{t('forecasts.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('forecasts.col.week')}</th>
              <th scope="col">{t('forecasts.col.forecast')}</th>
              <th scope="col">{t('forecasts.col.capacity')}</th>
              <th scope="col">{t('forecasts.col.backlog')}</th>
              <th scope="col">{t('forecasts.col.wait')}</th>
            </tr>
          </thead>
          <tbody>
            {result.load.map((w, i) => (
              <tr>
                <th scope="row">{f.week(result.weeks[i]!)}</th>
                <td>{f.num(w.demand)}</td>
                <td>{f.num(w.capacity)}</td>
                <td>{f.num(w.backlog)}</td>
                <td>{waitText(ctx, w)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
      <h2 class="h4 mt-4">{t('forecasts.backtestHeading')}</h2>
      <p>{t('forecasts.backtestExplain', { horizon: HORIZON })}</p>
      <ScrollingTable label={t('forecasts.backtestHeading')}>
        <table class="table table-bordered">
          <caption>{t('forecasts.backtestCaption', { error: errorText(ctx, result) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('forecasts.col.week')}</th>
              <th scope="col">{t('forecasts.col.actual')}</th>
              <th scope="col">{t('forecasts.col.predicted')}</th>
            </tr>
          </thead>
          <tbody>
            {fc.backtest.actual.map((a, i) => (
              <tr>
                <th scope="row">{f.week(result.historyWeeks[heldOutFrom + i]!)}</th>
                <td>{f.num(a)}</td>
                <td>{f.num(fc.backtest.predicted[i]!)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
      <details class="mb-4">
        <summary>{t('forecasts.historyHeading', { weeks: shown.length })}</summary>
        <ScrollingTable label={t('forecasts.historyHeading', { weeks: shown.length })}>
          <table class="table table-sm">
            <caption>{t('forecasts.historyCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('forecasts.col.week')}</th>
                <th scope="col">{t('forecasts.col.requests')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((w, i) => (
                <tr>
                  <th scope="row">{f.week(w)}</th>
                  <td>{f.num(result.history[offset + i]!)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      </details>
    </>
  );
}

function BreakdownTable({
  ctx,
  data,
  officeName,
}: {
  ctx: RequestContext;
  data: ForecastData;
  officeName: (id: string) => string;
}) {
  const { t } = ctx;
  const f = formats(ctx);
  const { by, rows } = data.breakdown;
  if (rows.length === 0) return null;
  const heading = t(by === 'office' ? 'forecasts.byOffice' : 'forecasts.byService');
  return (
    <>
      <h2 class="h4 mt-4">{heading}</h2>
      <ScrollingTable label={heading}>
        <table class="table table-bordered">
          <caption class="visually-hidden">{heading}</caption>
          <thead>
            <tr>
              <th scope="col">{t(by === 'office' ? 'forecasts.office' : 'forecasts.service')}</th>
              <th scope="col">{t('forecasts.summary.demand')}</th>
              <th scope="col">{t('forecasts.summary.capacity')}</th>
              <th scope="col">{t('forecasts.summary.wait')}</th>
              <th scope="col">{t('forecasts.summary.method')}</th>
              <th scope="col">{t('forecasts.summary.backtest')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, result }) => {
              const name = by === 'office' ? officeName(key) : t(`agenda.services.${key}`);
              if (!result.forecast.ok || !result.load)
                return (
                  <tr>
                    <th scope="row">{name}</th>
                    <td colSpan={5}>
                      {t('forecasts.tooLittleShort', { weeks: result.history.length })}
                      {` ${t('forecasts.freeSeats', { seats: f.num(sum(result.capacity)) })}`}
                    </td>
                  </tr>
                );
              const last = result.load[result.load.length - 1]!;
              return (
                <tr>
                  <th scope="row">{name}</th>
                  <td>{f.num(Math.round(sum(result.forecast.forecast)))}</td>
                  <td>{f.num(sum(result.capacity))}</td>
                  <td>{waitText(ctx, last)}</td>
                  <td>{t(`forecasts.methods.${result.forecast.method}`)}</td>
                  <td>{errorText(ctx, result)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollingTable>
    </>
  );
}

/** `/regione/previsioni`: demand forecasts per office and service against the agenda's free seats. */
export function registerForecastRoutes(routes: RouteCatalogue, deps: { db: Db }): void {
  routes.get('/regione/previsioni', ['regional_manager', 'cpi_operator'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = ctx.user!;
    const q = req.query as Record<string, unknown>;
    const offices = await officesInScope(deps.db, user);
    const services = await serviceCodes(deps.db, user.regionCode);
    const manager = user.role === 'regional_manager';
    const askedOffice = one(q.ufficio);
    const askedService = one(q.servizio);
    const errors: FieldErrors = {};
    if (askedOffice !== '' && !offices.some((o) => o.id === askedOffice))
      errors.ufficio = t('forecasts.errors.office', { value: askedOffice });
    if (askedService !== '' && !services.includes(askedService))
      errors.servizio = t('forecasts.errors.service', { value: askedService });
    const failed = Object.keys(errors).length > 0;
    // An operator sees their own office; a manager the whole Region or one office.
    const officeIds = askedOffice && !failed ? [askedOffice] : offices.map((o) => o.id);
    const data =
      failed || offices.length === 0
        ? null
        : await demandForecast(
            deps.db,
            { regionCode: user.regionCode, officeIds, service: askedService || null, now: new Date() },
            services,
          );
    const nameOf = (id: string) => offices.find((o) => o.id === id)?.name ?? id;
    const f = formats(ctx);
    const title = t('forecasts.title');
    const values = {
      ufficio: errors.ufficio ? '' : askedOffice,
      servizio: errors.servizio ? '' : askedService,
    };
    const scopeName = officeIds.length === 1 ? nameOf(officeIds[0]!) : t('forecasts.allOffices');
    const serviceName =
      askedService && !errors.servizio ? t(`agenda.services.${askedService}`) : t('forecasts.allServices');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p class="lead">{t('forecasts.lead', { horizon: HORIZON })}</p>
        <form method="get" action="/regione/previsioni" class="mb-3" novalidate>
          <SelectField
            name="ufficio"
            label={t('forecasts.office')}
            values={values}
            errors={errors}
            options={[
              ...(manager ? [{ value: '', label: t('forecasts.allOffices') }] : []),
              ...offices.map((o) => ({ value: o.id, label: o.name })),
            ]}
          />
          <SelectField
            name="servizio"
            label={t('forecasts.service')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('forecasts.allServices') },
              ...services.map((s) => ({ value: s, label: t(`agenda.services.${s}`) })),
            ]}
          />
          <button type="submit" class="btn btn-outline-primary btn-sm">
            {t('forecasts.show')}
          </button>
        </form>
        {offices.length === 0 && <p>{t('forecasts.noOffice')}</p>}
        {data && (
          <>
            <h2 class="h4 mt-4">
              {t('forecasts.selection', {
                office: scopeName,
                service: serviceName,
                from: f.week(data.total.weeks[0]!),
                to: f.week(data.total.weeks[HORIZON - 1]!),
              })}
            </h2>
            <Summary ctx={ctx} result={data.total} />
            <Detail ctx={ctx} result={data.total} />
            <BreakdownTable ctx={ctx} data={data} officeName={nameOf} />
          </>
        )}
        <h2 class="h4 mt-4">{t('forecasts.how.heading')}</h2>
        <p>{t('forecasts.how.demand')}</p>
        <p>{t('forecasts.how.model')}</p>
        <p>{t('forecasts.how.backtest', { horizon: HORIZON })}</p>
        <p>{t('forecasts.how.capacity')}</p>
        <p>{t('forecasts.how.queue')}</p>
      </Layout>,
      failed ? 400 : 200,
    );
  });
}
