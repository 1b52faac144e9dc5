import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { CsrfField, Notice } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { isActive } from '../domain/assisted.ts';
import {
  type AssistedDeps,
  actionsOnBehalfOf,
  endByPerson,
  type SessionRow,
  sessionsOf,
} from '../use-cases/assisted.ts';
import { actionText, whenFmt } from './components.tsx';

const NOTICES = { ended: 'endedByYou', already: 'already' } as const;

/**
 * "Fatto per tuo conto": the person sees every assisted session (who, how, until when, the statement
 * that was read), every action done on their behalf (from the audit log), and ends an active session.
 */
export function citizenAssistedRoutes(routes: RouteCatalogue, deps: AssistedDeps): void {
  routes.get(
    '/i-miei-dati/per-tuo-conto',
    ['citizen'],
    async (req, reply) => {
      const { t } = req.ctx;
      const me = req.ctx.user!;
      const now = new Date();
      const sessions = await sessionsOf(deps.db, me.regionCode, me.id);
      const actions = await actionsOnBehalfOf(deps.db, me.regionCode, me.id);
      const active = sessions.filter((s) => isActive(s, now));
      const ok = (req.query as Record<string, unknown>).ok;
      const notice = ok === 'ended' || ok === 'already' ? NOTICES[ok] : null;
      const when = whenFmt(req.ctx);
      const workplace = (s: SessionRow) => s.agency_name ?? s.office_name ?? '';
      const status = (s: SessionRow) =>
        isActive(s, now)
          ? 'active'
          : s.ended_by === 'operator' || s.ended_by === 'person'
            ? s.ended_by
            : 'expired';
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('assisted.citizen.title')} wide>
          <h1>{t('assisted.citizen.title')}</h1>
          {notice && <Notice kind="success">{t(`assisted.done.${notice}`)}</Notice>}
          <p class="lead">{t('assisted.citizen.intro')}</p>

          <h2 class="h4 mt-4">{t('assisted.citizen.activeHeading')}</h2>
          {active.length === 0 ? (
            <p>{t('assisted.citizen.noneActive')}</p>
          ) : (
            <ul class="list-unstyled">
              {active.map((s) => (
                <li class="card mb-3">
                  <div class="card-body">
                    <p class="mb-2">
                      <strong>
                        {t('assisted.citizen.activeItem', {
                          operator: `${s.operator_given_name} ${s.operator_family_name}`,
                          workplace: workplace(s),
                          until: when.format(s.expires_at),
                          channel: t(`assisted.operator.channels.${s.channel}`),
                        })}
                      </strong>
                    </p>
                    <details class="mb-2">
                      <summary>{t('assisted.citizen.statement')}</summary>
                      <p class="mt-2" lang={s.consent_lang} dir={s.consent_lang === 'ar' ? 'rtl' : 'ltr'}>
                        {s.consent_text}
                      </p>
                    </details>
                    <form method="post" action={`/i-miei-dati/per-tuo-conto/${s.id}/termina`}>
                      <CsrfField ctx={req.ctx} />
                      <button type="submit" class="btn btn-primary btn-sm">
                        {t('assisted.citizen.end')}
                      </button>
                    </form>
                  </div>
                </li>
              ))}
            </ul>
          )}

          <h2 class="h4 mt-4">{t('assisted.citizen.actionsHeading')}</h2>
          {actions.length === 0 ? (
            <p>{t('assisted.citizen.actionsNone')}</p>
          ) : (
            <section class="table-responsive" tabindex={0} aria-label={t('assisted.citizen.actionsCaption')}>
              <table class="table">
                <caption class="visually-hidden">{t('assisted.citizen.actionsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('assisted.citizen.cols.when')}</th>
                    <th scope="col">{t('assisted.citizen.cols.what')}</th>
                  </tr>
                </thead>
                <tbody>
                  {actions.map((a) => (
                    <tr>
                      <td>{when.format(a.at)}</td>
                      <td>{actionText(req.ctx, a)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}

          <h2 class="h4 mt-4">{t('assisted.citizen.sessionsHeading')}</h2>
          {sessions.length === 0 ? (
            <p>{t('assisted.citizen.sessionsNone')}</p>
          ) : (
            <section class="table-responsive" tabindex={0} aria-label={t('assisted.citizen.sessionsCaption')}>
              <table class="table">
                <caption class="visually-hidden">{t('assisted.citizen.sessionsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('assisted.citizen.cols.started')}</th>
                    <th scope="col">{t('assisted.citizen.cols.until')}</th>
                    <th scope="col">{t('assisted.citizen.cols.who')}</th>
                    <th scope="col">{t('assisted.citizen.cols.channel')}</th>
                    <th scope="col">{t('assisted.citizen.cols.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.map((s) => (
                    <tr>
                      <td>{when.format(s.started_at)}</td>
                      <td>{when.format(s.ended_at ?? s.expires_at)}</td>
                      <td>
                        {`${s.operator_given_name} ${s.operator_family_name}`}
                        <span class="d-block small text-muted">{workplace(s)}</span>
                      </td>
                      <td>{t(`assisted.operator.channels.${s.channel}`)}</td>
                      <td>{t(`assisted.citizen.status.${status(s)}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </Layout>,
      );
    },
    true,
  );

  routes.post('/i-miei-dati/per-tuo-conto/:id/termina', ['citizen'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const result = await endByPerson(deps, req.ctx.user!, id);
    if (result === 'not_found') return reply.callNotFound();
    return reply.redirect(`/i-miei-dati/per-tuo-conto?ok=${result}`, 303);
  });
}
