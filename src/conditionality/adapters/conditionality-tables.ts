import type { ColumnType, Generated } from 'kysely';

/**
 * Typed tables of migrations/0010_conditionality.sql (events, justifications, decisions), merged into
 * `Database` in platform/db/schema.ts.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ConditionalityBenefit = 'naspi' | 'dis_coll' | 'adi' | 'sfl' | 'other';
export type EventKind = 'no_show' | 'refused_offer' | 'did_not_confirmed' | 'action_not_done' | 'other';
export type EventSource = 'automatic' | 'operator';
export type EventStatus = 'open' | 'justification_sent' | 'decided';
export type Decision = 'archive' | 'warning' | 'sanction_proposal';

export interface ConditionalityEventsTable {
  region_code: string;
  id: Generated<string>;
  citizen_id: string;
  benefit: ConditionalityBenefit | null;
  kind: EventKind;
  source: EventSource;
  source_ref: string | null;
  occurred_at: Timestamp;
  description: string | null;
  status: ColumnType<EventStatus, EventStatus | undefined, EventStatus>;
  decision: Decision | null;
  decision_reasons: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ConditionalityJustificationsTable {
  region_code: string;
  id: Generated<string>;
  event_id: string;
  citizen_id: string;
  message: string;
  filename: string | null;
  content: Buffer | null;
  sha256: string | null;
  created_at: Timestamp;
}

export interface ConditionalityDecisionsTable {
  region_code: string;
  id: Generated<string>;
  event_id: string;
  decision: Decision;
  reasons: string;
  suggested_decision: Decision | null;
  suggested_rule: string | null;
  earlier_events: Generated<number>;
  decided_by: string;
  decided_at: Timestamp;
}

export interface ConditionalityTables {
  conditionality_events: ConditionalityEventsTable;
  conditionality_justifications: ConditionalityJustificationsTable;
  conditionality_decisions: ConditionalityDecisionsTable;
}
