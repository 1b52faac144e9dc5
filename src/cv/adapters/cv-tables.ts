import type { ColumnType, Generated } from 'kysely';

/** Typed tables of the CV builder (migrations/0016_cv.sql), merged into `Database` in platform/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CvsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  /** The CV (domain/cv.ts `CvDocument`), validated with zod before writing; written as JSON text. */
  document: ColumnType<unknown, string, string>;
  version: Generated<number>;
  /** Where the last full content came from: the platform's data, or an imported Europass file. */
  source: ColumnType<'platform' | 'import', 'platform' | 'import' | undefined, 'platform' | 'import'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type CvTables = { cvs: CvsTable };
