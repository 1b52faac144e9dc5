import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { hit } from '../../platform/auth/rate-limit.ts';
import { createSession } from '../../platform/auth/session.ts';
import type { Client, IdentityDeps } from './deps.ts';
import { sendSignInCode } from './second-factor.ts';

export type PasswordSignInResult =
  | { ok: true; sessionToken: string; method: 'sms' | 'totp' }
  | { ok: false; reason: 'invalid' | 'rate_limited' | 'locked' | 'no_second_factor' };

export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// A real hash of a random password: an unknown e-mail costs the same time as a wrong password.
let dummyHash: Promise<string> | null = null;
function dummy(): Promise<string> {
  dummyHash ??= hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);
  return dummyHash;
}

/** Step one of a local sign-in: e-mail and password. Step two is always a one-time code. */
export async function signInWithPassword(
  deps: IdentityDeps,
  input: { email: string; password: string },
  client: Client,
): Promise<PasswordSignInResult> {
  const { db, audit } = deps;
  const email = input.email.trim().toLowerCase();
  const ipOk = await hit(db, `signin:ip:${client.ip}`, 30, 600);
  const accountOk = await hit(db, `signin:acct:${email}`, 10, 900);
  if (!ipOk || !accountOk) return { ok: false, reason: 'rate_limited' };

  const user = await db
    .selectFrom('users')
    .select([
      'id',
      'region_code',
      'role',
      'password_hash',
      'locked_until',
      'totp_enabled_at',
      'phone',
      'disabled_at',
      'office_id',
      'agency_id',
    ])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  const passwordOk = await verify(user?.password_hash ?? (await dummy()), input.password).catch(() => false);
  if (!user?.password_hash || !passwordOk || user.disabled_at) {
    if (user) {
      await audit.record({
        regionCode: user.region_code,
        action: 'signin.password',
        outcome: 'failed',
        subjectId: user.id,
        details: { ip: client.ip },
      });
    }
    return { ok: false, reason: 'invalid' };
  }
  if (user.locked_until && user.locked_until > new Date()) return { ok: false, reason: 'locked' };
  const method = user.totp_enabled_at ? 'totp' : user.phone ? 'sms' : null;
  if (!method) return { ok: false, reason: 'no_second_factor' };

  const sessionToken = await createSession(db, {
    userId: user.id,
    regionCode: user.region_code,
    stage: 'second_factor',
    authMethod: 'password',
    ip: client.ip,
    userAgent: client.userAgent,
  });
  if (method === 'sms') await sendSignInCode(deps, { regionCode: user.region_code, userId: user.id });
  return { ok: true, sessionToken, method };
}
