import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addDays,
  figureOf,
  isIsoDate,
  parsePeriod,
  recomputeFrom,
  SUPPRESSION_THRESHOLD,
  splitDimension,
  sumCells,
} from './indicators.ts';

describe('indicator formulas and suppression', () => {
  test('a rate is numerator over denominator in percent, rounded to one decimal', () => {
    assert.deepEqual(figureOf('rate', { subjects: 30, numerator: 10, denominator: 30 }), {
      value: 33.3,
      suppressed: false,
      subjects: 30,
    });
  });
  test('a mean divides, people counts subjects, count takes the numerator', () => {
    assert.equal(figureOf('mean', { subjects: 12, numerator: 50, denominator: 12 }).value, 4.2);
    assert.equal(figureOf('people', { subjects: 15, numerator: 99, denominator: 99 }).value, 15);
    assert.equal(figureOf('count', { subjects: 11, numerator: 17, denominator: 17 }).value, 17);
  });
  test('cells about fewer than 10 people are suppressed, 10 are shown', () => {
    assert.equal(SUPPRESSION_THRESHOLD, 10);
    const nine = figureOf('rate', { subjects: 9, numerator: 9, denominator: 9 });
    assert.deepEqual(nine, { value: null, suppressed: true, subjects: 9 });
    assert.equal(figureOf('rate', { subjects: 10, numerator: 5, denominator: 10 }).value, 50);
  });
  test('a rate with no denominator has no value but is not suppressed for that', () => {
    const f = figureOf('rate', { subjects: 10, numerator: 0, denominator: 0 });
    assert.equal(f.value, null);
    assert.equal(f.suppressed, false);
  });
  test('daily facts sum by key', () => {
    const sums = sumCells(
      [
        { k: 'a', subjects: 4, numerator: 1, denominator: 4 },
        { k: 'a', subjects: 6, numerator: 2, denominator: 6 },
        { k: 'b', subjects: 1, numerator: 1, denominator: 1 },
      ],
      (r) => r.k,
    );
    assert.deepEqual(sums.get('a'), { subjects: 10, numerator: 3, denominator: 10 });
    assert.deepEqual(sums.get('b'), { subjects: 1, numerator: 1, denominator: 1 });
  });
  test('dimensions split at the first colon', () => {
    assert.deepEqual(splitDimension('service:orientamento'), ['service', 'orientamento']);
    assert.deepEqual(splitDimension('all'), ['all', '']);
  });
});

describe('indicator periods', () => {
  const today = '2026-11-27';
  test('empty means the last 90 days up to today', () => {
    assert.deepEqual(parsePeriod('', '', today), { ok: true, period: { from: '2026-08-30', to: today } });
  });
  test('a valid period is kept, both ends included', () => {
    assert.deepEqual(parsePeriod('2026-01-01', '2026-01-01', today), {
      ok: true,
      period: { from: '2026-01-01', to: '2026-01-01' },
    });
  });
  test('an upside-down period is refused on the start date', () => {
    const r = parsePeriod('2026-05-01', '2026-04-01', today);
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors, { from: 'indicators.errors.upsideDown' });
  });
  test('impossible dates and other formats are refused', () => {
    assert.equal(isIsoDate('2026-02-30'), false);
    assert.equal(isIsoDate('01/02/2026'), false);
    const r = parsePeriod('2026-02-30', 'ieri', today);
    assert.deepEqual(!r.ok && r.errors, { from: 'indicators.errors.date', to: 'indicators.errors.date' });
  });
  test('more than three years is refused', () => {
    const r = parsePeriod('2020-01-01', '2026-01-01', today);
    assert.deepEqual(!r.ok && r.errors, { to: 'indicators.errors.tooLong' });
  });
  test('the refresh goes back by the maturity window, never before the origin', () => {
    assert.equal(recomputeFrom(null, today, 14, '2020-01-01'), '2020-01-01');
    assert.equal(recomputeFrom('2026-11-26', today, 14, '2020-01-01'), addDays('2026-11-26', -14));
    assert.equal(recomputeFrom('2020-01-05', today, 200, '2020-01-01'), '2020-01-01');
  });
});
