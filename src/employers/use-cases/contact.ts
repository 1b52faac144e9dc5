/**
 * The person's consent to be found, contact requests from companies and the message thread that an
 * accepted request opens (issue 7 item 5). Every query is scoped to the actor's Region and to the
 * actor's own side (the person; the company): anything else is "not found" (null).
 */
import { sql } from 'kysely';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { EmployerDeps } from '../deps.ts';
import { candidatePseudonym } from '../domain/pseudonym.ts';

type Deps = Pick<EmployerDeps, 'db' | 'audit' | 'notifier' | 'config'>;
export type ContactStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** After a decline the same company may not ask the same person again for this many days. */
export const DECLINE_COOLDOWN_DAYS = 90;

// ── Consent ──────────────────────────────────────────────────────────────────────────────────────

export async function visibilityOf(
  db: Db,
  user: SessionUser,
): Promise<{ visible: boolean; changedAt: Date } | null> {
  const row = await db
    .selectFrom('candidate_visibility')
    .select(['visible', 'changed_at'])
    .where('region_code', '=', user.regionCode)
    .where('citizen_id', '=', user.id)
    .executeTakeFirst();
  return row ? { visible: row.visible, changedAt: new Date(row.changed_at) } : null;
}

/**
 * Turn "let companies find me" on or off. Off declines every pending request in the same transaction
 * (the companies see "declined"); accepted contacts stay open (the person already shared their details).
 */
export async function setVisibility(
  deps: Deps,
  user: SessionUser,
  visible: boolean,
  now = new Date(),
): Promise<{ declined: number }> {
  return deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('candidate_visibility')
      .values({ region_code: user.regionCode, citizen_id: user.id, visible, changed_at: now })
      .onConflict((oc) => oc.columns(['region_code', 'citizen_id']).doUpdateSet({ visible, changed_at: now }))
      .execute();
    let declined = 0;
    if (!visible) {
      const rows = await trx
        .updateTable('contact_requests')
        .set({ status: 'declined', answered_at: now })
        .where('region_code', '=', user.regionCode)
        .where('citizen_id', '=', user.id)
        .where('status', '=', 'pending')
        .returning(['id', 'requested_by'])
        .execute();
      declined = rows.length;
      for (const r of rows)
        await notifyCompanyUser(deps, trx, user.regionCode, r.requested_by, r.id, 'declined');
    }
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: visible ? 'candidates.visibility_on' : 'candidates.visibility_off',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: user.id,
        purpose: 'candidate_search_consent',
        objectType: 'candidate_visibility',
        objectId: user.id,
        details: { visible, declinedRequests: declined },
      },
      trx,
    );
    return { declined };
  });
}

/** Whether the person has a domicile with coordinates (without one the matcher cannot place them). */
export async function hasDomicile(db: Db, user: SessionUser): Promise<boolean> {
  const row = await db
    .selectFrom('citizen_profiles as p')
    .innerJoin('municipalities as m', 'm.istat_code', 'p.domicile_code')
    .select('m.latitude')
    .where('p.region_code', '=', user.regionCode)
    .where('p.user_id', '=', user.id)
    .where('m.latitude', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

// ── Messages to the other side ───────────────────────────────────────────────────────────────────

async function citizenContact(db: Db | Tx, regionCode: string, citizenId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
    )
    .select([
      'u.given_name',
      'u.family_name',
      'u.preferred_language',
      sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      sql<string | null>`coalesce(p.mobile, u.phone)`.as('phone'),
    ])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', citizenId)
    .executeTakeFirst();
}

function langOf(value: unknown) {
  return isLang(value) ? value : 'it';
}

async function notifyCompanyUser(
  deps: Deps,
  trx: Tx,
  regionCode: string,
  userId: string,
  contactId: string,
  what: 'accepted' | 'declined' | 'message',
  messageId?: string,
): Promise<void> {
  const u = await trx
    .selectFrom('users')
    .select(['email', 'preferred_language', 'disabled_at'])
    .where('region_code', '=', regionCode)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u?.email || u.disabled_at) return;
  const t = translator(langOf(u.preferred_language));
  const link = `${deps.config.publicUrl.replace(/\/$/, '')}/azienda/candidati/contatti/${contactId}`;
  await deps.notifier.email(trx, {
    key: what === 'message' ? `contact-message:${messageId}:company` : `contact-${what}:${contactId}`,
    to: u.email,
    subject: t(`candidates.email.${what}.subject`),
    text: t(`candidates.email.${what}.text`, { link }),
  });
}

