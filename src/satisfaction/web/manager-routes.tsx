import type { ComponentChildren } from 'preact';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat, numberFormat } from '../../platform/i18n/format.ts';
import { ErrorSummary, type FieldErrors, SelectField, TextField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  addDays,
  checkPeriod,
  isCalendarDay,
  MIN_CELL,
  PROBLEMS,
  type ShownCell,
  showCell,
} from '../domain/survey.ts';
import type { SatisfactionDeps } from '../use-cases/invitations.ts';
import { regionOffices, type SatisfactionStats, satisfactionStats } from '../use-cases/stats.ts';

const today = () =>
  dateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

const one = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim().slice(0, 100) : undefined);

/** A table wider than the screen scrolls sideways, reachable by keyboard. */
function ScrollingTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (axe scrollable-region-focusable)
    <section class="table-responsive" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

function Cells({ ctx, cell }: { ctx: RequestContext; cell: ShownCell }) {
  const { t, lang } = ctx;
  const num = numberFormat(lang, { maximumFractionDigits: 2 });
  if (cell.suppressed) {
    return (
      <>
        <td>{num.format(cell.invited)}</td>
        <td colSpan={3}>{t('satisfaction.manager.suppressed', { min: MIN_CELL })}</td>
      </>
    );
  }
  return (
    <>
      <td>{num.format(cell.invited)}</td>
      <td>{num.format(cell.answered)}</td>
      <td>{`${num.format(cell.rate)} %`}</td>
      <td>{num.format(cell.average)}</td>
    </>
  );
}

