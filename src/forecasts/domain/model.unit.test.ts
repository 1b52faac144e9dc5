import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  errors,
  forecastDemand,
  HORIZON,
  holtWinters,
  MIN_HISTORY_WEEKS,
  methodFor,
  movingAverage,
  seasonalNaive,
} from './model.ts';

/** A deterministic pseudo-random generator (so the tests are repeatable). */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32;
  };
}

/** Weekly demand with an annual season (peak in spring, trough in August), a trend and noise. */
function seasonalSeries(weeks: number, { trend = 0, noise = 3, seed = 7 } = {}) {
  const rnd = lcg(seed);
  const truth = (t: number) => 100 + trend * t + 30 * Math.sin((2 * Math.PI * t) / 52);
  const series = Array.from({ length: weeks }, (_, t) => truth(t) + (rnd() - 0.5) * 2 * noise);
  return { series, truth };
}

describe('demand forecasting model', () => {
  test('the method follows the length of the history', () => {
    assert.equal(methodFor(3), null);
    assert.equal(methodFor(4), 'moving_average');
    assert.equal(methodFor(59), 'moving_average');
    assert.equal(methodFor(60), 'seasonal_naive');
    assert.equal(methodFor(103), 'seasonal_naive');
    assert.equal(methodFor(104), 'holt_winters');
    assert.equal(MIN_HISTORY_WEEKS, 12);
  });

  test('too little history is refused, with the weeks needed', () => {
    const result = forecastDemand([5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6]);
    assert.deepEqual(result, { ok: false, reason: 'too_little_history', weeks: 11, needed: 12 });
    assert.equal(forecastDemand([]).ok, false);
  });

  test('moving average: the mean of the last 8 weeks, flat', () => {
    assert.deepEqual(movingAverage([100, 1, 2, 3, 4, 5, 6, 7, 8], 3), [4.5, 4.5, 4.5]);
    assert.deepEqual(movingAverage([10, 20], 2), [15, 15]);
  });

  test('seasonal naive repeats last year moved by the change in level', () => {
    const year = Array.from({ length: 52 }, (_, i) => i);
    // The second year is the first plus 10: the forecast is the first year's weeks plus 10.
    const series = [...year, ...year.slice(0, 20).map((x) => x + 10)];
    const f = seasonalNaive(series, 4);
    assert.deepEqual(f, [30, 31, 32, 33]);
    // Never negative.
    const falling = [...Array(52).fill(50), ...Array(10).fill(0)];
    assert.ok(seasonalNaive(falling, 8).every((x) => x >= 0));
  });

  test('Holt-Winters recovers a known annual season and trend', () => {
    const { series, truth } = seasonalSeries(160, { trend: 0.2, noise: 2 });
    const { forecast, params } = holtWinters(series, HORIZON);
    assert.equal(forecast.length, HORIZON);
    for (let h = 0; h < HORIZON; h++) {
      const expected = truth(160 + h);
      assert.ok(Math.abs(forecast[h]! - expected) < 8, `week ${h}: ${forecast[h]} vs ${expected}`);
    }
    assert.ok(params.alpha > 0 && params.alpha < 1);
  });

  test('the backtest holds out the last 8 weeks and measures the chosen method', () => {
    const { series } = seasonalSeries(160, { noise: 2 });
    const result = forecastDemand(series);
    assert.ok(result.ok);
    assert.equal(result.method, 'holt_winters');
    assert.deepEqual(result.backtest.actual, series.slice(-8));
    assert.equal(result.backtest.predicted.length, 8);
    // The held-out weeks are not used to fit the backtest: same as forecasting from the first 152.
    assert.deepEqual(result.backtest.predicted, holtWinters(series.slice(0, 152), 8).forecast);
    assert.ok(result.backtest.mape !== null && result.backtest.mape < 5, `MAPE ${result.backtest.mape}`);
    assert.ok(result.backtest.mae < 5, `MAE ${result.backtest.mae}`);
  });

  test('on a seasonal series the seasonal models beat the moving average in the backtest', () => {
    const { series } = seasonalSeries(160, { noise: 2 });
    const hw = forecastDemand(series);
    assert.ok(hw.ok);
    const fit = series.slice(0, 152);
    const ma = errors(series.slice(152), movingAverage(fit, 8));
    assert.ok(hw.backtest.mae < ma.mae / 2, `HW ${hw.backtest.mae} vs MA ${ma.mae}`);

    const shorter = seasonalSeries(80, { noise: 2 }).series;
    const sn = forecastDemand(shorter);
    assert.ok(sn.ok);
    assert.equal(sn.method, 'seasonal_naive');
    const maShort = errors(shorter.slice(72), movingAverage(shorter.slice(0, 72), 8));
    assert.ok(sn.backtest.mae < maShort.mae, `SN ${sn.backtest.mae} vs MA ${maShort.mae}`);
  });

  test('skip leaves out the week in progress, in the forecast and in the backtest', () => {
    const { series } = seasonalSeries(100, { noise: 0 });
    const result = forecastDemand(series, 8, 1);
    assert.ok(result.ok);
    assert.equal(result.method, 'seasonal_naive');
    assert.deepEqual(result.forecast, seasonalNaive(series, 9).slice(1));
    assert.deepEqual(result.backtest.predicted, seasonalNaive(series.slice(0, 91), 9).slice(1));
    assert.deepEqual(result.backtest.actual, series.slice(92));
    assert.deepEqual(forecastDemand(series.slice(0, 12), 8, 1), {
      ok: false,
      reason: 'too_little_history',
      weeks: 12,
      needed: 13,
    });
  });

  test('a short flat series gets the moving average, with a small error', () => {
    const series = [20, 22, 19, 21, 20, 20, 22, 18, 21, 20, 19, 21, 20, 22];
    const result = forecastDemand(series);
    assert.ok(result.ok);
    assert.equal(result.method, 'moving_average');
    assert.ok(result.forecast.every((x) => Math.abs(x - 20.4) < 1.5));
    assert.ok(result.backtest.mae < 2);
  });

  test('errors: MAE over all weeks, MAPE only over weeks with demand', () => {
    assert.deepEqual(errors([10, 20], [12, 15]), { mae: 3.5, mape: 22.5 });
    assert.deepEqual(errors([0, 10], [2, 10]), { mae: 1, mape: 0 });
    assert.deepEqual(errors([0, 0], [1, 1]), { mae: 1, mape: null });
    assert.throws(() => errors([1], [1, 2]));
  });
});
