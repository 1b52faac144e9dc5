import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Typed tables of migrations/0027_portability.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PortabilityKeysTable {
  region_code: string;
  kid: string;
  public_jwk: JSONColumnType<Record<string, string>, string, string>;
  private_key_enc: string;
  created_at: Timestamp;
  retired_at: Date | null;
}

export interface PortabilityExportsTable {
  region_code: string;
  id: string;
  user_id: string;
  sequence: number;
  issued_at: Timestamp;
  kid: string;
  jws: string;
  sha256: string;
  verification_code: string;
  requested_by: 'person' | 'operator';
  exported_by: string;
  purpose: string | null;
}

export interface PortabilityImportsTable {
  region_code: string;
  id: Generated<string>;
  issuer_region: string;
  document_id: string;
  sequence: number;
  fiscal_code: string;
  user_id: string;
  issued_at: Timestamp;
  kid: string;
  sha256: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  mapped: JSONColumnType<Record<string, unknown>, string, string>;
  created_person: boolean;
  imported_by: string;
  imported_at: Timestamp;
}

export type PortabilityTables = {
  portability_keys: PortabilityKeysTable;
  portability_exports: PortabilityExportsTable;
  portability_imports: PortabilityImportsTable;
};
