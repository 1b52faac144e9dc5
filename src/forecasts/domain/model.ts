/**
 * Demand forecasting on weekly totals (pure, no I/O).
 *
 * Why weekly totals: operators plan capacity by the week (weekly templates), and the day-of-week
 * pattern cancels out in a weekly total, so the only season that matters at this grain is the
 * annual one (August, Christmas, the September restart) with period 52.
 *
 * Which model, by the length of the history available for fitting (the backtest holds out the last
 * HORIZON weeks and uses the same rule on what is left, so the error shown is that of the model used):
 * - at least two full years (104 weeks): Holt-Winters additive (level, damped trend, annual season),
 *   its smoothing parameters chosen on a small grid by the one-step-ahead squared error;
 * - at least 60 weeks: seasonal naive with level adjustment — the same week a year before, moved by
 *   the difference between the last 8 weeks and the same 8 weeks a year before;
 * - at least 4 weeks: moving average of the last (up to) 8 weeks, flat over the horizon;
 * - otherwise: too little history, no forecast (said plainly to the reader).
 * Forecasts are never negative.
 */

export const HORIZON = 8;
export const SEASON = 52;
export const MA_WINDOW = 8;
export const MIN_FIT_WEEKS = 4;
export const SEASONAL_NAIVE_WEEKS = 60;
export const HOLT_WINTERS_WEEKS = 2 * SEASON;
/** The shortest history (fit + held-out weeks) for which a forecast and its backtest are given. */
export const MIN_HISTORY_WEEKS = MIN_FIT_WEEKS + HORIZON;

export type Method = 'holt_winters' | 'seasonal_naive' | 'moving_average';

