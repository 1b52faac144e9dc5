import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0030_retention.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type RetentionResult = {
  category: string;
  action: 'erase' | 'pseudonymise' | 'keep';
  days: number;
  cutoff: string;
  affected: number;
  /** The error, when the category could not be applied (rolled back alone). */
  failed?: string;
};

export interface RetentionRunsTable {
  region_code: string;
  id: Generated<string>;
  run_at: Timestamp;
  finished_at: Timestamp;
  trigger: 'schedule' | 'admin';
  results: ColumnType<RetentionResult[], string, never>;
  total_affected: number;
}

export interface ErasureRequestsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  requested_at: Timestamp;
  asked: string[];
  erased: string[];
  refused: string[];
}

export type RetentionTables = {
  retention_runs: RetentionRunsTable;
  erasure_requests: ErasureRequestsTable;
};
