import type { ColumnType } from 'kysely';

/** Typed tables of migrations/0021_certificates.sql, merged into `Database` in platform/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type CertificateKind = 'sap' | 'c2_storico';
export type CertificateLang = 'it' | 'en';

export interface CertificateIssuesTable {
  region_code: string;
  verification_code: string;
  user_id: string;
  kind: CertificateKind;
  lang: CertificateLang;
  /** The person themself, or the operator who issued it for them. */
  issued_by: string;
  issued_by_role: string;
  issued_by_office_id: string | null;
  purpose: string | null;
  created_at: Timestamp;
}

export type CertificateTables = { certificate_issues: CertificateIssuesTable };
