import { parse } from 'csv-parse/sync';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import {
  type CsvCourse,
  checkHeader,
  MAX_CSV_ROWS,
  type RowError,
  validateCsvRow,
} from '../domain/course-input.ts';
import { isCourseManager, manageableProviders, type Operator, saveCourse } from './catalogue.ts';

export type ImportResult = { ok: true; imported: number } | { ok: false; errors: RowError[] };

class Rollback extends Error {
  constructor(readonly errors: RowError[]) {
    super('rollback');
  }
}

/**
 * Import courses from a CSV file (UTF-8, comma or semicolon separated, header row with named
 * columns). Every row is validated; if any row is wrong nothing is imported and every error is listed
 * with its row number and column.
 */
export async function importCourses(
  deps: { db: Db; audit: AuditLog },
  op: Operator,
  data: Buffer,
): Promise<ImportResult> {
  if (!isCourseManager(op))
    return { ok: false, errors: [{ row: 0, column: '', error: 'training.import.forbidden' }] };
  const textContent = data.toString('utf8');
  if (textContent.includes('\u0000') || textContent.includes('\uFFFD'))
    return { ok: false, errors: [{ row: 0, column: '', error: 'training.import.notText' }] };
  const firstLine = textContent.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g) ?? []).length > (firstLine.match(/,/g) ?? []).length ? ';' : ',';
  let records: string[][];
  try {
    records = parse(textContent, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: 20_000,
    }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { ok: false, errors: [{ row: line, column: '', error: 'training.import.unreadable' }] };
  }
  const [header, ...rows] = records;
  if (!header || rows.length === 0)
    return { ok: false, errors: [{ row: 0, column: '', error: 'training.import.empty' }] };
  if (rows.length > MAX_CSV_ROWS)
    return { ok: false, errors: [{ row: 0, column: '', error: 'training.import.tooMany' }] };
  const names = header.map((h) => h.trim().toLowerCase());
  const headerErrors = checkHeader(names);
  if (headerErrors.length > 0) return { ok: false, errors: headerErrors };

  const errors: RowError[] = [];
  const valid: { row: number; course: CsvCourse }[] = [];
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length !== names.length) {
      errors.push({ row, column: '', error: 'training.import.columnCount' });
      return;
    }
    const record: Record<string, string> = {};
    names.forEach((n, j) => {
      record[n] = cells[j] ?? '';
    });
    const r = validateCsvRow(row, record);
    if (r.ok) valid.push({ row, course: r.value });
    else errors.push(...r.errors);
  });

  // References: providers the operator manages (by VAT), municipalities of the Region, ESCO skills.
  const providers = new Map((await manageableProviders(deps.db, op)).map((p) => [p.vat_number, p.id]));
  const municipalities = new Set(
    (
      await deps.db
        .selectFrom('municipalities')
        .select('istat_code')
        .where('region_code', '=', op.regionCode)
        .execute()
    ).map((m) => m.istat_code),
  );
  const allSkills = [...new Set(valid.flatMap((v) => v.course.skillUris))];
  const knownSkills = new Set(
    allSkills.length === 0
      ? []
      : (await deps.db.selectFrom('esco_skills').select('uri').where('uri', 'in', allSkills).execute()).map(
          (s) => s.uri,
        ),
  );
  for (const { row, course } of valid) {
    if (!providers.has(course.providerVat))
      errors.push({ row, column: 'provider_vat', error: 'training.import.unknownProvider' });
    if (course.municipalityCode && !municipalities.has(course.municipalityCode))
      errors.push({ row, column: 'municipality_code', error: 'training.errors.municipality' });
    if (course.skillUris.some((u) => !knownSkills.has(u)))
      errors.push({ row, column: 'skills', error: 'training.import.unknownSkill' });
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.row - b.row) };

  try {
    await deps.db.transaction().execute(async (trx) => {
      for (const { row, course } of valid) {
        const r = await saveCourse(
          deps,
          op,
          null,
          providers.get(course.providerVat) as string,
          course,
          course.skillUris,
          trx,
        );
        if (!r.ok) throw new Rollback([{ row, column: '', error: `training.errors.${r.reason}` }]);
      }
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, errors: error.errors };
    throw error;
  }
  return { ok: true, imported: valid.length };
}
