import type { ColumnType, Generated } from 'kysely';

/** Typed tables of the training catalogue (migrations/0015_training.sql), merged into `Database` in platform/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateColumn = ColumnType<Date, string, string>;

export type CourseMode = 'remote' | 'in_person' | 'blended';
export type FundingCode = 'gol' | 'garanzia_giovani' | 'fse_plus' | 'fondi_interprofessionali' | 'none';
export type EnrolmentStatus =
  | 'requested'
  | 'confirmed'
  | 'refused'
  | 'withdrawn'
  | 'completed'
  | 'not_completed';

export interface TrainingProvidersTable {
  region_code: string;
  id: Generated<string>;
  name: string;
  vat_number: string;
  accreditation_code: string | null;
  agency_id: string | null;
  created_at: Timestamp;
}

export interface CoursesTable {
  region_code: string;
  id: Generated<string>;
  provider_id: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  eqf_level: number | null;
  mode: CourseMode;
  municipality_code: string | null;
  address: string | null;
  starts_on: DateColumn;
  ends_on: DateColumn;
  hours: number;
  seats: number;
  /** Maintained by a trigger on course_enrolments; never written by the application. */
  seats_taken: ColumnType<number, never, never>;
  /** numeric(10,2): read as a string by node-postgres. */
  cost_eur: ColumnType<string, number | string | undefined, number | string>;
  funding: ColumnType<FundingCode, FundingCode | undefined, FundingCode>;
  search_text: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CourseSkillsTable {
  region_code: string;
  course_id: string;
  skill_uri: string;
}

export interface CourseEnrolmentsTable {
  region_code: string;
  id: Generated<string>;
  course_id: string;
  citizen_id: string;
  status: ColumnType<EnrolmentStatus, EnrolmentStatus | undefined, EnrolmentStatus>;
  requested_at: Timestamp;
  decided_at: Date | null;
  decided_by: string | null;
  completed_at: Date | null;
  outcome_by: string | null;
  updated_at: Timestamp;
}

export interface TrainingTables {
  training_providers: TrainingProvidersTable;
  courses: CoursesTable;
  course_skills: CourseSkillsTable;
  course_enrolments: CourseEnrolmentsTable;
}
