import { createHash, randomBytes } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import type { Role } from '../db/schema.ts';

/**
 * Sessions live in PostgreSQL: the cookie carries 256 random bits, the table only their SHA-256.
 * Idle timeout 30 minutes, absolute 12 hours; the id is rotated when the second factor passes.
 */
export const SESSION_COOKIE = '__Host-sl_session';
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export type SessionUser = {
  id: string;
  regionCode: string;
  role: Role;
  officeId: string | null;
  agencyId: string | null;
  companyId: string | null;
  givenName: string;
  familyName: string;
  email: string | null;
  fiscalCode: string | null;
  isMinor: boolean;
  preferredLanguage: string;
};

export type Session = {
  idHash: Buffer;
  stage: 'second_factor' | 'active';
  authMethod: string;
  csrfSeed: string;
  createdAt: Date;
  /** A fresh SPID/CIE sign-in made to confirm an action, not yet used (decision 0005). */
  eidConfirmation: { provider: 'spid' | 'cie'; at: Date } | null;
  user: SessionUser;
};

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function createSession(
  db: Db,
  input: {
    userId: string;
    regionCode: string;
    stage: 'second_factor' | 'active';
    authMethod: string;
    ip?: string | undefined;
    userAgent?: string | undefined;
  },
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      region_code: input.regionCode,
      user_id: input.userId,
      stage: input.stage,
      auth_method: input.authMethod,
      csrf_seed: newToken(),
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  if (input.stage === 'active') {
    await db
      .updateTable('users')
      .set({ last_signed_in_at: new Date() })
      .where('region_code', '=', input.regionCode)
      .where('id', '=', input.userId)
      .execute();
  }
  return token;
}

function sessionQueryBuilder(db: Db, idHash: Buffer) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 's.region_code').onRef('u.id', '=', 's.user_id'),
    )
    .select([
      's.stage',
      's.auth_method',
      's.csrf_seed',
      's.created_at',
      's.last_seen_at',
      's.eid_confirmed_at',
      's.eid_confirmed_provider',
      'u.id',
      'u.region_code',
      'u.role',
      'u.office_id',
      'u.agency_id',
      'u.company_id',
      'u.given_name',
      'u.family_name',
      'u.email',
      'u.fiscal_code',
      'u.is_minor',
      'u.preferred_language',
      'u.disabled_at',
    ])
    .where('s.id_hash', '=', idHash);
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQueryBuilder>['executeTakeFirst']>>;
let compiledSessionSql: string | null = null;
function sessionSql(db: Db): string {
  compiledSessionSql ??= sessionQueryBuilder(db, Buffer.alloc(0)).compile().sql;
  return compiledSessionSql;
}

/**
 * A one-second, per-process memory of sessions just read: a page and its follow-up requests do
 * not each pay a database round trip. Ending a session clears it here at once; another web
 * process notices within CACHE_MS.
 */
export const CACHE_MS = 1000;
/** Keyed by the cookie's token, so that a hit costs no hashing; `tokenOf` finds it from the id hash. */
const recent = new Map<string, { session: Session; at: number }>();
const tokenOf = new Map<string, string>();

function forget(idHash: Buffer): void {
  const key = idHash.toString('hex');
  const token = tokenOf.get(key);
  if (token === undefined) return;
  recent.delete(token);
  tokenOf.delete(key);
}

export async function loadSession(db: Db, token: string, now = new Date()): Promise<Session | null> {
  const hit = recent.get(token);
  if (hit && now.getTime() - hit.at < CACHE_MS) return hit.session;
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const idHash = hashToken(token);
  const session = await readSession(db, idHash, now);
  if (recent.size > 50_000) {
    recent.clear();
    tokenOf.clear();
  }
  if (session) {
    recent.set(token, { session, at: now.getTime() });
    tokenOf.set(idHash.toString('hex'), token);
  } else forget(idHash);
  return session;
}

async function readSession(db: Db, idHash: Buffer, now: Date): Promise<Session | null> {
  // The query is compiled once: building it with Kysely on every request costs measurable CPU.
  const row = (await db.executeQuery(CompiledQuery.raw(sessionSql(db), [idHash]))).rows[0] as
    | SessionRow
    | undefined;
  if (!row || row.disabled_at) return null;
  const t = now.getTime();
  if (
    t - row.last_seen_at.getTime() > IDLE_TIMEOUT_MS ||
    t - row.created_at.getTime() > ABSOLUTE_TIMEOUT_MS
  ) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (t - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }
  return {
    idHash,
    stage: row.stage,
    authMethod: row.auth_method,
    csrfSeed: row.csrf_seed,
    createdAt: row.created_at,
    eidConfirmation:
      row.eid_confirmed_at && row.eid_confirmed_provider
        ? { provider: row.eid_confirmed_provider, at: row.eid_confirmed_at }
        : null,
    user: {
      id: row.id,
      regionCode: row.region_code,
      role: row.role,
      officeId: row.office_id,
      agencyId: row.agency_id,
      companyId: row.company_id,
      givenName: row.given_name,
      familyName: row.family_name,
      email: row.email,
      fiscalCode: row.fiscal_code,
      isMinor: row.is_minor,
      preferredLanguage: row.preferred_language,
    },
  };
}

export async function endSession(db: Db, idHash: Buffer): Promise<void> {
  forget(idHash);
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function endAllSessions(db: Db, regionCode: string, userId: string): Promise<number> {
  for (const [key, entry] of recent) {
    if (entry.session.user.id === userId && entry.session.user.regionCode === regionCode) {
      recent.delete(key);
      tokenOf.delete(entry.session.idHash.toString('hex'));
    }
  }
  const result = await db
    .deleteFrom('sessions')
    .where('region_code', '=', regionCode)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How long a fresh SPID/CIE confirmation may wait for the action it was made for. */
export const EID_CONFIRMATION_MS = 10 * 60 * 1000;

/** Remember on the session that its person has just confirmed their identity with SPID or CIE. */
export async function setEidConfirmation(
  db: Db,
  idHash: Buffer,
  provider: 'spid' | 'cie',
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ eid_confirmed_at: now, eid_confirmed_provider: provider })
    .where('id_hash', '=', idHash)
    .execute();
  forget(idHash);
}

/**
 * Use the session's confirmation once, inside the caller's transaction: returns the provider when a
 * confirmation younger than EID_CONFIRMATION_MS was there, and clears it; null otherwise.
 */
export async function consumeEidConfirmation(
  db: Db | Tx,
  idHash: Buffer,
  now = new Date(),
): Promise<'spid' | 'cie' | null> {
  const since = new Date(now.getTime() - EID_CONFIRMATION_MS);
  const result = await sql<{ provider: 'spid' | 'cie' }>`
    with old as (
      select id_hash, eid_confirmed_provider as provider from sessions
       where id_hash = ${idHash} and eid_confirmed_at > ${since} and eid_confirmed_at <= ${now}
       for update
    )
    update sessions s set eid_confirmed_at = null, eid_confirmed_provider = null
      from old where s.id_hash = old.id_hash
    returning old.provider`.execute(db);
  const row = result.rows[0];
  forget(idHash);
  return row?.provider ?? null;
}
