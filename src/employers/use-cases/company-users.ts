import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { sql } from 'kysely';
import { ARGON2_OPTIONS } from '../../identity/use-cases/sign-in-with-password.ts';
import { type Actor, actorOf } from '../../platform/audit/audit.ts';
import { endAllSessions, type SessionUser } from '../../platform/auth/session.ts';
import type { Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { CompanyRole } from '../adapters/employer-tables.ts';
import { type CompanyDeps, isUuid } from './company.ts';

export const INVITE_DAYS = 7;
export const tokenHashOf = (token: string): string => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The company's users and its open invitations (admin page). Reads of colleagues are audited. */
export async function companyPeople(deps: CompanyDeps, user: SessionUser, now = new Date()) {
  const { db } = deps;
  const users = await db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name', 'email', 'company_role', 'disabled_at', 'last_signed_in_at'])
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId ?? '')
    .where('role', '=', 'employer')
    .orderBy('disabled_at', (ob) => ob.nullsFirst())
    .orderBy('family_name')
    .orderBy('given_name')
    .execute();
  const invites = await db
    .selectFrom('company_invites')
    .select(['id', 'email', 'company_role', 'expires_at', 'created_at'])
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId ?? '')
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  await deps.audit.recordReads(
    actorOf(user),
    'company_user',
    'company_administration',
    users.filter((u) => u.id !== user.id).map((u) => ({ subjectId: u.id, objectId: u.id })),
  );
  return { users, invites: invites.map((i) => ({ ...i, expired: i.expires_at <= now })) };
}

export type InviteResult =
  | { ok: true; inviteId: string }
  | { ok: false; reason: 'has_account' | 'already_invited' };

/** Invites a person by e-mail: a random 256-bit token (only its sha256 is kept), valid 7 days. */
export async function inviteUser(
  deps: CompanyDeps,
  user: SessionUser,
  input: { email: string; role: CompanyRole; lang: string },
  now = new Date(),
): Promise<InviteResult> {
  const { db } = deps;
  const account = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .executeTakeFirst();
  if (account) return { ok: false, reason: 'has_account' };
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 86_400_000);
  try {
    return await db.transaction().execute(async (trx) => {
      // An expired invitation nobody used no longer blocks a new one.
      await trx
        .updateTable('company_invites')
        .set({ revoked_at: now })
        .where('region_code', '=', user.regionCode)
        .where('company_id', '=', user.companyId ?? '')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '<=', now)
        .execute();
      const invite = await trx
        .insertInto('company_invites')
        .values({
          region_code: user.regionCode,
          company_id: user.companyId ?? '',
          email: input.email,
          company_role: input.role,
          token_hash: tokenHashOf(token),
          invited_by: user.id,
          expires_at: expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const company = await trx
        .selectFrom('companies')
        .select('name')
        .where('region_code', '=', user.regionCode)
        .where('id', '=', user.companyId ?? '')
        .executeTakeFirstOrThrow();
      const t = translator(isLang(input.lang) ? input.lang : 'it');
      const link = `${deps.config.publicUrl}/azienda/invito/${token}`;
      await deps.notifier.email(trx, {
        key: `company-invite:${invite.id}`,
        to: input.email,
        subject: t('company.inviteMail.subject', { company: company.name }),
        text: t('company.inviteMail.text', {
          company: company.name,
          inviter: `${user.givenName} ${user.familyName}`,
          role: t(`company.roles.${input.role}`),
          link,
          days: INVITE_DAYS,
        }),
      });
      await deps.audit.record(
        {
          regionCode: user.regionCode,
          action: 'company.user_invited',
          outcome: 'ok',
          actor: actorOf(user),
          objectType: 'company_invite',
          objectId: invite.id,
          details: { role: input.role },
        },
        trx,
      );
      return { ok: true as const, inviteId: invite.id };
    });
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'company_invites_open')
      return { ok: false, reason: 'already_invited' };
    throw error;
  }
}

export async function revokeInvite(
  deps: CompanyDeps,
  user: SessionUser,
  inviteId: string,
): Promise<'ok' | 'not_found'> {
  if (!isUuid(inviteId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('company_invites')
      .set({ revoked_at: new Date() })
      .where('region_code', '=', user.regionCode)
      .where('company_id', '=', user.companyId ?? '')
      .where('id', '=', inviteId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return 'not_found';
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'company.invite_revoked',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'company_invite',
        objectId: inviteId,
      },
      trx,
    );
    return 'ok';
  });
}

export type InviteState =
  | { state: 'open'; email: string; role: CompanyRole; companyName: string }
  | { state: 'unknown' | 'used' | 'expired' | 'revoked' };

