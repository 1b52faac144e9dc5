/** Typed tables of this context's migration (merged into `Database` in platform/db/schema.ts). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the context's first migration
export type CampaignTables = {};