export function methodFor(fitWeeks: number): Method | null {
  if (fitWeeks >= HOLT_WINTERS_WEEKS) return 'holt_winters';
  if (fitWeeks >= SEASONAL_NAIVE_WEEKS) return 'seasonal_naive';
  if (fitWeeks >= MIN_FIT_WEEKS) return 'moving_average';
  return null;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const clamp = (xs: number[]) => xs.map((x) => Math.max(0, x));

export function movingAverage(series: number[], horizon: number, window = MA_WINDOW): number[] {
  if (series.length === 0) throw new Error('empty series');
  const level = mean(series.slice(-window));
  return Array.from({ length: horizon }, () => level);
}

export function seasonalNaive(
  series: number[],
  horizon: number,
  season = SEASON,
  window = MA_WINDOW,
): number[] {
  const n = series.length;
  if (n < season + window) throw new Error('series shorter than a season plus the level window');
  const recent = mean(series.slice(n - window));
  const yearBefore = mean(series.slice(n - window - season, n - season));
  const shift = recent - yearBefore;
  // For h > season the same week two years before is not needed: horizon ≤ season in practice.
  return clamp(Array.from({ length: horizon }, (_, h) => series[n - season + (h % season)]! + shift));
}

export type HoltWintersParams = { alpha: number; beta: number; gamma: number; phi: number };

type HwState = { level: number; trend: number; seasonal: number[]; sse: number };

/** Runs additive Holt-Winters with damped trend over the series; returns the final state and SSE. */
function runHoltWinters(series: number[], p: HoltWintersParams, season: number): HwState {
  const first = series.slice(0, season);
  const second = series.slice(season, 2 * season);
  const m1 = mean(first);
  const m2 = mean(second);
  let level = m1;
  let trend = (m2 - m1) / season;
  const seasonal = first.map((y, i) => (y - m1 + (second[i]! - m2)) / 2);
  let sse = 0;
  for (let t = season; t < series.length; t++) {
    const s = seasonal[t % season]!;
    const predicted = level + p.phi * trend + s;
    const error = series[t]! - predicted;
    sse += error * error;
    const previousLevel = level;
    level = p.alpha * (series[t]! - s) + (1 - p.alpha) * (previousLevel + p.phi * trend);
    trend = p.beta * (level - previousLevel) + (1 - p.beta) * p.phi * trend;
    seasonal[t % season] = p.gamma * (series[t]! - level) + (1 - p.gamma) * s;
  }
  return { level, trend, seasonal, sse };
}

const GRID = {
  alpha: [0.05, 0.1, 0.2, 0.3, 0.5, 0.7],
  beta: [0, 0.05, 0.1, 0.2],
  gamma: [0.05, 0.1, 0.2, 0.4],
  phi: [0.9, 0.98],
};

export function holtWinters(
  series: number[],
  horizon: number,
  season = SEASON,
): { forecast: number[]; params: HoltWintersParams } {
  if (series.length < 2 * season) throw new Error('Holt-Winters needs two full seasons');
  let best: { state: HwState; params: HoltWintersParams } | null = null;
  for (const alpha of GRID.alpha)
    for (const beta of GRID.beta)
      for (const gamma of GRID.gamma)
        for (const phi of GRID.phi) {
          const params = { alpha, beta, gamma, phi };
          const state = runHoltWinters(series, params, season);
          if (!best || state.sse < best.state.sse) best = { state, params };
        }
  const { state, params } = best!;
  const n = series.length;
  const forecast: number[] = [];
  let damp = 0;
  for (let h = 1; h <= horizon; h++) {
    damp += params.phi ** h;
    forecast.push(state.level + damp * state.trend + state.seasonal[(n + h - 1) % season]!);
  }
  return { forecast: clamp(forecast), params };
}

export function forecastWith(method: Method, series: number[], horizon: number): number[] {
  switch (method) {
    case 'holt_winters':
      return holtWinters(series, horizon).forecast;
    case 'seasonal_naive':
      return seasonalNaive(series, horizon);
    case 'moving_average':
      return movingAverage(series, horizon);
  }
}

export type Backtest = {
  /** The held-out actual weekly totals and what the model, fitted without them, predicted. */
  actual: number[];
  predicted: number[];
  /** Mean absolute error, in appointments per week. */
  mae: number;
  /** Mean absolute percentage error over the held-out weeks with demand > 0; null if none. */
  mape: number | null;
};

export function errors(actual: number[], predicted: number[]): { mae: number; mape: number | null } {
  if (actual.length !== predicted.length || actual.length === 0) throw new Error('length mismatch');
  const mae = mean(actual.map((a, i) => Math.abs(a - predicted[i]!)));
  const positive = actual.map((a, i) => [a, predicted[i]!] as const).filter(([a]) => a > 0);
  const mape = positive.length === 0 ? null : 100 * mean(positive.map(([a, p]) => Math.abs(a - p) / a));
  return { mae, mape };
}

export type Forecast =
  | { ok: false; reason: 'too_little_history'; weeks: number; needed: number }
  | { ok: true; method: Method; forecast: number[]; backtest: Backtest };

/**
 * Forecast `horizon` weekly totals of `series` (oldest first, complete weeks only), starting `skip`
 * weeks after its end (skip = 1 leaves out the current week, not yet over), and backtest the same
 * method the same way: fitted without the last `horizon + skip` weeks, compared with the last `horizon`.
 */
export function forecastDemand(series: number[], horizon = HORIZON, skip = 0): Forecast {
  const fitWeeks = series.length - horizon - skip;
  const needed = MIN_FIT_WEEKS + horizon + skip;
  // The method is chosen by the history left after holding out, so the backtest measures it.
  const method = methodFor(fitWeeks);
  if (!method) return { ok: false, reason: 'too_little_history', weeks: series.length, needed };
  const fit = series.slice(0, fitWeeks);
  const actual = series.slice(series.length - horizon);
  const predicted = forecastWith(method, fit, horizon + skip).slice(skip);
  return {
    ok: true,
    method,
    forecast: forecastWith(method, series, horizon + skip).slice(skip),
    backtest: { actual, predicted, ...errors(actual, predicted) },
  };
}
