import { hash } from '@node-rs/argon2';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { ensureDemoVacancies } from '../employers/use-cases/demo-vacancies.ts';
import { checkPassword } from '../identity/domain/password-policy.ts';
import { ARGON2_OPTIONS } from '../identity/use-cases/sign-in-with-password.ts';
import {
  fitFromOutcomes,
  fittedModelSpec,
  printReport,
} from '../onboarding/use-cases/fit-profiling-model.ts';
import {
  importMunicipalities,
  MunicipalityImportError,
  readMunicipalityFiles,
} from '../onboarding/use-cases/import-municipalities.ts';
import { outcomesFromDatabase } from '../onboarding/use-cases/profiling.ts';
import { createApiToken } from '../platform/api/api.ts';
import { verifyAuditChains } from '../platform/audit/audit.ts';
import { ROLES } from '../platform/auth/roles.ts';
import { loadConfig } from '../platform/config.ts';
import { backup, restore } from '../platform/db/backup.ts';
import { createDb, type Db } from '../platform/db/database.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../platform/db/embedded-postgres.ts';
import { migrate } from '../platform/db/migrate.ts';
import type { Role } from '../platform/db/schema.ts';
import { EscoFileError, importEsco, inspectEscoDir } from '../taxonomy/use-cases/import-esco.ts';
import { ensureDemoCatalogue } from '../training/use-cases/demo-catalogue.ts';
import { serveCluster } from './cluster.ts';
import { loadDemoActivity } from './demo/demo-activity.ts';
import { DEMO_REGION } from './demo/demo-region.ts';
import { loadDemoRegion, loadSyntheticCitizens } from './demo/load-demo.ts';
import { loadSyntheticJobMarket } from './demo/synthetic-jobs.ts';
import { serve } from './main.ts';

