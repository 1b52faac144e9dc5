import type { ColumnType } from 'kysely';

/** Typed tables of migration 0033 (merged into `Database` in platform/db/schema.ts). */
export type IndicatorTables = {
  indicator_daily_facts: {
    region_code: string;
    office_key: string;
    day: ColumnType<string, string, string>;
    indicator: string;
    dimension: string;
    target: string;
    subjects: ColumnType<string, number | string, number | string>;
    numerator: number;
    denominator: number;
  };
  indicator_refreshes: {
    region_code: string;
    computed_at: ColumnType<Date, Date | string, Date | string>;
    through_day: ColumnType<string, string, string>;
  };
};
