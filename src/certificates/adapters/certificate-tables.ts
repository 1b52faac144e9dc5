/** Typed tables of this context, merged into `Database` in platform/db/schema.ts. */
export type CertificateTables = Record<never, never>;
