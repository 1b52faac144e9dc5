import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { loadPortabilityConfig } from '../config.ts';
import { newPrivateJwk, openPrivateKey, parseConfiguredKey, sealPrivateKey } from './keys.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123456789';

test('a stored private key survives sealing, and a wrong secret cannot open it', async () => {
  const jwk = newPrivateJwk();
  const sealed = sealPrivateKey(SECRET, jwk);
  assert.match(sealed, /^v1\./);
  assert.ok(!sealed.includes(String(jwk.d)));
  const opened = openPrivateKey(SECRET, sealed);
  assert.deepEqual(opened, jwk);
  assert.throws(() => openPrivateKey(`${SECRET}x`, sealed));
  const jws = await new CompactSign(new TextEncoder().encode('{}'))
    .setProtectedHeader({ alg: 'ES256' })
    .sign(await importJWK({ ...opened, alg: 'ES256' }, 'ES256'));
  const { d: _d, ...pub } = jwk;
  await compactVerify(jws, await importJWK({ ...pub, alg: 'ES256' }, 'ES256'));
});

test('a configured key is read as a JWK or a PKCS#8 PEM, and only P-256 is accepted', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const fromPem = parseConfiguredKey(pem);
  const fromJwk = parseConfiguredKey(JSON.stringify(privateKey.export({ format: 'jwk' })));
  assert.equal(fromPem.crv, 'P-256');
  assert.deepEqual(fromPem, fromJwk);
  const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
  assert.throws(() => parseConfiguredKey(other.export({ format: 'pem', type: 'pkcs8' }).toString()));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  assert.throws(() => parseConfiguredKey(rsa.export({ format: 'pem', type: 'pkcs8' }).toString()));
});

test('a configured key that cannot sign stops the start with a clear message', () => {
  assert.throws(
    () => loadPortabilityConfig({ PORTABILITY_SIGNING_KEY: 'not a key' }),
    /PORTABILITY_SIGNING_KEY/,
  );
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  assert.equal(loadPortabilityConfig({ PORTABILITY_SIGNING_KEY: pem }).signingKey, pem.trim());
  assert.equal(loadPortabilityConfig({}).signingKey, null);
  assert.throws(() => loadPortabilityConfig({ PORTABILITY_JWKS_TIMEOUT_MS: '5' }), /TIMEOUT/);
});
