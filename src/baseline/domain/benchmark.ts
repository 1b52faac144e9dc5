/**
 * Benchmarking between Regions (issue 9 item 4, seed §1.5 and §2.4 "prime modalità di
 * benchmarking"): the same indicator definitions (src/indicators) summed per Region over a period,
 * ranked where a rank means something, with the change against the previous period of equal length.
 * Pure: the sums come from use-cases/benchmark.ts.
 */
import {
  addDays,
  type Cell,
  daysBetween,
  type Figure,
  figureOf,
  INDICATORS,
  type IndicatorId,
  type IndicatorKind,
  type Period,
} from '../../indicators/domain/indicators.ts';

/**
 * Which way is better, for the indicators whose value does not grow with a Region's size. People and
 * event counts are not ranked (a large Region would always come first); conditionality events are a
 * count. Remote share is ranked "higher first" as the report's direction of travel, not as a verdict.
 */
export const DIRECTION: Partial<Record<IndicatorId, 'higher' | 'lower'>> = {
  wait_first_contact: 'lower',
  no_show_rate: 'lower',
  remote_share: 'higher',
  satisfaction: 'higher',
  response_rate: 'higher',
  pact_within_30: 'higher',
  placement_6m: 'higher',
};

export type RegionCell = { region: string; indicator: string } & Cell;

export type RegionFigure = {
  region: string;
  figure: Figure;
  previous: Figure;
  /** Change of the value against the previous period (null when either is not shown). */
  change: number | null;
  /** 1 = best; null when not ranked (suppressed, or an indicator without a direction). */
  rank: number | null;
};

export type IndicatorComparison = {
  id: IndicatorId;
  kind: IndicatorKind;
  direction: 'higher' | 'lower' | null;
  regions: RegionFigure[];
  /** All Regions together (the national aggregate), and the same for the previous period. */
  national: { figure: Figure; previous: Figure; change: number | null };
  /** The Regions with any subject in the period (the aggregate's contributors). */
  contributors: string[];
};

/** Fewer other Regions than this in the total, and a Region would read another's figure by subtraction. */
export const MIN_OTHER_REGIONS = 2;

/** The period of equal length just before `p`. */
export function previousPeriod(p: Period): Period {
  const length = daysBetween(p.from, p.to) + 1;
  return { from: addDays(p.from, -length), to: addDays(p.from, -1) };
}

const zero: Cell = { subjects: 0, numerator: 0, denominator: 0 };
const add = (a: Cell, b: Cell): Cell => ({
  subjects: a.subjects + b.subjects,
  numerator: a.numerator + b.numerator,
  denominator: a.denominator + b.denominator,
});
const changeOf = (now: Figure, before: Figure): number | null =>
  now.value === null || before.value === null ? null : Math.round((now.value - before.value) * 10) / 10;

/** Competition ranking (1, 2, 2, 4): equal values share a rank. */
export function rankValues(values: (number | null)[], direction: 'higher' | 'lower'): (number | null)[] {
  return values.map((v) => {
    if (v === null) return null;
    const better = values.filter((o) => o !== null && (direction === 'higher' ? o > v : o < v)).length;
    return better + 1;
  });
}

export function compareRegions(
  regions: readonly string[],
  current: readonly RegionCell[],
  previous: readonly RegionCell[],
): IndicatorComparison[] {
  const cellOf = (rows: readonly RegionCell[], region: string | null, indicator: string): Cell =>
    rows
      .filter((r) => r.indicator === indicator && (region === null || r.region === region))
      .reduce<Cell>((acc, r) => add(acc, r), zero);
  return INDICATORS.map((def) => {
    const direction = DIRECTION[def.id] ?? null;
    const figures = regions.map((region) => {
      const figure = figureOf(def.kind, cellOf(current, region, def.id));
      const before = figureOf(def.kind, cellOf(previous, region, def.id));
      return {
        region,
        figure,
        previous: before,
        change: changeOf(figure, before),
        rank: null as number | null,
      };
    });
    if (direction) {
      const ranks = rankValues(
        figures.map((f) => f.figure.value),
        direction,
      );
      figures.forEach((f, i) => {
        f.rank = ranks[i] ?? null;
      });
    }
    figures.sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
    const nationalNow = figureOf(def.kind, cellOf(current, null, def.id));
    const nationalBefore = figureOf(def.kind, cellOf(previous, null, def.id));
    return {
      id: def.id,
      kind: def.kind,
      direction,
      regions: figures,
      national: {
        figure: nationalNow,
        previous: nationalBefore,
        change: changeOf(nationalNow, nationalBefore),
      },
      contributors: regions.filter((r) => cellOf(current, r, def.id).subjects > 0),
    };
  });
}

/**
 * What a person may see: a national manager every Region; anyone else only their own Region (with
 * its rank withheld, since a rank tells about the others) beside the national aggregate — withheld
 * too when fewer than two other Regions are in it (the total minus one's own would be another's).
 */
export function visibleTo(
  comparison: IndicatorComparison[],
  viewer: { national: boolean; region: string },
): IndicatorComparison[] {
  if (viewer.national) return comparison;
  const hidden = (f: Figure): Figure => ({ value: null, suppressed: true, subjects: f.subjects });
  return comparison.map((c) => {
    const others = c.contributors.filter((r) => r !== viewer.region).length;
    const national =
      others >= MIN_OTHER_REGIONS
        ? c.national
        : { figure: hidden(c.national.figure), previous: hidden(c.national.previous), change: null };
    return {
      ...c,
      national,
      contributors: [],
      regions: c.regions.filter((r) => r.region === viewer.region).map((r) => ({ ...r, rank: null })),
    };
  });
}
