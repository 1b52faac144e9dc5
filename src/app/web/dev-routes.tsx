import type { Db } from '../../platform/db/database.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';

/** Demo mode only: the e-mails and SMS the platform would have sent. */
export function registerDevRoutes(routes: RouteCatalogue, deps: { db: Db }): void {
  routes.get(
    '/dev/outbox',
    'public',
    async (req, reply) => {
      const { t, lang } = req.ctx;
      const to = String((req.query as Record<string, unknown>).to ?? '').slice(0, 254);
      const rows = await deps.db
        .selectFrom('dev_outbox')
        .selectAll()
        .$if(to.length > 0, (q) => q.where('recipient', '=', to))
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      const fmt = dateTimeFormat(lang, {
        dateStyle: 'short',
        timeStyle: 'medium',
        timeZone: 'Europe/Rome',
      });
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('devOutbox.title')} wide>
          <h1>{t('devOutbox.title')}</h1>
          <p>{t('devOutbox.intro')}</p>
          {rows.length === 0 && <p>{t('devOutbox.empty')}</p>}
          {rows.map((m) => (
            <article
              class="card mb-3 sl-outbox-message"
              data-channel={m.channel}
              data-recipient={m.recipient}
            >
              <div class="card-body">
                <h2 class="h6">
                  {m.channel === 'sms' ? 'SMS' : 'E-mail'} → {m.recipient} · {fmt.format(m.created_at)}
                </h2>
                {m.subject && <p class="fw-bold mb-1">{m.subject}</p>}
                <pre class="sl-outbox-body">{m.body}</pre>
              </div>
            </article>
          ))}
        </Layout>,
      );
    },
    true,
  );
}
