/** Typed tables of digital badges (migrations/0017_badges.sql), merged into `Database` in platform/db/schema.ts. */
export type BadgeTables = Record<never, never>;
