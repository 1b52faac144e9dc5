/** Typed tables of the skills assessment (migrations/0014_skills_assessment.sql), merged into `Database` in platform/db/schema.ts. */
export type AssessmentTables = Record<never, never>;
