import { sql } from 'kysely';
import type { Period } from '../../indicators/domain/indicators.ts';
import type { Db } from '../../platform/db/database.ts';
import {
  compareRegions,
  type IndicatorComparison,
  previousPeriod,
  type RegionCell,
} from '../domain/benchmark.ts';

export type RegionName = { code: string; name: string };

/** The Regions (not the national pseudo-Region), by code. */
export async function regionsCompared(db: Db): Promise<RegionName[]> {
  return db
    .selectFrom('regions')
    .select(['region_code as code', 'name'])
    .where('is_national', '=', false)
    .orderBy('region_code')
    .execute();
}

/**
 * Every Region's period sums of the daily facts (target 'all', dimension 'all', every office), for
 * the period and the one before it: one range read per Region on the facts' primary key. This is the
 * only cross-Region read; it returns aggregates, never a person. The page decides who sees what
 * (domain/benchmark.ts `visibleTo`).
 */
export async function regionComparison(db: Db, period: Period): Promise<IndicatorComparison[]> {
  const regions = await regionsCompared(db);
  const codes = regions.map((r) => r.code);
  if (codes.length === 0) return compareRegions([], [], []);
  const sums = async (p: Period) =>
    (
      await sql<RegionCell>`
        select region_code as region, indicator, sum(subjects)::float8 as subjects,
               sum(numerator)::float8 as numerator, sum(denominator)::float8 as denominator
          from indicator_daily_facts
         where region_code = any(${codes}::text[]) and day >= ${p.from}::date and day <= ${p.to}::date
           and target = 'all' and dimension = 'all'
         group by region_code, indicator`.execute(db)
    ).rows;
  const [current, previous] = await Promise.all([sums(period), sums(previousPeriod(period))]);
  return compareRegions(codes, current, previous);
}
