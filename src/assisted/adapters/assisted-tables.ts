import type { ColumnType, Generated } from 'kysely';

/** Typed tables of migrations/0029_assisted.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type AssistedChannel = 'phone' | 'desk';
export type AssistedEndedBy = 'operator' | 'person' | 'expired';

export interface AssistedSessionsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  operator_id: string;
  operator_role: 'cpi_operator' | 'apl_operator';
  office_id: string | null;
  agency_id: string | null;
  channel: AssistedChannel;
  consent_version: string;
  consent_lang: string;
  consent_text: string;
  identity_checked: boolean;
  consent_confirmed_at: Timestamp;
  started_at: Timestamp;
  expires_at: Timestamp;
  ended_at: NullableTimestamp;
  ended_by: AssistedEndedBy | null;
}

export interface AssistedActionsTable {
  region_code: string;
  id: ColumnType<string, never, never>;
  session_id: string;
  citizen_id: string;
  operator_id: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  at: Timestamp;
}

export type AssistedTables = {
  assisted_sessions: AssistedSessionsTable;
  assisted_actions: AssistedActionsTable;
};
