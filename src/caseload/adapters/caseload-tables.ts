import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0024_caseload.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type AssignmentKind = 'assigned' | 'transferred';

export interface CaseAssignmentsTable {
  region_code: string;
  citizen_id: string;
  office_id: string;
  operator_id: string;
  assigned_by: string;
  assigned_at: Timestamp;
}

export interface CaseAssignmentHistoryTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  office_id: string;
  from_operator_id: string | null;
  to_operator_id: string;
  kind: AssignmentKind;
  reason: string | null;
  actor_id: string;
  at: Timestamp;
}

export type CaseloadTables = {
  case_assignments: CaseAssignmentsTable;
  case_assignment_history: CaseAssignmentHistoryTable;
};
