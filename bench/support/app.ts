/**
 * Start the whole platform in-process on an embedded PostgreSQL, listening on loopback,
 * with a ready-made signed-in session per role.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createPlatform, type Platform } from '../../src/app/app.ts';
import { demoSessionFor } from '../../src/app/testing/demo-session.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { SESSION_COOKIE } from '../../src/platform/auth/session.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../../src/platform/db/embedded-postgres.ts';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-01234567';

export type BenchApp = {
  platform: Platform;
  baseUrl: string;
  databaseUrl: string;
  cookieFor: (role: Role) => Promise<string>;
  stop: () => Promise<void>;
};

export async function startBenchApp(options: { poolSize?: number } = {}): Promise<BenchApp> {
  const pgDir = path.resolve('.tmp', 'bench-pg');
  const dataDir = path.resolve('.tmp', 'bench-data');
  mkdirSync(pgDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const pg = await startEmbeddedPostgres(pgDir, (m) => {
    // Shutting down terminates the pool's connections: expected, not worth printing.
    if (!/terminating connection due to administrator command/.test(m)) console.error(`[pg] ${m}`);
  });
  let platform: Platform | null = null;
  try {
    await ensureDatabase(pg.url('postgres'), 'sportello_bench');
    const databaseUrl = pg.url('sportello_bench');
    const port = await freePort();
    const config = loadConfig({
      DATA_DIR: dataDir,
      SESSION_SECRET: BENCH_SECRET,
      LOG_LEVEL: 'silent',
      SPORTELLO_MODE: 'demo',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    platform = await createPlatform(config, {
      databaseUrl,
      web: true,
      worker: false,
      poolSize: options.poolSize ?? 10,
    });
    await platform.app.listen({ port, host: '127.0.0.1' });
    const p = platform;
    const cookieFor = async (role: Role): Promise<string> =>
      `${SESSION_COOKIE}=${(await demoSessionFor(p.db, role, 'bench')).token}`;
    return {
      platform: p,
      baseUrl: `http://127.0.0.1:${port}`,
      databaseUrl,
      cookieFor,
      stop: async () => {
        await p.close();
        await pg.stop();
      },
    };
  } catch (error) {
    await platform?.close().catch(() => {});
    await pg.stop();
    throw error;
  }
}
