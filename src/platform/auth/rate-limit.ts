import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Fixed-window rate limits kept in PostgreSQL, so every web process shares them.
 * Returns true while the key is within its limit.
 */
export async function hit(db: Db, key: string, limit: number, windowSeconds: number): Promise<boolean> {
  const row = await sql<{ hits: number }>`
    insert into rate_limits as r (key, window_start, hits) values (${key}, now(), 1)
    on conflict (key) do update set
      hits = case when r.window_start < now() - make_interval(secs => ${windowSeconds}) then 1 else r.hits + 1 end,
      window_start = case when r.window_start < now() - make_interval(secs => ${windowSeconds}) then now() else r.window_start end
    returning hits`.execute(db);
  return (row.rows[0]?.hits ?? 0) <= limit;
}

export async function clearLimit(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
