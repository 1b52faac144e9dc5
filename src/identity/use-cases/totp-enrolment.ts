import QRCode from 'qrcode';
import type { SessionUser } from '../../platform/auth/session.ts';
import { newTotpSecret, normaliseCode, totpFor, totpMatches } from '../domain/second-factor.ts';
import type { IdentityDeps } from './deps.ts';

export type TotpSetup = { secret: string; uri: string; qrDataUrl: string };

/** Start (or restart) enrolment: a new secret, not active until a code from the app confirms it. */
export async function startTotpEnrolment(deps: IdentityDeps, user: SessionUser): Promise<TotpSetup> {
  const secret = newTotpSecret();
  await deps.db
    .updateTable('users')
    .set({ totp_secret: secret, totp_enabled_at: null })
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .execute();
  return describeTotp(secret, user);
}

export async function describeTotp(secret: string, user: SessionUser): Promise<TotpSetup> {
  const uri = totpFor(secret, user.email ?? user.fiscalCode ?? user.id).toString();
  const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 5 });
  return { secret, uri, qrDataUrl };
}

export async function pendingTotpSecret(deps: IdentityDeps, user: SessionUser): Promise<string | null> {
  const row = await deps.db
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .executeTakeFirst();
  return row?.totp_secret && !row.totp_enabled_at ? row.totp_secret : null;
}

export async function confirmTotpEnrolment(
  deps: IdentityDeps,
  user: SessionUser,
  code: string,
): Promise<boolean> {
  const secret = await pendingTotpSecret(deps, user);
  if (!secret || !totpMatches(secret, normaliseCode(code))) return false;
  await deps.db
    .updateTable('users')
    .set({ totp_enabled_at: new Date() })
    .where('region_code', '=', user.regionCode)
    .where('id', '=', user.id)
    .execute();
  await deps.audit.record({
    regionCode: user.regionCode,
    action: 'totp.enrolled',
    outcome: 'ok',
    actor: {
      id: user.id,
      role: user.role,
      regionCode: user.regionCode,
      officeId: user.officeId,
      agencyId: user.agencyId,
    },
  });
  return true;
}