/** Run `work` against the configured database (the embedded one when DATABASE_URL is unset). */
async function withDatabase<T>(work: (ctx: { db: Db; pool: import('pg').Pool }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let url = config.databaseUrl;
  let stop = async () => {};
  if (!url) {
    const embedded = await startEmbeddedPostgres(config.dataDir, (m) => console.error(m));
    await ensureDatabase(embedded.url('postgres'), 'sportello');
    url = embedded.socketUrl('sportello');
    stop = embedded.stop;
  }
  const { db, pool } = createDb(url, 4);
  try {
    await migrate(pool);
    return await work({ db, pool });
  } finally {
    await db.destroy();
    await stop();
  }
}

/** A failure to report in one line; thrown so that the embedded database is stopped first. */
export class CliError extends Error {}

function fail(message: string): never {
  throw new CliError(message);
}

function progressBar(label: string): SingleBar {
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration}s`,
    hideCursor: true,
  });
}

const positiveInt = (name: string, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) fail(`${name} must be a whole number from 0 to ${max}`);
  return n;
};

export function registerCommands(program: Command): void {
  program
    .command('serve')
    .description('start the web server and the queue worker (embedded PostgreSQL when DATABASE_URL is unset)')
    .option('--no-worker', 'do not process the queue in this process')
    .option(
      '--web <n>',
      'run N web processes sharing the port (with --workers: separate processes)',
      positiveInt('--web', 64),
    )
    .option(
      '--workers <m>',
      'run M queue-worker processes beside the web processes',
      positiveInt('--workers', 64),
    )
    .action(async (opts: { worker: boolean; web?: number; workers?: number }) => {
      if (opts.web !== undefined || opts.workers !== undefined) {
        await serveCluster({ web: opts.web ?? 1, workers: opts.workers ?? 0 });
      } else {
        await serve({ web: true, worker: opts.worker });
      }
    });

  program
    .command('migrate')
    .description('apply the SQL migrations')
    .action(async () => {
      await withDatabase(async ({ pool }) => {
        const applied = await migrate(pool);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.');
      });
    });

  program
    .command('demo')
    .description('load the demo Region and deterministic synthetic citizens')
    .option('--citizens <n>', 'how many synthetic citizens', positiveInt('--citizens', 5_000_000), 1000)
    .option('--seed <s>', 'random seed (same seed, same people)', positiveInt('--seed', 2 ** 31), 1)
    .option(
      '--vacancies <n>',
      'synthetic companies and published vacancies, plus profiles and skills for the synthetic citizens (load tests)',
      positiveInt('--vacancies', 1_000_000),
    )
    .option(
      '--activity <n>',
      'a year of past appointments, surveys and conditionality events for N citizens of the demo Region and of a second demo Region (Marche), for the dashboards and the comparison; 0 for none',
      positiveInt('--activity', 1_000_000),
      1000,
    )
    .action(async (opts: { citizens: number; seed: number; vacancies?: number; activity: number }) => {
      if (!loadConfig().demo)
        fail('Demo data is never loaded in production mode (SPORTELLO_MODE=production).');
      await withDatabase(async ({ db, pool }) => {
        await loadDemoRegion(db);
        await ensureDemoCatalogue(db, DEMO_REGION.code);
        await ensureDemoVacancies(db, DEMO_REGION.code);
        const bar = progressBar('Citizens');
        bar.start(opts.citizens, 0);
        const started = Date.now();
        const result = await loadSyntheticCitizens(db, {
          count: opts.citizens,
          seed: opts.seed,
          onProgress: (done) => bar.update(done),
        });
        bar.stop();
        console.log(
          `Inserted ${result.inserted} of ${result.generated} citizens in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        );
        if (opts.vacancies) {
          const t0 = Date.now();
          const market = await loadSyntheticJobMarket(db, {
            regionCode: DEMO_REGION.code,
            vacancies: opts.vacancies,
            seed: opts.seed,
            onStep: (step, ms) => console.log(`  ${step}: ${(ms / 1000).toFixed(1)} s`),
          });
          console.log(
            `Job market: ${market.companies} companies, ${market.vacancies} vacancies, ${market.profiles} profiles in ${((Date.now() - t0) / 1000).toFixed(1)} s.`,
          );
        }
        if (opts.activity > 0) {
          const t0 = Date.now();
          const activity = await loadDemoActivity(db, pool, { people: opts.activity });
          if (!activity.loaded) console.log('The year of activity was loaded before: nothing added.');
          else
            for (const [region, c] of Object.entries(activity.regions))
              console.log(
                `Activity in Region ${region}: ${c.people} people, ${c.appointments} appointments, ${c.satisfactionAnswers} survey answers (${((Date.now() - t0) / 1000).toFixed(1)} s).`,
              );
        }
      });
    });

  const profiling = program.command('profiling').description('the employability model');
  profiling
    .command('fit')
    .description(
      "re-fit the model from the platform's own outcomes; prints calibration and a fairness report",
    )
    .option('--out <file>', 'write the fitted model (documented JSON) to this file')
    .action(async (opts: { out?: string }) => {
      await withDatabase(async ({ db }) => {
        const report = await fitFromOutcomes(outcomesFromDatabase({ db })).catch((error: unknown) =>
          fail((error as Error).message),
        );
        printReport(report);
        if (opts.out) {
          const { writeFileSync } = await import('node:fs');
          writeFileSync(opts.out, `${JSON.stringify(fittedModelSpec(report), null, 2)}\n`);
          console.log(`Fitted model written to ${opts.out}.`);
        }
      });
    });

  const imports = program.command('import').description('reference data from official files');
  imports
    .command('comuni <file>')
    .description(
      'import or update the ISTAT municipalities (italy_cities.json layout); idempotent, never deletes',
    )
    .option('--geo <file>', 'coordinates of the municipalities (italy_geo.json layout: istat, lng, lat)')
    .action(async (file: string, opts: { geo?: string }) => {
      const started = Date.now();
      // Validate the files before starting the database: a malformed file fails fast.
      const input = await readMunicipalityFiles({ municipalities: file, coordinates: opts.geo }).catch(
        (error: unknown) => fail(error instanceof MunicipalityImportError ? error.message : String(error)),
      );
      const skipped = input.skippedRows.municipalities + input.skippedRows.coordinates;
      console.log(
        `Read ${input.municipalities.length} municipalities` +
          (input.coordinates ? ` and ${input.coordinates.size} coordinates` : ' (no coordinates file)') +
          (skipped ? `; skipped ${skipped} summary rows (e.g. "Total").` : '.'),
      );
      await withDatabase(async ({ db }) => {
        const bar = progressBar('Municipalities');
        bar.start(input.municipalities.length, 0);
        const report = await importMunicipalities(db, input, { onProgress: (done) => bar.update(done) });
        bar.stop();
        console.log(
          `Inserted ${report.inserted}, updated ${report.updated}, unchanged ${report.unchanged} of ${report.total}; ` +
            `missing coordinates: ${report.missingCoordinates}. Time ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        );
        if (report.notInFile.count > 0) {
          const examples = report.notInFile.examples.map((m) => `${m.istatCode} ${m.name}`).join(', ');
          console.log(
            `Not in the file (kept: offices and profiles may refer to them; check for merged municipalities): ` +
              `${report.notInFile.count}, e.g. ${examples}.`,
          );
        }
        if (report.unmatchedCoordinates.count > 0) {
          console.log(
            `Codes in the coordinates file matching no municipality of the file: ` +
              `${report.unmatchedCoordinates.count}, e.g. ${report.unmatchedCoordinates.examples.join(', ')}.`,
          );
        }
      });
    });

  imports
    .command('esco <dir>')
    .description(
      'import or update the ESCO classification from the official CSV export (files ending _it.csv and _en.csv ' +
        'fill the Italian and English labels); idempotent; skills_xx.csv and occupationSkillRelations_xx.csv are optional',
    )
    .action(async (dir: string) => {
      const escoError = (error: unknown) =>
        fail(error instanceof EscoFileError ? error.message : String((error as Error).message ?? error));
      // Every file's header is checked before the database starts: a wrong column fails fast.
      const found = await inspectEscoDir(dir).catch(escoError);
      console.log(
        `Found ${found.files.length} ESCO files: ${found.files.map((f) => f.name).join(', ')}.` +
          (found.otherLanguages.length
            ? ` Not read (only Italian and English are kept): ${found.otherLanguages.join(', ')}.`
            : '') +
          (found.ignored.length ? ` Ignored: ${found.ignored.join(', ')}.` : ''),
      );
      await withDatabase(async ({ db }) => {
        const bar = process.stderr.isTTY
          ? new SingleBar({
              format: 'ESCO [{bar}] {percentage}% | {file} | {duration}s',
              hideCursor: true,
              stream: process.stderr,
            })
          : null;
        bar?.start(1, 0, { file: '' });
        const report = await importEsco(db, dir, {
          onProgress: (p) => {
            bar?.setTotal(p.bytesTotal);
            bar?.update(p.bytesDone, { file: p.file });
          },
        })
          .catch(escoError)
          .finally(() => bar?.stop());
        for (const f of report.files) {
          console.log(
            `  ${f.file}: ${f.rows} rows — ${f.inserted} new, ${f.updated} updated, ${f.unchanged} unchanged` +
              (f.skipped ? `, ${f.skipped} skipped (occupation or skill not in the database)` : '') +
              ` (${f.seconds.toFixed(1)} s)`,
          );
        }
        const changed = report.files.reduce((a, f) => a + f.inserted + f.updated, 0);
        console.log(
          `Read ${report.totalRows} rows from ${report.files.length} files in ${report.seconds.toFixed(1)} s; ` +
            (changed ? `${changed} rows new or updated.` : 'nothing changed (already up to date).'),
        );
      });
    });

  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('recompute the hash chain of every Region and report tampering')
    .action(async () => {
      const results = await withDatabase(({ db }) => verifyAuditChains(db));
      let ok = true;
      for (const r of results) {
        console.log(
          `Region ${r.regionCode}: ${r.entries} entries — ${r.ok ? 'intact' : `BROKEN at entry ${r.brokenAt}`}`,
        );
        ok &&= r.ok;
      }
      if (!ok) process.exit(1);
    });

  program
    .command('backup <file>')
    .description('write a consistent backup of the database to a file')
    .action(async (file: string) => {
      await withDatabase(async ({ pool }) => {
        const result = await backup(pool, file, (t) => process.stderr.write(`  ${t}\n`));
        console.log(`Backup of ${result.tables} tables written to ${file}.`);
      });
    });

  program
    .command('restore <file>')
    .description('restore a backup into an empty database')
    .action(async (file: string) => {
      await withDatabase(async ({ pool }) => {
        const result = await restore(pool, file, (t) => process.stderr.write(`  ${t}\n`));
        console.log(`Restored ${result.rows} rows in ${result.tables} tables.`);
      }).catch((error: unknown) => fail((error as Error).message));
    });

  const user = program.command('user').description('accounts');
  user
    .command('create')
    .description('create a staff or citizen account with a password (second factor by SMS)')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .requiredOption('--email <email>')
    .requiredOption('--phone <phone>', 'mobile number for the SMS code')
    .requiredOption('--given-name <name>')
    .requiredOption('--family-name <name>')
    .requiredOption('--region <code>', 'ISTAT Region code, e.g. 10')
    .option('--office <id>', 'CPI office id (cpi_operator)')
    .option('--agency <id>', 'agency id (apl_operator)')
    .option('--company <id>', 'company id (employer)')
    .requiredOption('--password <password>')
    .action(async (o: Record<string, string>) => {
      const input = z
        .object({
          role: z.enum(ROLES as [Role, ...Role[]]),
          email: z.string().email(),
          phone: z.string().regex(/^\+?[0-9 ]{6,20}$/),
          givenName: z.string().min(1).max(100),
          familyName: z.string().min(1).max(100),
          region: z.string().regex(/^[0-9]{2}$/),
        })
        .safeParse(o);
      if (!input.success) fail(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const problem = checkPassword(o.password ?? '', o.email);
      if (problem) fail(`password refused: ${problem}`);
      await withDatabase(async ({ db }) => {
        const row = await db
          .insertInto('users')
          .values({
            region_code: input.data.region,
            role: input.data.role,
            email: input.data.email,
            email_verified_at: new Date(),
            phone: input.data.phone,
            given_name: input.data.givenName,
            family_name: input.data.familyName,
            office_id: o.office ?? null,
            agency_id: o.agency ?? null,
            company_id: o.company ?? null,
            sms_second_factor: true,
            password_hash: await hash(o.password ?? '', ARGON2_OPTIONS),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
          .catch((error: unknown) => fail((error as Error).message));
        console.log(`Created ${input.data.role} ${input.data.email} (${row.id}).`);
      });
    });

  const token = program.command('token').description('API tokens for client systems');
  token
    .command('create')
    .description('create a bearer token bound to an account (printed once)')
    .requiredOption('--email <email>', 'the account the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--days <n>', 'validity in days', positiveInt('--days', 730), 365)
    .action(async (o: { email: string; name: string; days: number }) => {
      await withDatabase(async ({ db }) => {
        const account = await db
          .selectFrom('users')
          .select(['id', 'region_code'])
          .where((eb) => eb(eb.fn('lower', ['email']), '=', o.email.toLowerCase()))
          .executeTakeFirst();
        if (!account) fail(`no account with e-mail ${o.email}`);
        const value = await createApiToken(db, {
          regionCode: account.region_code,
          userId: account.id,
          name: o.name,
          days: o.days,
        });
        console.log(value);
      });
    });
}
