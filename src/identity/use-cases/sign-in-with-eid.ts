import { sql } from 'kysely';
import { actorOf } from '../../platform/audit/audit.ts';
import { createSession, type Session } from '../../platform/auth/session.ts';
import type { EidIdentity } from '../adapters/eid-relying-party.ts';
import { ageOn, validateCodiceFiscale } from '../domain/codice-fiscale.ts';
import type { Client, IdentityDeps } from './deps.ts';

export type EidSignInResult =
  | { ok: true; sessionToken: string; created: boolean; isMinor: boolean }
  | { ok: false; reason: 'invalid_fiscal_code' | 'disabled' | 'no_company_account' };

/**
 * SPID/CIE for company users (issue 7): a sign-in started from the company pages carries this
 * `returnTo` and finds the employer account linked to the fiscal code; a link is a fresh SPID/CIE
 * sign-in ('confirm' purpose) returning to EMPLOYER_LINK_RETURN.
 */
export const EMPLOYER_EID_RETURN = '/azienda';
export const EMPLOYER_LINK_RETURN = '/azienda?eid=collega';

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
  const asEmployer = identity.returnTo === EMPLOYER_EID_RETURN;
  // A linked employer account is used when asked for (company sign-in), otherwise only when the
  // person has no other account: their citizen sign-in stays theirs.
  let user = await db
    .selectFrom('users')
    .select(['id', 'region_code', 'role', 'office_id', 'agency_id', 'disabled_at'])
    .where('fiscal_code', '=', cf.value)
    .$if(asEmployer, (qb) => qb.where('role', '=', 'employer').where('disabled_at', 'is', null))
    .orderBy(sql`role = 'employer'`)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!user && asEmployer) return { ok: false, reason: 'no_company_account' };
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

export type EidLinkResult = 'linked' | 'invalid_fiscal_code' | 'already_linked' | 'not_allowed';

/**
 * An employer user signed in with password + code links their SPID/CIE identity (a fresh eID
 * sign-in): the fiscal code is stored on their account, unless another employer account has it.
 */
export async function linkEidToEmployer(
  deps: Pick<IdentityDeps, 'db' | 'audit'>,
  session: Session | null,
  identity: EidIdentity,
  client: Client,
): Promise<EidLinkResult> {
  if (session?.stage !== 'active' || session.user.role !== 'employer') return 'not_allowed';
  const user = session.user;
  const cf = validateCodiceFiscale(identity.fiscalNumber.replace(/^TINIT-/i, ''));
  if (!cf.ok) return 'invalid_fiscal_code';
  const result = await deps.db.transaction().execute(async (trx) => {
    const other = await trx
      .selectFrom('users')
      .select('id')
      .where('fiscal_code', '=', cf.value)
      .where('role', '=', 'employer')
      .where('disabled_at', 'is', null)
      .where('id', '<>', user.id)
      .executeTakeFirst();
    if (other) return 'already_linked' as const;
    const done = await trx
      .updateTable('users')
      .set({ fiscal_code: cf.value })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', user.id)
      .where('role', '=', 'employer')
      .where((eb) => eb.or([eb('fiscal_code', 'is', null), eb('fiscal_code', '=', cf.value)]))
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return 'already_linked' as const;
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: `account.eid_linked`,
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: user.id,
        details: { provider: identity.provider, acr: identity.acr, ip: client.ip },
      },
      trx,
    );
    return 'linked' as const;
  });
  return result;
}
