import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../db/database.ts';

/**
 * A fresh, migrated database for one test: cloned from the template database that
 * scripts/run-tests.ts prepared on the embedded PostgreSQL (env SPORTELLO_TEST_PG_ADMIN_URL).
 */
export const TEMPLATE_DB = 'sportello_template';

export type TestDatabase = { db: Db; pool: pg.Pool; url: string; close: () => Promise<void> };

function adminUrl(): string {
  const url = process.env.SPORTELLO_TEST_PG_ADMIN_URL;
  if (!url) {
    throw new Error(
      'SPORTELLO_TEST_PG_ADMIN_URL is not set: run integration tests through `npm run test:integration` (scripts/run-tests.ts)',
    );
  }
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function testDb(): Promise<TestDatabase> {
  const admin = adminUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name} template ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(admin, name);
  const { db, pool } = createDb(url, 5);
  return {
    db,
    pool,
    url,
    close: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
