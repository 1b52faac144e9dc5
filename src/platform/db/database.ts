import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

// Dates come back as Date for timestamptz; plain `date` columns stay as YYYY-MM-DD strings would be
// nicer for forms, but Date keeps one type across the code. bigint (int8) is returned as a string.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => new Date(`${value}T00:00:00Z`));

export function createDb(connectionString: string, max = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {
    // An idle client lost its connection (e.g. the server restarted); the pool replaces it.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
