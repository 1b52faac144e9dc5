import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0028_outcomes.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<Date, Date | string, Date | string>;

/** One row of an import report: the reason is an i18n key and its values (shown in the reader's language). */
export type ReportRow = {
  line: number;
  code: string | null;
  fiscalCode: string | null;
  status: 'accepted' | 'duplicate' | 'refused';
  /** Why the row was refused or is a duplicate: i18n keys with their values. */
  reasons: { key: string; values?: Record<string, string> }[];
  personId?: string;
  vacancyId?: string;
  vacancyClosed?: boolean;
  /** Why no vacancy was closed (i18n key), for accepted rows. */
  vacancyNote?: string;
};

export interface UnilavImportsTable {
  region_code: string;
  id: Generated<string>;
  uploaded_by: string;
  filename: string;
  format: 'csv' | 'xml';
  size_bytes: number;
  rows_total: number;
  rows_accepted: number;
  rows_duplicate: number;
  rows_refused: number;
  vacancies_closed: number;
  report: ColumnType<ReportRow[], string, string>;
  created_at: Timestamp;
}

export interface UnilavCommunicationsTable {
  region_code: string;
  communication_code: string;
  import_id: string;
  worker_id: string;
  outcome_id: string;
  employer_tax_code: string;
  company_id: string | null;
  started_on: DateOnly;
  ended_on: DateOnly | null;
  contract_code: string;
  istat_code: string;
  esco_uri: string | null;
  workplace_code: string;
  vacancy_id: string | null;
  created_at: Timestamp;
}

export type OutcomeTables = {
  unilav_imports: UnilavImportsTable;
  unilav_communications: UnilavCommunicationsTable;
};
