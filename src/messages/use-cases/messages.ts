import { sql } from 'kysely';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { AttachmentType, MessageSide } from '../adapters/message-tables.ts';
import { MAX_FILES, type TemplateId } from '../domain/rules.ts';

/**
 * Secure messages (issue 8, item 5). Who may see what:
 * - the person sees only their own threads (any other id is "not found");
 * - a CPI operator sees the threads addressed to their office, and every thread of a person whose
 *   current office is theirs (the person moved: the follow-up stays continuous); an operator of
 *   another office of the same Region sees nothing else (404);
 * - an APL operator sees only the threads that name their agency; they may open one with a person
 *   only while the person's latest pact names their agency (the three-party pact);
 * - an operator of another Region finds nothing: every query filters by region_code.
 * The person's current office is the office of their latest pact, else of their latest appointment,
 * else of their latest thread.
 */
export type MessagesDeps = Pick<CaseworkPorts, 'db' | 'audit' | 'notifier' | 'config'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

type Operator = Pick<SessionUser, 'id' | 'role' | 'regionCode' | 'officeId' | 'agencyId'>;

/** The office following the person now, and the agency of their latest pact (three-party form). */
export async function followersOf(
  db: Db | Tx,
  regionCode: string,
  citizenId: string,
): Promise<{ officeId: string | null; agencyId: string | null }> {
  const pact = await db
    .selectFrom('pacts')
    .select(['office_id', 'agency_id'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (pact) return { officeId: pact.office_id, agencyId: pact.agency_id };
  const appointment = await db
    .selectFrom('appointments')
    .select('office_id')
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .where('office_id', 'is not', null)
    .orderBy('booked_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (appointment?.office_id) return { officeId: appointment.office_id, agencyId: null };
  const thread = await db
    .selectFrom('message_threads')
    .select('office_id')
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { officeId: thread?.office_id ?? null, agencyId: null };
}

export type Person = {
  id: string;
  given_name: string;
  family_name: string;
  language: string;
  officeId: string | null;
  agencyId: string | null;
};

/**
 * A person this operator may write to and whose threads they may list, or null ("not found").
 * A CPI operator: the person's current office is theirs, or the person has no office yet (any CPI
 * of the Region may take the first contact, as for the action plan). An APL operator: the person's
 * latest pact names their agency.
 */
export async function personForOperator(db: Db, op: Operator, citizenId: string): Promise<Person | null> {
  if (!isUuid(citizenId)) return null;
  const person = await db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name', 'preferred_language'])
    .where('region_code', '=', op.regionCode)
    .where('id', '=', citizenId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  const f = await followersOf(db, op.regionCode, citizenId);
  const allowed =
    op.role === 'cpi_operator'
      ? op.officeId !== null && (f.officeId === null || f.officeId === op.officeId)
      : op.role === 'apl_operator' && op.agencyId !== null && f.agencyId === op.agencyId;
  if (!allowed) return null;
  return {
    id: person.id,
    given_name: person.given_name,
    family_name: person.family_name,
    language: person.preferred_language,
    ...f,
  };
}

const threadColumns = [
  't.id',
  't.region_code',
  't.citizen_id',
  't.office_id',
  't.agency_id',
  't.subject',
  't.created_at',
  't.last_message_at',
  't.citizen_read_at',
  't.staff_read_at',
  'o.name as office_name',
  'g.name as agency_name',
  'u.given_name',
  'u.family_name',
  'u.preferred_language',
] as const;

function threadQuery(db: Db | Tx, regionCode: string) {
  return db
    .selectFrom('message_threads as t')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 't.region_code').onRef('u.id', '=', 't.citizen_id'),
    )
    .innerJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 't.region_code').onRef('o.id', '=', 't.office_id'),
    )
    .leftJoin('agencies as g', (j) =>
      j.onRef('g.region_code', '=', 't.region_code').onRef('g.id', '=', 't.agency_id'),
    )
    .select(threadColumns)
    .where('t.region_code', '=', regionCode);
}
export type Thread = NonNullable<Awaited<ReturnType<ReturnType<typeof threadQuery>['executeTakeFirst']>>>;

/** Unread messages of the other side, as a column of a thread query. */
const unreadFor = (side: MessageSide) =>
  sql<number>`(select count(*)::int from messages m where m.region_code = t.region_code and m.thread_id = t.id
    and m.author_side <> ${side}
    and m.created_at > coalesce(${sql.ref(side === 'citizen' ? 't.citizen_read_at' : 't.staff_read_at')}, '-infinity'::timestamptz))`;

