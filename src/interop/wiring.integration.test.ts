import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPlatform, type TestPlatform } from '../app/testing/test-platform.ts';
import { type FakeEndpoint, startFakeNationalEndpoint } from './testing/fake-endpoint-process.ts';
import { outboxCounts } from './use-cases/delivery.ts';

/**
 * The platform's worker process with NATIONAL_ENDPOINT_URL set: events written by a context reach the
 * fake endpoint, the admin view names the endpoint, and the platform stops cleanly with the loop.
 */
let platform: TestPlatform;
let endpoint: FakeEndpoint;

before(async () => {
  endpoint = await startFakeNationalEndpoint({ token: 'secret-token' });
  process.env.NATIONAL_ENDPOINT_URL = endpoint.url;
  process.env.NATIONAL_ENDPOINT_TOKEN = 'secret-token';
  platform = await startTestPlatform({ worker: true });
});
after(async () => {
  delete process.env.NATIONAL_ENDPOINT_URL;
  delete process.env.NATIONAL_ENDPOINT_TOKEN;
  await endpoint.stop();
});

test('the worker started by the platform delivers with the bearer token, and stops with the platform', async () => {
  const before = await outboxCounts(platform.db, '10');
  await platform.db
    .insertInto('national_outbox')
    .values({
      region_code: '10',
      idempotency_key: 'wiring:1',
      kind: 'vacancy.published',
      payload: JSON.stringify({ vacancyId: 'w1' }),
    })
    .execute();
  const until = Date.now() + 20_000;
  while ((await outboxCounts(platform.db, '10')).pending > 0 && Date.now() < until) await sleep(100);
  const counts = await outboxCounts(platform.db, '10');
  assert.equal(counts.pending, 0);
  assert.equal(counts.delivered, before.delivered + before.pending + 1);
  const stats = await endpoint.stats(true);
  assert.equal(stats.answered.rejected, 0, 'the token was accepted');
  assert.equal(stats.keys?.['wiring:1']?.requests, 1);

  const admin = await platform.signInAs('admin');
  const page = await platform.get(admin, '/admin/outbox');
  assert.match(page.body, /Indirizzo configurato/);
  assert.match(page.body, new RegExp(endpoint.url.replace(/[.]/g, '\\.')));
  assert.doesNotMatch(page.body, /secret-token/);

  const t = Date.now();
  await platform.stop();
  assert.ok(Date.now() - t < 15_000, 'stopped without waiting for a timeout');
});
