import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** One-time codes: 6 digits by SMS (10 minutes, single use) or an authenticator app (TOTP). */
export const SMS_CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;
export const LOCK_MS = 15 * 60 * 1000;

export function newSmsCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function hashCode(secret: string, code: string): string {
  return createHmac('sha256', secret).update(`otc:${code}`).digest('hex');
}

export function codeMatches(secret: string, code: string, stored: string): boolean {
  const a = Buffer.from(hashCode(secret, code));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function normaliseCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpFor(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Sportello Lavoro',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

export function totpMatches(secret: string, code: string, timestamp = Date.now()): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  return totpFor(secret, 'x').validate({ token: code, window: 1, timestamp }) !== null;
}
