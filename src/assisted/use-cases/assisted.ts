import { sql } from 'kysely';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { compiledOnce } from '../../platform/db/compiled.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { isLang, type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { AssistedChannel, AssistedEndedBy } from '../adapters/assisted-tables.ts';
import { assistedExpiry, CONSENT_VERSION } from '../domain/assisted.ts';

/**
 * Assisted mode (issue 8, item 4). Who may do what:
 * - an operator (CPI or APL) starts a session only for a person they may open (the route gates it
 *   with `readPersonRecord`, which scopes by Region and, for APL operators, by referral);
 * - every query here filters by the actor's region_code; a session is found only by its own operator
 *   (to end it or act within it) or by its own person (to see or end it) — anything else is "not found";
 * - what the operator does while a session is active is written to the audit log with
 *   on_behalf_of = the person and listed in assisted_actions (`recordOnBehalf`, in the action's own
 *   transaction).
 */
export type AssistedDeps = Pick<CaseworkPorts, 'db' | 'audit' | 'notifier' | 'config'>;

type Operator = Pick<SessionUser, 'id' | 'role' | 'regionCode' | 'officeId' | 'agencyId'> & {
  givenName: string;
  familyName: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export type ActiveSession = {
  id: string;
  region_code: string;
  citizen_id: string;
  operator_id: string;
  channel: AssistedChannel;
  started_at: Date;
  expires_at: Date;
};

const sessionColumns = [
  'id',
  'region_code',
  'citizen_id',
  'operator_id',
  'channel',
  'started_at',
  'expires_at',
] as const;

/** The operator's active session for this person, or null. */
export async function activeSession(
  db: Db | Tx,
  op: Pick<SessionUser, 'id' | 'regionCode'>,
  personId: string,
  now = new Date(),
): Promise<ActiveSession | null> {
  if (!isUuid(personId)) return null;
  const row = await db
    .selectFrom('assisted_sessions')
    .select(sessionColumns)
    .where('region_code', '=', op.regionCode)
    .where('operator_id', '=', op.id)
    .where('citizen_id', '=', personId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ?? null;
}

/** The name of the operator's office (CPI) or agency (APL), as the person knows it. */
export async function workplaceOf(
  db: Db | Tx,
  op: Pick<SessionUser, 'regionCode' | 'officeId' | 'agencyId' | 'role'>,
): Promise<string> {
  if (op.role === 'apl_operator' && op.agencyId) {
    const a = await db
      .selectFrom('agencies')
      .select('name')
      .where('region_code', '=', op.regionCode)
      .where('id', '=', op.agencyId)
      .executeTakeFirst();
    return a?.name ?? '';
  }
  if (!op.officeId) return '';
  const o = await db
    .selectFrom('offices')
    .select('name')
    .where('region_code', '=', op.regionCode)
    .where('id', '=', op.officeId)
    .executeTakeFirst();
  return o?.name ?? '';
}

/** The statement the operator reads out, in a language, for this operator and person. */
export function consentStatement(
  lang: Lang,
  who: { operator: string; workplace: string; person: string },
  version = CONSENT_VERSION,
): string {
  return translator(lang)(`assisted.consent.${version}`, who);
}

export type StartInput = {
  channel: AssistedChannel;
  duration: string;
  identityChecked: boolean;
  consentConfirmed: boolean;
  /** The language of the statement shown to the operator (the page's). */
  lang: Lang;
};

export type StartResult =
  | { ok: true; sessionId: string; expiresAt: Date }
  | { ok: false; reason: 'consent' | 'identity' | 'duration' | 'already_active' };

/**
 * Starts a session: refuses without the person's consent or without an identity check, and for a
 * duration not offered. In one transaction: a stale (expired) session of the same pair is closed, the
 * session is written with the exact statement read, the start is audited, and the person is told
 * by e-mail and SMS.
 */
export async function startAssisted(
  deps: AssistedDeps,
  op: Operator,
  person: { id: string; given_name: string; family_name: string },
  input: StartInput,
  now = new Date(),
): Promise<StartResult> {
  if (!input.consentConfirmed) return { ok: false, reason: 'consent' };
  if (!input.identityChecked) return { ok: false, reason: 'identity' };
  const expiresAt = assistedExpiry(now, input.duration);
  if (!expiresAt) return { ok: false, reason: 'duration' };
  if (op.role !== 'cpi_operator' && op.role !== 'apl_operator') return { ok: false, reason: 'consent' };
  const operatorRole = op.role;
  const workplace = await workplaceOf(deps.db, op);
  const text = consentStatement(input.lang, {
    operator: `${op.givenName} ${op.familyName}`,
    workplace,
    person: `${person.given_name} ${person.family_name}`,
  });
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('assisted_sessions')
        .set({ ended_at: sql`expires_at`, ended_by: 'expired' })
        .where('region_code', '=', op.regionCode)
        .where('operator_id', '=', op.id)
        .where('citizen_id', '=', person.id)
        .where('ended_at', 'is', null)
        .where('expires_at', '<=', now)
        .execute();
      if (await activeSession(trx, op, person.id, now))
        return { ok: false, reason: 'already_active' } as const;
      const row = await trx
        .insertInto('assisted_sessions')
        .values({
          region_code: op.regionCode,
          citizen_id: person.id,
          operator_id: op.id,
          operator_role: operatorRole,
          office_id: op.officeId,
          agency_id: op.agencyId,
          channel: input.channel,
          consent_version: CONSENT_VERSION,
          consent_lang: input.lang,
          consent_text: text,
          identity_checked: true,
          consent_confirmed_at: now,
          started_at: now,
          expires_at: expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.audit.record(
        {
          regionCode: op.regionCode,
          action: 'assisted.started',
          outcome: 'ok',
          actor: actorOf(op),
          subjectId: person.id,
          purpose: 'assisted_mode',
          objectType: 'assisted_session',
          objectId: row.id,
          details: {
            channel: input.channel,
            consentVersion: CONSENT_VERSION,
            consentLang: input.lang,
            expiresAt: expiresAt.toISOString(),
          },
        },
        trx,
      );
      await tellPerson(deps, trx, op.regionCode, person.id, row.id, {
        operator: `${op.givenName} ${op.familyName}`,
        workplace,
        expiresAt,
      });
      return { ok: true, sessionId: row.id, expiresAt } as const;
    });
  } catch (error) {
    // Two starts at once for the same pair: the unique index lets only one through.
    if ((error as { code?: string }).code === '23505') return { ok: false, reason: 'already_active' };
    throw error;
  }
}

/** The person is told at once, in their language, with the page where they can end the session. */
async function tellPerson(
  deps: AssistedDeps,
  trx: Tx,
  regionCode: string,
  personId: string,
  sessionId: string,
  about: { operator: string; workplace: string; expiresAt: Date },
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
    .where('u.id', '=', personId)
    .executeTakeFirst();
  if (!p) return;
  const lang: Lang = isLang(p.preferred_language) ? p.preferred_language : 'it';
  const t = translator(lang);
  const until = dateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(about.expiresAt);
  const link = `${deps.config.publicUrl}/i-miei-dati/per-tuo-conto`;
  const values = { operator: about.operator, workplace: about.workplace, until, link };
  const key = `assisted:${sessionId}:started`;
  if (p.email)
    await deps.notifier.email(trx, {
      key,
      to: p.email,
      subject: t('assisted.notify.subject'),
      text: t('assisted.notify.text', values),
    });
  if (p.mobile) await deps.notifier.sms(trx, { key, to: p.mobile, text: t('assisted.notify.sms', values) });
}

/** The operator ends their active session with this person; false if there is none. */
export async function endByOperator(
  deps: AssistedDeps,
  op: Operator,
  personId: string,
  now = new Date(),
): Promise<boolean> {
  if (!isUuid(personId)) return false;
  return deps.db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('assisted_sessions')
      .set({ ended_at: now, ended_by: 'operator' })
      .where('region_code', '=', op.regionCode)
      .where('operator_id', '=', op.id)
      .where('citizen_id', '=', personId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'citizen_id'])
      .executeTakeFirst();
    if (!ended) return false;
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'assisted.ended',
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: ended.citizen_id,
        purpose: 'assisted_mode',
        objectType: 'assisted_session',
        objectId: ended.id,
        details: { by: 'operator' },
      },
      trx,
    );
    return true;
  });
}

