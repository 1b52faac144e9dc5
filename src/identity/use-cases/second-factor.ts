import { sql } from 'kysely';
import { hit } from '../../platform/auth/rate-limit.ts';
import { createSession, endSession, type Session } from '../../platform/auth/session.ts';
import {
  codeMatches,
  hashCode,
  LOCK_MS,
  MAX_CODE_ATTEMPTS,
  newSmsCode,
  normaliseCode,
  SMS_CODE_TTL_MS,
  totpMatches,
} from '../domain/second-factor.ts';
import type { Client, IdentityDeps } from './deps.ts';

/** Send a fresh 6-digit code by SMS. The code and the SMS job are written in one transaction. */
export async function sendSignInCode(
  deps: IdentityDeps,
  who: { regionCode: string; userId: string },
): Promise<'sent' | 'rate_limited' | 'no_phone'> {
  const { db, notifier, config } = deps;
  if (!(await hit(db, `code:send:${who.userId}`, 5, 900))) return 'rate_limited';
  const user = await db
    .selectFrom('users')
    .select(['phone', 'preferred_language'])
    .where('region_code', '=', who.regionCode)
    .where('id', '=', who.userId)
    .executeTakeFirst();
  if (!user?.phone) return 'no_phone';
  const phone = user.phone;
  const code = newSmsCode();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('one_time_codes')
      .values({
        region_code: who.regionCode,
        user_id: who.userId,
        purpose: 'sign_in',
        code_hash: hashCode(config.sessionSecret, code),
        expires_at: new Date(Date.now() + SMS_CODE_TTL_MS),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const text =
      user.preferred_language === 'it'
        ? `Sportello Lavoro: il tuo codice di accesso è ${code}. Vale 10 minuti. Non comunicarlo a nessuno.`
        : `Sportello Lavoro: your sign-in code is ${code}. Valid for 10 minutes. Do not share it.`;
    await notifier.sms(trx, { key: `signin-code:${row.id}`, to: phone, text });
  });
  return 'sent';
}

export type CodeResult =
  | { ok: true; sessionToken: string }
  | { ok: false; reason: 'wrong' | 'locked' | 'rate_limited' | 'expired_session' };

/**
 * Step two: check the SMS or authenticator code. Five wrong codes lock the account for 15 minutes.
 * On success the pending session is replaced by a new one (the session id is rotated).
 */
export async function verifySignInCode(
  deps: IdentityDeps,
  session: Session,
  input: { code: string; method: 'sms' | 'totp' },
  client: Client,
): Promise<CodeResult> {
  const { db, audit, config } = deps;
  const user = session.user;
  if (!(await hit(db, `code:verify:ip:${client.ip}`, 60, 600))) return { ok: false, reason: 'rate_limited' };
  const row = await db
    .selectFrom('users')
    .select(['locked_until', 'totp_secret', 'totp_enabled_at', 'failed_code_attempts'])
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'expired_session' };
  if (row.locked_until && row.locked_until > new Date()) return { ok: false, reason: 'locked' };
  const code = normaliseCode(input.code);
  let good = false;
  if (input.method === 'totp' && row.totp_secret && row.totp_enabled_at) {
    good = totpMatches(row.totp_secret, code);
  } else if (input.method === 'sms' && /^[0-9]{6}$/.test(code)) {
    const candidates = await db
      .selectFrom('one_time_codes')
      .select(['id', 'code_hash'])
      .where('region_code', '=', user.regionCode)
      .where('user_id', '=', user.id)
      .where('purpose', '=', 'sign_in')
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .execute();
    const match = candidates.find((c) => codeMatches(config.sessionSecret, code, c.code_hash));
    if (match) {
      // Single use: only the first request that marks it used wins.
      const used = await db
        .updateTable('one_time_codes')
        .set({ used_at: new Date() })
        .where('region_code', '=', user.regionCode)
        .where('id', '=', match.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      good = Number(used.numUpdatedRows) === 1;
    }
  }
  const actor = {
    id: user.id,
    role: user.role,
    regionCode: user.regionCode,
    officeId: user.officeId,
    agencyId: user.agencyId,
  };
  if (!good) {
    const updated = await db
      .updateTable('users')
      .set({
        failed_code_attempts: sql`failed_code_attempts + 1`,
        locked_until: sql`case when failed_code_attempts + 1 >= ${MAX_CODE_ATTEMPTS} then now() + make_interval(secs => ${LOCK_MS / 1000}) else locked_until end`,
      })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', user.id)
      .returning(['failed_code_attempts', 'locked_until'])
      .executeTakeFirst();
    const locked = (updated?.failed_code_attempts ?? 0) >= MAX_CODE_ATTEMPTS;
    if (locked) {
      await db
        .updateTable('users')
        .set({ failed_code_attempts: 0 })
        .where('region_code', '=', user.regionCode)
        .where('id', '=', user.id)
        .execute();
    }
    await audit.record({
      regionCode: user.regionCode,
      action: `signin.code.${input.method}`,
      outcome: 'failed',
      actor,
      details: { ip: client.ip, locked },
    });
    return { ok: false, reason: locked ? 'locked' : 'wrong' };
  }
  await db
    .updateTable('users')
    .set({ failed_code_attempts: 0, locked_until: null })
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .execute();
  await endSession(db, session.idHash);
  const sessionToken = await createSession(db, {
    userId: user.id,
    regionCode: user.regionCode,
    stage: 'active',
    authMethod: `password+${input.method}`,
    ip: client.ip,
    userAgent: client.userAgent,
  });
  await audit.record({
    regionCode: user.regionCode,
    action: 'signin',
    outcome: 'ok',
    actor,
    details: { method: `password+${input.method}`, ip: client.ip },
  });
  return { ok: true, sessionToken };
}
