/**
 * Runs one kind of test (unit, integration, e2e) with node:test through tsx.
 * - integration: starts the embedded PostgreSQL once, migrates a template database, and gives
 *   every test its own clone (src/platform/testing/test-database.ts).
 * - e2e: also builds the assets and checks that Debian's Chromium is there (installs it as root).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../src/platform/db/database.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { startQueue } from '../src/platform/queue/queue.ts';
import { TEMPLATE_DB } from '../src/platform/testing/test-database.ts';

const kind = process.argv[2];
const filter = process.argv[3];
if (kind !== 'unit' && kind !== 'integration' && kind !== 'e2e') {
  console.error('usage: tsx scripts/run-tests.ts unit|integration|e2e [filter]');
  process.exit(2);
}

function find(dir: string, suffix: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) find(full, suffix, out);
    else if (entry.endsWith(suffix)) out.push(full);
  }
  return out;
}

export const CHROMIUM = '/usr/bin/chromium';

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.error(
      "Chromium is missing: install Debian's package 'chromium' (sudo apt-get install chromium) and run again.",
    );
    process.exit(1);
  }
  console.log("Installing Debian's chromium package…");
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

async function main(): Promise<number> {
  const roots = kind === 'e2e' ? ['e2e'] : ['src', 'scripts', 'bench'];
  let files = roots.flatMap((r) => find(r, kind === 'e2e' ? '.e2e.test.ts' : `.${kind}.test.ts`)).sort();
  if (filter) files = files.filter((f) => f.includes(filter));
  if (files.length === 0) {
    console.error(`No ${kind} test files found.`);
    return 1;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', TZ: 'UTC' };
  let stop = async () => {};
  if (kind !== 'unit') {
    const dataDir = path.resolve('.tmp', `test-pg-${process.pid}`);
    const pg = await startEmbeddedPostgres(dataDir, (m) => console.error(`[pg] ${m}`));
    stop = async () => {
      await pg.stop();
      spawnSync('rm', ['-rf', dataDir]);
    };
    const admin = pg.url('postgres');
    await ensureDatabase(admin, TEMPLATE_DB);
    const { db, pool } = createDb(pg.url(TEMPLATE_DB), 2);
    await migrate(pool);
    const queue = await startQueue(pg.url(TEMPLATE_DB), { supervise: false });
    await queue.stop();
    await db.destroy();
    // pg-boss closes its pool lazily: make sure nothing holds the template before it is cloned.
    const { default: pgLib } = await import('pg');
    const client = new pgLib.Client({ connectionString: admin });
    await client.connect();
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [
      TEMPLATE_DB,
    ]);
    await client.end();
    env.SPORTELLO_TEST_PG_ADMIN_URL = admin;
    if (kind === 'e2e') {
      ensureChromium();
      const { buildAssets } = await import('./build-assets.ts');
      await buildAssets();
    }
  }
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${kind === 'unit' ? 2 : 1}`,
    ...files,
  ];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  await stop();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