/**
 * The person ends one of their sessions. 'ended' if it was active; 'already' if it had already
 * ended or expired; 'not_found' if it is not theirs (or not a session at all).
 */
export async function endByPerson(
  deps: AssistedDeps,
  me: Pick<SessionUser, 'id' | 'regionCode' | 'role' | 'officeId' | 'agencyId'>,
  sessionId: string,
  now = new Date(),
): Promise<'ended' | 'already' | 'not_found'> {
  if (!isUuid(sessionId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const s = await trx
      .selectFrom('assisted_sessions')
      .select(['id', 'ended_at', 'expires_at'])
      .where('region_code', '=', me.regionCode)
      .where('citizen_id', '=', me.id)
      .where('id', '=', sessionId)
      .forUpdate()
      .executeTakeFirst();
    if (!s) return 'not_found';
    if (s.ended_at !== null || s.expires_at <= now) return 'already';
    await trx
      .updateTable('assisted_sessions')
      .set({ ended_at: now, ended_by: 'person' })
      .where('region_code', '=', me.regionCode)
      .where('id', '=', s.id)
      .execute();
    await deps.audit.record(
      {
        regionCode: me.regionCode,
        action: 'assisted.ended',
        outcome: 'ok',
        actor: actorOf(me),
        subjectId: me.id,
        purpose: 'assisted_mode',
        objectType: 'assisted_session',
        objectId: s.id,
        details: { by: 'person' },
      },
      trx,
    );
    return 'ended';
  });
}