async function notifyCitizen(
  deps: Deps,
  trx: Tx,
  regionCode: string,
  citizenId: string,
  contactId: string,
  what: 'request' | 'message',
  extra: { company?: string; messageId?: string } = {},
): Promise<void> {
  const p = await citizenContact(trx, regionCode, citizenId);
  if (!p?.email) return;
  const t = translator(langOf(p.preferred_language));
  const link = `${deps.config.publicUrl.replace(/\/$/, '')}/contatti/${contactId}`;
  await deps.notifier.email(trx, {
    key: what === 'message' ? `contact-message:${extra.messageId}:citizen` : `contact-request:${contactId}`,
    to: p.email,
    subject: t(`candidates.email.${what}.subject`),
    text: t(`candidates.email.${what}.text`, { link, company: extra.company ?? '' }),
  });
}

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────

export type RequestRefusal = 'notVisible' | 'already' | 'declinedRecently' | 'vacancy';

/** A company asks a person (found in candidate search) for their contact details, with a message. */
export async function requestContact(
  deps: Deps,
  user: SessionUser,
  input: { citizenId: string; vacancyId: string; message: string },
  now = new Date(),
): Promise<{ ok: true; id: string } | { ok: false; reason: RequestRefusal }> {
  const companyId = user.companyId;
  if (!companyId || !isUuid(input.citizenId) || !isUuid(input.vacancyId))
    return { ok: false, reason: 'vacancy' };
  return deps.db.transaction().execute(async (trx) => {
    const vacancy = await trx
      .selectFrom('vacancies')
      .select(['id', 'title'])
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', companyId)
      .where('id', '=', input.vacancyId)
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    if (!vacancy) return { ok: false as const, reason: 'vacancy' as const };
    // Lock the person's consent row: a withdrawal at the same moment waits (or we see it).
    const consent = await trx
      .selectFrom('candidate_visibility as v')
      .innerJoin('users as u', (j) =>
        j.onRef('u.region_code', '=', 'v.region_code').onRef('u.id', '=', 'v.citizen_id'),
      )
      .select('v.visible')
      .where('v.region_code', '=', user.regionCode)
      .where('v.citizen_id', '=', input.citizenId)
      .where('u.role', '=', 'citizen')
      .where('u.disabled_at', 'is', null)
      .forUpdate('v')
      .executeTakeFirst();
    if (!consent?.visible) return { ok: false as const, reason: 'notVisible' as const };
    const previous = await trx
      .selectFrom('contact_requests')
      .select(['status', 'answered_at'])
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', companyId)
      .where('citizen_id', '=', input.citizenId)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['pending', 'accepted']),
          eb.and([
            eb('status', '=', 'declined'),
            eb('answered_at', '>', new Date(now.getTime() - DECLINE_COOLDOWN_DAYS * 86_400_000)),
          ]),
        ]),
      )
      .execute();
    if (previous.some((p) => p.status === 'pending' || p.status === 'accepted'))
      return { ok: false as const, reason: 'already' as const };
    if (previous.length > 0) return { ok: false as const, reason: 'declinedRecently' as const };
    const inserted = await trx
      .insertInto('contact_requests')
      .values({
        region_code: user.regionCode,
        company_id: companyId,
        citizen_id: input.citizenId,
        vacancy_id: vacancy.id,
        requested_by: user.id,
        message: input.message,
        created_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    // The unique index (one open request per company and person) settles a race between two recruiters.
    if (!inserted) return { ok: false as const, reason: 'already' as const };
    const company = await trx
      .selectFrom('companies')
      .select('name')
      .where('region_code', '=', user.regionCode)
      .where('id', '=', companyId)
      .executeTakeFirst();
    await notifyCitizen(deps, trx, user.regionCode, input.citizenId, inserted.id, 'request', {
      company: company?.name ?? '',
    });
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'candidates.contact_requested',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: input.citizenId,
        purpose: 'candidate_search',
        objectType: 'contact_request',
        objectId: inserted.id,
        details: { vacancyId: vacancy.id },
      },
      trx,
    );
    return { ok: true as const, id: inserted.id };
  });
}

export type CitizenRequest = {
  id: string;
  company: string;
  vacancyTitle: string | null;
  vacancyId: string | null;
  message: string;
  status: ContactStatus;
  createdAt: Date;
  answeredAt: Date | null;
  unread: number;
};

