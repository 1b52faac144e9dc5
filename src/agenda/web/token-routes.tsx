import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { CsrfField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { type AgendaNotifyDeps, lookupToken, useToken } from '../use-cases/notifications.ts';

/**
 * One-click links from confirmations and reminders, without signing in. Opening the link shows what
 * will happen; the action needs a press of the button, so that mail scanners that open links do
 * not cancel anyone's appointment.
 */
export function registerTokenRoutes(routes: RouteCatalogue, deps: AgendaNotifyDeps): void {
  routes.get(
    '/appuntamento/:token',
    'public',
    async (req, reply) => {
      const { t, lang } = req.ctx;
      const { token } = req.params as { token: string };
      const found = await lookupToken(deps.db, token);
      if (!found.ok) {
        return sendPage(
          reply,
          <Layout ctx={req.ctx} title={t('agenda.link.invalidTitle')}>
            <h1>{t('agenda.link.invalidTitle')}</h1>
            <p class="lead">{t(`agenda.link.${found.reason}`)}</p>
            <p>
              <a href="/aiuto">{t('shell.needHelp')}</a>
            </p>
          </Layout>,
          400,
        );
      }
      const when = dateTimeFormat(lang, {
        dateStyle: 'full',
        timeStyle: 'short',
        timeZone: 'Europe/Rome',
      }).format(found.startsAt);
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t(`agenda.link.${found.action}Title`)}>
          <h1>{t(`agenda.link.${found.action}Title`)}</h1>
          <p class="lead">{`${t(`agenda.services.${found.service}`)} — ${when} (${t(`agenda.channels.${found.channel}`)})`}</p>
          <p>{t(`agenda.link.${found.action}Explain`)}</p>
          <form method="post" action={`/appuntamento/${token}`}>
            <CsrfField ctx={req.ctx} />
            <button type="submit" class="btn btn-primary">
              {t(`agenda.link.${found.action}Button`)}
            </button>
          </form>
        </Layout>,
      );
    },
    true,
  );

  routes.post('/appuntamento/:token', 'public', async (req, reply) => {
    const { t } = req.ctx;
    const { token } = req.params as { token: string };
    const done = await useToken(deps, token);
    if (!done.ok) {
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('agenda.link.invalidTitle')}>
          <h1>{t('agenda.link.invalidTitle')}</h1>
          <p class="lead">{t(`agenda.link.${done.reason}`)}</p>
        </Layout>,
        400,
      );
    }
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t(`agenda.link.${done.action}Done`)}>
        <h1>{t(`agenda.link.${done.action}Done`)}</h1>
        <p>
          <a href="/">{t('errors.backHome')}</a>
        </p>
      </Layout>,
    );
  });
}
