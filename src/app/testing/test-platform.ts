import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../platform/auth/roles.ts';
import { SESSION_COOKIE } from '../../platform/auth/session.ts';
import { loadConfig } from '../../platform/config.ts';
import { freePort } from '../../platform/db/embedded-postgres.ts';
import { csrfTokenFor } from '../../platform/http/context.ts';
import { ANON_CSRF_COOKIE } from '../../platform/http/server.ts';
import { type TestDatabase, testDb } from '../../platform/testing/test-database.ts';
import { createPlatform, type Platform } from '../app.ts';
import { demoSessionFor, sessionForUser } from './demo-session.ts';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** A whole platform on its own fresh database, driven with fastify.inject (no network). */
export type TestPlatform = Platform & {
  database: TestDatabase;
  config: ReturnType<typeof loadConfig>;
  signInAs: (role: Role) => Promise<Visitor>;
  /** A signed-in visitor for any user (a person created by the test). */
  signInAsUser: (userId: string, regionCode: string) => Promise<Visitor>;
  anonymous: () => Visitor;
  /** GET a page as this visitor. */
  get: (visitor: Visitor, url: string) => Promise<LightMyRequestResponse>;
  /** POST a form as this visitor, with their CSRF token; a field given as a list repeats. */
  post: (
    visitor: Visitor,
    url: string,
    fields: Record<string, string | string[]>,
  ) => Promise<LightMyRequestResponse>;
  /** The newest queued e-mail whose idempotency key matches a SQL LIKE pattern. */
  lastQueuedEmail: (keyPattern: string) => Promise<QueuedEmail | null>;
  stop: () => Promise<void>;
};

export type QueuedEmail = {
  to: string;
  subject: string;
  text: string;
  calendar?: { method: string; content: string };
};

export type Visitor = {
  cookie: string;
  csrf: string;
  userId: string | null;
  regionCode: string | null;
};

export async function startTestPlatform(
  options: { worker?: boolean; publicUrl?: string } = {},
): Promise<TestPlatform> {
  const database = await testDb();
  const dataDir = path.resolve('.tmp', 'test-data');
  mkdirSync(dataDir, { recursive: true });
  // A real listening port, so that the SPID/CIE flow can reach the demo identity provider.
  const port = await freePort();
  const config = loadConfig({
    DATA_DIR: dataDir,
    SESSION_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    SPORTELLO_MODE: 'demo',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  });
  const platform = await createPlatform(config, {
    databaseUrl: database.url,
    web: true,
    worker: options.worker ?? false,
    poolSize: 5,
  });
  await platform.app.listen({ port, host: '127.0.0.1' });

  const visitorOf = (session: { token: string; csrfSeed: string; userId: string; regionCode: string }) => ({
    cookie: `${SESSION_COOKIE}=${session.token}`,
    csrf: csrfTokenFor(TEST_SECRET, session.csrfSeed),
    userId: session.userId,
    regionCode: session.regionCode,
  });
  const signInAsUser = async (userId: string, regionCode: string): Promise<Visitor> =>
    visitorOf(await sessionForUser(platform.db, userId, regionCode));
  const signInAs = async (role: Role): Promise<Visitor> =>
    visitorOf(await demoSessionFor(platform.db, role, 'test'));

  const anonymous = (): Visitor => {
    const seed = 'anonymous-seed-0123456789-anonymous-seed-0123456789';
    return {
      cookie: `${ANON_CSRF_COOKIE}=${seed}`,
      csrf: csrfTokenFor(TEST_SECRET, seed),
      userId: null,
      regionCode: null,
    };
  };

  const get = (visitor: Visitor, url: string) =>
    platform.app.inject({ method: 'GET', url, headers: { cookie: visitor.cookie } });

  const post = (visitor: Visitor, url: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams({ _csrf: visitor.csrf });
    for (const [name, value] of Object.entries(fields))
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    return platform.app.inject({
      method: 'POST',
      url,
      headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  };

  const lastQueuedEmail = async (keyPattern: string) => {
    const { rows } = await platform.pool.query<{ data: QueuedEmail }>(
      "select data from pgboss.job where name = 'send-email' and data->>'key' like $1 order by created_on desc limit 1",
      [keyPattern],
    );
    return rows[0]?.data ?? null;
  };

  return {
    ...platform,
    database,
    config,
    signInAs,
    signInAsUser,
    anonymous,
    get,
    post,
    lastQueuedEmail,
    stop: async () => {
      await platform.close();
      await database.close();
    },
  };
}

/** Form-encode a body, adding the visitor's CSRF token. */
export function form(visitor: Visitor, fields: Record<string, string>): string {
  return new URLSearchParams({ _csrf: visitor.csrf, ...fields }).toString();
}