/**
 * Called inside the transaction of an action the operator does for the person: if the operator has
 * an active session with the person (checked again here, with the row locked so that an end waits),
 * the action is audited with on_behalf_of = the person and listed in assisted_actions. Returns whether
 * it was recorded as done on the person's behalf.
 */
export async function recordOnBehalf(
  deps: Pick<AssistedDeps, 'audit'>,
  trx: Tx,
  op: Pick<SessionUser, 'id' | 'role' | 'regionCode' | 'officeId' | 'agencyId'>,
  personId: string,
  action: { action: string; objectType: string; objectId: string; details?: Record<string, unknown> },
  now = new Date(),
): Promise<boolean> {
  const session = await trx
    .selectFrom('assisted_sessions')
    .select(['id', 'citizen_id'])
    .where('region_code', '=', op.regionCode)
    .where('operator_id', '=', op.id)
    .where('citizen_id', '=', personId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .forShare()
    .executeTakeFirst();
  if (!session) return false;
  await deps.audit.record(
    {
      regionCode: op.regionCode,
      action: action.action,
      outcome: 'ok',
      actor: actorOf(op),
      onBehalfOf: session.citizen_id,
      subjectId: session.citizen_id,
      purpose: 'assisted_mode',
      objectType: action.objectType,
      objectId: action.objectId,
      details: { ...action.details, assistedSession: session.id },
    },
    trx,
  );
  await trx
    .insertInto('assisted_actions')
    .values({
      region_code: op.regionCode,
      session_id: session.id,
      citizen_id: session.citizen_id,
      operator_id: op.id,
      action: action.action,
      object_type: action.objectType,
      object_id: action.objectId,
      at: now,
    })
    .execute();
  return true;
}

export type SessionRow = {
  id: string;
  channel: AssistedChannel;
  started_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  ended_by: AssistedEndedBy | null;
  consent_version: string;
  consent_lang: string;
  consent_text: string;
  operator_given_name: string;
  operator_family_name: string;
  office_name: string | null;
  agency_name: string | null;
};

/** Sessions with a person, newest first: all of the person's (own page) or one operator's. */
export async function sessionsOf(
  db: Db,
  regionCode: string,
  personId: string,
  operatorId?: string,
): Promise<SessionRow[]> {
  return db
    .selectFrom('assisted_sessions as s')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 's.region_code').onRef('u.id', '=', 's.operator_id'),
    )
    .leftJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 's.region_code').onRef('o.id', '=', 's.office_id'),
    )
    .leftJoin('agencies as g', (j) =>
      j.onRef('g.region_code', '=', 's.region_code').onRef('g.id', '=', 's.agency_id'),
    )
    .select([
      's.id',
      's.channel',
      's.started_at',
      's.expires_at',
      's.ended_at',
      's.ended_by',
      's.consent_version',
      's.consent_lang',
      's.consent_text',
      'u.given_name as operator_given_name',
      'u.family_name as operator_family_name',
      'o.name as office_name',
      'g.name as agency_name',
    ])
    .where('s.region_code', '=', regionCode)
    .where('s.citizen_id', '=', personId)
    .$if(operatorId !== undefined, (q) => q.where('s.operator_id', '=', operatorId ?? ''))
    .orderBy('s.started_at', 'desc')
    .limit(50)
    .execute();
}

