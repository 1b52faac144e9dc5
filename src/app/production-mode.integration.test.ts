/**
 * Production mode (issue 10, item 6): the app refuses to start without its secrets and its message
 * gateways, and it has no demo data, no development outbox and no test identity provider.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { type TestDatabase, testDb } from '../platform/testing/test-database.ts';
import { createPlatform, type Platform } from './app.ts';

const SECRET = 'production-test-secret-production-test-secret-0123';

describe('production mode', () => {
  let database: TestDatabase;
  let platform: Platform | null = null;
  const keyFile = path.resolve('.tmp', 'production-test-signing.key');

  before(async () => {
    database = await testDb();
    writeFileSync(keyFile, 'not-used-by-this-test');
  });
  after(async () => {
    await platform?.close();
    await database.close();
  });

  const env = () => ({
    SPORTELLO_MODE: 'production',
    SESSION_SECRET: SECRET,
    SIGNING_KEY_FILE: keyFile,
    DATABASE_URL: database.url,
    PUBLIC_URL: 'https://lavoro.regione.example',
    LOG_LEVEL: 'silent',
    DATA_DIR: path.resolve('.tmp', 'production-test-data'),
  });

  it('refuses to start without each of its secrets, naming what is missing', () => {
    for (const missing of ['SESSION_SECRET', 'SIGNING_KEY_FILE', 'DATABASE_URL', 'PUBLIC_URL']) {
      const e: Record<string, string> = env();
      delete e[missing];
      assert.throws(
        () => loadConfig(e),
        (err: unknown) => err instanceof ConfigError && err.message.includes(missing),
        missing,
      );
    }
    assert.throws(() => loadConfig({ ...env(), SESSION_SECRET: 'short' }), ConfigError);
  });

  it('refuses to run workers without real e-mail and SMS gateways (no development outbox)', async () => {
    const config = loadConfig(env());
    await assert.rejects(
      createPlatform(config, { databaseUrl: database.url, web: false, worker: true, poolSize: 3 }),
      /SMTP_URL and SMS_GATEWAY_URL/,
    );
  });

  it('starts with no demo data, no development pages and no test identity provider', async () => {
    const config = loadConfig(env());
    assert.equal(config.demo, false);
    const p = await createPlatform(config, {
      databaseUrl: database.url,
      web: true,
      worker: false,
      poolSize: 3,
    });
    platform = p;
    assert.deepEqual(p.demoAccounts, []);
    const users = await p.db.selectFrom('users').select('id').execute();
    assert.equal(users.length, 0, 'no demo accounts in the database');
    for (const url of ['/dev/outbox', '/dev/idp/.well-known/openid-configuration']) {
      const res = await p.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
    }
    const home = await p.app.inject({ method: 'GET', url: '/' });
    assert.equal(home.statusCode, 200);
    assert.match(String(home.headers['strict-transport-security']), /max-age=63072000/);
    assert.doesNotMatch(home.body, /\/dev\/outbox/, 'no link to the development outbox');
  });
});
