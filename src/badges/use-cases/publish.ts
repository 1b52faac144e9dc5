import { SignJWT } from 'jose';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { type PublicJwk, signingKey } from '../adapters/keys.ts';
import {
  buildStatusListCredential,
  issuerProfile,
  issuerUrls,
  OB_CONTEXT,
  VC_CONTEXT,
  VC_JWT_TYPE,
} from '../domain/credential.ts';
import { encodeStatusList } from '../domain/status-list.ts';

/** The Region that issues badges on this installation (the first non-national one). */
export async function issuingRegion(db: Db): Promise<{ code: string; name: string } | null> {
  const row = await db
    .selectFrom('regions')
    .select(['region_code', 'name'])
    .where('is_national', '=', false)
    .orderBy('region_code')
    .executeTakeFirst();
  return row ? { code: row.region_code, name: row.name } : null;
}

/** The issuer's Profile document, pointing to the key set. */
export async function issuerDocument(db: Db, config: Config) {
  const region = await issuingRegion(db);
  if (!region) return null;
  const urls = issuerUrls(config.publicUrl);
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    ...issuerProfile(config.publicUrl, region.name),
    // Not an Open Badges term: where a verifier finds the public keys (a JWK Set).
    jwks_uri: urls.jwks,
  };
}

/** The JWK Set of the issuing Region (retired keys too: they still verify what they signed). */
export async function keySet(db: Db): Promise<{ keys: PublicJwk[] }> {
  const region = await issuingRegion(db);
  if (!region) return { keys: [] };
  const rows = await db
    .selectFrom('badge_keys')
    .select(['public_jwk'])
    .where('region_code', '=', region.code)
    .orderBy('created_at')
    .execute();
  return { keys: rows.map((r) => r.public_jwk as unknown as PublicJwk) };
}

/** The revocation list (Bitstring Status List credential), signed as vc+jwt. */
export async function statusListJwt(db: Db, config: Config, list: number, now: Date): Promise<string | null> {
  const region = await issuingRegion(db);
  if (!region || list !== 1) return null;
  const revoked = await db
    .selectFrom('badges')
    .select(['status_index'])
    .where('region_code', '=', region.code)
    .where('status_list', '=', list)
    .where('revoked_at', 'is not', null)
    .execute();
  const urls = issuerUrls(config.publicUrl);
  const key = await signingKey(db, config.sessionSecret, region.code, urls.issuerId);
  const credential = buildStatusListCredential({
    publicUrl: config.publicUrl,
    regionName: region.name,
    list,
    encodedList: encodeStatusList(revoked.map((r) => r.status_index)),
    validFrom: now,
  });
  return new SignJWT({ ...credential, iss: credential.issuer.id })
    .setProtectedHeader({ alg: 'EdDSA', typ: VC_JWT_TYPE, cty: 'vc', kid: key.kid })
    .sign(key.key);
}
