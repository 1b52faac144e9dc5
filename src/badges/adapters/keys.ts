import { createCipheriv, createDecipheriv, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import type { Db } from '../../platform/db/database.ts';

/**
 * The Region's Ed25519 signing keys. The private key is stored encrypted with AES-256-GCM under a
 * key derived (HKDF-SHA256) from the session secret, so a database dump alone cannot sign badges.
 */
function wrappingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'sportello-badges', 'badge-signing-key-encryption', 32));
}

export function encryptPrivateKey(secret: string, privateJwk: JWK): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()]);
  return [
    'v1',
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    data.toString('base64url'),
  ].join('.');
}

export function decryptPrivateKey(secret: string, sealed: string): JWK {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('unknown key format');
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as JWK;
}

export type PublicJwk = { kty: string; crv: string; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };

export async function newKeyPair(): Promise<{ kid: string; publicJwk: PublicJwk; privateJwk: JWK }> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  const kid = await calculateJwkThumbprint({ kty: pub.kty, crv: pub.crv, x: pub.x }, 'sha256');
  const publicJwk: PublicJwk = { kty: pub.kty, crv: pub.crv, x: pub.x, kid, alg: 'EdDSA', use: 'sig' };
  return { kid, publicJwk, privateJwk: privateKey.export({ format: 'jwk' }) as JWK };
}

export type SigningKey = { kid: string; issuerId: string; key: CryptoKey | Uint8Array };

/** The Region's active key, made on first use (two workers racing agree on one by a unique index). */
export async function signingKey(
  db: Db,
  secret: string,
  regionCode: string,
  issuerId: string,
): Promise<SigningKey> {
  const find = () =>
    db
      .selectFrom('badge_keys')
      .select(['kid', 'issuer_id', 'private_key_enc'])
      .where('region_code', '=', regionCode)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
  let row = await find();
  if (!row) {
    const pair = await newKeyPair();
    await db
      .insertInto('badge_keys')
      .values({
        region_code: regionCode,
        kid: pair.kid,
        issuer_id: issuerId,
        public_jwk: JSON.stringify(pair.publicJwk),
        private_key_enc: encryptPrivateKey(secret, pair.privateJwk),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    row = await find();
    if (!row) throw new Error('badge key not created');
  }
  const key = await importJWK({ ...decryptPrivateKey(secret, row.private_key_enc), alg: 'EdDSA' }, 'EdDSA');
  return { kid: row.kid, issuerId: row.issuer_id, key };
}

/** Every published key (retired ones too: they still verify the badges they signed). */
export async function publishedKeys(db: Db): Promise<PublicJwk[]> {
  const rows = await db
    .selectFrom('badge_keys')
    .select(['public_jwk'])
    .innerJoin('regions', 'regions.region_code', 'badge_keys.region_code')
    .orderBy('badge_keys.created_at')
    .execute();
  return rows.map((r) => r.public_jwk as unknown as PublicJwk);
}
