import type { FastifyReply, FastifyRequest } from 'fastify';
import { nearestOfficeId, officesOf } from '../../casework/use-cases/help-requests.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { sendAttachment } from '../../platform/http/uploads.ts';
import { ErrorSummary, type FieldErrors, type FormValues, Notice } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  attachmentOf,
  citizenThreads,
  draftFiles,
  followersOf,
  isUuid,
  type MessagesDeps,
  markRead,
  reply as replyInThread,
  startThreadByCitizen,
  threadForCitizen,
  threadMessages,
} from '../use-cases/messages.ts';
import { ComposeForm, fmtWhen, MessageList } from './components.tsx';
import { freshValues, handleCompose } from './compose.ts';

/** The person's pages: /messaggi (threads), /messaggi/nuovo, /messaggi/:id (thread and reply). */
export function citizenMessageRoutes(routes: RouteCatalogue, deps: MessagesDeps): void {
  routes.get(
    '/messaggi',
    ['citizen'],
    async (req, reply) => {
      const { t } = req.ctx;
      const user = req.ctx.user!;
      const threads = await citizenThreads(deps.db, user);
      const unread = threads.reduce((n, th) => n + Number(th.unread), 0);
      const q = req.query as Record<string, unknown>;
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('messages.citizen.title')}>
          <h1>{t('messages.citizen.title')}</h1>
          {q.ok === 'sent' && <Notice kind="success">{t('messages.sent')}</Notice>}
          <p class="lead">{t('messages.citizen.intro')}</p>
          <p>
            <a class="btn btn-primary" href="/messaggi/nuovo">
              {t('messages.citizen.new')}
            </a>
          </p>
          {threads.length === 0 ? (
            <p>{t('messages.citizen.none')}</p>
          ) : (
            <>
              <p>{t('messages.unreadTotal', { count: unread })}</p>
              <div class="table-responsive">
                <table class="table">
                  <caption class="visually-hidden">{t('messages.citizen.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('messages.cols.subject')}</th>
                      <th scope="col">{t('messages.cols.with')}</th>
                      <th scope="col">{t('messages.cols.last')}</th>
                      <th scope="col">{t('messages.cols.unread')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {threads.map((th) => (
                      <tr>
                        <th scope="row">
                          <a href={`/messaggi/${th.id}`}>{th.subject}</a>
                        </th>
                        <td>{th.agency_name ?? th.office_name}</td>
                        <td>{fmtWhen(req.ctx, th.last_message_at)}</td>
                        <td>
                          {Number(th.unread) > 0 ? (
                            <strong>{t('messages.unreadCount', { count: Number(th.unread) })}</strong>
                          ) : (
                            t('messages.allRead')
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Layout>,
      );
    },
    true,
  );

  /** Where the person's message goes: their office (or a choice when none is known yet), and the agency. */
  const destination = async (req: FastifyRequest) => {
    const user = req.ctx.user!;
    const f = await followersOf(deps.db, user.regionCode, user.id);
    const agency = f.agencyId
      ? await deps.db
          .selectFrom('agencies')
          .select(['id', 'name'])
          .where('region_code', '=', user.regionCode)
          .where('id', '=', f.agencyId)
          .executeTakeFirst()
      : undefined;
    const office = f.officeId
      ? await deps.db
          .selectFrom('offices')
          .select(['id', 'name'])
          .where('region_code', '=', user.regionCode)
          .where('id', '=', f.officeId)
          .executeTakeFirst()
      : undefined;
    const offices = office ? undefined : await officesOf(deps.db, user.regionCode);
    return { office, agency, offices };
  };

  const renderNew = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const user = req.ctx.user!;
    const d = await destination(req);
    if (d.offices && values.officeId === undefined)
      values.officeId = (await nearestOfficeId(deps.db, user)) ?? '';
    if (d.agency && values.to === undefined) values.to = 'cpi';
    const drafts = await draftFiles(deps.db, user, values.draft ?? '');
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('messages.citizen.newTitle')}>
        <h1>{t('messages.citizen.newTitle')}</h1>
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p class="lead">
          {d.office
            ? t('messages.citizen.newIntro', { office: d.office.name })
            : t('messages.citizen.newIntroChoose')}
        </p>
        <p>{t('messages.citizen.privacy')}</p>
        <ComposeForm
          ctx={req.ctx}
          action="/messaggi/nuovo"
          values={values}
          errors={errors}
          drafts={drafts}
          subject
          offices={d.offices?.map((o) => ({ value: o.id, label: `${o.name} — ${o.municipality}` }))}
          recipients={
            d.agency && d.office
              ? [
                  { value: 'cpi', label: d.office.name },
                  { value: 'apl', label: t('messages.citizen.toAgency', { agency: d.agency.name }) },
                ]
              : undefined
          }
          submitLabel={t('messages.send')}
        />
        <p class="mt-4">
          <a href="/messaggi">{t('messages.citizen.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/messaggi/nuovo',
    ['citizen'],
    async (req, reply) => renderNew(req, reply, freshValues(), {}),
    true,
  );

  routes.post('/messaggi/nuovo', ['citizen'], async (req, reply) => {
    const user = req.ctx.user!;
    const d = await destination(req);
    const out = await handleCompose(deps, req, {
      subject: true,
      extra: (fields) => {
        const errors: FieldErrors = {};
        if (d.offices && !d.offices.some((o) => o.id === fields.officeId))
          errors.officeId = req.ctx.t('errors.choose');
        if (d.agency && d.office && fields.to !== 'cpi' && fields.to !== 'apl')
          errors.to = req.ctx.t('errors.choose');
        return errors;
      },
    });
    if (out.kind === 'render') return renderNew(req, reply, out.values, out.errors, out.status);
    const officeId = d.office?.id ?? out.message.fields.officeId ?? '';
    const agencyId = d.agency && out.message.fields.to === 'apl' ? d.agency.id : null;
    const id = await startThreadByCitizen(deps, user, { officeId, agencyId }, out.message);
    if (!id) return renderNew(req, reply, out.values, { officeId: req.ctx.t('errors.choose') }, 400);
    return reply.redirect(`/messaggi/${id}?ok=sent`, 303);
  });

  const renderThread = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const user = req.ctx.user!;
    const thread = await threadForCitizen(deps.db, user, (req.params as { id: string }).id);
    if (!thread) return reply.callNotFound();
    const messages = await threadMessages(deps.db, thread);
    await markRead(deps.db, thread, 'citizen');
    const drafts = await draftFiles(deps.db, user, values.draft ?? '');
    const q = req.query as Record<string, unknown>;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={thread.subject}>
        <h1>{thread.subject}</h1>
        {status === 200 && q.ok === 'sent' && <Notice kind="success">{t('messages.sent')}</Notice>}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p>{t('messages.citizen.with', { with: thread.agency_name ?? thread.office_name })}</p>
        <h2 class="h4">{t('messages.thread.messages')}</h2>
        <MessageList
          ctx={req.ctx}
          thread={thread}
          messages={messages}
          side="citizen"
          fileHref={(a) => `/messaggi/${thread.id}/allegati/${a}`}
        />
        <h2 class="h4 mt-4">{t('messages.thread.reply')}</h2>
        <ComposeForm
          ctx={req.ctx}
          action={`/messaggi/${thread.id}`}
          values={values}
          errors={errors}
          drafts={drafts}
          submitLabel={t('messages.sendReply')}
        />
        <p class="mt-4">
          <a href="/messaggi">{t('messages.citizen.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/messaggi/:id',
    ['citizen'],
    async (req, reply) => renderThread(req, reply, freshValues(), {}),
    true,
  );

  routes.post('/messaggi/:id', ['citizen'], async (req, reply) => {
    const user = req.ctx.user!;
    const thread = await threadForCitizen(deps.db, user, (req.params as { id: string }).id);
    if (!thread) return reply.callNotFound();
    const out = await handleCompose(deps, req, { subject: false });
    if (out.kind === 'render') return renderThread(req, reply, out.values, out.errors, out.status);
    await replyInThread(deps, user, thread, { ...out.message, template: null });
    return reply.redirect(`/messaggi/${thread.id}?ok=sent`, 303);
  });

  routes.get('/messaggi/:id/allegati/:file', ['citizen'], async (req, reply) => {
    const { id, file } = req.params as { id: string; file: string };
    const thread = await threadForCitizen(deps.db, req.ctx.user!, id);
    if (!thread || !isUuid(file)) return reply.callNotFound();
    return sendAttachment(reply, await attachmentOf(deps.db, thread, file));
  });
}
