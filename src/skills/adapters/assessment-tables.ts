import type { ColumnType, Generated } from 'kysely';

/** Typed tables of the skills assessment (migrations/0014_skills_assessment.sql), merged into `Database` in platform/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type AssessmentStatus = 'draft' | 'submitted' | 'validated';
export type SessionMode = 'in_person' | 'remote';
export type EvidenceContentType = 'application/pdf' | 'image/jpeg' | 'image/png';
export type ScanStatus = 'clean' | 'infected' | 'not_scanned';

export interface SkillAssessmentsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  status: ColumnType<AssessmentStatus, AssessmentStatus | undefined, AssessmentStatus>;
  education_eqf: number | null;
  education_title: string | null;
  informal_experience: string | null;
  submitted_at: NullableTimestamp;
  validated_at: NullableTimestamp;
  validated_by: string | null;
  session_date: NullableTimestamp;
  session_mode: SessionMode | null;
  session_notes: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SkillAssessmentTargetsTable {
  region_code: string;
  assessment_id: string;
  occupation_uri: string;
  position: number;
  created_at: Timestamp;
}

export interface SkillAssessmentJobsTable {
  region_code: string;
  id: Generated<string>;
  assessment_id: string;
  occupation_uri: string | null;
  title: string | null;
  years: number;
  created_at: Timestamp;
}

export interface SkillAssessmentSkillsTable {
  region_code: string;
  assessment_id: string;
  skill_uri: string;
  /** 0 = "non la possiedo", 1..4 the scale of domain/levels.ts; null = not answered yet. */
  self_level: number | null;
  validated_level: number | null;
  updated_at: Timestamp;
}

export interface SkillEvidenceTable {
  region_code: string;
  id: Generated<string>;
  assessment_id: string;
  skill_uri: string | null;
  filename: string;
  content_type: EvidenceContentType;
  size: number;
  sha256: string;
  content: Buffer;
  scan_status: ScanStatus;
  created_by: string;
  created_at: Timestamp;
}

export interface AssessmentTables {
  skill_assessments: SkillAssessmentsTable;
  skill_assessment_targets: SkillAssessmentTargetsTable;
  skill_assessment_jobs: SkillAssessmentJobsTable;
  skill_assessment_skills: SkillAssessmentSkillsTable;
  skill_evidence: SkillEvidenceTable;
}