/** What an invitation link leads to (public page). */
export async function inviteByToken(
  deps: CompanyDeps,
  token: string,
  now = new Date(),
): Promise<InviteState> {
  if (!TOKEN.test(token)) return { state: 'unknown' };
  const row = await deps.db
    .selectFrom('company_invites as i')
    .innerJoin('companies as c', (j) =>
      j.onRef('c.region_code', '=', 'i.region_code').onRef('c.id', '=', 'i.company_id'),
    )
    .select(['i.email', 'i.company_role', 'i.expires_at', 'i.accepted_at', 'i.revoked_at', 'c.name'])
    .where('i.token_hash', '=', tokenHashOf(token))
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  if (row.accepted_at) return { state: 'used' };
  if (row.revoked_at) return { state: 'revoked' };
  if (row.expires_at <= now) return { state: 'expired' };
  return { state: 'open', email: row.email, role: row.company_role, companyName: row.name };
}

export type AcceptResult =
  | { ok: true; userId: string; regionCode: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'revoked' | 'email_taken' };

/** The invitee creates their account: an employer user of the company, password + SMS code. */
export async function acceptInvite(
  deps: CompanyDeps,
  token: string,
  input: { givenName: string; familyName: string; mobile: string; password: string; lang: string },
  now = new Date(),
): Promise<AcceptResult> {
  const state = await inviteByToken(deps, token, now);
  if (state.state !== 'open') return { ok: false, reason: state.state };
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  try {
    return await deps.db.transaction().execute(async (trx: Tx) => {
      const invite = await trx
        .selectFrom('company_invites')
        .select(['region_code', 'id', 'company_id', 'email', 'company_role', 'expires_at'])
        .where('token_hash', '=', tokenHashOf(token))
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (!invite) return { ok: false as const, reason: 'used' as const };
      if (invite.expires_at <= now) return { ok: false as const, reason: 'expired' as const };
      const user = await trx
        .insertInto('users')
        .values({
          region_code: invite.region_code,
          role: 'employer',
          company_id: invite.company_id,
          company_role: invite.company_role,
          email: invite.email,
          // The link reached this mailbox: the address is verified.
          email_verified_at: now,
          phone: input.mobile,
          password_hash: passwordHash,
          given_name: input.givenName,
          family_name: input.familyName,
          sms_second_factor: true,
          preferred_language: input.lang,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('company_invites')
        .set({ accepted_at: now, accepted_user_id: user.id })
        .where('region_code', '=', invite.region_code)
        .where('id', '=', invite.id)
        .execute();
      const actor: Actor = {
        id: user.id,
        role: 'employer',
        regionCode: invite.region_code,
        officeId: null,
        agencyId: null,
      };
      await deps.audit.record(
        {
          regionCode: invite.region_code,
          action: 'company.invite_accepted',
          outcome: 'ok',
          actor,
          objectType: 'company_invite',
          objectId: invite.id,
          details: { role: invite.company_role },
        },
        trx,
      );
      return { ok: true as const, userId: user.id, regionCode: invite.region_code };
    });
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'users_email') return { ok: false, reason: 'email_taken' };
    throw error;
  }
}

export type UserChange = 'ok' | 'not_found' | 'last_admin' | 'self';

/** Locks the company's users so that two admins cannot demote each other at once. */
async function lockedColleague(trx: Tx, user: SessionUser, userId: string) {
  const rows = await trx
    .selectFrom('users')
    .select(['id', 'company_role', 'disabled_at'])
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId ?? '')
    .where('role', '=', 'employer')
    .orderBy('id')
    .forUpdate()
    .execute();
  const target = rows.find((r) => r.id === userId);
  const activeAdmins = rows.filter((r) => r.company_role === 'admin' && !r.disabled_at).length;
  return { target, activeAdmins };
}

export async function changeRole(
  deps: CompanyDeps,
  user: SessionUser,
  userId: string,
  role: CompanyRole,
): Promise<UserChange> {
  if (!isUuid(userId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const { target, activeAdmins } = await lockedColleague(trx, user, userId);
    if (!target) return 'not_found';
    if (target.company_role === role) return 'ok';
    if (target.company_role === 'admin' && !target.disabled_at && activeAdmins <= 1) return 'last_admin';
    await trx
      .updateTable('users')
      .set({ company_role: role })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', userId)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'company.user_role_changed',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: userId,
        objectType: 'user',
        objectId: userId,
        details: { role },
      },
      trx,
    );
    return 'ok';
  });
}

/** Disables a colleague (never oneself, never the last active admin) and ends their sessions. */
export async function disableUser(deps: CompanyDeps, user: SessionUser, userId: string): Promise<UserChange> {
  if (!isUuid(userId)) return 'not_found';
  if (userId === user.id) return 'self';
  const result = await deps.db.transaction().execute(async (trx) => {
    const { target, activeAdmins } = await lockedColleague(trx, user, userId);
    if (!target) return 'not_found' as const;
    if (target.disabled_at) return 'ok' as const;
    if (target.company_role === 'admin' && activeAdmins <= 1) return 'last_admin' as const;
    await trx
      .updateTable('users')
      .set({ disabled_at: sql<Date>`now()` })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', userId)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'company.user_disabled',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: userId,
        objectType: 'user',
        objectId: userId,
      },
      trx,
    );
    return 'ok' as const;
  });
  if (result === 'ok') await endAllSessions(deps.db, user.regionCode, userId);
  return result;
}