export type OnBehalfRow = {
  at: Date;
  action: string;
  object_type: string | null;
  given_name: string | null;
  family_name: string | null;
  office_name: string | null;
  agency_name: string | null;
  service_code: string | null;
  starts_at: Date | null;
};

/**
 * Everything done on the person's behalf, from the audit log (on_behalf_of = the person, in their
 * Region), newest first, with what the plain-language line needs (the appointment's service and time).
 */
export async function actionsOnBehalfOf(
  db: Db,
  regionCode: string,
  personId: string,
  sessionId?: string,
): Promise<OnBehalfRow[]> {
  return (
    db
      .selectFrom('audit_log as l')
      .leftJoin('users as u', (j) =>
        j.onRef('u.region_code', '=', 'l.actor_region').onRef('u.id', '=', 'l.actor_id'),
      )
      .leftJoin('offices as o', (j) =>
        j.onRef('o.region_code', '=', 'l.actor_region').onRef('o.id', '=', 'l.actor_office_id'),
      )
      .leftJoin('agencies as g', (j) =>
        j.onRef('g.region_code', '=', 'l.actor_region').onRef('g.id', '=', 'l.actor_agency_id'),
      )
      .leftJoin('appointments as a', (j) =>
        j
          .onRef('a.region_code', '=', 'l.region_code')
          .on('l.object_type', '=', 'appointment')
          .on(sql`a.id::text`, '=', sql.ref('l.object_id'))
          .onRef('a.citizen_id', '=', 'l.on_behalf_of'),
      )
      .leftJoin('agenda_slots as sl', (j) =>
        j.onRef('sl.region_code', '=', 'a.region_code').onRef('sl.id', '=', 'a.slot_id'),
      )
      .select([
        'l.at',
        'l.action',
        'l.object_type',
        'u.given_name',
        'u.family_name',
        'o.name as office_name',
        'g.name as agency_name',
        'a.service_code',
        'sl.starts_at',
      ])
      .where('l.region_code', '=', regionCode)
      // Entries done on someone's behalf name them as the subject too: the subject index finds them.
      .where('l.subject_id', '=', personId)
      .where('l.on_behalf_of', '=', personId)
      .$if(sessionId !== undefined, (q) =>
        q.where(sql<string>`l.details->>'assistedSession'`, '=', sessionId ?? ''),
      )
      .orderBy('l.at', 'desc')
      .limit(200)
      .execute()
  );
}

/**
 * For a list of the person's appointments: which were booked on their behalf, and by whom
 * (appointment id → operator's name). For the person's appointments page.
 */
export async function onBehalfMarks(
  db: Db,
  regionCode: string,
  personId: string,
  appointmentIds: string[],
): Promise<Map<string, string>> {
  const ids = appointmentIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await onBehalfMarksQuery(db, { regionCode, personId, ids });
  return new Map(rows.map((r) => [r.object_id ?? '', `${r.given_name} ${r.family_name}`]));
}
const onBehalfMarksQuery = compiledOnce((db, v: { regionCode: string; personId: string; ids: string[] }) =>
  db
    .selectFrom('assisted_actions as x')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'x.region_code').onRef('u.id', '=', 'x.operator_id'),
    )
    .select(['x.object_id', 'u.given_name', 'u.family_name'])
    .where('x.region_code', '=', v.regionCode)
    .where('x.citizen_id', '=', v.personId)
    .where('x.object_type', '=', 'appointment')
    .where(sql<boolean>`x.object_id = any(${v.ids})`),
);
