/**
 * A third party verifies a downloaded badge offline, with nothing but the published key set and a
 * general-purpose JOSE library: this file imports ONLY `jose` and Node built-ins, so it shares no
 * code with the issuer. The one exception is `startTestPlatform`, used solely to run the platform
 * and obtain, over HTTP, a credential, the JWK Set and the status list, as any outsider would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { startTestPlatform, type TestPlatform } from '../app/testing/test-platform.ts';

describe('offline verification of a badge with plain jose', () => {
  let platform: TestPlatform;
  let base = '';
  let citizenCookie = '';
  let code = '';
  let jwt = '';

  const http = (path: string, cookie = '') => fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });

  /** The status list decoded by hand: multibase "u" + base64url of a GZIP; bit 0 = high bit of byte 0. */
  const revokedBit = async (
    jwks: ReturnType<typeof createLocalJWKSet>,
    statusListUrl: string,
    index: number,
  ) => {
    const res = await fetch(statusListUrl);
    assert.equal(res.status, 200);
    const { payload, protectedHeader } = await jwtVerify(await res.text(), jwks, {
      algorithms: ['EdDSA'],
      typ: 'vc+jwt',
    });
    assert.equal(protectedHeader.typ, 'vc+jwt');
    assert.ok((payload.type as string[]).includes('BitstringStatusListCredential'));
    const subject = payload.credentialSubject as { statusPurpose: string; encodedList: string };
    assert.equal(subject.statusPurpose, 'revocation');
    assert.ok(subject.encodedList.startsWith('u'));
    const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
    assert.ok(bits.length * 8 >= 131_072, 'at least 16 KB of entries');
    return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
  };

  before(async () => {
    platform = await startTestPlatform({ worker: true });
    base = platform.config.publicUrl;
    const citizen = await platform.signInAs('citizen');
    citizenCookie = citizen.cookie;
    // Another context would call requestBadge; here the job is sent as it would arrive in the queue.
    await platform.queue.boss.send(
      'badge-issue',
      {
        regionCode: citizen.regionCode,
        citizenId: citizen.userId,
        kind: 'competence_validated',
        sourceRef: 'offline-test-1',
        achievement: {
          name: 'Uso del foglio di calcolo',
          description: 'Competenza validata con prova pratica',
          criteria: 'Prova pratica superata davanti alla commissione',
          skills: [{ uri: 'http://data.europa.eu/esco/skill/offline-test', label: 'usare fogli di calcolo' }],
          eqfLevel: 4,
        },
      },
      { singletonKey: 'badge:competence_validated:offline-test-1' },
    );
    // The worker issues it; the citizen's page lists it.
    for (let i = 0; i < 60 && !code; i++) {
      const page = await (await http('/badge', citizenCookie)).text();
      code = /\/badge\/(B[0-9A-Z]{3}-[0-9A-Z]{4}-[0-9A-Z]{4})\/badge\.jwt/.exec(page)?.[1] ?? '';
      if (!code) await sleep(250);
    }
    assert.ok(code, 'the worker issued the badge');
    const download = await http(`/badge/${code}/badge.jwt`, citizenCookie);
    assert.equal(download.status, 200);
    jwt = (await download.text()).trim();
  });
  after(async () => {
    await platform.stop();
  });

  test('the downloaded JWT verifies with the published JWK Set, and its status bit is off', async () => {
    const profile = await (await http('/badge/emittente')).json();
    const jwksUrl = String(profile.jwks_uri);
    const jwks = createLocalJWKSet((await (await fetch(jwksUrl)).json()) as JSONWebKeySet);

    const header = decodeProtectedHeader(jwt);
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.typ, 'vc+jwt');
    assert.equal(typeof header.kid, 'string');
    const { payload } = await jwtVerify(jwt, jwks, { algorithms: ['EdDSA'], typ: 'vc+jwt' });
    assert.deepEqual(payload['@context'], [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    assert.ok((payload.type as string[]).includes('OpenBadgeCredential'));
    const issuer = payload.issuer as { id: string; type: string[] };
    assert.equal(issuer.id, profile.id);
    assert.deepEqual(issuer.type, ['Profile']);
    assert.ok(Date.parse(String(payload.validFrom)) <= Date.now());
    const subject = payload.credentialSubject as {
      achievement: { name: string; alignment: { targetUrl: string }[] };
      identifier: { hashed: boolean; identityHash: string }[];
    };
    assert.equal(subject.achievement.name, 'Uso del foglio di calcolo');
    assert.ok(
      subject.achievement.alignment.some(
        (a) => a.targetUrl === 'http://data.europa.eu/esco/skill/offline-test',
      ),
    );
    assert.equal(subject.identifier[0]?.hashed, true);
    assert.match(subject.identifier[0]?.identityHash ?? '', /^sha256\$[0-9a-f]{64}$/);

    const status = payload.credentialStatus as {
      type: string;
      statusListCredential: string;
      statusListIndex: string;
    };
    assert.equal(status.type, 'BitstringStatusListEntry');
    assert.equal(await revokedBit(jwks, status.statusListCredential, Number(status.statusListIndex)), false);
  });

  test('a tampered copy fails offline; after revocation the bit is on', async () => {
    const jwks = createLocalJWKSet((await (await http('/badge/chiavi.json')).json()) as JSONWebKeySet);
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8'));
    payload.validFrom = '2000-01-01T00:00:00Z';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    await assert.rejects(jwtVerify(tampered, jwks, { algorithms: ['EdDSA'], typ: 'vc+jwt' }));

    // The Region revokes it (an operator, through the pages).
    const operator = await platform.signInAs('cpi_operator');
    const found = await platform.post(operator, '/operatore/badge', { codice: code });
    assert.equal(found.statusCode, 303);
    const revoke = await platform.post(operator, String(found.headers.location), {
      reason: 'Prova non regolare',
    });
    assert.equal(revoke.statusCode, 303);

    const { payload: verified } = await jwtVerify(jwt, jwks, { algorithms: ['EdDSA'], typ: 'vc+jwt' });
    const status = verified.credentialStatus as { statusListCredential: string; statusListIndex: string };
    assert.equal(await revokedBit(jwks, status.statusListCredential, Number(status.statusListIndex)), true);
  });
});
