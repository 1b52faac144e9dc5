import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Job } from 'pg-boss';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { createApiToken } from '../platform/api/api.ts';
import { type BadgeRequest, requestBadge } from './contract.ts';
import { badgesOf } from './use-cases/badges-of.ts';
import { type BadgesDeps, badgeJobHandler, issueBadge } from './use-cases/issue.ts';

describe('badges: issue, verify, revoke', () => {
  let platform: TestPlatform;
  let deps: BadgesDeps;
  let citizen: Visitor;
  let operator: Visitor;
  let token = '';

  const request = (sourceRef: string): BadgeRequest => ({
    regionCode: citizen.regionCode ?? '',
    citizenId: citizen.userId ?? '',
    kind: 'course_completed',
    sourceRef,
    achievement: {
      name: `Saldatura TIG ${sourceRef}`,
      description: 'Corso di 120 ore sulla saldatura TIG',
      criteria: 'Frequenza di almeno il 70% e prova pratica superata',
      skills: [{ uri: 'http://data.europa.eu/esco/skill/test-welding', label: 'saldare metalli' }],
      eqfLevel: 3,
    },
  });

  const verifyApi = (credential: string) =>
    platform.app.inject({
      method: 'POST',
      url: '/api/v1/badge/verifica',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ credential }),
    });

  before(async () => {
    platform = await startTestPlatform();
    deps = {
      db: platform.db,
      audit: platform.audit,
      notifier: platform.notifier,
      queue: platform.queue,
      config: platform.config,
    };
    citizen = await platform.signInAs('citizen');
    operator = await platform.signInAs('cpi_operator');
    token = await createApiToken(platform.db, {
      regionCode: operator.regionCode ?? '',
      userId: operator.userId ?? '',
      name: 'badge test',
      days: 1,
    });
  });
  after(async () => {
    await platform.stop();
  });

  test('issuing twice for the same source makes one badge', async () => {
    const now = new Date();
    const first = await issueBadge(deps, request('enrolment-1'), now);
    const second = await issueBadge(deps, request('enrolment-1'), now);
    assert.ok(first.ok && second.ok);
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.id, first.id);
    const count = await platform.db
      .selectFrom('badges')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('source_ref', '=', 'enrolment-1')
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    const mine = await badgesOf(platform.db, citizen.regionCode ?? '', citizen.userId ?? '');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.verifyUrl, `${platform.config.publicUrl}/verifica/${first.code}`);
    assert.equal(mine[0]?.revoked, false);
  });

  test('a request of an unknown person or with bad data is refused, not issued', async () => {
    const unknown = await issueBadge(
      deps,
      { ...request('x'), citizenId: '00000000-0000-4000-8000-000000000000' },
      new Date(),
    );
    assert.deepEqual(unknown, { ok: false, reason: 'unknown_citizen' });
    const bad = await issueBadge(
      deps,
      { ...request('y'), achievement: { ...request('y').achievement, name: '' } },
      new Date(),
    );
    assert.deepEqual(bad, { ok: false, reason: 'invalid_request' });
  });

  test('the badge-issue job, queued by requestBadge, issues the badge', async () => {
    await requestBadge(platform.queue, platform.db, request('enrolment-2'));
    const { rows } = await platform.pool.query<{ id: string; data: BadgeRequest }>(
      "select id, data from pgboss.job where name = 'badge-issue' and singleton_key like 'badge:course_completed:%:enrolment-2'",
    );
    assert.equal(rows.length, 1);
    const handler = badgeJobHandler(deps);
    const job = { id: rows[0]?.id, name: 'badge-issue', data: rows[0]?.data } as Job<BadgeRequest>;
    await handler([job]);
    await handler([job]);
    const badges = await platform.db
      .selectFrom('badges')
      .select(['code', 'name'])
      .where('source_ref', '=', 'enrolment-2')
      .execute();
    assert.equal(badges.length, 1);
    assert.equal(badges[0]?.name, 'Saldatura TIG enrolment-2');
  });

  test('the citizen sees and downloads the badge; the page and the API verify it; revoked, both say so', async () => {
    const issued = await issueBadge(deps, request('enrolment-3'), new Date());
    assert.ok(issued.ok);
    const list = await platform.get(citizen, '/badge');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Saldatura TIG enrolment-3/);
    assert.match(list.body, new RegExp(`/badge/${issued.code}/badge.jwt`));

    const jwtRes = await platform.get(citizen, `/badge/${issued.code}/badge.jwt`);
    assert.equal(jwtRes.statusCode, 200);
    assert.match(String(jwtRes.headers['content-type']), /application\/vc\+jwt/);
    const jwt = jwtRes.body;
    const jsonRes = await platform.get(citizen, `/badge/${issued.code}/badge.json`);
    const credential = JSON.parse(jsonRes.body);
    assert.deepEqual(credential.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.equal(credential.issuer.id, `${platform.config.publicUrl}/badge/emittente`);

    // Someone else cannot download it.
    const other = await platform.get(operator, `/badge/${issued.code}/badge.jwt`);
    assert.equal(other.statusCode, 403);

    const anon = platform.anonymous();
    const page = await platform.get(anon, `/badge/${issued.code}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Badge valido/);
    assert.match(page.body, /Regione Umbria/);
    const verifica = await platform.get(anon, `/verifica/${issued.code}`);
    assert.equal(verifica.statusCode, 200);
    assert.match(verifica.body, /Badge valido/);

    const ok = await verifyApi(jwt);
    assert.equal(ok.statusCode, 200);
    const okBody = ok.json();
    assert.equal(okBody.valid, true);
    assert.equal(okBody.revoked, false);
    assert.equal(okBody.issuer.id, `${platform.config.publicUrl}/badge/emittente`);
    assert.equal(okBody.achievement.name, 'Saldatura TIG enrolment-3');

    // Revoke: a reason is required.
    const empty = await platform.post(operator, `/operatore/badge/${issued.id}/revoca`, { reason: '  ' });
    assert.equal(empty.statusCode, 400);
    const revoke = await platform.post(operator, `/operatore/badge/${issued.id}/revoca`, {
      reason: 'Attestato rilasciato per errore',
    });
    assert.equal(revoke.statusCode, 303);
    const email = await platform.lastQueuedEmail(`badge-revoked:${issued.id}`);
    assert.ok(email);
    assert.match(email.text, /Attestato rilasciato per errore/);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', issued.id)
      .where('action', '=', 'badge.revoked')
      .execute();
    assert.equal(audit.length, 1);

    const after = await verifyApi(jwt);
    assert.equal(after.json().valid, false);
    assert.equal(after.json().revoked, true);
    assert.equal(after.json().reason, 'revoked');
    const revokedPage = await platform.get(anon, `/badge/${issued.code}`);
    assert.match(revokedPage.body, /Badge revocato/);
    const mine = await badgesOf(platform.db, citizen.regionCode ?? '', citizen.userId ?? '');
    assert.equal(mine.find((b) => b.id === issued.id)?.revoked, true);
  });

  test('an operator finds a badge by code; another Region or a bad id is not found', async () => {
    const issued = await issueBadge(deps, request('enrolment-4'), new Date());
    assert.ok(issued.ok);
    const found = await platform.post(operator, '/operatore/badge', { codice: issued.code.toLowerCase() });
    assert.equal(found.statusCode, 303);
    assert.equal(found.headers.location, `/operatore/badge/${issued.id}/revoca`);
    const bad = await platform.post(operator, '/operatore/badge', { codice: 'nonsense' });
    assert.equal(bad.statusCode, 400);
    const missing = await platform.get(
      operator,
      '/operatore/badge/00000000-0000-4000-8000-000000000000/revoca',
    );
    assert.equal(missing.statusCode, 404);
    const citizenTries = await platform.post(citizen, `/operatore/badge/${issued.id}/revoca`, {
      reason: 'x',
    });
    assert.equal(citizenTries.statusCode, 403);
  });

  test('a tampered JWT fails; an unknown code is 404; a wrong body is refused', async () => {
    const issued = await issueBadge(deps, request('enrolment-5'), new Date());
    assert.ok(issued.ok);
    const row = await platform.db
      .selectFrom('badges')
      .select('jwt')
      .where('id', '=', issued.id)
      .executeTakeFirstOrThrow();
    const [h, p, s] = row.jwt.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8'));
    payload.credentialSubject.achievement.name = 'Ingegnere nucleare';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const res = await verifyApi(tampered);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().valid, false);
    assert.equal(res.json().reason, 'bad_signature');
    assert.equal((await verifyApi('not a jwt')).json().reason, 'malformed');
    const noBody = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/badge/verifica',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(noBody.statusCode, 400);
    const noToken = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/badge/verifica',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ credential: row.jwt }),
    });
    // Verification is public: a third party needs no account, and gets the same answer.
    assert.equal(noToken.statusCode, 200);
    assert.deepEqual(noToken.json(), (await verifyApi(row.jwt)).json());
    const openApi = await platform.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.deepEqual(openApi.json().paths['/api/v1/badge/verifica'].post.security, []);

    const anon = platform.anonymous();
    assert.equal((await platform.get(anon, '/badge/BZZZ-ZZZZ-ZZZZ')).statusCode, 404);
    assert.equal((await platform.get(anon, '/verifica/BZZZ-ZZZZ-ZZZZ')).statusCode, 404);
  });

  test('issuer profile, key set and status list are published as JSON and vc+jwt', async () => {
    const anon = platform.anonymous();
    const profile = await platform.get(anon, '/badge/emittente');
    assert.equal(profile.statusCode, 200);
    assert.match(String(profile.headers['content-type']), /^application\/json/);
    assert.equal(profile.json().id, `${platform.config.publicUrl}/badge/emittente`);
    assert.deepEqual(profile.json().type, ['Profile']);
    assert.equal(profile.json().jwks_uri, `${platform.config.publicUrl}/badge/chiavi.json`);
    const keys = await platform.get(anon, '/badge/chiavi.json');
    assert.equal(keys.json().keys.length, 1);
    assert.equal(keys.json().keys[0].d, undefined);
    const status = await platform.get(anon, '/badge/stato/1');
    assert.equal(status.statusCode, 200);
    assert.match(String(status.headers['content-type']), /application\/vc\+jwt/);
    assert.equal((await platform.get(anon, '/badge/stato/2')).statusCode, 404);
    // The private key is stored encrypted.
    const stored = await platform.db
      .selectFrom('badge_keys')
      .select('private_key_enc')
      .executeTakeFirstOrThrow();
    assert.match(stored.private_key_enc, /^v1\./);
  });
});