function citizenRequests(db: Db, user: SessionUser) {
  return db
    .selectFrom('contact_requests as r')
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'r.region_code').onRef('c.id', '=', 'r.company_id'),
    )
    .leftJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 'r.region_code').onRef('v.id', '=', 'r.vacancy_id'),
    )
    .select((eb) => [
      'r.id',
      'c.name as company',
      'v.title as vacancyTitle',
      'v.id as vacancyId',
      'r.message',
      'r.status',
      'r.created_at as createdAt',
      'r.answered_at as answeredAt',
      eb
        .selectFrom('contact_messages as m')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('m.region_code', '=', 'r.region_code')
        .whereRef('m.contact_id', '=', 'r.id')
        .where('m.sender_side', '=', 'company')
        .where('m.read_at', 'is', null)
        .as('unread'),
    ])
    .where('r.region_code', '=', user.regionCode)
    .where('r.citizen_id', '=', user.id);
}

export async function requestsOfCitizen(db: Db, user: SessionUser): Promise<CitizenRequest[]> {
  const rows = await citizenRequests(db, user).orderBy('r.created_at', 'desc').limit(100).execute();
  return rows.map((r) => ({ ...r, unread: Number(r.unread ?? 0) }) as CitizenRequest);
}

export async function requestOfCitizen(
  db: Db,
  user: SessionUser,
  id: string,
): Promise<CitizenRequest | null> {
  if (!isUuid(id)) return null;
  const row = await citizenRequests(db, user).where('r.id', '=', id).executeTakeFirst();
  return row ? ({ ...row, unread: Number(row.unread ?? 0) } as CitizenRequest) : null;
}

/** The person accepts or declines a pending request; anything else (not theirs, not pending) is null. */
export async function answerRequest(
  deps: Deps,
  user: SessionUser,
  id: string,
  answer: 'accepted' | 'declined',
  now = new Date(),
): Promise<{ ok: true } | null> {
  if (!isUuid(id)) return null;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('contact_requests')
      .set({ status: answer, answered_at: now })
      .where('region_code', '=', user.regionCode)
      .where('citizen_id', '=', user.id)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returning(['id', 'requested_by', 'company_id'])
      .executeTakeFirst();
    if (!row) return null;
    await notifyCompanyUser(deps, trx, user.regionCode, row.requested_by, row.id, answer);
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: answer === 'accepted' ? 'candidates.contact_accepted' : 'candidates.contact_declined',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: user.id,
        purpose: 'candidate_search',
        objectType: 'contact_request',
        objectId: row.id,
        details: { companyId: row.company_id },
      },
      trx,
    );
    return { ok: true as const };
  });
}

// ── The company's side ───────────────────────────────────────────────────────────────────────────

export type CompanyContact = {
  id: string;
  citizenId: string;
  pseudonym: string;
  vacancyTitle: string | null;
  message: string;
  status: ContactStatus;
  createdAt: Date;
  answeredAt: Date | null;
  unread: number;
};

function companyRequests(db: Db, user: SessionUser) {
  return db
    .selectFrom('contact_requests as r')
    .leftJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 'r.region_code').onRef('v.id', '=', 'r.vacancy_id'),
    )
    .select((eb) => [
      'r.id',
      'r.citizen_id as citizenId',
      'v.title as vacancyTitle',
      'r.message',
      'r.status',
      'r.created_at as createdAt',
      'r.answered_at as answeredAt',
      eb
        .selectFrom('contact_messages as m')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('m.region_code', '=', 'r.region_code')
        .whereRef('m.contact_id', '=', 'r.id')
        .where('m.sender_side', '=', 'citizen')
        .where('m.read_at', 'is', null)
        .as('unread'),
    ])
    .where('r.region_code', '=', user.regionCode)
    .where('r.company_id', '=', user.companyId ?? '00000000-0000-0000-0000-000000000000');
}

export async function contactsOfCompany(deps: Deps, user: SessionUser): Promise<CompanyContact[]> {
  if (!user.companyId) return [];
  const rows = await companyRequests(deps.db, user).orderBy('r.created_at', 'desc').limit(200).execute();
  return rows.map(
    (r) =>
      ({
        ...r,
        unread: Number(r.unread ?? 0),
        pseudonym: candidatePseudonym(deps.config.sessionSecret, user.companyId ?? '', r.citizenId),
      }) as CompanyContact,
  );
}

