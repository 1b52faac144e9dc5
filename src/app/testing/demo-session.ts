import type { Role } from '../../platform/auth/roles.ts';
import { createSession, hashToken } from '../../platform/auth/session.ts';
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
  return sessionForUser(db, user.id, user.region_code, authMethod);
}

/** An active session for any user (tests): its token and CSRF seed. */
export async function sessionForUser(
  db: Db,
  userId: string,
  regionCode: string,
  authMethod = 'test',
): Promise<{ token: string; userId: string; regionCode: string; csrfSeed: string }> {
  const token = await createSession(db, { userId, regionCode, stage: 'active', authMethod });
  const { csrf_seed } = await db
    .selectFrom('sessions')
    .select('csrf_seed')
    .where('id_hash', '=', hashToken(token))
    .executeTakeFirstOrThrow();
  return { token, userId, regionCode, csrfSeed: csrf_seed };
}
