import { sql } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../../platform/audit/audit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { dayOf } from '../domain/rules.ts';
import type { CoachingDeps } from '../wiring.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The operator's caseload: people whose latest pact has them as e-coach, with plan progress. */
export async function caseloadOf(deps: CoachingDeps, regionCode: string, coachId: string, now: Date) {
  const today = dayOf(now).toISOString().slice(0, 10);
  return deps.db
    .selectFrom('pacts as p')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'p.region_code').onRef('u.id', '=', 'p.citizen_id'),
    )
    .select(['u.id', 'u.given_name', 'u.family_name'])
    .select([
      sql<number>`(select count(*)::int from plan_actions a where a.region_code = p.region_code and a.citizen_id = p.citizen_id and a.status = 'done')`.as(
        'done',
      ),
      sql<number>`(select count(*)::int from plan_actions a where a.region_code = p.region_code and a.citizen_id = p.citizen_id and a.status <> 'cancelled')`.as(
        'total',
      ),
      sql<number>`(select count(*)::int from plan_actions a where a.region_code = p.region_code and a.citizen_id = p.citizen_id and a.status = 'open' and a.due_date < ${today}::date)`.as(
        'overdue',
      ),
      sql<Date | null>`(select max(at) from citizen_activity c where c.region_code = p.region_code and c.citizen_id = p.citizen_id)`.as(
        'last_activity',
      ),
    ])
    .where('p.region_code', '=', regionCode)
    .where('p.coach_id', '=', coachId)
    .where(
      'p.created_at',
      '=',
      sql<Date>`(select max(q.created_at) from pacts q where q.region_code = p.region_code and q.citizen_id = p.citizen_id)`,
    )
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .execute();
}

export async function openAlertsOf(deps: CoachingDeps, regionCode: string, coachId: string) {
  return deps.db
    .selectFrom('coach_alerts as a')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'a.region_code').onRef('u.id', '=', 'a.citizen_id'),
    )
    .select(['a.id', 'a.kind', 'a.opened_at', 'a.citizen_id', 'u.given_name', 'u.family_name'])
    .where('a.region_code', '=', regionCode)
    .where('a.coach_id', '=', coachId)
    .where('a.closed_at', 'is', null)
    .orderBy('a.opened_at')
    .execute();
}

function CaseloadPage(props: {
  ctx: RequestContext;
  people: Awaited<ReturnType<typeof caseloadOf>>;
  alerts: Awaited<ReturnType<typeof openAlertsOf>>;
  errors: FieldErrors;
  values: FormValues;
  alertWithError?: string | undefined;
  notice?: string | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const f = dateTimeFormat(ctx.lang, { dateStyle: 'medium', timeZone: 'Europe/Rome' });
  return (
    <Layout ctx={ctx} title={t('coaching.caseload.title')} wide>
      <h1>{t('coaching.caseload.title')}</h1>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <h2 class="h4 mt-4">{t('coaching.caseload.people')}</h2>
      {props.people.length === 0 ? (
        <p>{t('coaching.caseload.noPeople')}</p>
      ) : (
        <table class="table">
          <caption>{t('coaching.caseload.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('coaching.caseload.person')}</th>
              <th scope="col">{t('coaching.caseload.progress')}</th>
              <th scope="col">{t('coaching.caseload.overdue')}</th>
              <th scope="col">{t('coaching.caseload.lastActivity')}</th>
            </tr>
          </thead>
          <tbody>
            {props.people.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <a href={`/operatore/persone/${p.id}/piano`}>{`${p.given_name} ${p.family_name}`}</a>
                </th>
                <td>{t('coaching.progress', { done: String(p.done), total: String(p.total) })}</td>
                <td>{String(p.overdue)}</td>
                <td>{p.last_activity ? f.format(p.last_activity) : t('coaching.caseload.never')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 class="h4 mt-4">{t('coaching.caseload.alerts')}</h2>
      {props.alerts.length === 0 && <p>{t('coaching.caseload.noAlerts')}</p>}
      <ul class="list-unstyled">
        {props.alerts.map((a) => (
          <li class="mb-4" key={a.id}>
            <h3 class="h5">
              {`${a.given_name} ${a.family_name}`}: {t(`coaching.alerts.${a.kind}`)}
            </h3>
            <p>{t('coaching.caseload.openedOn', { date: f.format(a.opened_at) })}</p>
            <form method="post" action={`/operatore/coaching/allerte/${a.id}/chiudi`} novalidate>
              <CsrfField ctx={ctx} />
              <TextField
                name="note"
                id={`note-${a.id}`}
                label={t('coaching.caseload.note', { name: `${a.given_name} ${a.family_name}` })}
                values={props.alertWithError === a.id ? props.values : {}}
                errors={props.alertWithError === a.id ? props.errors : {}}
                maxLength={500}
              />
              <button type="submit" class="btn btn-outline-primary">
                {t('coaching.caseload.close')}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function caseloadRoutes(routes: RouteCatalogue, deps: CoachingDeps): void {
  const ops = ['cpi_operator', 'apl_operator'] as const;
  const render = async (
    req: Parameters<Parameters<RouteCatalogue['get']>[2]>[0],
    reply: Parameters<Parameters<RouteCatalogue['get']>[2]>[1],
    values: FormValues,
    errors: FieldErrors,
    alertWithError?: string,
    status = 200,
  ) => {
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const people = await caseloadOf(deps, user.regionCode, user.id, new Date());
    const alerts = await openAlertsOf(deps, user.regionCode, user.id);
    const seen = new Set([...people.map((p) => p.id), ...alerts.map((a) => a.citizen_id)]);
    await deps.audit.recordReads(
      actorOf(user),
      'plan_progress',
      'e_coaching',
      [...seen].map((id) => ({ subjectId: id, objectId: null })),
    );
    const ok = (req.query as Record<string, unknown>).ok;
    return sendPage(
      reply,
      <CaseloadPage
        ctx={req.ctx}
        people={people}
        alerts={alerts}
        values={values}
        errors={errors}
        alertWithError={alertWithError}
        notice={status === 200 && ok === 'closed' ? req.ctx.t('coaching.caseload.closed') : undefined}
      />,
      status,
    );
  };
  routes.get('/operatore/coaching', [...ops], async (req, reply) => render(req, reply, {}, {}), true);
  routes.post('/operatore/coaching/allerte/:id/chiudi', [...ops], async (req, reply) => {
    const { id } = req.params as { id: string };
    const user = req.ctx.user;
    if (!user || !UUID.test(id)) return reply.callNotFound();
    const alert = await deps.db
      .selectFrom('coach_alerts')
      .select(['id', 'citizen_id'])
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .where('coach_id', '=', user.id)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (!alert) return reply.callNotFound();
    const form = parseForm(
      z.object({
        note: z
          .string()
          .trim()
          .min(3, 'coaching.errors.note')
          .max(500, 'errors.tooLong')
          .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
      }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) return render(req, reply, form.values, form.errors, id, 400);
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('coach_alerts')
        .set({ closed_at: sql<Date>`now()`, closed_by: user.id, close_note: form.data.note })
        .where('region_code', '=', user.regionCode)
        .where('id', '=', id)
        .where('closed_at', 'is', null)
        .execute();
      await deps.audit.record(
        {
          regionCode: user.regionCode,
          action: 'coaching.alert_closed',
          outcome: 'ok',
          actor: actorOf(user),
          subjectId: alert.citizen_id,
          purpose: 'e_coaching',
          objectType: 'coach_alert',
          objectId: id,
          details: {},
        },
        trx,
      );
    });
    return reply.redirect('/operatore/coaching?ok=closed', 303);
  });
}
