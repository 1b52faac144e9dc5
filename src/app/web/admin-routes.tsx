import type { AuditLog } from '../../platform/audit/audit.ts';
import { endAllSessions } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { CsrfField, Notice, TextField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Admin: find accounts of the Region and end a person's sessions. */
export function registerAdminRoutes(routes: RouteCatalogue, deps: { db: Db; audit: AuditLog }): void {
  routes.get('/admin/utenti', ['admin'], async (req, reply) => {
    const { t } = req.ctx;
    const admin = req.ctx.user!;
    const q = String((req.query as Record<string, unknown>).q ?? '')
      .trim()
      .slice(0, 100);
    const ended = (req.query as Record<string, unknown>).ok === 'ended';
    const users = await deps.db
      .selectFrom('users as u')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('sessions')
            .select(['user_id', (e) => e.fn.countAll<string>().as('n')])
            .where('stage', '=', 'active')
            .groupBy('user_id')
            .as('s'),
        (j) => j.onRef('s.user_id', '=', 'u.id'),
      )
      .select(['u.id', 'u.given_name', 'u.family_name', 'u.email', 'u.role', 's.n'])
      .where('u.region_code', '=', admin.regionCode)
      .where('u.role', '!=', 'citizen')
      .$if(q.length > 0, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('u.email', 'ilike', `%${q.replace(/[%_\\]/g, '')}%`),
            eb('u.family_name', 'ilike', `${q.replace(/[%_\\]/g, '')}%`),
          ]),
        ),
      )
      .orderBy('u.family_name')
      .limit(100)
      .execute();
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('admin.usersTitle')} wide>
        <h1>{t('admin.usersTitle')}</h1>
        {ended && <Notice kind="success">{t('admin.sessionsEnded')}</Notice>}
        <form method="get" action="/admin/utenti">
          <TextField name="q" label={t('admin.search')} values={{ q }} errors={{}} maxLength={100} />
          <button type="submit" class="btn btn-primary">
            {t('operator.searchSubmit')}
          </button>
        </form>
        <table class="table mt-4">
          <caption class="visually-hidden">{t('admin.usersTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('fields.email')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('admin.sessions')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('admin.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{`${u.family_name} ${u.given_name}`}</td>
                <td>{u.email ?? '—'}</td>
                <td>{t(`roles.${u.role}`)}</td>
                <td>{u.n ?? '0'}</td>
                <td>
                  <form method="post" action={`/admin/utenti/${u.id}/termina-sessioni`}>
                    <CsrfField ctx={req.ctx} />
                    <button type="submit" class="btn btn-outline-primary btn-sm">
                      {t('admin.endSessions')}
                      <span class="visually-hidden">{` — ${u.given_name} ${u.family_name}`}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  routes.post('/admin/utenti/:id/termina-sessioni', ['admin'], async (req, reply) => {
    const admin = req.ctx.user!;
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return reply.callNotFound();
    const target = await deps.db
      .selectFrom('users')
      .select(['id'])
      .where('region_code', '=', admin.regionCode)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!target) return reply.callNotFound();
    const ended = await endAllSessions(deps.db, admin.regionCode, target.id);
    await deps.audit.record({
      regionCode: admin.regionCode,
      action: 'admin.sessions_ended',
      outcome: 'ok',
      actor: {
        id: admin.id,
        role: admin.role,
        regionCode: admin.regionCode,
        officeId: admin.officeId,
        agencyId: admin.agencyId,
      },
      subjectId: target.id,
      details: { ended },
    });
    return reply.redirect('/admin/utenti?ok=ended', 303);
  });
}
