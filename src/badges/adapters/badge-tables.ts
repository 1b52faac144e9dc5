import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Typed tables of digital badges (migrations/0017_badges.sql), merged into `Database` in platform/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type BadgeKind = 'course_completed' | 'competence_validated';

export interface BadgeKeysTable {
  region_code: string;
  kid: string;
  issuer_id: string;
  public_jwk: JSONColumnType<Record<string, string>, string, string>;
  private_key_enc: string;
  created_at: Timestamp;
  retired_at: Date | null;
}

export interface BadgesTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  kind: BadgeKind;
  source_ref: string;
  code: string;
  status_list: ColumnType<number, number | undefined, number>;
  status_index: number;
  name: string;
  description: string;
  credential: JSONColumnType<Record<string, unknown>, string, string>;
  jwt: string;
  verify_url: string;
  kid: string;
  issued_at: Timestamp;
  revoked_at: Date | null;
  revoked_by: string | null;
  revocation_reason: string | null;
}

export interface BadgeTables {
  badge_keys: BadgeKeysTable;
  badges: BadgesTable;
}
