import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareRegions, previousPeriod, type RegionCell, rankValues, visibleTo } from './benchmark.ts';

const cell = (region: string, indicator: string, subjects: number, numerator: number, denominator: number) =>
  ({ region, indicator, subjects, numerator, denominator }) satisfies RegionCell;

describe('benchmarking between Regions', () => {
  test('the previous period has the same length and ends the day before', () => {
    assert.deepEqual(previousPeriod({ from: '2026-03-01', to: '2026-03-31' }), {
      from: '2026-01-29',
      to: '2026-02-28',
    });
  });

  test('ranks: equal values share a rank, null is not ranked, the direction is honoured', () => {
    assert.deepEqual(rankValues([10, 20, 20, null, 5], 'higher'), [3, 1, 1, null, 4]);
    assert.deepEqual(rankValues([10, 20, 5], 'lower'), [2, 3, 1]);
  });

  test('Regions compared on the same definitions; small cells suppressed and unranked; national total', () => {
    const current = [
      cell('10', 'no_show_rate', 40, 4, 40),
      cell('20', 'no_show_rate', 30, 6, 30),
      cell('30', 'no_show_rate', 5, 0, 5),
      cell('10', 'people_served', 40, 0, 0),
      cell('20', 'people_served', 30, 0, 0),
    ];
    const previous = [cell('10', 'no_show_rate', 20, 4, 20)];
    const c = compareRegions(['10', '20', '30'], current, previous);
    const noShow = c.find((x) => x.id === 'no_show_rate')!;
    assert.deepEqual(
      noShow.regions.map((r) => [r.region, r.figure.value, r.rank]),
      [
        ['10', 10, 1],
        ['20', 20, 2],
        ['30', null, null],
      ],
    );
    assert.equal(noShow.regions[0]?.change, -10);
    // The national total sums the cells of every Region, the small one included: 10 of 75.
    assert.equal(noShow.national.figure.value, 13.3);
    const people = c.find((x) => x.id === 'people_served')!;
    assert.equal(people.direction, null);
    assert.ok(people.regions.every((r) => r.rank === null));
  });

  test('a regional manager sees only their Region, without its rank, beside the national total', () => {
    const c = compareRegions(
      ['10', '20', '30'],
      [
        cell('10', 'satisfaction', 12, 48, 12),
        cell('20', 'satisfaction', 12, 60, 12),
        cell('30', 'satisfaction', 12, 54, 12),
        cell('10', 'remote_share', 12, 6, 12),
        cell('20', 'remote_share', 12, 3, 12),
      ],
      [],
    );
    const mine = visibleTo(c, { national: false, region: '10' }).find((x) => x.id === 'satisfaction')!;
    assert.deepEqual(
      mine.regions.map((r) => [r.region, r.figure.value, r.rank]),
      [['10', 4, null]],
    );
    assert.equal(mine.national.figure.value, 4.5);
    const all = visibleTo(c, { national: true, region: '00' }).find((x) => x.id === 'satisfaction')!;
    assert.equal(all.regions.length, 3);
    // Only one other Region in the remote-share total: its figure would follow by subtraction.
    const remote = visibleTo(c, { national: false, region: '10' }).find((x) => x.id === 'remote_share')!;
    assert.deepEqual([remote.national.figure.value, remote.national.figure.suppressed], [null, true]);
    assert.equal(remote.regions[0]?.figure.value, 50);
  });
});
