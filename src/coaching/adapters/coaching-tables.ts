import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0009_coaching.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined, string>;

export type ActionKind = 'apply_vacancies' | 'attend_course' | 'update_cv' | 'attend_appointment' | 'custom';
export type ActionStatus = 'open' | 'done' | 'cancelled';
export type EvidenceKind = 'link' | 'upload' | 'automatic';
export type ActivityKind =
  | 'application_sent'
  | 'application_replied'
  | 'appointment_attended'
  | 'cv_updated'
  | 'course_attended'
  | 'sign_in';

export interface PlanActionsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  coach_id: string | null;
  pact_id: string | null;
  kind: ActionKind;
  title: string;
  target: number | null;
  progress: Generated<number>;
  /** A date: written as YYYY-MM-DD, read as a Date at 00:00 UTC. */
  due_date: ColumnType<Date, string, string>;
  appointment_id: string | null;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  done_at: NullableTimestamp;
}

export interface PlanEvidenceTable {
  region_code: string;
  id: Generated<string>;
  action_id: string;
  kind: EvidenceKind;
  url: string | null;
  filename: string | null;
  content_type: string | null;
  content: Buffer | null;
  sha256: string | null;
  activity_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface CitizenActivityTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  kind: ActivityKind;
  at: Timestamp;
  ref: string | null;
  details: Json;
}

export interface CoachAlertsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  coach_id: string | null;
  kind: string;
  details: Json;
  opened_at: Timestamp;
  closed_at: NullableTimestamp;
  closed_by: string | null;
  close_note: string | null;
}

export interface CoachingRunsTable {
  region_code: string;
  job: string;
  last_run_at: Timestamp;
}

export interface PeerFeedbackOptoutsTable {
  region_code: string;
  user_id: string;
  at: Timestamp;
}

export interface PeerFeedbackMessagesTable {
  region_code: string;
  user_id: string;
  /** First day of the month (YYYY-MM-DD). */
  month: ColumnType<Date, string, string>;
  payload: Json;
  created_at: Timestamp;
}

export interface CoachingTables {
  plan_actions: PlanActionsTable;
  plan_evidence: PlanEvidenceTable;
  citizen_activity: CitizenActivityTable;
  coach_alerts: CoachAlertsTable;
  coaching_runs: CoachingRunsTable;
  peer_feedback_optouts: PeerFeedbackOptoutsTable;
  peer_feedback_messages: PeerFeedbackMessagesTable;
}
