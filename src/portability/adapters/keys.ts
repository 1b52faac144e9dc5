import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { calculateJwkThumbprint, createRemoteJWKSet, type JWK } from 'jose';
import type { Db } from '../../platform/db/database.ts';

/**
 * The Region's ES256 (P-256) key for signing dossiers. A configured key (PORTABILITY_SIGNING_KEY)
 * wins; otherwise (demo) one is generated on first use and its private half stored encrypted with
 * AES-256-GCM under a key derived (HKDF-SHA256, its own label) from the session secret. Every key is
 * published, retired ones too, so dossiers signed before a rotation still verify.
 *
 * The `kid` starts with the Region code ("10.<JWK thumbprint>"): a receiving Region checks that a
 * dossier claiming to come from Region 10 was signed by a key of Region 10.
 */
function wrappingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'sportello-portability', 'dossier-signing-key', 32));
}

export function sealPrivateKey(secret: string, privateJwk: JWK): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
    .join('.');
}

export function openPrivateKey(secret: string, sealed: string): JWK {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('unknown key format');
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(
    Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8'),
  );
}

export type PublicJwk = {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
};
export type SigningKey = { kid: string; privateJwk: JWK; publicJwk: PublicJwk };

async function publicOf(regionCode: string, privateJwk: JWK): Promise<PublicJwk> {
  const pub = createPublicKey(createPrivateKey({ key: privateJwk as never, format: 'jwk' })).export({
    format: 'jwk',
  }) as { kty: string; crv: string; x: string; y: string };
  if (pub.kty !== 'EC' || pub.crv !== 'P-256') throw new Error('the signing key must be an EC P-256 key');
  const thumb = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: pub.x, y: pub.y }, 'sha256');
  return {
    kty: 'EC',
    crv: 'P-256',
    x: pub.x,
    y: pub.y,
    kid: `${regionCode}.${thumb}`,
    alg: 'ES256',
    use: 'sig',
  };
}

/** A configured key: a private JWK (JSON) or a PKCS#8 PEM. */
export function parseConfiguredKey(raw: string): JWK {
  const key = raw.startsWith('{')
    ? createPrivateKey({ key: JSON.parse(raw), format: 'jwk' })
    : createPrivateKey({ key: raw, format: 'pem' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new Error('PORTABILITY_SIGNING_KEY must be an EC P-256 private key');
  return key.export({ format: 'jwk' }) as JWK;
}

export function newPrivateJwk(): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'jwk' }) as JWK;
}

/**
 * The Region's active signing key, or null when none may be used (production without a configured
 * key: dossiers are then not issued rather than signed by a key nobody manages).
 */
export async function signingKey(
  db: Db,
  options: { secret: string; configuredKey: string | null; mayGenerate: boolean },
  regionCode: string,
): Promise<SigningKey | null> {
  if (options.configuredKey) {
    const privateJwk = parseConfiguredKey(options.configuredKey);
    const publicJwk = await publicOf(regionCode, privateJwk);
    // Publish it (once); an older active key of the Region is retired but stays published.
    await db.transaction().execute(async (trx) => {
      const active = await trx
        .selectFrom('portability_keys')
        .select('kid')
        .where('region_code', '=', regionCode)
        .where('retired_at', 'is', null)
        .forUpdate()
        .execute();
      if (active.some((k) => k.kid === publicJwk.kid)) return;
      await trx
        .updateTable('portability_keys')
        .set({ retired_at: new Date() })
        .where('region_code', '=', regionCode)
        .where('retired_at', 'is', null)
        .execute();
      await trx
        .insertInto('portability_keys')
        .values({
          region_code: regionCode,
          kid: publicJwk.kid,
          public_jwk: JSON.stringify(publicJwk),
          private_key_enc: 'configured',
          retired_at: null,
        })
        .onConflict((oc) => oc.columns(['region_code', 'kid']).doUpdateSet({ retired_at: null }))
        .execute();
    });
    return { kid: publicJwk.kid, privateJwk, publicJwk };
  }
  if (!options.mayGenerate) return null;
  const find = () =>
    db
      .selectFrom('portability_keys')
      .select(['kid', 'private_key_enc', 'public_jwk'])
      .where('region_code', '=', regionCode)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
  let row = await find();
  if (row?.private_key_enc === 'configured') {
    // The configured key was removed: retire it and make a stored one.
    await db
      .updateTable('portability_keys')
      .set({ retired_at: new Date() })
      .where('region_code', '=', regionCode)
      .where('kid', '=', row.kid)
      .execute();
    row = undefined;
  }
  if (!row) {
    const privateJwk = newPrivateJwk();
    const publicJwk = await publicOf(regionCode, privateJwk);
    await db
      .insertInto('portability_keys')
      .values({
        region_code: regionCode,
        kid: publicJwk.kid,
        public_jwk: JSON.stringify(publicJwk),
        private_key_enc: sealPrivateKey(options.secret, privateJwk),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    row = await find();
    if (!row) throw new Error('portability key not created');
  }
  return {
    kid: row.kid,
    privateJwk: openPrivateKey(options.secret, row.private_key_enc),
    publicJwk: row.public_jwk as unknown as PublicJwk,
  };
}

/** Every key of every Region this instance serves, retired ones too (they verify what they signed). */
export async function publishedKeys(db: Db): Promise<{ keys: PublicJwk[] }> {
  const rows = await db
    .selectFrom('portability_keys')
    .innerJoin('regions', 'regions.region_code', 'portability_keys.region_code')
    .select(['portability_keys.public_jwk'])
    .orderBy('portability_keys.region_code')
    .orderBy('portability_keys.created_at')
    .execute();
  return { keys: rows.map((r) => r.public_jwk as unknown as PublicJwk) };
}

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;
const remoteSets = new Map<string, RemoteKeySet>();

/**
 * Another Region's published key set, fetched over HTTP with a timeout and cached (10 minutes; a
 * `kid` it does not know makes one new fetch at most every 30 seconds, for key rotations).
 */
export function remoteKeySet(url: string, timeoutMs: number): RemoteKeySet {
  const key = `${timeoutMs}|${url}`;
  let set = remoteSets.get(key);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), {
      timeoutDuration: timeoutMs,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
    remoteSets.set(key, set);
  }
  return set;
}
