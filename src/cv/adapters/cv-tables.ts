/** Typed tables of the CV builder (migrations/0016_cv.sql), merged into `Database` in platform/db/schema.ts. */
export type CvTables = Record<never, never>;