/** The person's own thread, or null. */
export async function threadForCitizen(db: Db, user: SessionUser, threadId: string): Promise<Thread | null> {
  if (!isUuid(threadId)) return null;
  return (
    (await threadQuery(db, user.regionCode)
      .where('t.id', '=', threadId)
      .where('t.citizen_id', '=', user.id)
      .executeTakeFirst()) ?? null
  );
}

/** A thread this operator may read (see the rules at the top), or null. */
export async function threadForOperator(db: Db, op: Operator, threadId: string): Promise<Thread | null> {
  if (!isUuid(threadId)) return null;
  const thread = await threadQuery(db, op.regionCode).where('t.id', '=', threadId).executeTakeFirst();
  if (!thread) return null;
  if (op.role === 'apl_operator')
    return op.agencyId !== null && thread.agency_id === op.agencyId ? thread : null;
  if (op.role !== 'cpi_operator' || op.officeId === null) return null;
  if (thread.office_id === op.officeId) return thread;
  const f = await followersOf(db, op.regionCode, thread.citizen_id);
  return f.officeId === op.officeId ? thread : null;
}

/** The person's threads, newest first, with the operators' messages they have not read yet. */
export async function citizenThreads(db: Db, user: SessionUser) {
  return citizenThreadsQuery(db, { regionCode: user.regionCode, userId: user.id });
}
const citizenThreadsQuery = compiledOnce((db, v: { regionCode: string; userId: string }) =>
  threadQuery(db, v.regionCode)
    .select(unreadFor('citizen').as('unread'))
    .where('t.citizen_id', '=', v.userId)
    .orderBy('t.last_message_at', 'desc')
    .limit(200),
);

/** How many operators' messages the person has not read (for the navigation badge). */
export async function citizenUnreadCount(db: Db, regionCode: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('message_threads as t')
    .select(sql<number>`coalesce(sum(${unreadFor('citizen')}), 0)::int`.as('n'))
    .where('t.region_code', '=', regionCode)
    .where('t.citizen_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The inbox of the operator's office (or agency): threads with unread messages from the person
 * first, then the most recent. Optionally one person's threads only.
 */
export async function operatorInbox(db: Db, op: Operator, personId?: string) {
  let q = threadQuery(db, op.regionCode).select(unreadFor('staff').as('unread'));
  if (op.role === 'apl_operator')
    q = q.where('t.agency_id', '=', op.agencyId ?? '00000000-0000-0000-0000-000000000000');
  else q = q.where('t.office_id', '=', op.officeId ?? '00000000-0000-0000-0000-000000000000');
  if (personId) q = q.where('t.citizen_id', '=', personId);
  return q
    .orderBy(sql`(${unreadFor('staff')}) > 0`, 'desc')
    .orderBy('t.last_message_at', 'desc')
    .limit(300)
    .execute();
}

/** Every thread of a person the operator may see (the person page). */
export async function personThreads(db: Db, op: Operator, person: Person) {
  const rows = await threadQuery(db, op.regionCode)
    .select(unreadFor('staff').as('unread'))
    .where('t.citizen_id', '=', person.id)
    .orderBy('t.last_message_at', 'desc')
    .limit(200)
    .execute();
  if (op.role === 'apl_operator') return rows.filter((r) => r.agency_id === op.agencyId);
  // The person's current office sees all their threads; another office only its own.
  return person.officeId === null || person.officeId === op.officeId
    ? rows
    : rows.filter((r) => r.office_id === op.officeId);
}

/** The messages of a thread, oldest first, with their authors and attachments (no content). */
export async function threadMessages(db: Db, thread: Thread) {
  const messages = await db
    .selectFrom('messages as m')
    .innerJoin('users as a', (j) =>
      j.onRef('a.region_code', '=', 'm.region_code').onRef('a.id', '=', 'm.author_id'),
    )
    .leftJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 'a.region_code').onRef('o.id', '=', 'a.office_id'),
    )
    .leftJoin('agencies as g', (j) =>
      j.onRef('g.region_code', '=', 'a.region_code').onRef('g.id', '=', 'a.agency_id'),
    )
    .select([
      'm.id',
      'm.author_side',
      'm.author_id',
      'm.body',
      'm.created_at',
      'a.given_name',
      'a.family_name',
      'o.name as office_name',
      'g.name as agency_name',
    ])
    .where('m.region_code', '=', thread.region_code)
    .where('m.thread_id', '=', thread.id)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  const files =
    messages.length === 0
      ? []
      : await db
          .selectFrom('message_attachments')
          .select(['id', 'message_id', 'filename', 'content_type', 'size'])
          .where('region_code', '=', thread.region_code)
          .where(
            'message_id',
            'in',
            messages.map((m) => m.id),
          )
          .orderBy('ordinal')
          .execute();
  return messages.map((m) => ({ ...m, attachments: files.filter((f) => f.message_id === m.id) }));
}

