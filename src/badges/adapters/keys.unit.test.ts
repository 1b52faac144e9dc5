import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompactSign, calculateJwkThumbprint, compactVerify, importJWK } from 'jose';
import { decryptPrivateKey, encryptPrivateKey, newKeyPair } from './keys.ts';

const SECRET = 'a-session-secret-of-at-least-thirty-two-characters';

test('a private key survives encryption and decryption, and signs what the public key verifies', async () => {
  const pair = await newKeyPair();
  const sealed = encryptPrivateKey(SECRET, pair.privateJwk);
  assert.ok(!sealed.includes(String(pair.privateJwk.d)), 'the private part is not stored in clear');
  const back = decryptPrivateKey(SECRET, sealed);
  assert.deepEqual(back, pair.privateJwk);
  const jws = await new CompactSign(new TextEncoder().encode('hello'))
    .setProtectedHeader({ alg: 'EdDSA' })
    .sign(await importJWK({ ...back, alg: 'EdDSA' }, 'EdDSA'));
  const { payload } = await compactVerify(jws, await importJWK(pair.publicJwk, 'EdDSA'));
  assert.equal(new TextDecoder().decode(payload), 'hello');
});

test('the kid is the JWK thumbprint and the public JWK has no private part', async () => {
  const pair = await newKeyPair();
  assert.equal(pair.kid, await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: pair.publicJwk.x }));
  assert.equal(pair.publicJwk.kty, 'OKP');
  assert.equal(pair.publicJwk.crv, 'Ed25519');
  assert.ok(!('d' in pair.publicJwk));
});

test('a wrong secret or a tampered ciphertext is refused', async () => {
  const pair = await newKeyPair();
  const sealed = encryptPrivateKey(SECRET, pair.privateJwk);
  assert.throws(() => decryptPrivateKey(`${SECRET}x`, sealed));
  const parts = sealed.split('.');
  const data = Buffer.from(parts[3] ?? '', 'base64url');
  data[0] = (data[0] ?? 0) ^ 1;
  parts[3] = data.toString('base64url');
  assert.throws(() => decryptPrivateKey(SECRET, parts.join('.')));
  assert.throws(() => decryptPrivateKey(SECRET, 'v0.a.b.c'));
});
