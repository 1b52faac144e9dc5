import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0026_agencies.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A `date` column: read as a Date at UTC midnight, written as 'YYYY-MM-DD'. */
type Day = ColumnType<Date, string, string>;

export type ReferralStatus = 'open' | 'closed' | 'withdrawn';

export interface AccreditationScopesTable {
  region_code: string;
  id: Generated<string>;
  agency_id: string;
  service: string;
  valid_from: Day;
  valid_to: Day;
  granted_by: string | null;
  granted_at: Timestamp;
  source_accreditation_id: string | null;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export interface AgencyChoicesTable {
  region_code: string;
  user_id: string;
  service: string;
  agency_id: string | null;
  chosen_at: Timestamp;
}

export interface AgencyReferralsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  agency_id: string;
  service: string;
  starts_on: Day;
  note: Generated<string>;
  chosen_agency_id: string | null;
  override_reason: string | null;
  status: ColumnType<ReferralStatus, ReferralStatus | undefined, ReferralStatus>;
  referred_by: string;
  office_id: string | null;
  created_at: Timestamp;
  ended_at: NullableTimestamp;
  ended_by: string | null;
  end_note: string | null;
}

export interface AgencyActivitiesTable {
  region_code: string;
  id: Generated<string>;
  referral_id: string;
  citizen_id: string;
  agency_id: string;
  occurred_on: Day;
  kind: string;
  outcome: string;
  recorded_by: string;
  created_at: Timestamp;
}

export type AgencyTables = {
  accreditation_scopes: AccreditationScopesTable;
  agency_choices: AgencyChoicesTable;
  agency_referrals: AgencyReferralsTable;
  agency_activities: AgencyActivitiesTable;
};