/** A side opened the thread: its read receipt moves to now. */
export async function markRead(db: Db, thread: Thread, side: MessageSide, now = new Date()): Promise<void> {
  await db
    .updateTable('message_threads')
    .set(side === 'citizen' ? { citizen_read_at: now } : { staff_read_at: now })
    .where('region_code', '=', thread.region_code)
    .where('id', '=', thread.id)
    .execute();
}

/** An attachment of a sent message of this thread (the caller has checked the thread), or null. */
export async function attachmentOf(db: Db, thread: Thread, attachmentId: string) {
  if (!isUuid(attachmentId)) return null;
  const row = await db
    .selectFrom('message_attachments as f')
    .innerJoin('messages as m', (j) =>
      j.onRef('m.region_code', '=', 'f.region_code').onRef('m.id', '=', 'f.message_id'),
    )
    .select(['f.filename', 'f.content_type', 'f.content'])
    .where('f.region_code', '=', thread.region_code)
    .where('m.thread_id', '=', thread.id)
    .where('f.id', '=', attachmentId)
    .executeTakeFirst();
  return row ? { filename: row.filename, contentType: row.content_type, content: row.content } : null;
}

// ── Draft attachments: one file per request, at most three, until the message is sent ──

export async function draftFiles(db: Db | Tx, user: Pick<SessionUser, 'id' | 'regionCode'>, draftId: string) {
  if (!isUuid(draftId)) return [];
  return db
    .selectFrom('message_attachments')
    .select(['id', 'filename', 'content_type', 'size'])
    .where('region_code', '=', user.regionCode)
    .where('uploaded_by', '=', user.id)
    .where('draft_id', '=', draftId)
    .where('message_id', 'is', null)
    .orderBy('created_at')
    .execute();
}
export type DraftFile = Awaited<ReturnType<typeof draftFiles>>[number];

/** Keep a checked file on the draft; 'too_many' when three are already there. */
export async function addDraftFile(
  db: Db,
  user: Pick<SessionUser, 'id' | 'regionCode'>,
  draftId: string,
  file: { filename: string; contentType: AttachmentType; content: Buffer },
): Promise<'ok' | 'too_many'> {
  return db.transaction().execute(async (trx) => {
    // Drafts never sent are dropped after a day.
    await trx
      .deleteFrom('message_attachments')
      .where('region_code', '=', user.regionCode)
      .where('uploaded_by', '=', user.id)
      .where('message_id', 'is', null)
      .where('created_at', '<', sql<Date>`now() - interval '1 day'`)
      .execute();
    const taken = new Set(
      (
        await trx
          .selectFrom('message_attachments')
          .select('ordinal')
          .where('region_code', '=', user.regionCode)
          .where('uploaded_by', '=', user.id)
          .where('draft_id', '=', draftId)
          .execute()
      ).map((r) => r.ordinal),
    );
    const ordinal = [1, 2, 3].find((n) => !taken.has(n));
    if (ordinal === undefined || taken.size >= MAX_FILES) return 'too_many';
    const inserted = await trx
      .insertInto('message_attachments')
      .values({
        region_code: user.regionCode,
        draft_id: draftId,
        uploaded_by: user.id,
        ordinal,
        filename: file.filename,
        content_type: file.contentType,
        size: file.content.length,
        content: file.content,
      })
      .onConflict((oc) => oc.columns(['region_code', 'uploaded_by', 'draft_id', 'ordinal']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted ? 'ok' : 'too_many';
  });
}

export async function removeDraftFile(
  db: Db,
  user: Pick<SessionUser, 'id' | 'regionCode'>,
  draftId: string,
  fileId: string,
): Promise<void> {
  if (!isUuid(draftId) || !isUuid(fileId)) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('message_attachments')
      .where('region_code', '=', user.regionCode)
      .where('uploaded_by', '=', user.id)
      .where('draft_id', '=', draftId)
      .where('id', '=', fileId)
      .where('message_id', 'is', null)
      .execute();
  });
}

