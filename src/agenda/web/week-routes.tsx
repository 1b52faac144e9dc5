import type { ComponentChildren } from 'preact';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { type OfficeWeekCell, officeWeek } from '../use-cases/office.ts';
import { addDays, mondayOf, operatorDays, todayInRome } from '../use-cases/templates.ts';

/**
 * Week views of the double agenda: the operator's own week (in person and remote as two rows of
 * one table, printable) and the coordinator's week of the whole office (counts per operator).
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WEEK_DAYS = 6; // Monday to Saturday: CPI do not open on Sundays.

function weekOf(query: unknown): string {
  const q = query as Record<string, unknown>;
  const date = typeof q.dal === 'string' && DATE.test(q.dal) ? q.dal : todayInRome();
  return mondayOf(date);
}

function WeekNav({ ctx, path, monday }: { ctx: RequestContext; path: string; monday: string }) {
  const { t } = ctx;
  return (
    <nav aria-label={t('week.weeks')}>
      <ul class="sl-inline-list">
        <li>
          <a href={`${path}?dal=${addDays(monday, -7)}`}>{t('week.previous')}</a>
        </li>
        <li>
          <a href={`${path}?dal=${mondayOf(todayInRome())}`}>{t('week.current')}</a>
        </li>
        <li>
          <a href={`${path}?dal=${addDays(monday, 7)}`}>{t('week.next')}</a>
        </li>
      </ul>
    </nav>
  );
}

function dayLabel(ctx: RequestContext, date: string) {
  return dateTimeFormat(ctx.lang, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

function weekTitle(ctx: RequestContext, monday: string) {
  const f = dateTimeFormat(ctx.lang, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return ctx.t('week.range', {
    from: f.format(new Date(`${monday}T00:00:00Z`)),
    to: f.format(new Date(`${addDays(monday, WEEK_DAYS - 1)}T00:00:00Z`)),
  });
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

function Cell({ ctx, cell }: { ctx: RequestContext; cell: OfficeWeekCell | undefined }) {
  if (!cell || cell.booked + cell.free === 0) return <span class="text-muted">—</span>;
  return <>{ctx.t('week.counts', { booked: cell.booked, free: cell.free })}</>;
}

export function registerWeekRoutes(routes: RouteCatalogue, deps: { db: Db; audit: AuditLog }): void {
  const { db } = deps;

  routes.get('/operatore/agenda/settimana', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const operator = ctx.user!;
    const monday = weekOf(req.query);
    const rows = await operatorDays(db, operator, monday, WEEK_DAYS);
    await deps.audit.recordReads(
      operator,
      'appointment',
      'appointment',
      rows.filter((r) => r.citizen_id).map((r) => ({ subjectId: r.citizen_id, objectId: r.appointment_id })),
    );
    const days = Array.from({ length: WEEK_DAYS }, (_, i) => addDays(monday, i));
    const time = dateTimeFormat(ctx.lang, {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Rome',
    });
    const isRemote = (r: (typeof rows)[number]) =>
      r.appointment_id ? r.channel !== 'in_person' : r.mode === 'remote';
    const lines = [
      { key: 'inPerson', label: t('agendaOp.inPerson'), pick: (r: (typeof rows)[number]) => !isRemote(r) },
      { key: 'remote', label: t('agendaOp.remote'), pick: isRemote },
    ];
    const title = t('week.mineTitle');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        <p class="lead">{weekTitle(ctx, monday)}</p>
        <WeekNav ctx={ctx} path="/operatore/agenda/settimana" monday={monday} />
        <ScrollingTable label={title}>
          <table class="table table-bordered sl-week">
            <caption class="visually-hidden">{`${title}, ${weekTitle(ctx, monday)}`}</caption>
            <thead>
              <tr>
                <td />
                {days.map((d) => (
                  <th scope="col">
                    <a href={`/operatore/agenda?giorno=${d}`}>{dayLabel(ctx, d)}</a>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr>
                  <th scope="row">{line.label}</th>
                  {days.map((d) => {
                    const items = rows.filter((r) => r.day === d && line.pick(r));
                    return (
                      <td>
                        {items.length === 0 ? (
                          <span class="text-muted">—</span>
                        ) : (
                          <ul class="list-unstyled small mb-0">
                            {items.map((r) => (
                              <li>
                                <strong>{time.format(r.starts_at)}</strong>{' '}
                                {r.appointment_id ? (
                                  `${r.given_name} ${r.family_name}, ${t(`agenda.services.${r.service_code}`)}${r.status === 'booked' ? '' : ` (${t(`agenda.status.${r.status}`)})`}`
                                ) : (
                                  <span class="text-muted">{t('agendaOp.free')}</span>
                                )}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
        <p>
          <a href="/operatore/agenda">{t('week.toDay')}</a>
        </p>
      </Layout>,
    );
  });

  routes.get('/operatore/ufficio/settimana', ['cpi_operator'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const operator = ctx.user!;
    const monday = weekOf(req.query);
    const rows = await officeWeek(db, operator, monday, WEEK_DAYS);
    const days = Array.from({ length: WEEK_DAYS }, (_, i) => addDays(monday, i));
    const title = t('week.officeTitle');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        <p class="lead">{weekTitle(ctx, monday)}</p>
        <p>{t('week.officeExplain')}</p>
        <WeekNav ctx={ctx} path="/operatore/ufficio/settimana" monday={monday} />
        {rows.length === 0 ? (
          <p>{t('week.officeEmpty')}</p>
        ) : (
          <ScrollingTable label={title}>
            <table class="table table-bordered sl-week">
              <caption class="visually-hidden">{`${title}, ${weekTitle(ctx, monday)}`}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('week.operator')}</th>
                  <th scope="col">{t('week.channel')}</th>
                  {days.map((d) => (
                    <th scope="col">{dayLabel(ctx, d)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.flatMap((r) => [
                  <tr>
                    <th scope="rowgroup" rowSpan={2}>
                      {r.name}
                    </th>
                    <th scope="row">{t('agendaOp.inPerson')}</th>
                    {days.map((d) => (
                      <td>
                        <Cell ctx={ctx} cell={r.days[d]?.inPerson} />
                      </td>
                    ))}
                  </tr>,
                  <tr>
                    <th scope="row">{t('agendaOp.remote')}</th>
                    {days.map((d) => (
                      <td>
                        <Cell ctx={ctx} cell={r.days[d]?.remote} />
                      </td>
                    ))}
                  </tr>,
                ])}
              </tbody>
            </table>
          </ScrollingTable>
        )}
        <p>
          <a href="/operatore/sportello">{t('week.toFrontDesk')}</a>
        </p>
      </Layout>,
    );
  });
}
