import type { ColumnType, Generated } from 'kysely';

/** Typed tables of job search and applications (migrations/0019_employers.sql), merged into `Database`. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const APPLICATION_STATUSES = [
  'sent',
  'viewed',
  'interview',
  'rejected',
  'hired',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export interface CandidateVisibilityTable {
  region_code: string;
  citizen_id: string;
  /** The person agreed to be found (pseudonymously) by employers and the matcher. */
  visible: boolean;
  changed_at: Timestamp;
}

export interface ApplicationsTable {
  region_code: string;
  id: Generated<string>;
  vacancy_id: string;
  citizen_id: string;
  /** The CV document as it was when the person applied (written as JSON text). */
  cv_snapshot: ColumnType<unknown, string, string>;
  cv_version: number;
  message: string | null;
  status: ColumnType<ApplicationStatus, ApplicationStatus | undefined, ApplicationStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApplicationEventsTable {
  region_code: string;
  id: Generated<string>;
  application_id: string;
  status: ApplicationStatus;
  actor_id: string | null;
  note: string | null;
  at: Timestamp;
}

export type JobsTables = {
  candidate_visibility: CandidateVisibilityTable;
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
};