// ── Sending ──

type Author = Pick<SessionUser, 'id' | 'role' | 'regionCode' | 'officeId' | 'agencyId'>;

async function insertMessage(
  trx: Tx,
  deps: MessagesDeps,
  author: Author,
  thread: { id: string; citizen_id: string; office_id: string; agency_id: string | null },
  body: string,
  template: TemplateId | null,
  draftId: string,
): Promise<string> {
  const side: MessageSide = author.role === 'citizen' ? 'citizen' : 'staff';
  const message = await trx
    .insertInto('messages')
    .values({
      region_code: author.regionCode,
      thread_id: thread.id,
      author_id: author.id,
      author_side: side,
      body,
      template,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  if (isUuid(draftId))
    await trx
      .updateTable('message_attachments')
      .set({ message_id: message.id })
      .where('region_code', '=', author.regionCode)
      .where('uploaded_by', '=', author.id)
      .where('draft_id', '=', draftId)
      .where('message_id', 'is', null)
      .execute();
  // Writing is reading: the author's side has seen everything up to its own message.
  await trx
    .updateTable('message_threads')
    .set(
      side === 'citizen'
        ? { last_message_at: message.created_at, citizen_read_at: message.created_at }
        : { last_message_at: message.created_at, staff_read_at: message.created_at },
    )
    .where('region_code', '=', author.regionCode)
    .where('id', '=', thread.id)
    .execute();
  await deps.audit.record(
    {
      regionCode: author.regionCode,
      action: 'message.sent',
      outcome: 'ok',
      actor: actorOf(author),
      subjectId: thread.citizen_id,
      purpose: 'messages',
      objectType: 'message',
      objectId: message.id,
      details: { threadId: thread.id, template },
    },
    trx,
  );
  if (side === 'staff') await notifyPerson(trx, deps, author.regionCode, thread, message.id);
  else await notifyOperators(trx, deps, author.regionCode, thread, message.id);
  return message.id;
}

/**
 * "You have a new message": never the content, in the person's language, with the link. E-mail by
 * default; an SMS too when the person has a mobile and either no e-mail or chose to be followed
 * remotely (their latest channel choice is 'remote'). One key per message: notified once.
 */
async function notifyPerson(
  trx: Tx,
  deps: MessagesDeps,
  regionCode: string,
  thread: { id: string; citizen_id: string },
  messageId: string,
): Promise<void> {
  const p = await trx
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as c', (j) =>
      j.onRef('c.region_code', '=', 'u.region_code').onRef('c.user_id', '=', 'u.id'),
    )
    .select([
      sql<string | null>`coalesce(c.email, u.email)`.as('email'),
      sql<string | null>`coalesce(c.mobile, u.phone)`.as('mobile'),
      'u.preferred_language',
    ])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', thread.citizen_id)
    .executeTakeFirst();
  if (!p) return;
  const choice = await trx
    .selectFrom('channel_choices')
    .select('channel')
    .where('region_code', '=', regionCode)
    .where('user_id', '=', thread.citizen_id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const t = translator(isLang(p.preferred_language) ? p.preferred_language : 'it');
  const link = `${deps.config.publicUrl}/messaggi/${thread.id}`;
  const key = `message:${messageId}:person`;
  if (p.email)
    await deps.notifier.email(trx, {
      key,
      to: p.email,
      subject: t('messages.notify.subject'),
      text: t('messages.notify.text', { link }),
    });
  if (p.mobile && (!p.email || choice?.channel === 'remote'))
    await deps.notifier.sms(trx, { key, to: p.mobile, text: t('messages.notify.sms', { link }) });
}

/**
 * A person wrote: the operators who already answered in this thread get an e-mail; if none has yet,
 * every operator of the office (and of the agency, for a thread that names one). No content.
 */
async function notifyOperators(
  trx: Tx,
  deps: MessagesDeps,
  regionCode: string,
  thread: { id: string; office_id: string; agency_id: string | null },
  messageId: string,
): Promise<void> {
  const writers = await trx
    .selectFrom('messages as m')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'm.region_code').onRef('u.id', '=', 'm.author_id'),
    )
    .select(['u.id', 'u.email', 'u.preferred_language'])
    .distinct()
    .where('m.region_code', '=', regionCode)
    .where('m.thread_id', '=', thread.id)
    .where('m.author_side', '=', 'staff')
    .where('u.disabled_at', 'is', null)
    .execute();
  const operators =
    writers.length > 0
      ? writers
      : await trx
          .selectFrom('users')
          .select(['id', 'email', 'preferred_language'])
          .where('region_code', '=', regionCode)
          .where('disabled_at', 'is', null)
          .where((eb) =>
            eb.or([
              eb.and([eb('role', '=', 'cpi_operator'), eb('office_id', '=', thread.office_id)]),
              ...(thread.agency_id
                ? [eb.and([eb('role', '=', 'apl_operator'), eb('agency_id', '=', thread.agency_id)])]
                : []),
            ]),
          )
          .limit(50)
          .execute();
  const link = `${deps.config.publicUrl}/operatore/messaggi/${thread.id}`;
  for (const op of operators) {
    if (!op.email) continue;
    const t = translator(isLang(op.preferred_language) ? op.preferred_language : 'it');
    await deps.notifier.email(trx, {
      key: `message:${messageId}:operator:${op.id}`,
      to: op.email,
      subject: t('messages.notify.operatorSubject'),
      text: t('messages.notify.operatorText', { link }),
    });
  }
}

