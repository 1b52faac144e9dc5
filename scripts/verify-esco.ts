/**
 * `npm run verify:esco [-- <dir>]`: imports a real ESCO CSV export (default ../shared/data/esco-en)
 * into a fresh embedded database, twice (the second run must change nothing), and writes counts and
 * time to bench/results/esco-import.json. A verification, not a test: the files are not in the repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { createDb } from '../src/platform/db/database.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { EscoFileError, importEsco } from '../src/taxonomy/use-cases/import-esco.ts';
import { searchOccupations } from '../src/taxonomy/use-cases/search.ts';

async function main(): Promise<number> {
  const dir = path.resolve(process.argv[2] ?? '../shared/data/esco-en');
  const dataDir = path.resolve('.tmp', `verify-esco-${process.pid}`);
  const pg = await startEmbeddedPostgres(dataDir, (m) => console.error(`[pg] ${m}`));
  try {
    await ensureDatabase(pg.url('postgres'), 'verify_esco');
    const { db, pool } = createDb(pg.url('verify_esco'), 2);
    try {
      await migrate(pool);
      console.log(`Importing ${dir}…`);
      const first = await importEsco(db, dir);
      const second = await importEsco(db, dir);
      const changedOnRerun = second.files.reduce((a, f) => a + f.inserted + f.updated, 0);
      const tables = await db
        .selectNoFrom((eb) => [
          eb.selectFrom('esco_occupations').select(eb.fn.countAll<string>().as('n')).as('occupations'),
          eb.selectFrom('esco_skills').select(eb.fn.countAll<string>().as('n')).as('skills'),
          eb.selectFrom('esco_isco_groups').select(eb.fn.countAll<string>().as('n')).as('iscoGroups'),
          eb.selectFrom('esco_skill_groups').select(eb.fn.countAll<string>().as('n')).as('skillGroups'),
          eb.selectFrom('esco_broader').select(eb.fn.countAll<string>().as('n')).as('broader'),
          eb
            .selectFrom('esco_occupation_skills')
            .select(eb.fn.countAll<string>().as('n'))
            .as('occupationSkills'),
        ])
        .executeTakeFirstOrThrow();
      // Typo-tolerant label search over the imported set: the first query warms up, then the median of ten.
      const queries = [
        'warehuose worker',
        'nurse',
        'electrican',
        'cook',
        'call centre',
        'welder',
        'cleaner',
        'driver',
        'recepionist',
        'plumber',
      ];
      const hits = await searchOccupations(db, 'warehuose worker', 'en', 5);
      const times: number[] = [];
      for (const q of queries) {
        const t0 = process.hrtime.bigint();
        await searchOccupations(db, q, 'en', 20);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const searchMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
      const result = {
        name: 'esco-import',
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        source: path.relative(process.cwd(), dir),
        languages: [...new Set(first.files.map((f) => f.lang))],
        files: Object.fromEntries(
          first.files.map((f) => [
            f.file,
            { kind: f.kind, rows: f.rows, inserted: f.inserted, skipped: f.skipped, seconds: f.seconds },
          ]),
        ),
        ignoredFiles: first.ignored,
        totalRows: first.totalRows,
        seconds: first.seconds,
        rowsPerSecond: Math.round(first.totalRows / first.seconds),
        rerun: { seconds: second.seconds, changedRows: changedOnRerun },
        tables: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, Number(v)])),
        search: {
          queries,
          medianMs: Math.round(searchMs * 10) / 10,
          typoQuery: 'warehuose worker',
          first: hits[0]?.label ?? null,
        },
      };
      mkdirSync('bench/results', { recursive: true });
      writeFileSync('bench/results/esco-import.json', `${JSON.stringify(result, null, 2)}\n`);
      console.log(
        `${first.totalRows} rows from ${first.files.length} files in ${first.seconds.toFixed(1)} s ` +
          `(${result.rowsPerSecond} rows/s); re-run ${second.seconds.toFixed(1)} s, ${changedOnRerun} rows changed. ` +
          'Written to bench/results/esco-import.json.',
      );
      return changedOnRerun === 0 ? 0 : 1;
    } finally {
      await db.destroy();
    }
  } catch (error) {
    console.error(error instanceof EscoFileError ? error.message : error);
    return 1;
  } finally {
    await pg.stop();
    spawnSync('rm', ['-rf', dataDir]);
  }
}

main().then((code) => process.exit(code));
