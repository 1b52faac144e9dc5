/** Typed tables of the training catalogue (migrations/0015_training.sql), merged into `Database` in platform/db/schema.ts. */
export type TrainingTables = Record<never, never>;
