import type { ColumnType } from 'kysely';

/**
 * Typed tables of migrations/0020_national_outbox_delivery.sql, merged into `Database` in
 * platform/db/schema.ts. The delivery columns added to `national_outbox` are typed separately
 * (`OutboxDeliveryColumns`) and joined in with `db.withTables<OutboxDeliveryTables>()`, because
 * `national_outbox` itself is declared by the platform schema.
 */
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface NationalOutboxSequencesTable {
  region_code: string;
  order_key: string;
  last_sequence: string;
}

export type InteropTables = {
  national_outbox_sequences: NationalOutboxSequencesTable;
};

/** Columns of national_outbox added by migration 0020 (filled by its trigger when a writer leaves them out). */
export interface OutboxDeliveryColumns {
  subject_id: ColumnType<string | null, string | null | undefined, string | null>;
  order_key: ColumnType<string, string | undefined, string>;
  sequence: ColumnType<string, string | number | undefined, string | number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_attempt_at: NullableTimestamp;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  dead_at: NullableTimestamp;
  discarded_at: NullableTimestamp;
  discarded_by: ColumnType<string | null, string | null | undefined, string | null>;
  discard_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export type OutboxDeliveryTables = { national_outbox: OutboxDeliveryColumns };
