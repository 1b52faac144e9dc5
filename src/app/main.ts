import { ensureDemoVacancies } from '../employers/use-cases/demo-vacancies.ts';
import { type Config, ConfigError, loadConfig } from '../platform/config.ts';
import {
  type EmbeddedDatabase,
  ensureDatabase,
  startEmbeddedPostgres,
} from '../platform/db/embedded-postgres.ts';
import { ensureDemoCatalogue } from '../training/use-cases/demo-catalogue.ts';
import { createPlatform } from './app.ts';
import { DEMO_REGION } from './demo/demo-region.ts';

/** The configuration, or exit 2 with the reason (a missing secret in production, a bad value). */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/** DATABASE_URL, or the embedded PostgreSQL under DATA_DIR started now. */
export async function databaseOf(
  config: Config,
  log: (m: string) => void,
): Promise<{ databaseUrl: string; embedded: EmbeddedDatabase | null }> {
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl, embedded: null };
  log(`Starting the embedded PostgreSQL in ${config.dataDir}/pg …`);
  const embedded = await startEmbeddedPostgres(config.dataDir, log);
  await ensureDatabase(embedded.url('postgres'), 'sportello');
  return { databaseUrl: embedded.socketUrl('sportello'), embedded };
}

/** `npm start` / `sportello serve`: one process with the web server and the queue worker. */
export async function serve(
  options: { web?: boolean; worker?: boolean; first?: boolean } = {},
): Promise<void> {
  // In a cluster (cluster.ts) only the first process adds the demo catalogue and prints the accounts.
  const first = options.first ?? true;
  const started = Date.now();
  const config = configOrExit();
  const log = (m: string) => console.log(`[sportello] ${m}`);
  const { databaseUrl, embedded } = await databaseOf(config, log);
  const platform = await createPlatform(config, {
    databaseUrl,
    web: options.web ?? true,
    worker: options.worker ?? true,
  });
  // The demo Region gets a small course catalogue (dated from today) so recommendations show something.
  if (config.demo && first) {
    await ensureDemoCatalogue(platform.db, DEMO_REGION.code);
    await ensureDemoVacancies(platform.db, DEMO_REGION.code);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    await platform.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (options.web ?? true) {
    await platform.app.listen({ port: config.port, host: config.host });
  }
  // In a cluster, tell the primary this process is ready (it starts the processes one after another).
  process.send?.({ sportello: 'ready' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log('');
  console.log(
    `  Sportello Lavoro is running at ${config.publicUrl}  (ready in ${seconds} s, mode: ${config.mode})`,
  );
  if (config.demo && first) {
    console.log('');
    console.log('  Demo accounts (password sign-in; the SMS code appears at /dev/outbox):');
    for (const a of platform.demoAccounts)
      console.log(`    ${a.role.padEnd(17)} ${a.email.padEnd(44)} ${a.password}`);
    console.log(
      '  SPID/CIE: choose "Entra con SPID" and pick a test identity on the demo identity provider.',
    );
    console.log(`  Sent e-mails and SMS: ${config.publicUrl}/dev/outbox`);
  }
  console.log('');
}