export type RevealedPerson = {
  givenName: string;
  familyName: string;
  email: string | null;
  phone: string | null;
  cv: Record<string, unknown> | null;
};

/**
 * One of the company's contacts. When the person has accepted, their name, e-mail, phone and CV are
 * included and the read is audited (one `read.candidate_contact` entry each time the page is shown).
 */
export async function contactOfCompany(
  deps: Deps,
  user: SessionUser,
  id: string,
): Promise<(CompanyContact & { person: RevealedPerson | null }) | null> {
  if (!user.companyId || !isUuid(id)) return null;
  const row = await companyRequests(deps.db, user).where('r.id', '=', id).executeTakeFirst();
  if (!row) return null;
  const contact = {
    ...row,
    unread: Number(row.unread ?? 0),
    pseudonym: candidatePseudonym(deps.config.sessionSecret, user.companyId, row.citizenId),
  } as CompanyContact;
  if (contact.status !== 'accepted') return { ...contact, person: null };
  const p = await citizenContact(deps.db, user.regionCode, contact.citizenId);
  const cv = await deps.db
    .selectFrom('cvs')
    .select('document')
    .where('region_code', '=', user.regionCode)
    .where('citizen_id', '=', contact.citizenId)
    .executeTakeFirst();
  await deps.audit.recordReads(actorOf(user), 'candidate_contact', 'contact_request_accepted', [
    { subjectId: contact.citizenId, objectId: contact.id },
  ]);
  return {
    ...contact,
    person: p
      ? {
          givenName: p.given_name,
          familyName: p.family_name,
          email: p.email,
          phone: p.phone,
          cv: (cv?.document as Record<string, unknown> | undefined) ?? null,
        }
      : null,
  };
}

// ── Messages ─────────────────────────────────────────────────────────────────────────────────────

export type Message = { id: string; side: 'citizen' | 'company'; body: string; createdAt: Date };

/** The thread of a contact; marks the other side's messages as read by this side. */
export async function threadOf(
  db: Db,
  regionCode: string,
  contactId: string,
  reader: 'citizen' | 'company',
): Promise<Message[]> {
  await db
    .updateTable('contact_messages')
    .set({ read_at: new Date() })
    .where('region_code', '=', regionCode)
    .where('contact_id', '=', contactId)
    .where('sender_side', '<>', reader)
    .where('read_at', 'is', null)
    .execute();
  const rows = await db
    .selectFrom('contact_messages')
    .select(['id', 'sender_side', 'body', 'created_at'])
    .where('region_code', '=', regionCode)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    side: r.sender_side,
    body: r.body,
    createdAt: new Date(r.created_at),
  }));
}

/**
 * Write a message in an accepted contact. The other side gets an e-mail that says only that there is a
 * new message (never its text). Null when the contact is not the writer's or is not accepted.
 */
export async function sendMessage(
  deps: Deps,
  user: SessionUser,
  side: 'citizen' | 'company',
  contactId: string,
  body: string,
): Promise<{ ok: true; id: string } | null> {
  if (!isUuid(contactId)) return null;
  if (side === 'company' && !user.companyId) return null;
  return deps.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('contact_requests')
      .select(['id', 'citizen_id', 'requested_by', 'company_id'])
      .where('region_code', '=', user.regionCode)
      .where('id', '=', contactId)
      .where('status', '=', 'accepted');
    q =
      side === 'citizen'
        ? q.where('citizen_id', '=', user.id)
        : q.where('company_id', '=', user.companyId ?? '');
    const contact = await q.forUpdate().executeTakeFirst();
    if (!contact) return null;
    const msg = await trx
      .insertInto('contact_messages')
      .values({
        region_code: user.regionCode,
        contact_id: contact.id,
        sender_side: side,
        sender_id: user.id,
        body,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (side === 'company') {
      await notifyCitizen(deps, trx, user.regionCode, contact.citizen_id, contact.id, 'message', {
        messageId: msg.id,
      });
    } else {
      await notifyCompanyUser(
        deps,
        trx,
        user.regionCode,
        contact.requested_by,
        contact.id,
        'message',
        msg.id,
      );
    }
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'candidates.message_sent',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: contact.citizen_id,
        purpose: 'candidate_contact',
        objectType: 'contact_message',
        objectId: msg.id,
        details: { contactId: contact.id, side },
      },
      trx,
    );
    return { ok: true as const, id: msg.id };
  });
}
