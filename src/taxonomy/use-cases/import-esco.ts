import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import { type CsvRow, checkHeader, EscoFileError, fileSize, readBatches } from '../adapters/csv-reader.ts';
import {
  classifyFileName,
  collectionFlags,
  type EscoLanguage,
  type FileSpec,
  importOrder,
  iscoParent,
  REUSE_LEVELS,
  type RecognisedFile,
  SKILL_TYPES,
  uriCode,
} from '../domain/esco-files.ts';
import { searchTextOf, splitAltLabels } from '../domain/normalise.ts';

/**
 * `sportello import esco <dir>`: reads the official ESCO CSV export (Italian and English files side
 * by side fill the two label columns of the same URI) and upserts it.
 *
 * All-or-nothing policy: every file's header is checked before the first write, so a missing or
 * misnamed column stops the import before anything is written. Then each file is imported in ONE
 * transaction: a file with a malformed row (bad CSV, an empty URI, an unknown skill type) is rolled
 * back whole and the import stops there, naming the file, the line and the column; files imported
 * before it stay (they are complete, and running the import again after fixing the file finishes
 * the job, because every step is an idempotent upsert that leaves equal rows untouched).
 */
export type ImportProgress = { file: string; bytesDone: number; bytesTotal: number };

export type FileReport = {
  file: string;
  kind: string;
  lang: EscoLanguage;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Relations naming an occupation or a skill that is not in the database. */
  skipped: number;
  seconds: number;
};

export type ImportReport = {
  dir: string;
  files: FileReport[];
  /** CSV files that are not part of the export layout we read (e.g. conceptSchemes_en.csv). */
  ignored: string[];
  /** ESCO files in languages other than Italian and English (the tables hold those two). */
  otherLanguages: string[];
  totalRows: number;
  seconds: number;
};

const BATCH = 1000;

export { EscoFileError };

export type EscoDirectory = { files: RecognisedFile[]; ignored: string[]; otherLanguages: string[] };

/**
 * The ESCO files of a directory in import order, every header checked: throws an EscoFileError
 * naming the file and the column before anything is written (the CLI calls it before starting the database).
 */
export async function inspectEscoDir(dir: string): Promise<EscoDirectory> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new EscoFileError(`${dir}: no such directory.`, dir);
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  const files: RecognisedFile[] = [];
  const ignored: string[] = [];
  const otherLanguages: string[] = [];
  for (const name of names) {
    const c = classifyFileName(name);
    if (c.ok) files.push(c.file);
    else if (c.reason === 'other-language') otherLanguages.push(name);
    else ignored.push(name);
  }
  files.sort(importOrder);
  if (!files.some((f) => ['occupations', 'skills', 'skillsCollection'].includes(f.spec.kind))) {
    throw new EscoFileError(
      `${dir}: no ESCO files in Italian or English found (expected e.g. occupations_it.csv, occupations_en.csv, ISCOGroups_en.csv).`,
      dir,
    );
  }
  for (const f of files) await checkHeader(path.join(dir, f.name), f.spec);
  return { files, ignored, otherLanguages };
}

export async function importEsco(
  db: Db,
  dir: string,
  options: { onProgress?: (p: ImportProgress) => void; batchSize?: number } = {},
): Promise<ImportReport> {
  const started = Date.now();
  // Every header first: a wrong column stops the import before the first write.
  const { files, ignored, otherLanguages } = await inspectEscoDir(dir);

  const sizes = await Promise.all(files.map((f) => fileSize(path.join(dir, f.name))));
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  let bytesBefore = 0;
  const reports: FileReport[] = [];
  const run = await db
    .insertInto('esco_imports')
    .values({ source: path.resolve(dir), languages: [...new Set(files.map((f) => f.lang))] })
    .returning('id')
    .executeTakeFirstOrThrow();

  for (const [i, f] of files.entries()) {
    const fileStarted = Date.now();
    const full = path.join(dir, f.name);
    const report: FileReport = {
      file: f.name,
      kind: f.spec.kind,
      lang: f.lang,
      rows: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      seconds: 0,
    };
    await db.transaction().execute(async (trx) => {
      for await (const batch of readBatches(full, options.batchSize ?? BATCH)) {
        const counts = await importBatch(trx, f, batch.rows);
        report.rows += batch.rows.length;
        report.inserted += counts.inserted;
        report.updated += counts.updated;
        report.skipped += counts.skipped;
        options.onProgress?.({ file: f.name, bytesDone: bytesBefore + batch.bytes, bytesTotal });
      }
    });
    report.unchanged = report.rows - report.inserted - report.updated - report.skipped;
    report.seconds = (Date.now() - fileStarted) / 1000;
    reports.push(report);
    bytesBefore += sizes[i] ?? 0;
    options.onProgress?.({ file: f.name, bytesDone: bytesBefore, bytesTotal });
  }

  const totalRows = reports.reduce((a, r) => a + r.rows, 0);
  await db
    .updateTable('esco_imports')
    .set({
      finished_at: new Date(),
      counts: JSON.stringify(
        Object.fromEntries([...reports.map((r) => [r.file, r.rows]), ['total', totalRows]]),
      ),
    })
    .where('id', '=', run.id)
    .execute();
  return { dir, files: reports, ignored, otherLanguages, totalRows, seconds: (Date.now() - started) / 1000 };
}

