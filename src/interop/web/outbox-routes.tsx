import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
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
  TextArea,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { Pager, pageOf } from '../../platform/ui/pager.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { endpointLabel, type InteropConfig } from '../config.ts';
import {
  type DeadEvent,
  type DeadLetterDeps,
  deadEvent,
  deadLetterPage,
  discardDead,
  ID,
  replayDead,
} from '../use-cases/dead-letter.ts';
import { outboxCounts } from '../use-cases/delivery.ts';

const READERS = ['admin', 'regional_manager'] as const;
const ADMIN = ['admin'] as const;

const DiscardSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'interop.errors.reasonRequired')
    .max(2000, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

function dateTime(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(d);
}

function Facts({ ctx, event }: { ctx: RequestContext; event: DeadEvent }) {
  const { t } = ctx;
  return (
    <dl class="sl-dl mb-4">
      <dt>{t('interop.dead.kind')}</dt>
      <dd>
        <code>{event.kind}</code>
      </dd>
      <dt>{t('interop.dead.person')}</dt>
      <dd>{event.personName ?? t('interop.dead.noPerson')}</dd>
      <dt>{t('interop.dead.attempts')}</dt>
      <dd>{event.attempts}</dd>
      <dt>{t('interop.dead.lastError')}</dt>
      <dd>{event.lastError ?? '—'}</dd>
      <dt>{t('interop.dead.deadAt')}</dt>
      <dd>{dateTime(ctx, event.deadAt)}</dd>
      <dt>{t('interop.dead.blocked')}</dt>
      <dd>{event.blocked}</dd>
    </dl>
  );
}

/** The admin's view of delivery to the national system and its dead letter. */
export function registerOutboxRoutes(
  routes: RouteCatalogue,
  deps: DeadLetterDeps & { interop: InteropConfig },
): void {
  routes.get(
    '/admin/outbox',
    READERS,
    async (req, reply) => {
      const ctx = req.ctx;
      const { t } = ctx;
      const user = ctx.user!;
      const query = req.query as Record<string, unknown>;
      const page = pageOf(query.pagina, 10_000);
      const ok = typeof query.ok === 'string' ? query.ok : '';
      const counts = await outboxCounts(deps.db, user.regionCode);
      const { events, hasNext } = await deadLetterPage(deps, user, page);
      const isAdmin = user.role === 'admin';
      const endpoint = endpointLabel(deps.interop.endpointUrl);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={t('interop.title')} wide>
          <h1>{t('interop.title')}</h1>
          <p class="lead">{t('interop.intro')}</p>
          {ok === 'replayed' && <Notice kind="success">{t('interop.notice.replayed')}</Notice>}
          {ok === 'discarded' && <Notice kind="success">{t('interop.notice.discarded')}</Notice>}
          {ok === 'gone' && <Notice kind="info">{t('interop.notice.gone')}</Notice>}
          <section aria-labelledby="endpoint-heading" class="mb-4">
            <h2 id="endpoint-heading" class="h4">
              {t('interop.endpoint.heading')}
            </h2>
            {endpoint ? (
              <p>
                {t('interop.endpoint.configured')} <code>{endpoint}</code>
              </p>
            ) : (
              <Notice kind="warning">{t('interop.endpoint.missing')}</Notice>
            )}
          </section>
          <section aria-labelledby="counts-heading" class="mb-4">
            <h2 id="counts-heading" class="h4">
              {t('interop.counts.heading')}
            </h2>
            <dl class="sl-dl">
              <dt>{t('interop.counts.pending')}</dt>
              <dd>{counts.pending}</dd>
              <dt>{t('interop.counts.delivered')}</dt>
              <dd>{counts.delivered}</dd>
              <dt>{t('interop.counts.dead')}</dt>
              <dd>{counts.dead}</dd>
              <dt>{t('interop.counts.discarded')}</dt>
              <dd>{counts.discarded}</dd>
            </dl>
          </section>
          <section aria-labelledby="dead-heading">
            <h2 id="dead-heading" class="h4">
              {t('interop.dead.heading')}
            </h2>
            <p>{t('interop.dead.blockNote')}</p>
            {!isAdmin && <p>{t('interop.readOnly')}</p>}
            {events.length === 0 ? (
              <p>{t('interop.dead.none')}</p>
            ) : (
              <div class="table-responsive">
                <table class="table table-sm">
                  <caption class="visually-hidden">{t('interop.dead.heading')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('interop.dead.kind')}</th>
                      <th scope="col">{t('interop.dead.person')}</th>
                      <th scope="col">{t('interop.dead.attempts')}</th>
                      <th scope="col">{t('interop.dead.lastError')}</th>
                      <th scope="col">{t('interop.dead.deadAt')}</th>
                      <th scope="col">{t('interop.dead.blocked')}</th>
                      {isAdmin && <th scope="col">{t('interop.dead.actions')}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {events.map((e) => (
                      <tr>
                        <td>
                          <code>{e.kind}</code>
                        </td>
                        <td>{e.personName ?? t('interop.dead.noPerson')}</td>
                        <td>{e.attempts}</td>
                        <td>{e.lastError ?? '—'}</td>
                        <td>{dateTime(ctx, e.deadAt)}</td>
                        <td>{e.blocked}</td>
                        {isAdmin && (
                          <td>
                            <form method="post" action={`/admin/outbox/${e.id}/riprova`} class="mb-2">
                              <CsrfField ctx={ctx} />
                              <button type="submit" class="btn btn-primary btn-sm">
                                {t('interop.dead.replay')}
                                <span class="visually-hidden">{` — ${e.kind} #${e.id}`}</span>
                              </button>
                            </form>
                            <a href={`/admin/outbox/${e.id}/scarta`}>
                              {t('interop.dead.discard')}
                              <span class="visually-hidden">{` — ${e.kind} #${e.id}`}</span>
                            </a>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager
              ctx={ctx}
              path="/admin/outbox"
              params={{}}
              page={page}
              hasNext={hasNext}
              label={t('interop.pages')}
            />
          </section>
        </Layout>,
      );
    },
    true,
  );

  routes.post('/admin/outbox/:id/riprova', ADMIN, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!ID.test(id)) return reply.callNotFound();
    const done = await replayDead(deps, req.ctx.user!, id);
    return reply.redirect(`/admin/outbox?ok=${done ? 'replayed' : 'gone'}`, 303);
  });

  const renderDiscard = async (
    req: FastifyRequest,
    reply: FastifyReply,
    form: { values: FormValues; errors: FieldErrors } = { values: {}, errors: {} },
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const { id } = req.params as { id: string };
    const event = await deadEvent(deps, ctx.user!, id);
    if (!event) return reply.callNotFound();
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('interop.discard.title')}>
        <p>
          <a href="/admin/outbox">{t('interop.discard.back')}</a>
        </p>
        <h1>{t('interop.discard.title')}</h1>
        <ErrorSummary ctx={ctx} errors={form.errors} />
        <Facts ctx={ctx} event={event} />
        <p>{t('interop.discard.intro')}</p>
        <form method="post" action={`/admin/outbox/${event.id}/scarta`} novalidate>
          <CsrfField ctx={ctx} />
          <TextArea
            name="reason"
            label={t('interop.discard.reason')}
            hint={t('interop.discard.reasonHint')}
            values={form.values}
            errors={form.errors}
            maxLength={2000}
            rows={4}
            required
          />
          <button type="submit" class="btn btn-primary">
            {t('interop.discard.submit')}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  routes.get('/admin/outbox/:id/scarta', ADMIN, async (req, reply) => renderDiscard(req, reply), true);

  routes.post('/admin/outbox/:id/scarta', ADMIN, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!ID.test(id)) return reply.callNotFound();
    const parsed = parseForm(DiscardSchema, req.body, req.ctx.t);
    if (!parsed.ok) return renderDiscard(req, reply, { values: parsed.values, errors: parsed.errors }, 400);
    const done = await discardDead(deps, req.ctx.user!, id, parsed.data.reason);
    return reply.redirect(`/admin/outbox?ok=${done ? 'discarded' : 'gone'}`, 303);
  });
}
