import type { ComponentChildren } from 'preact';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { TextField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  activationReport,
  officeTotals,
  percent,
  type ReportRow,
  scopeOf,
} from '../use-cases/activation-report.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const thisMonth = () =>
  dateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit' }).format(new Date());

function share(ctx: RequestContext, part: number, whole: number): string {
  const p = percent(part, whole);
  return p === null ? '—' : ctx.t('report.share', { part, whole, percent: p });
}

const COLUMNS = [
  'pactsSigned',
  'remoteShare',
  'planCompletion',
  'alertsOpened',
  'alertsClosed',
  'eventsOpen',
  'eventsJustified',
  'eventsArchived',
  'eventsWarning',
  'eventsSanctionProposal',
] as const;

function cells(ctx: RequestContext, r: ReportRow): string[] {
  return [
    String(r.pactsSigned),
    share(ctx, r.pactsSignedRemotely, r.pactsSigned),
    share(ctx, r.actionsDone, r.actionsDue),
    String(r.alertsOpened),
    String(r.alertsClosed),
    String(r.eventsOpen),
    String(r.eventsJustified),
    String(r.eventsArchived),
    String(r.eventsWarning),
    String(r.eventsSanctionProposal),
  ];
}

/** A wide table that scrolls sideways on small screens, reachable (and so scrollable) by keyboard. */
function ScrollingTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="table-responsive" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

const csvCell = (v: string) => (/[";\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The activation report for a CPI (its operators) or the Region (its offices and operators). */
export function registerReportRoutes(routes: RouteCatalogue, deps: { db: Db }): void {
  routes.get('/report/attivazione', ['cpi_operator', 'regional_manager'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = ctx.user!;
    const q = req.query as Record<string, unknown>;
    const asked = typeof q.mese === 'string' ? q.mese.trim() : '';
    const monthError = asked !== '' && !MONTH.test(asked);
    const month = MONTH.test(asked) ? asked : thisMonth();
    const scope = scopeOf(user);
    if (!scope) return reply.callNotFound();
    const rows = await activationReport(deps.db, user.regionCode, scope, month);
    const offices = officeTotals(rows);
    if (q.formato === 'csv') {
      const header = ['office', 'operator', ...COLUMNS.map((c) => t(`report.columns.${c}`))];
      const lines = [
        header,
        ...offices.map((o) => [o.officeName, t('report.officeTotal'), ...cells(ctx, o)]),
        ...rows.map((r) => [r.officeName, r.operatorName ?? '—', ...cells(ctx, r)]),
      ].map((l) => l.map(csvCell).join(';'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="report-attivazione-${month}.csv"`)
        .send(`\uFEFF${lines.join('\r\n')}\r\n`);
    }
    const fmtMonth = dateTimeFormat(ctx.lang, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const title = t('report.title');
    const head = (
      <thead>
        <tr>
          <th scope="col">{t('report.who')}</th>
          {COLUMNS.map((c) => (
            <th scope="col">{t(`report.columns.${c}`)}</th>
          ))}
        </tr>
      </thead>
    );
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        <p class="lead">
          {t(scope.kind === 'region' ? 'report.scopeRegion' : 'report.scopeOffice', {
            month: fmtMonth.format(new Date(`${month}-01T00:00:00Z`)),
          })}
        </p>
        <form method="get" action="/report/attivazione" class="mb-3" novalidate>
          <TextField
            name="mese"
            label={t('report.month')}
            hint={t('report.monthHint')}
            values={{ mese: asked || month }}
            errors={monthError ? { mese: t('report.monthError') } : {}}
            maxLength={7}
            inputmode="numeric"
          />
          <button type="submit" class="btn btn-outline-primary btn-sm">
            {t('report.show')}
          </button>
        </form>
        <p>{t('report.explain')}</p>
        {rows.length === 0 ? (
          <p>{t('report.empty')}</p>
        ) : (
          <>
            <h2 class="h4">{t('report.byOffice')}</h2>
            <ScrollingTable label={t('report.byOffice')}>
              <table class="table table-bordered">
                <caption class="visually-hidden">{t('report.byOffice')}</caption>
                {head}
                <tbody>
                  {offices.map((o) => (
                    <tr>
                      <th scope="row">{o.officeName}</th>
                      {cells(ctx, o).map((c) => (
                        <td>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollingTable>
            <h2 class="h4">{t('report.byOperator')}</h2>
            <ScrollingTable label={t('report.byOperator')}>
              <table class="table table-bordered">
                <caption class="visually-hidden">{t('report.byOperator')}</caption>
                {head}
                <tbody>
                  {rows.map((r) => (
                    <tr>
                      <th scope="row">
                        {r.operatorName ?? '—'}
                        <span class="d-block small">{r.officeName}</span>
                      </th>
                      {cells(ctx, r).map((c) => (
                        <td>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollingTable>
          </>
        )}
        <p>
          <a href={`/report/attivazione?mese=${month}&formato=csv`}>{t('report.csv')}</a>
        </p>
      </Layout>,
      monthError ? 400 : 200,
    );
  });
}
