import { actorOf } from '../../platform/audit/audit.ts';
import { type Session, setEidConfirmation } from '../../platform/auth/session.ts';
import type { EidIdentity } from '../adapters/eid-relying-party.ts';
import { validateCodiceFiscale } from '../domain/codice-fiscale.ts';
import type { Client, IdentityDeps } from './deps.ts';

export type EidConfirmResult = { ok: true } | { ok: false; reason: 'mismatch' | 'not_signed_in' };

/**
 * A signed-in person has just signed in again at SPID/CIE to confirm an action (decision 0005). The
 * identity asserted must be theirs: same codice fiscale. Then the session remembers the
 * confirmation, for one use and EID_CONFIRMATION_MS; either way the attempt is audited.
 */
export async function confirmWithEid(
  deps: Pick<IdentityDeps, 'db' | 'audit'>,
  session: Session | null,
  identity: EidIdentity,
  client: Client,
): Promise<EidConfirmResult> {
  if (session?.stage !== 'active') return { ok: false, reason: 'not_signed_in' };
  const user = session.user;
  const cf = validateCodiceFiscale(identity.fiscalNumber.replace(/^TINIT-/i, ''));
  const matches = cf.ok && user.fiscalCode !== null && cf.value === user.fiscalCode.toUpperCase();
  await deps.audit.record({
    regionCode: user.regionCode,
    action: `confirm.${identity.provider}`,
    outcome: matches ? 'ok' : 'refused',
    actor: actorOf(user),
    subjectId: user.id,
    details: { ip: client.ip, acr: identity.acr, ...(matches ? {} : { reason: 'mismatch' }) },
  });
  if (!matches) return { ok: false, reason: 'mismatch' };
  await setEidConfirmation(deps.db, session.idHash, identity.provider);
  return { ok: true };
}
