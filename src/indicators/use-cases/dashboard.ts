import { sql } from 'kysely';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';
import {
  type Figure,
  figureOf,
  INDICATORS,
  type IndicatorId,
  type IndicatorKind,
  type Period,
  sumCells,
  type Target,
} from '../domain/indicators.ts';

export type Scope = { kind: 'region' } | { kind: 'office'; officeId: string };

/** A regional manager sees the Region (and may pick an office), a CPI operator their office only. */
export function scopeOf(user: SessionUser): Scope | null {
  if (user.role === 'regional_manager') return { kind: 'region' };
  if (user.role === 'cpi_operator' && user.officeId) return { kind: 'office', officeId: user.officeId };
  return null;
}

export type IndicatorFigures = {
  id: IndicatorId;
  kind: IndicatorKind;
  total: Figure;
  byDimension: { dimension: string; figure: Figure }[];
};

type FactRow = {
  indicator: string;
  dimension: string;
  subjects: number;
  numerator: number;
  denominator: number;
};

/**
 * The period figures from the daily facts only (never the raw events): one indexed range read of
 * indicator × dimension sums for the Region, optionally one office, one target.
 */
export async function indicatorFigures(
  db: Db,
  region: string,
  input: { period: Period; officeId: string | null; target: Target },
): Promise<IndicatorFigures[]> {
  const office = input.officeId === null ? sql`` : sql`and office_key = ${input.officeId}`;
  const { rows } = await sql<FactRow>`
    select indicator, dimension, sum(subjects)::float8 as subjects,
           sum(numerator)::float8 as numerator, sum(denominator)::float8 as denominator
      from indicator_daily_facts
     where region_code = ${region} and day >= ${input.period.from}::date and day <= ${input.period.to}::date
       and target = ${input.target} ${office}
     group by indicator, dimension`.execute(db);
  return INDICATORS.map((def) => {
    const mine = rows.filter((r) => r.indicator === def.id);
    const cells = sumCells(mine, (r) => r.dimension);
    const all = cells.get('all') ?? { subjects: 0, numerator: 0, denominator: 0 };
    const byDimension = [...cells.entries()]
      .filter(([d]) => d !== 'all')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([dimension, c]) => ({ dimension, figure: figureOf(def.kind, c) }));
    return { id: def.id, kind: def.kind, total: figureOf(def.kind, all), byDimension };
  });
}

/** The offices of the Region, for the filter (a CPI operator's own only). */
export async function officesOf(
  db: Db,
  region: string,
  scope: Scope,
): Promise<{ id: string; name: string }[]> {
  let q = db.selectFrom('offices').select(['id', 'name']).where('region_code', '=', region);
  if (scope.kind === 'office') q = q.where('id', '=', scope.officeId);
  return q.orderBy('name').execute();
}

/** When the facts were last computed (null: never). */
export async function lastRefresh(db: Db, region: string): Promise<Date | null> {
  const r = await db
    .selectFrom('indicator_refreshes')
    .select('computed_at')
    .where('region_code', '=', region)
    .executeTakeFirst();
  return r?.computed_at ?? null;
}

export type OpenDataRow = {
  indicator: IndicatorId;
  kind: IndicatorKind;
  dimension: string;
  target: Target;
  value: number | null;
  suppressed: boolean;
};

/** Region-level figures for every indicator, dimension and target: the open-data export. */
export async function openDataRows(db: Db, region: string, period: Period): Promise<OpenDataRow[]> {
  const { rows } = await sql<FactRow & { target: Target }>`
    select indicator, dimension, target, sum(subjects)::float8 as subjects,
           sum(numerator)::float8 as numerator, sum(denominator)::float8 as denominator
      from indicator_daily_facts
     where region_code = ${region} and day >= ${period.from}::date and day <= ${period.to}::date
     group by indicator, dimension, target
     order by indicator, dimension, target`.execute(db);
  const out: OpenDataRow[] = [];
  for (const def of INDICATORS) {
    for (const r of rows.filter((x) => x.indicator === def.id)) {
      const f = figureOf(def.kind, r);
      out.push({
        indicator: def.id,
        kind: def.kind,
        dimension: r.dimension,
        target: r.target,
        value: f.value,
        suppressed: f.suppressed,
      });
    }
  }
  return out;
}