type Counts = { inserted: number; updated: number; skipped: number };
type Row = { row: CsvRow; line: number };

function rowError(f: RecognisedFile, line: number, column: string, problem: string): EscoFileError {
  return new EscoFileError(`${f.name} line ${line}: column "${column}" ${problem}.`, f.name, column);
}

function required(f: RecognisedFile, r: Row, column: string): string {
  const v = (r.row[column] ?? '').trim();
  if (!v) throw rowError(f, r.line, column, 'is empty');
  return v;
}

function optional(r: Row, column: string): string | null {
  const v = (r.row[column] ?? '').trim();
  return v || null;
}

function oneOf<T extends string>(f: RecognisedFile, r: Row, column: string, allowed: readonly T[]): T | null {
  const v = optional(r, column);
  if (v === null) return null;
  if (!(allowed as readonly string[]).includes(v)) {
    throw rowError(f, r.line, column, `has "${v}" (expected ${allowed.join(' or ')})`);
  }
  return v as T;
}

/** Last one wins: a URI twice in a batch would make ON CONFLICT touch a row twice. */
function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((t) => [key(t), t])).values()];
}

function countOf(rows: { inserted: boolean }[]): Counts {
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted, skipped: 0 };
}

const other = (lang: EscoLanguage): EscoLanguage => (lang === 'en' ? 'it' : 'en');

/** search_text from both languages; `mine` is the value written now, the other language is kept. */
function searchTextSql(table: string, lang: EscoLanguage): RawBuilder<unknown> {
  const mine = sql.raw(`excluded.search_${lang}`);
  const theirs = sql.raw(`${table}.search_${other(lang)}`);
  return lang === 'en'
    ? sql`concat_ws(' | ', nullif(${mine}, ''), nullif(${theirs}, ''))`
    : sql`concat_ws(' | ', nullif(${theirs}, ''), nullif(${mine}, ''))`;
}