function Figures({ ctx, stats }: { ctx: RequestContext; stats: SatisfactionStats }) {
  const { t } = ctx;
  const shownKinds = stats.kinds.filter((k) => k.answered >= MIN_CELL);
  return (
    <>
      <h2 class="h4 mt-4">{t('satisfaction.manager.byKind')}</h2>
      <ScrollingTable label={t('satisfaction.manager.byKind')}>
        <table class="table table-bordered">
          <caption class="visually-hidden">{t('satisfaction.manager.byKind')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('satisfaction.manager.service')}</th>
              <th scope="col">{t('satisfaction.manager.invited')}</th>
              <th scope="col">{t('satisfaction.manager.answered')}</th>
              <th scope="col">{t('satisfaction.manager.rate')}</th>
              <th scope="col">{t('satisfaction.manager.average')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.kinds.map((k) => (
              <tr>
                <th scope="row">{t(`satisfaction.kinds.${k.kind}`)}</th>
                <Cells ctx={ctx} cell={showCell(k)} />
              </tr>
            ))}
            <tr>
              <th scope="row">{t('satisfaction.manager.total')}</th>
              <Cells ctx={ctx} cell={showCell(stats.total)} />
            </tr>
          </tbody>
        </table>
      </ScrollingTable>

      {stats.offices.length > 0 && (
        <>
          <h2 class="h4 mt-4">{t('satisfaction.manager.byOffice')}</h2>
          <ScrollingTable label={t('satisfaction.manager.byOffice')}>
            <table class="table table-bordered">
              <caption class="visually-hidden">{t('satisfaction.manager.byOffice')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('satisfaction.manager.office')}</th>
                  <th scope="col">{t('satisfaction.manager.invited')}</th>
                  <th scope="col">{t('satisfaction.manager.answered')}</th>
                  <th scope="col">{t('satisfaction.manager.rate')}</th>
                  <th scope="col">{t('satisfaction.manager.average')}</th>
                </tr>
              </thead>
              <tbody>
                {stats.offices.map((o) => (
                  <tr>
                    <th scope="row">{o.officeName ?? t('satisfaction.manager.noOffice')}</th>
                    <Cells ctx={ctx} cell={showCell(o)} />
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollingTable>
        </>
      )}

      <h2 class="h4 mt-4">{t('satisfaction.manager.problemsTitle')}</h2>
      {shownKinds.length === 0 ? (
        <p>{t('satisfaction.manager.problemsNone', { min: MIN_CELL })}</p>
      ) : (
        <ScrollingTable label={t('satisfaction.manager.problemsTitle')}>
          <table class="table table-bordered">
            <caption class="visually-hidden">{t('satisfaction.manager.problemsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('satisfaction.manager.problem')}</th>
                {shownKinds.map((k) => (
                  <th scope="col">{t(`satisfaction.kinds.${k.kind}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PROBLEMS.map((p) => (
                <tr>
                  <th scope="row">{t(`satisfaction.problems.${p}`)}</th>
                  {shownKinds.map((k) => (
                    <td>{String(k.problems[p])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}

      <h2 class="h4 mt-4">{t('satisfaction.manager.commentsTitle')}</h2>
      <p>{t('satisfaction.manager.commentsExplain')}</p>
      {stats.comments.length === 0 ? (
        <p>{t('satisfaction.manager.commentsNone')}</p>
      ) : (
        <ScrollingTable label={t('satisfaction.manager.commentsTitle')}>
          <table class="table">
            <caption class="visually-hidden">{t('satisfaction.manager.commentsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('satisfaction.manager.service')}</th>
                <th scope="col">{t('satisfaction.manager.score')}</th>
                <th scope="col">{t('satisfaction.manager.month')}</th>
                <th scope="col">{t('satisfaction.manager.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.comments.map((c) => (
                <tr>
                  <th scope="row">{t(`satisfaction.kinds.${c.kind}`)}</th>
                  <td>{`${c.score}/5`}</td>
                  <td>{c.month}</td>
                  <td>{c.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
    </>
  );
}

/** The Region's satisfaction figures for its managers: response rate, average, problems, comments. */
export function registerManagerRoutes(routes: RouteCatalogue, deps: SatisfactionDeps): void {
  routes.get('/regione/soddisfazione', ['regional_manager'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = ctx.user!;
    const q = req.query as Record<string, unknown>;
    const offices = await regionOffices(deps.db, user.regionCode);
    const to = one(q.al) || today();
    const from = one(q.dal) || addDays(isCalendarDay(to) ? to : today(), -89);
    const office = one(q.ufficio) ?? '';
    const errors: FieldErrors = {};
    const period = checkPeriod({ from, to });
    if (!period.ok) {
      if (period.errors.dal) errors.dal = t(`satisfaction.manager.errors.${period.errors.dal}`);
      if (period.errors.al) errors.al = t(`satisfaction.manager.errors.${period.errors.al}`);
    }
    if (office !== '' && !offices.some((o) => o.id === office)) errors.ufficio = t('errors.choose');
    const failed = Object.keys(errors).length > 0;
    const stats =
      failed || !period.ok
        ? null
        : await satisfactionStats(
            deps.db,
            { regionCode: user.regionCode, from: period.from, to: period.to, officeId: office || null },
            {
              email: t('satisfaction.strip.email'),
              phone: t('satisfaction.strip.phone'),
              fiscalCode: t('satisfaction.strip.fiscalCode'),
              iban: t('satisfaction.strip.iban'),
              name: t('satisfaction.strip.name'),
            },
          );
    const title = t('satisfaction.manager.title');
    const values = { dal: from, al: to, ufficio: office };
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p class="lead">{t('satisfaction.manager.lead')}</p>
        <form method="get" action="/regione/soddisfazione" class="mb-3" novalidate>
          <SelectField
            name="ufficio"
            label={t('satisfaction.manager.office')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('satisfaction.manager.allOffices') },
              ...offices.map((o) => ({ value: o.id, label: o.name })),
            ]}
          />
          <TextField
            name="dal"
            label={t('satisfaction.manager.from')}
            hint={t('satisfaction.manager.dayHint')}
            values={values}
            errors={errors}
            maxLength={10}
          />
          <TextField
            name="al"
            label={t('satisfaction.manager.to')}
            hint={t('satisfaction.manager.dayHint')}
            values={values}
            errors={errors}
            maxLength={10}
          />
          <button type="submit" class="btn btn-outline-primary btn-sm">
            {t('satisfaction.manager.show')}
          </button>
        </form>
        <p>{t('satisfaction.manager.explain', { min: MIN_CELL })}</p>
        {stats && <Figures ctx={ctx} stats={stats} />}
      </Layout>,
      failed ? 400 : 200,
    );
  });
}
