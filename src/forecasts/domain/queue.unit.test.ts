import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { queueWeeks, servedAt } from './queue.ts';

describe('waiting-time model (backlog carried week to week)', () => {
  test('enough seats: no backlog, no wait', () => {
    const weeks = queueWeeks([10, 10, 10], [20, 20, 20]);
    assert.deepEqual(
      weeks.map((w) => [w.served, w.backlog, w.waitDays]),
      [
        [10, 0, 0],
        [10, 0, 0],
        [10, 0, 0],
      ],
    );
  });

  test('unmet demand is carried over and the wait grows', () => {
    const weeks = queueWeeks([30, 30, 30, 0], [20, 20, 20, 100]);
    assert.deepEqual(
      weeks.map((w) => w.backlog),
      [10, 20, 30, 0],
    );
    // Week 1: 15 ahead (half the week's 30), 20 seats a week → served at 0.75 week, arrived at 0.5.
    assert.equal(weeks[0]!.waitDays, 0.25 * 7);
    // Week 2: 10 carried + 15 → 25 ahead: 20 in week 2, 5 of the 20 in week 3 → 1.25 − 0.5.
    assert.equal(weeks[1]!.waitDays, 0.75 * 7);
    // Week 3: 20 + 15 = 35 ahead: 20 in week 3, then 15 of the 100 seats of week 4.
    assert.ok(Math.abs(weeks[2]!.waitDays! - (1.15 - 0.5) * 7) < 1e-9);
    assert.equal(weeks[3]!.waitDays, 0);
  });

  test('not enough seats before the horizon: the wait is beyond it, with a lower bound', () => {
    const weeks = queueWeeks([10, 10], [0, 0]);
    assert.equal(weeks[0]!.waitDays, null);
    assert.equal(weeks[0]!.atLeastDays, 1.5 * 7);
    assert.equal(weeks[1]!.waitDays, null);
    assert.equal(weeks[1]!.atLeastDays, 0.5 * 7);
    assert.deepEqual(
      weeks.map((w) => w.backlog),
      [10, 20],
    );
  });

  test('an initial backlog is served first', () => {
    const [first] = queueWeeks([0], [10], 5);
    assert.equal(first!.served, 5);
    assert.equal(first!.waitDays, 0);
    const [second] = queueWeeks([4, 0], [2, 10], 0);
    assert.equal(second!.backlog, 2);
  });

  test('servedAt finds when cumulative capacity reaches an amount', () => {
    assert.equal(servedAt(0, [5], 0), 0);
    assert.equal(servedAt(5, [10, 10], 0), 0.5);
    assert.equal(servedAt(15, [10, 10], 0), 1.5);
    assert.equal(servedAt(15, [0, 10, 10], 0), 2.5);
    assert.equal(servedAt(25, [10, 10], 0), null);
  });

  test('bad input is refused', () => {
    assert.throws(() => queueWeeks([1], [1, 2]));
    assert.throws(() => queueWeeks([-1], [1]));
    assert.throws(() => queueWeeks([Number.NaN], [1]));
  });
});