async function importBatch(trx: Tx, f: RecognisedFile, rows: Row[]): Promise<Counts> {
  const L = f.lang;
  const spec: FileSpec = f.spec;
  const label = sql.raw(`label_${L}`);
  const alts = sql.raw(`alt_labels_${L}`);
  const descr = sql.raw(`description_${L}`);
  const search = sql.raw(`search_${L}`);

  switch (spec.kind) {
    case 'iscoGroups': {
      const data = uniqueBy(
        rows.map((r) => {
          const code = required(f, r, 'code');
          if (!/^\d{1,4}$/.test(code))
            throw rowError(f, r.line, 'code', `has "${code}" (expected 1 to 4 digits)`);
          return {
            uri: required(f, r, 'conceptUri'),
            code,
            parent: iscoParent(code),
            label: required(f, r, 'preferredLabel'),
          };
        }),
        (d) => d.code,
      );
      const result = await sql<{ inserted: boolean }>`
        insert into esco_isco_groups as g (code, uri, parent_code, ${label})
        select code, uri, parent, label
          from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as r(code text, uri text, parent text, label text)
        on conflict (code) do update set uri = excluded.uri, parent_code = excluded.parent_code,
          ${label} = excluded.${label}, updated_at = now()
        where (g.uri, g.parent_code, g.${label}) is distinct from (excluded.uri, excluded.parent_code, excluded.${label})
        returning (xmax = 0) as inserted`.execute(trx);
      return countOf(result.rows);
    }
    case 'skillGroups': {
      const data = uniqueBy(
        rows.map((r) => {
          const uri = required(f, r, 'conceptUri');
          return { uri, code: optional(r, 'code') ?? uriCode(uri), label: required(f, r, 'preferredLabel') };
        }),
        (d) => d.uri,
      );
      const result = await sql<{ inserted: boolean }>`
        insert into esco_skill_groups as g (uri, code, ${label})
        select uri, code, label from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as r(uri text, code text, label text)
        on conflict (uri) do update set code = excluded.code, ${label} = excluded.${label}, updated_at = now()
        where (g.code, g.${label}) is distinct from (excluded.code, excluded.${label})
        returning (xmax = 0) as inserted`.execute(trx);
      return countOf(result.rows);
    }
    case 'skillsHierarchy': {
      const pairs: { narrower: string; broader: string }[] = [];
      for (const r of rows) {
        const levels = [0, 1, 2, 3].map((n) => optional(r, `Level ${n} URI`));
        for (let n = 1; n < 4; n++) {
          const narrower = levels[n];
          const broader = levels[n - 1];
          if (narrower && broader) pairs.push({ narrower, broader });
        }
      }
      const counts = await insertBroader(trx, pairs);
      // Several pairs per row: report per row, a row is "inserted" when it added any pair.
      return { inserted: Math.min(counts, rows.length), updated: 0, skipped: 0 };
    }
    case 'skills':
    case 'skillsCollection': {
      const flags = collectionFlags(f.collection);
      const broader: { narrower: string; broader: string }[] = [];
      const data = uniqueBy(
        rows.map((r) => {
          const uri = required(f, r, 'conceptUri');
          const preferred = required(f, r, 'preferredLabel');
          const altLabels = splitAltLabels(r.row.altLabels, spec.altSeparator ?? 'newline').filter(
            (a) => a !== preferred,
          );
          if (spec.kind === 'skillsCollection') {
            for (const b of splitAltLabels(r.row.broaderConceptUri, 'pipe'))
              broader.push({ narrower: uri, broader: b });
          }
          return {
            uri,
            skill_type: oneOf(f, r, 'skillType', SKILL_TYPES),
            reuse_level: oneOf(f, r, 'reuseLevel', REUSE_LEVELS),
            label: preferred,
            alts: altLabels,
            descr: optional(r, 'description'),
            search: searchTextOf([preferred, ...altLabels]),
          };
        }),
        (d) => d.uri,
      );
      const flagColumns = Object.keys(flags);
      const flagInsert = flagColumns.length ? sql.raw(`, ${flagColumns.join(', ')}`) : sql``;
      const flagValues = flagColumns.length
        ? sql.raw(`, ${flagColumns.map(() => 'true').join(', ')}`)
        : sql``;
      const flagUpdate = flagColumns.length
        ? sql.raw(`, ${flagColumns.map((c) => `${c} = true`).join(', ')}`)
        : sql``;
      const flagChanged = flagColumns.length
        ? sql.raw(` or not (${flagColumns.map((c) => `s.${c}`).join(' and ')})`)
        : sql``;
      const result = await sql<{ inserted: boolean }>`
        insert into esco_skills as s (uri, skill_type, reuse_level, ${label}, ${alts}, ${descr}, ${search}, search_text${flagInsert})
        select uri, skill_type, reuse_level, label, coalesce(alts, '{}'), descr, search, search${flagValues}
          from jsonb_to_recordset(${JSON.stringify(data)}::jsonb)
            as r(uri text, skill_type text, reuse_level text, label text, alts text[], descr text, search text)
        on conflict (uri) do update set
          skill_type = coalesce(excluded.skill_type, s.skill_type),
          reuse_level = coalesce(excluded.reuse_level, s.reuse_level),
          ${label} = excluded.${label}, ${alts} = excluded.${alts}, ${descr} = excluded.${descr},
          ${search} = excluded.${search}, search_text = ${searchTextSql('s', L)}, updated_at = now()${flagUpdate}
        where (s.skill_type, s.reuse_level, s.${label}, s.${alts}, s.${descr}, s.${search})
            is distinct from (coalesce(excluded.skill_type, s.skill_type), coalesce(excluded.reuse_level, s.reuse_level),
              excluded.${label}, excluded.${alts}, excluded.${descr}, excluded.${search})${flagChanged}
        returning (xmax = 0) as inserted`.execute(trx);
      await insertBroader(trx, broader);
      return countOf(result.rows);
    }
    case 'occupations': {
      const data = uniqueBy(
        rows.map((r) => {
          const preferred = required(f, r, 'preferredLabel');
          const isco = required(f, r, 'iscoGroup');
          if (!/^\d{4}$/.test(isco))
            throw rowError(f, r.line, 'iscoGroup', `has "${isco}" (expected a 4-digit ISCO code)`);
          const altLabels = splitAltLabels(r.row.altLabels, spec.altSeparator ?? 'newline').filter(
            (a) => a !== preferred,
          );
          return {
            uri: required(f, r, 'conceptUri'),
            isco,
            code: optional(r, 'code'),
            label: preferred,
            alts: altLabels,
            descr: optional(r, 'description'),
            search: searchTextOf([preferred, ...altLabels]),
          };
        }),
        (d) => d.uri,
      );
      const result = await sql<{ inserted: boolean }>`
        insert into esco_occupations as o (uri, isco_code, code, ${label}, ${alts}, ${descr}, ${search}, search_text)
        select uri, isco, code, label, coalesce(alts, '{}'), descr, search, search
          from jsonb_to_recordset(${JSON.stringify(data)}::jsonb)
            as r(uri text, isco text, code text, label text, alts text[], descr text, search text)
        on conflict (uri) do update set
          isco_code = excluded.isco_code, code = coalesce(excluded.code, o.code),
          ${label} = excluded.${label}, ${alts} = excluded.${alts}, ${descr} = excluded.${descr},
          ${search} = excluded.${search}, search_text = ${searchTextSql('o', L)}, updated_at = now()
        where (o.isco_code, o.code, o.${label}, o.${alts}, o.${descr}, o.${search})
            is distinct from (excluded.isco_code, coalesce(excluded.code, o.code),
              excluded.${label}, excluded.${alts}, excluded.${descr}, excluded.${search})
        returning (xmax = 0) as inserted`.execute(trx);
      return countOf(result.rows);
    }
    case 'broaderSkills':
    case 'broaderOccupations': {
      const pairs = rows.map((r) => ({
        narrower: required(f, r, 'conceptUri'),
        broader: required(f, r, 'broaderUri'),
      }));
      const inserted = await insertBroader(trx, pairs);
      return { inserted, updated: 0, skipped: 0 };
    }
    case 'occupationSkillRelations': {
      const data = uniqueBy(
        rows.map((r) => {
          const relation = oneOf(f, r, 'relationType', ['essential', 'optional'] as const);
          if (!relation) throw rowError(f, r.line, 'relationType', 'is empty');
          return { occupation: required(f, r, 'occupationUri'), skill: required(f, r, 'skillUri'), relation };
        }),
        (d) => `${d.occupation} ${d.skill}`,
      );
      // A relation to a concept missing from the database (e.g. relations without skills_xx.csv) is skipped.
      const result = await sql<{ inserted: boolean }>`
        insert into esco_occupation_skills as x (occupation_uri, skill_uri, relation)
        select r.occupation, r.skill, r.relation
          from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as r(occupation text, skill text, relation text)
          join esco_occupations o on o.uri = r.occupation
          join esco_skills s on s.uri = r.skill
        on conflict (occupation_uri, skill_uri) do update set relation = excluded.relation
        where x.relation is distinct from excluded.relation
        returning (xmax = 0) as inserted`.execute(trx);
      const known = await sql<{ n: number }>`
        select count(*)::int as n
          from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as r(occupation text, skill text)
          join esco_occupations o on o.uri = r.occupation
          join esco_skills s on s.uri = r.skill`.execute(trx);
      const counts = countOf(result.rows);
      return { ...counts, skipped: rows.length - (known.rows[0]?.n ?? 0) };
    }
  }
}

async function insertBroader(trx: Tx, pairs: { narrower: string; broader: string }[]): Promise<number> {
  const unique = uniqueBy(pairs, (p) => `${p.narrower} ${p.broader}`);
  if (unique.length === 0) return 0;
  const result = await sql`
    insert into esco_broader (narrower_uri, broader_uri)
    select narrower, broader from jsonb_to_recordset(${JSON.stringify(unique)}::jsonb) as r(narrower text, broader text)
    on conflict do nothing`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
