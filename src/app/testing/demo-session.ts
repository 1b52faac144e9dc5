import type { Role } from '../../platform/auth/roles.ts';
import { createSession } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';

/**
 * A signed-in session for the demo account of a role, made directly (no sign-in steps):
 * for tests and benchmarks only.
 */
export async function demoSessionFor(
  db: Db,
  role: Role,
  authMethod: string,
): Promise<{ token: string; userId: string; regionCode: string; csrfSeed: string }> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'region_code'])
    .where('role', '=', role)
    .where('email', 'like', '%@demo.sportello.example')
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  const token = await createSession(db, {
    userId: user.id,
    regionCode: user.region_code,
    stage: 'active',
    authMethod,
  });
  const { csrf_seed } = await db
    .selectFrom('sessions')
    .select('csrf_seed')
    .where('user_id', '=', user.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return { token, userId: user.id, regionCode: user.region_code, csrfSeed: csrf_seed };
}
