import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { sendAttachment } from '../../platform/http/uploads.ts';
import {
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  SelectField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { TemplateId } from '../domain/rules.ts';
import {
  attachmentOf,
  auditThreadRead,
  draftFiles,
  isUuid,
  type MessagesDeps,
  markRead,
  operatorInbox,
  type Person,
  personForOperator,
  personThreads,
  reply as replyInThread,
  startThreadByOperator,
  type Thread,
  templateText,
  threadForOperator,
  threadMessages,
} from '../use-cases/messages.ts';
import { ComposeForm, fmtWhen, MessageList } from './components.tsx';
import { freshValues, handleCompose } from './compose.ts';

const OPS = ['cpi_operator', 'apl_operator'] as const;

type ThreadRow = Thread & { unread: number };

function ThreadTable({
  ctx,
  threads,
  caption,
  showPerson,
}: {
  ctx: FastifyRequest['ctx'];
  threads: ThreadRow[];
  caption: string;
  showPerson: boolean;
}) {
  const { t } = ctx;
  return (
    <div class="table-responsive">
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('messages.cols.subject')}</th>
            {showPerson && <th scope="col">{t('messages.cols.person')}</th>}
            <th scope="col">{t('messages.cols.with')}</th>
            <th scope="col">{t('messages.cols.last')}</th>
            <th scope="col">{t('messages.cols.unread')}</th>
          </tr>
        </thead>
        <tbody>
          {threads.map((th) => (
            <tr>
              <th scope="row">
                <a href={`/operatore/messaggi/${th.id}`}>{th.subject}</a>
              </th>
              {showPerson && (
                <td>
                  <a href={`/operatore/persone/${th.citizen_id}/messaggi`}>
                    {th.given_name} {th.family_name}
                  </a>
                </td>
              )}
              <td>{th.agency_name ?? th.office_name}</td>
              <td>{fmtWhen(ctx, th.last_message_at)}</td>
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
  );
}

/** Operators' pages: the office inbox, a person's threads (with a new thread), one thread. */
export function operatorMessageRoutes(routes: RouteCatalogue, deps: MessagesDeps): void {
  const officeName = async (op: SessionUser) => {
    const row =
      op.role === 'apl_operator' && op.agencyId
        ? await deps.db
            .selectFrom('agencies')
            .select('name')
            .where('region_code', '=', op.regionCode)
            .where('id', '=', op.agencyId)
            .executeTakeFirst()
        : op.officeId
          ? await deps.db
              .selectFrom('offices')
              .select('name')
              .where('region_code', '=', op.regionCode)
              .where('id', '=', op.officeId)
              .executeTakeFirst()
          : undefined;
    return row?.name ?? '';
  };
  const fillTemplate =
    (person: { given_name: string; language: string }, office: string) => (id: TemplateId) =>
      templateText(id, person.language, { name: person.given_name, office });

  routes.get(
    '/operatore/messaggi',
    [...OPS],
    async (req, reply) => {
      const { t } = req.ctx;
      const op = req.ctx.user!;
      const q = req.query as Record<string, unknown>;
      const all = await operatorInbox(deps.db, op);
      const people = new Map(all.map((th) => [th.citizen_id, `${th.family_name} ${th.given_name}`]));
      const filter = isUuid(q.persona) && people.has(q.persona) ? q.persona : '';
      const threads = filter ? all.filter((th) => th.citizen_id === filter) : all;
      const unread = all.filter((th) => Number(th.unread) > 0).length;
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('messages.inbox.title')}>
          <h1>{t('messages.inbox.title')}</h1>
          <p class="lead">{t('messages.inbox.intro', { office: await officeName(op) })}</p>
          <p>{t('messages.inbox.unreadThreads', { count: unread })}</p>
          {all.length > 0 && (
            <form method="get" action="/operatore/messaggi" class="mb-4">
              <SelectField
                name="persona"
                label={t('messages.inbox.filter')}
                values={{ persona: filter }}
                errors={{}}
                options={[
                  { value: '', label: t('messages.inbox.everyone') },
                  ...[...people.entries()]
                    .sort((a, b) => a[1].localeCompare(b[1]))
                    .map(([value, label]) => ({ value, label })),
                ]}
              />
              <button type="submit" class="btn btn-outline-primary">
                {t('messages.inbox.apply')}
              </button>
            </form>
          )}
          {threads.length === 0 ? (
            <p>{t('messages.inbox.none')}</p>
          ) : (
            <ThreadTable ctx={req.ctx} threads={threads} caption={t('messages.inbox.caption')} showPerson />
          )}
        </Layout>,
      );
    },
    true,
  );

  const renderPerson = async (
    req: FastifyRequest,
    reply: FastifyReply,
    person: Person,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const op = req.ctx.user!;
    const threads = await personThreads(deps.db, op, person);
    await auditThreadRead(
      deps,
      op,
      threads.length > 0
        ? threads.map((th) => ({ subjectId: person.id, objectId: th.id }))
        : [{ subjectId: person.id, objectId: null }],
    );
    const drafts = await draftFiles(deps.db, op, values.draft ?? '');
    const name = `${person.given_name} ${person.family_name}`;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('messages.person.title', { name })}>
        <h1>{t('messages.person.title', { name })}</h1>
        <ErrorSummary ctx={req.ctx} errors={errors} />
        {threads.length === 0 ? (
          <p>{t('messages.person.none')}</p>
        ) : (
          <ThreadTable
            ctx={req.ctx}
            threads={threads}
            caption={t('messages.person.caption', { name })}
            showPerson={false}
          />
        )}
        <h2 class="h4 mt-4">{t('messages.person.new')}</h2>
        <p>{t('messages.person.newIntro')}</p>
        <ComposeForm
          ctx={req.ctx}
          action={`/operatore/persone/${person.id}/messaggi`}
          values={values}
          errors={errors}
          drafts={drafts}
          subject
          templateLanguage={person.language}
          submitLabel={t('messages.send')}
        />
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/persone/:id/messaggi',
    [...OPS],
    async (req, reply) => {
      const person = await personForOperator(deps.db, req.ctx.user!, (req.params as { id: string }).id);
      if (!person) return reply.callNotFound();
      return renderPerson(req, reply, person, freshValues(), {});
    },
    true,
  );

  routes.post('/operatore/persone/:id/messaggi', [...OPS], async (req, reply) => {
    const op = req.ctx.user!;
    const person = await personForOperator(deps.db, op, (req.params as { id: string }).id);
    if (!person) return reply.callNotFound();
    const out = await handleCompose(deps, req, {
      subject: true,
      template: fillTemplate(person, await officeName(op)),
    });
    if (out.kind === 'render') return renderPerson(req, reply, person, out.values, out.errors, out.status);
    const id = await startThreadByOperator(deps, op, person, out.message);
    if (!id) return reply.callNotFound();
    return reply.redirect(`/operatore/messaggi/${id}?ok=sent`, 303);
  });

  const renderThread = async (
    req: FastifyRequest,
    reply: FastifyReply,
    thread: Thread,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const op = req.ctx.user!;
    const messages = await threadMessages(deps.db, thread);
    // Every showing of the thread is a read of the person's messages, also a form shown again.
    await auditThreadRead(deps, op, [{ subjectId: thread.citizen_id, objectId: thread.id }]);
    await markRead(deps.db, thread, 'staff');
    const drafts = await draftFiles(deps.db, op, values.draft ?? '');
    const q = req.query as Record<string, unknown>;
    const name = `${thread.given_name} ${thread.family_name}`;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={thread.subject}>
        <h1>{thread.subject}</h1>
        {status === 200 && q.ok === 'sent' && <Notice kind="success">{t('messages.sent')}</Notice>}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p>
          {t('messages.thread.person')}{' '}
          <a href={`/operatore/persone/${thread.citizen_id}/messaggi`}>{name}</a> —{' '}
          {thread.agency_name ?? thread.office_name}
        </p>
        <h2 class="h4">{t('messages.thread.messages')}</h2>
        <MessageList
          ctx={req.ctx}
          thread={thread}
          messages={messages}
          side="staff"
          fileHref={(a) => `/operatore/messaggi/${thread.id}/allegati/${a}`}
        />
        <h2 class="h4 mt-4">{t('messages.thread.reply')}</h2>
        <ComposeForm
          ctx={req.ctx}
          action={`/operatore/messaggi/${thread.id}`}
          values={values}
          errors={errors}
          drafts={drafts}
          templateLanguage={thread.preferred_language}
          submitLabel={t('messages.sendReply')}
        />
        <p class="mt-4">
          <a href="/operatore/messaggi">{t('messages.inbox.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/messaggi/:id',
    [...OPS],
    async (req, reply) => {
      const thread = await threadForOperator(deps.db, req.ctx.user!, (req.params as { id: string }).id);
      if (!thread) return reply.callNotFound();
      return renderThread(req, reply, thread, freshValues(), {});
    },
    true,
  );

  routes.post('/operatore/messaggi/:id', [...OPS], async (req, reply) => {
    const op = req.ctx.user!;
    const thread = await threadForOperator(deps.db, op, (req.params as { id: string }).id);
    if (!thread) return reply.callNotFound();
    const out = await handleCompose(deps, req, {
      subject: false,
      template: fillTemplate(
        { given_name: thread.given_name, language: thread.preferred_language },
        await officeName(op),
      ),
    });
    if (out.kind === 'render') return renderThread(req, reply, thread, out.values, out.errors, out.status);
    await replyInThread(deps, op, thread, out.message);
    return reply.redirect(`/operatore/messaggi/${thread.id}?ok=sent`, 303);
  });

  routes.get('/operatore/messaggi/:id/allegati/:file', [...OPS], async (req, reply) => {
    const { id, file } = req.params as { id: string; file: string };
    const op = req.ctx.user!;
    const thread = await threadForOperator(deps.db, op, id);
    if (!thread || !isUuid(file)) return reply.callNotFound();
    const found = await attachmentOf(deps.db, thread, file);
    if (found) await auditThreadRead(deps, op, [{ subjectId: thread.citizen_id, objectId: thread.id }]);
    return sendAttachment(reply, found);
  });
}
