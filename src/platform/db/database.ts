import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { ForgetfulMap } from '../memory/bounded-maps.ts';
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
  pool.on('connect', (client) => prepareRepeatedStatements(client));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/**
 * How many statements one connection keeps prepared. The platform's queries are a few hundred fixed
 * texts; a text built with a variable number of parameters (an `in (…)` list) would otherwise add a
 * prepared statement per length, so past this bound a connection runs new texts unprepared.
 */
export const PREPARED_PER_CONNECTION = 300;

/**
 * Only reads are prepared. A write can depend on its values being known when it is planned: an
 * `insert … on conflict (…) where kind = $1` finds its partial unique index only when the value is a
 * constant, which PostgreSQL guarantees for unnamed statements alone. A read that starts with
 * common table expressions (`with … select`) counts as one unless a word of its text could be a
 * data-modifying statement (`with old as (…) update …`): those stay unnamed.
 */
export function isPreparableRead(text: string): boolean {
  if (/^\s*select\s/i.test(text)) return true;
  return /^\s*with\s/i.test(text) && !/\b(insert|update|delete|merge)\b/i.test(text);
}

const names = new ForgetfulMap<string, string>(10_000);
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs every parameterised read of this connection as a named prepared statement: PostgreSQL
 * parses and plans a text once per connection instead of on every execution (after five executions
 * it may keep a generic plan, its usual rule). On a page that costs two or three short queries,
 * parsing and planning are a large part of the database's work (measured in bench/load.ts).
 *
 * A text whose values pg could not encode (the one case where pg closes the statement on the server
 * but still counts it as prepared) runs unprepared on this connection from then on.
 */
function prepareRepeatedStatements(client: pg.PoolClient): void {
  type Query = (...args: unknown[]) => unknown;
  const query = client.query.bind(client) as Query;
  const prepared = new Set<string>();
  const unprepared = new Set<string>();
  (client as unknown as { query: Query }).query = (...args: unknown[]) => {
    const [text, values, callback] = args;
    const named =
      typeof text === 'string' &&
      isPreparableRead(text) &&
      Array.isArray(values) &&
      values.length > 0 &&
      (args.length === 2 || (args.length === 3 && typeof callback === 'function'));
    if (!named) return query(...args);
    const name = statementName(text);
    if (unprepared.has(name) || (!prepared.has(name) && prepared.size >= PREPARED_PER_CONNECTION)) {
      return query(...args);
    }
    prepared.add(name);
    const clientSide = (error: unknown) => {
      // Errors from the server carry a SQLSTATE code; pg's own (an unencodable value) do not.
      if (!(error && typeof (error as { code?: unknown }).code === 'string')) unprepared.add(name);
    };
    if (typeof callback === 'function') {
      return query({ name, text, values }, (error: unknown, result: unknown) => {
        if (error) clientSide(error);
        (callback as (e: unknown, r: unknown) => void)(error, result);
      });
    }
    return (query({ name, text, values }) as Promise<unknown>).catch((error: unknown) => {
      clientSide(error);
      throw error;
    });
  };
}
