import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0008_pact.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type PactStatus = 'draft' | 'proposed' | 'changes_requested' | 'signing' | 'signed' | 'superseded';
export type PactVersionStatus = 'draft' | 'proposed' | 'changes_requested' | 'signed' | 'superseded';
export type PactParty = 'citizen' | 'cpi' | 'apl';
export type SignatureMethod = 'sms_code' | 'totp' | 'spid' | 'cie';
export type Benefit = 'naspi' | 'dis_coll' | 'adi' | 'sfl' | 'other';

export interface PactsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  office_id: string;
  agency_id: string | null;
  coach_id: string;
  current_version: Generated<number>;
  status: ColumnType<PactStatus, PactStatus | undefined, PactStatus>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PactVersionsTable {
  region_code: string;
  pact_id: string;
  version: number;
  /** The pact's content (use-cases validate it with zod when read). Written as JSON text. */
  content: ColumnType<unknown, string, string>;
  status: ColumnType<PactVersionStatus, PactVersionStatus | undefined, PactVersionStatus>;
  pdf: Buffer | null;
  sha256: string | null;
  verification_code: string | null;
  change_reason: string | null;
  created_by: string;
  created_at: Timestamp;
  proposed_at: NullableTimestamp;
  signed_at: NullableTimestamp;
}

export interface PactChangeRequestsTable {
  region_code: string;
  id: Generated<string>;
  pact_id: string;
  version: number;
  citizen_id: string;
  message: string;
  created_at: Timestamp;
  answered_at: NullableTimestamp;
}

export interface PactSignaturesTable {
  region_code: string;
  id: Generated<string>;
  pact_id: string;
  version: number;
  party: PactParty;
  signer_id: string;
  method: SignatureMethod;
  document_sha256: string;
  signed_at: Timestamp;
  at_desk: Generated<boolean>;
  ip_address: string | null;
  user_agent: string | null;
}

export interface PactSignCodesTable {
  region_code: string;
  id: Generated<string>;
  pact_id: string;
  version: number;
  user_id: string;
  code_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  attempts: Generated<number>;
  created_at: Timestamp;
}

export interface BenefitObligationsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  pact_id: string;
  version: number;
  benefit: Benefit;
  obligation: string;
  active: Generated<boolean>;
  created_at: Timestamp;
}

export interface PactTables {
  pacts: PactsTable;
  pact_versions: PactVersionsTable;
  pact_change_requests: PactChangeRequestsTable;
  pact_signatures: PactSignaturesTable;
  pact_sign_codes: PactSignCodesTable;
  benefit_obligations: BenefitObligationsTable;
}
