import type { ColumnType, Generated } from 'kysely';

/** Typed table of migrations/0003_digital_check.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface DigitalCheckAttemptsTable {
  region_code: string;
  id: Generated<string>;
  user_id: string;
  /** The CPI operator who ran the check with the person; null when taken alone. */
  administered_by: string | null;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The engine's state (domain/digital-check.ts `CheckState`), validated with zod when read.
   * Written as JSON text. */
  state: ColumnType<unknown, string, string>;
  overall_level: number | null;
  /** { information: 0..3, communication: …, content: …, safety: …, problem_solving: … } */
  area_levels: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
}

export type DigitalCheckTables = { digital_check_attempts: DigitalCheckAttemptsTable };
