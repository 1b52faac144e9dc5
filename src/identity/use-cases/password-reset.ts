import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { hit } from '../../platform/auth/rate-limit.ts';
import { endAllSessions } from '../../platform/auth/session.ts';
import { checkPassword, type PasswordProblem } from '../domain/password-policy.ts';
import type { Client, IdentityDeps } from './deps.ts';
import { ARGON2_OPTIONS } from './sign-in-with-password.ts';

export const RESET_TTL_MS = 30 * 60 * 1000;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Always answers the same way, so the form does not reveal which e-mails have an account. */
export async function requestPasswordReset(
  deps: IdentityDeps,
  input: { email: string },
  client: Client,
): Promise<'accepted' | 'rate_limited'> {
  const { db, notifier, config } = deps;
  const email = input.email.trim().toLowerCase();
  if (!(await hit(db, `reset:ip:${client.ip}`, 10, 900)) || !(await hit(db, `reset:acct:${email}`, 3, 900))) {
    return 'rate_limited';
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'region_code', 'email', 'preferred_language', 'disabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  if (!user?.email || user.disabled_at) return 'accepted';
  const to = user.email;
  const token = randomBytes(32).toString('base64url');
  const link = `${config.publicUrl}/password/reimposta/${token}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('password_resets')
      .values({
        token_hash: tokenHash(token),
        region_code: user.region_code,
        user_id: user.id,
        expires_at: new Date(Date.now() + RESET_TTL_MS),
      })
      .execute();
    const it = user.preferred_language === 'it';
    await notifier.email(trx, {
      key: `password-reset:${tokenHash(token)}`,
      to,
      subject: it ? 'Sportello Lavoro: reimposta la password' : 'Sportello Lavoro: reset your password',
      text: it
        ? `Per scegliere una nuova password apri questo collegamento entro 30 minuti:\n${link}\n\nSe non hai chiesto tu di reimpostare la password, ignora questo messaggio.`
        : `To choose a new password open this link within 30 minutes:\n${link}\n\nIf you did not ask to reset your password, ignore this message.`,
    });
  });
  return 'accepted';
}

export async function resetTokenIsUsable(deps: IdentityDeps, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const row = await deps.db
    .selectFrom('password_resets')
    .select('token_hash')
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return Boolean(row);
}

export type ResetResult = { ok: true } | { ok: false; reason: 'invalid_token' | PasswordProblem };

export async function resetPassword(
  deps: IdentityDeps,
  input: { token: string; password: string },
  client: Client,
): Promise<ResetResult> {
  const { db, audit } = deps;
  if (!/^[A-Za-z0-9_-]{43}$/.test(input.token)) return { ok: false, reason: 'invalid_token' };
  const row = await db
    .selectFrom('password_resets as r')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'r.region_code').onRef('u.id', '=', 'r.user_id'),
    )
    .select(['r.token_hash', 'u.id', 'u.region_code', 'u.email', 'u.role', 'u.office_id', 'u.agency_id'])
    .where('r.token_hash', '=', tokenHash(input.token))
    .where('r.used_at', 'is', null)
    .where('r.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'invalid_token' };
  const problem = checkPassword(input.password, row.email);
  if (problem) return { ok: false, reason: problem };
  const passwordHash = await hash(input.password, ARGON2_OPTIONS);
  const done = await db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('password_resets')
      .set({ used_at: new Date() })
      .where('token_hash', '=', row.token_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return false;
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_code_attempts: 0, locked_until: null })
      .where('region_code', '=', row.region_code)
      .where('id', '=', row.id)
      .execute();
    return true;
  });
  if (!done) return { ok: false, reason: 'invalid_token' };
  await endAllSessions(db, row.region_code, row.id);
  await audit.record({
    regionCode: row.region_code,
    action: 'password.reset',
    outcome: 'ok',
    actor: {
      id: row.id,
      role: row.role,
      regionCode: row.region_code,
      officeId: row.office_id,
      agencyId: row.agency_id,
    },
    details: { ip: client.ip },
  });
  return { ok: true };
}
