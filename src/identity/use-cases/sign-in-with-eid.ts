import { createSession } from '../../platform/auth/session.ts';
import type { EidIdentity } from '../adapters/eid-relying-party.ts';
import { ageOn, validateCodiceFiscale } from '../domain/codice-fiscale.ts';
import type { Client, IdentityDeps } from './deps.ts';

export type EidSignInResult =
  | { ok: true; sessionToken: string; created: boolean; isMinor: boolean }
  | { ok: false; reason: 'invalid_fiscal_code' | 'disabled' };

/**
 * A SPID/CIE identity becomes a person: found by codice fiscale, or registered as a citizen of
 * the Region on first sign-in. A SPID level 2 sign-in already has two factors.
 */
export async function signInWithEid(
  deps: IdentityDeps & { defaultRegion: string },
  identity: EidIdentity,
  client: Client,
): Promise<EidSignInResult> {
  const { db, audit } = deps;
  const raw = identity.fiscalNumber.replace(/^TINIT-/i, '');
  const cf = validateCodiceFiscale(raw);
  if (!cf.ok) {
    await audit.record({
      regionCode: deps.defaultRegion,
      action: `signin.${identity.provider}`,
      outcome: 'failed',
      details: { reason: 'invalid_fiscal_code', ip: client.ip },
    });
    return { ok: false, reason: 'invalid_fiscal_code' };
  }
  const isMinor = ageOn(cf.birthDate, new Date()) < 18;
  let user = await db
    .selectFrom('users')
    .select(['id', 'region_code', 'role', 'office_id', 'agency_id', 'disabled_at'])
    .where('fiscal_code', '=', cf.value)
    .orderBy('created_at')
    .executeTakeFirst();
  let created = false;
  if (!user) {
    user = await db
      .insertInto('users')
      .values({
        region_code: deps.defaultRegion,
        role: 'citizen',
        fiscal_code: cf.value,
        given_name: identity.givenName,
        family_name: identity.familyName,
        birth_date: cf.birthDate,
        sex: cf.sex,
        birth_place_code: cf.birthPlaceCode,
        is_minor: isMinor,
        email: null,
        phone: identity.phone,
      })
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'region_code', 'role', 'office_id', 'agency_id', 'disabled_at'])
      .executeTakeFirst();
    created = Boolean(user);
    user ??= await db
      .selectFrom('users')
      .select(['id', 'region_code', 'role', 'office_id', 'agency_id', 'disabled_at'])
      .where('fiscal_code', '=', cf.value)
      .executeTakeFirstOrThrow();
  }
  if (user.disabled_at) return { ok: false, reason: 'disabled' };
  const sessionToken = await createSession(db, {
    userId: user.id,
    regionCode: user.region_code,
    stage: 'active',
    authMethod: identity.provider,
    ip: client.ip,
    userAgent: client.userAgent,
  });
  await audit.record({
    regionCode: user.region_code,
    action: `signin.${identity.provider}`,
    outcome: 'ok',
    actor: {
      id: user.id,
      role: user.role,
      regionCode: user.region_code,
      officeId: user.office_id,
      agencyId: user.agency_id,
    },
    details: { created, acr: identity.acr, ip: client.ip, minor: isMinor },
  });
  return { ok: true, sessionToken, created, isMinor };
}