export type NewThread = {
  subject: string;
  body: string;
  template: TemplateId | null;
  draftId: string;
};

/** The person writes to their CPI office (or to the agency of their three-party pact). */
export async function startThreadByCitizen(
  deps: MessagesDeps,
  user: SessionUser,
  to: { officeId: string; agencyId: string | null },
  m: NewThread,
): Promise<string | null> {
  const office = await deps.db
    .selectFrom('offices')
    .select('id')
    .where('region_code', '=', user.regionCode)
    .where('id', '=', to.officeId)
    .executeTakeFirst();
  if (!office) return null;
  return createThread(deps, user, { citizenId: user.id, officeId: to.officeId, agencyId: to.agencyId }, m);
}

/** An operator opens a thread with a person they follow (the caller checked it with personForOperator). */
export async function startThreadByOperator(
  deps: MessagesDeps,
  op: SessionUser,
  person: Person,
  m: NewThread,
): Promise<string | null> {
  const officeId = op.role === 'cpi_operator' ? op.officeId : person.officeId;
  if (!officeId) return null;
  const agencyId = op.role === 'apl_operator' ? op.agencyId : null;
  return createThread(deps, op, { citizenId: person.id, officeId, agencyId }, m);
}

async function createThread(
  deps: MessagesDeps,
  author: SessionUser,
  where: { citizenId: string; officeId: string; agencyId: string | null },
  m: NewThread,
): Promise<string> {
  return deps.db.transaction().execute(async (trx) => {
    const thread = await trx
      .insertInto('message_threads')
      .values({
        region_code: author.regionCode,
        citizen_id: where.citizenId,
        office_id: where.officeId,
        agency_id: where.agencyId,
        subject: m.subject,
        created_by: author.id,
      })
      .returning(['id', 'citizen_id', 'office_id', 'agency_id'])
      .executeTakeFirstOrThrow();
    await insertMessage(trx, deps, author, thread, m.body, m.template, m.draftId);
    return thread.id;
  });
}

/** A reply in a thread the caller may write to (checked with threadForCitizen/threadForOperator). */
export async function reply(
  deps: MessagesDeps,
  author: SessionUser,
  thread: Thread,
  m: Omit<NewThread, 'subject'>,
): Promise<string> {
  return deps.db
    .transaction()
    .execute((trx) => insertMessage(trx, deps, author, thread, m.body, m.template, m.draftId));
}

/** Operators reading a thread or a person's threads: one audited read with its purpose. */
export async function auditThreadRead(
  deps: MessagesDeps,
  op: SessionUser,
  reads: { subjectId: string; objectId: string | null }[],
): Promise<void> {
  await deps.audit.recordReads(actorOf(op), 'message_thread', 'messages', reads);
}

/** The template's subject and text, written in the person's language, for the operator to edit. */
export function templateText(
  template: TemplateId,
  language: string,
  values: { name: string; office: string },
): { subject: string; body: string } {
  const t = translator(isLang(language) ? language : 'it');
  return {
    subject: t(`messages.templates.${template}.subject`),
    body: t(`messages.templates.${template}.body`, values),
  };
}
