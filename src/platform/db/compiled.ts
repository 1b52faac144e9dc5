import { type Compilable, CompiledQuery } from 'kysely';
import type { Db } from './database.ts';

/**
 * A read built with Kysely once and then run with new values, for the pages asked most often.
 *
 * Building a query with Kysely's builder (parsing references, freezing nodes, compiling) costs more
 * Node CPU than sending it: under load a page of one list query spent about a seventh of its CPU in
 * Kysely (issue 10, bench/load.ts). Here the builder runs on the first call only, with a placeholder
 * for each named value; later calls put the values in the placeholders' places and send the same text.
 *
 * The query's shape must not depend on its values (no `if (values.q)` in `build`): `build` sees the
 * placeholders, which are strings. Values written in `build` itself (`'published'`) stay as they
 * were compiled; a Date there would be frozen at the first call, so it is refused — pass the time
 * as a value instead.
 */
export function compiledOnce<V extends Record<string, unknown>, Row>(
  build: (db: Db, values: V) => Compilable<Row>,
): (db: Db, values: V) => Promise<Row[]> {
  let compiled: { sql: string; slots: ({ name: string } | { constant: unknown })[] } | null = null;
  return async (db, values) => {
    if (!compiled) compiled = compile(db, build, Object.keys(values));
    const parameters = compiled.slots.map((s) => ('name' in s ? values[s.name] : s.constant));
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
    return result.rows;
  };
}

const mark = (name: string) => `\u0000compiledOnce:${name}\u0000`;

function compile<V extends Record<string, unknown>, Row>(
  db: Db,
  build: (db: Db, values: V) => Compilable<Row>,
  names: string[],
) {
  const placeholders = Object.fromEntries(names.map((n) => [n, mark(n)])) as V;
  const query = build(db, placeholders).compile();
  const byMark = new Map(names.map((n) => [mark(n), n]));
  const slots = query.parameters.map((p) => {
    const name = typeof p === 'string' ? byMark.get(p) : undefined;
    if (name !== undefined) return { name };
    if (p instanceof Date)
      throw new Error(`compiledOnce: a Date written in the query would be frozen (${query.sql})`);
    return { constant: p };
  });
  for (const n of names) {
    if (query.sql.includes(mark(n)))
      throw new Error(`compiledOnce: "${n}" was written into the text, not sent as a value`);
    if (!slots.some((s) => 'name' in s && s.name === n))
      throw new Error(`compiledOnce: "${n}" is not used by the query`);
  }
  return { sql: query.sql, slots };
}

/** `row` with the fields `K` as Dates (or null where they may be null). */
export type WithDates<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: null extends T[P] ? Date | null : Date;
};

/**
 * A row read back from JSON (`jsonArrayFrom`, `jsonObjectFrom`: decision 0013) has its times as text,
 * and Kysely types them as strings: the named fields made Dates again (a null stays null).
 */
export function withDates<T extends object, K extends keyof T>(row: T, keys: readonly K[]): WithDates<T, K> {
  const out: Record<PropertyKey, unknown> = { ...(row as Record<PropertyKey, unknown>) };
  for (const key of keys) {
    const value = row[key];
    out[key as PropertyKey] = value === null || value === undefined ? value : new Date(value as string);
  }
  return out as WithDates<T, K>;
}
