import { z } from 'zod';

/**
 * Statistical profiling (report §3.7, the Dutch/Flemish approach): the risk of a jobseeker still
 * being without work 12 months after registering, from a logistic model over documented features.
 *
 * Pure and allocation-free on the hot path: a model is a Float64Array of coefficients aligned with
 * FEATURES, a person is encoded into (a slice of) a preallocated Float64Array, scoring is a dot
 * product and a logistic function.
 *
 * Gender and citizenship are never inputs: the Profile type has no such fields and `encode` reads
 * only the fields listed below (the unit tests enforce both).
 *
 * Encoding (every column is 0 for the REFERENCE PROFILE, so β_j·x_j is column j's contribution to
 * the log-odds relative to that profile, which is what `topReasons` ranks):
 *   reference profile = aged 35–49, EQF 3–4 (upper-secondary diploma), registered today (0 months),
 *   ≥ 2 years of work in the last 10 (or ≥ 2 past jobs), last job in ISCO 0–3, a province with
 *   REFERENCE_PROVINCE_RATE % unemployment, no benefit, one language besides the mother tongue at B1+,
 *   intermediate digital skills (level 2).
 *
 *   intercept                    1 for everyone (the reference profile's log-odds)
 *   age_15_24, age_25_34,        one-hot age band (reference 35–49)
 *   age_50_54, age_55_plus
 *   education_low                EQF 0–2 (none, primary, lower secondary)
 *   education_high               EQF 5–8 (short-cycle tertiary and above); reference EQF 3–4
 *   unemployment_years           months without work / 12, capped at 5 years (continuous)
 *   work_none                    0 years worked in the last 10 (or no past job)
 *   work_little                  under 2 years in the last 10 (or exactly 1 past job)
 *   occupation_clerical_service  last job ISCO major group 4–5
 *   occupation_manual            last job ISCO major group 6–8
 *   occupation_elementary        last job ISCO major group 9
 *   occupation_none              no last occupation; reference ISCO 0–3
 *   province_unemployment        province unemployment rate − REFERENCE_PROVINCE_RATE, in
 *                                percentage points (rate clamped to 0–40)
 *   benefit_naspi, benefit_adi_sfl, benefit_other   one-hot benefit (reference: none)
 *   languages_none               no language besides the mother tongue at CEFR B1 or above
 *   languages_two_plus           two or more; reference exactly one
 *   digital_none, digital_basic, digital_advanced   digital level 0, 1, 3 (reference 2)
 */

export const FEATURES = [
  'intercept',
  'age_15_24',
  'age_25_34',
  'age_50_54',
  'age_55_plus',
  'education_low',
  'education_high',
  'unemployment_years',
  'work_none',
  'work_little',
  'occupation_clerical_service',
  'occupation_manual',
  'occupation_elementary',
  'occupation_none',
  'province_unemployment',
  'benefit_naspi',
  'benefit_adi_sfl',
  'benefit_other',
  'languages_none',
  'languages_two_plus',
  'digital_none',
  'digital_basic',
  'digital_advanced',
] as const;
export type FeatureName = (typeof FEATURES)[number];
export const FEATURE_COUNT = FEATURES.length;

/** Column index of each feature. */
export const COL = Object.fromEntries(FEATURES.map((f, i) => [f, i])) as {
  readonly [K in FeatureName]: number;
};

export const REFERENCE_PROVINCE_RATE = 6;
/** Unemployment durations beyond this are treated as this (the effect is assumed to flatten out). */
export const UNEMPLOYMENT_CAP_MONTHS = 60;

export type IscoMajorGroup = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
export type Benefit = 'naspi' | 'adi_sfl' | 'none' | 'other';
export type DigitalLevel = 0 | 1 | 2 | 3;
/** Years worked in the last 10 when known, otherwise the count of past jobs. */
export type WorkHistory = { kind: 'years'; yearsInLast10: number } | { kind: 'jobs'; count: number };

/**
 * What the model may know about a person. Deliberately no gender, citizenship, nationality,
 * birthplace or anything that stands for them directly.
 */
export interface Profile {
  /** Age in whole years on the profiling date. */
  readonly age: number;
  /** Highest completed EQF level, 0 (no qualification) to 8. */
  readonly eqfLevel: number;
  /** Months without work at registration (or since the last job ended). */
  readonly unemploymentMonths: number;
  readonly workHistory: WorkHistory;
  /** ISCO-08 major group of the last job; null when there is none. */
  readonly lastOccupation: IscoMajorGroup | null;
  /** Unemployment rate of the person's province, in percent (e.g. 7.4). */
  readonly provinceUnemploymentRate: number;
  readonly benefit: Benefit;
  /** Languages besides the mother tongue(s) at CEFR B1 or above (for non-native speakers, Italian counts). */
  readonly languagesB1: number;
  /** 0 none, 1 basic, 2 intermediate, 3 advanced (DigComp-style self-assessment). */
  readonly digitalLevel: DigitalLevel;
}

export interface TierThresholds {
  /** Risk at or above which a person is in tier 2 (some guidance). */
  readonly tier2: number;
  /** Risk at or above which a person is in tier 3 (intensive support). */
  readonly tier3: number;
}

export interface ProfilingModel {
  readonly version: string;
  /** Log-odds coefficients, aligned with FEATURES (length FEATURE_COUNT). */
  readonly coefficients: Float64Array;
  readonly tierThresholds: TierThresholds;
  /** Present when the model was fitted by `fitLogistic`. */
  readonly fit?: { readonly rows: number; readonly iterations: number; readonly converged: boolean };
}

export type Tier = 1 | 2 | 3;

export const REASON_CODES = [
  'young_age',
  'older_age',
  'low_education',
  'education_level',
  'unemployment_months',
  'long_unemployment',
  'very_long_unemployment',
  'no_recent_work',
  'little_work_experience',
  'occupation_group',
  'elementary_occupation',
  'no_occupation',
  'high_local_unemployment',
  'income_support',
  'social_support',
  'no_languages',
  'languages',
  'low_digital',
  'digital_level',
] as const;
/** Shown to people as the i18n key `profiling.reasons.<code>`. */
export type ReasonCode = (typeof REASON_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Encoding

function finite(name: string, value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`profile.${name} must be a finite number`);
  return value;
}

/**
 * Writes the FEATURE_COUNT columns of `profile` into `out` from `offset` (default: a fresh array).
 * Out-of-range numbers are clamped; non-finite numbers throw RangeError.
 */
export function encode(profile: Profile, out?: Float64Array, offset = 0): Float64Array {
  const x = out ?? new Float64Array(FEATURE_COUNT);
  const o = offset;
  x.fill(0, o, o + FEATURE_COUNT);
  x[o] = 1;

  const age = finite('age', profile.age);
  if (age < 25) x[o + 1] = 1;
  else if (age < 35) x[o + 2] = 1;
  else if (age >= 55) x[o + 4] = 1;
  else if (age >= 50) x[o + 3] = 1;

  const eqf = finite('eqfLevel', profile.eqfLevel);
  if (eqf <= 2) x[o + 5] = 1;
  else if (eqf >= 5) x[o + 6] = 1;

  const months = Math.min(
    Math.max(finite('unemploymentMonths', profile.unemploymentMonths), 0),
    UNEMPLOYMENT_CAP_MONTHS,
  );
  x[o + 7] = months / 12;

  const wh = profile.workHistory;
  if (wh.kind === 'years') {
    const years = finite('workHistory.yearsInLast10', wh.yearsInLast10);
    if (years <= 0) x[o + 8] = 1;
    else if (years < 2) x[o + 9] = 1;
  } else {
    const count = finite('workHistory.count', wh.count);
    if (count <= 0) x[o + 8] = 1;
    else if (count < 2) x[o + 9] = 1;
  }

  const isco = profile.lastOccupation;
  if (isco === null) x[o + 13] = 1;
  else if (isco === 9) x[o + 12] = 1;
  else if (isco >= 6) x[o + 11] = 1;
  else if (isco >= 4) x[o + 10] = 1;

  const rate = Math.min(
    Math.max(finite('provinceUnemploymentRate', profile.provinceUnemploymentRate), 0),
    40,
  );
  x[o + 14] = rate - REFERENCE_PROVINCE_RATE;

  const benefit = profile.benefit;
  if (benefit === 'naspi') x[o + 15] = 1;
  else if (benefit === 'adi_sfl') x[o + 16] = 1;
  else if (benefit === 'other') x[o + 17] = 1;

  const languages = finite('languagesB1', profile.languagesB1);
  if (languages < 1) x[o + 18] = 1;
  else if (languages >= 2) x[o + 19] = 1;

  const digital = profile.digitalLevel;
  if (digital <= 0) x[o + 20] = 1;
  else if (digital === 1) x[o + 21] = 1;
  else if (digital >= 3) x[o + 22] = 1;
  return x;
}

// ---------------------------------------------------------------------------------------------
// Scoring

const Z_LIMIT = 30;

/** Logistic function, kept strictly inside (0, 1) by clamping the log-odds to ±30. */
export function logistic(z: number): number {
  const c = Math.min(Math.max(z, -Z_LIMIT), Z_LIMIT);
  return 1 / (1 + Math.exp(-c));
}

/** The log-odds of one encoded person (FEATURE_COUNT columns from `offset`). */
export function logOdds(model: ProfilingModel, features: Float64Array, offset = 0): number {
  const b = model.coefficients;
  let z = 0;
  for (let j = 0; j < FEATURE_COUNT; j++) z += b[j]! * features[offset + j]!;
  return z;
}

/** Probability of still being without work after 12 months, in (0, 1). */
export function score(model: ProfilingModel, features: Float64Array, offset = 0): number {
  return logistic(logOdds(model, features, offset));
}

/** Scores `n` encoded rows (row-major, FEATURE_COUNT columns each) into `out` from `outOffset`. */
export function scoreMany(
  model: ProfilingModel,
  matrix: Float64Array,
  n: number,
  out: Float64Array,
  outOffset = 0,
): Float64Array {
  const b = model.coefficients;
  const d = FEATURE_COUNT;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let z = 0;
    for (let j = 0; j < d; j++) z += b[j]! * matrix[base + j]!;
    out[outOffset + i] = logistic(z);
  }
  return out;
}

export function tierOf(model: ProfilingModel, probability: number): Tier {
  if (probability >= model.tierThresholds.tier3) return 3;
  if (probability >= model.tierThresholds.tier2) return 2;
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Reasons

/**
 * Each column's plain-words code when it raises the risk. Every column except the intercept has one,
 * even those that normally lower the risk, because a re-fitted model may give them a positive sign.
 */
function reasonFor(column: number, value: number): ReasonCode | null {
  switch (FEATURES[column]) {
    case 'age_15_24':
    case 'age_25_34':
      return 'young_age';
    case 'age_50_54':
    case 'age_55_plus':
      return 'older_age';
    case 'education_low':
      return 'low_education';
    case 'education_high':
      return 'education_level';
    case 'unemployment_years':
      return value >= 2 ? 'very_long_unemployment' : value >= 1 ? 'long_unemployment' : 'unemployment_months';
    case 'work_none':
      return 'no_recent_work';
    case 'work_little':
      return 'little_work_experience';
    case 'occupation_clerical_service':
    case 'occupation_manual':
      return 'occupation_group';
    case 'occupation_elementary':
      return 'elementary_occupation';
    case 'occupation_none':
      return 'no_occupation';
    case 'province_unemployment':
      return 'high_local_unemployment';
    case 'benefit_naspi':
    case 'benefit_other':
      return 'income_support';
    case 'benefit_adi_sfl':
      return 'social_support';
    case 'languages_none':
      return 'no_languages';
    case 'languages_two_plus':
      return 'languages';
    case 'digital_none':
    case 'digital_basic':
      return 'low_digital';
    case 'digital_advanced':
      return 'digital_level';
    default:
      return null;
  }
}

/** Column → feature group; one reason per group, so codes never repeat. */
const GROUP_OF: readonly number[] = [-1, 0, 0, 0, 0, 1, 1, 2, 3, 3, 4, 4, 4, 4, 5, 6, 6, 6, 7, 7, 8, 8, 8];
const GROUP_COUNT = 9;

export interface Reason {
  readonly code: ReasonCode;
  /** Contribution to the log-odds relative to the reference profile (> 0). */
  readonly contribution: number;
}

/** The `k` feature groups that raise the risk most relative to the reference profile, largest first. */
export function explain(model: ProfilingModel, features: Float64Array, k = 3, offset = 0): Reason[] {
  const total = new Float64Array(GROUP_COUNT);
  const best = new Float64Array(GROUP_COUNT).fill(Number.NEGATIVE_INFINITY);
  const code: (ReasonCode | null)[] = new Array<ReasonCode | null>(GROUP_COUNT).fill(null);
  for (let j = 1; j < FEATURE_COUNT; j++) {
    const value = features[offset + j]!;
    if (value === 0) continue;
    const c = model.coefficients[j]! * value;
    const g = GROUP_OF[j]!;
    total[g] = total[g]! + c;
    if (c > best[g]!) {
      best[g] = c;
      code[g] = reasonFor(j, value);
    }
  }
  const reasons: Reason[] = [];
  for (let g = 0; g < GROUP_COUNT; g++) {
    const c = code[g];
    if (c && total[g]! > 1e-9) reasons.push({ code: c, contribution: total[g]! });
  }
  // Stable sort: ties keep the group order above.
  reasons.sort((a, b) => b.contribution - a.contribution);
  return reasons.slice(0, Math.max(0, k));
}

/** The codes of `explain`: at most `k` distinct codes, the strongest first. */
export function topReasons(model: ProfilingModel, features: Float64Array, k = 3, offset = 0): ReasonCode[] {
  return explain(model, features, k, offset).map((r) => r.code);
}

// ---------------------------------------------------------------------------------------------
// Fitting

/** Encoded training rows: `x` row-major (n × FEATURE_COUNT), `y[i]` = 1 when still without work at 12 months. */
export interface EncodedRows {
  readonly x: Float64Array;
  readonly y: Uint8Array;
  readonly n: number;
}

export interface LabelledProfile {
  readonly profile: Profile;
  readonly withoutWorkAt12Months: boolean;
}

export function encodeRows(rows: readonly LabelledProfile[]): EncodedRows {
  const n = rows.length;
  const x = new Float64Array(n * FEATURE_COUNT);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    encode(r.profile, x, i * FEATURE_COUNT);
    y[i] = r.withoutWorkAt12Months ? 1 : 0;
  }
  return { x, y, n };
}

export interface FitOptions {
  /** L2 penalty λ on the summed log-likelihood (a N(0, 1/λ) prior on each non-intercept coefficient). Default 1. */
  readonly l2?: number;
  readonly maxIterations?: number;
  /** Stop when no coefficient moves more than this. Default 1e-8. */
  readonly tolerance?: number;
  readonly version?: string;
  readonly tierThresholds?: TierThresholds;
}

export const DEFAULT_TIER_THRESHOLDS: TierThresholds = { tier2: 0.3, tier3: 0.6 };

/** Penalised log-likelihood. */
function objective(data: EncodedRows, beta: Float64Array, l2: number): number {
  const d = FEATURE_COUNT;
  let ll = 0;
  for (let i = 0, base = 0; i < data.n; i++, base += d) {
    let z = 0;
    for (let j = 0; j < d; j++) z += beta[j]! * data.x[base + j]!;
    // log σ(z) if y = 1, log(1 − σ(z)) if y = 0, computed stably.
    const s = data.y[i] === 1 ? z : -z;
    ll -= s > 0 ? Math.log1p(Math.exp(-s)) : -s + Math.log1p(Math.exp(s));
  }
  let penalty = 0;
  for (let j = 1; j < d; j++) penalty += beta[j]! * beta[j]!;
  return ll - 0.5 * l2 * penalty;
}

/** Solves H·v = g in place of g for a symmetric positive-definite H (Cholesky); returns false if not SPD. */
function choleskySolve(h: Float64Array, g: Float64Array, d: number): boolean {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (s <= 0) return false;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * g[k]!;
    g[i] = s / l[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = g[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * g[k]!;
    g[i] = s / l[i * d + i]!;
  }
  return true;
}

/**
 * L2-regularised logistic regression by Newton–Raphson (IRLS) with step halving: deterministic, the
 * same data give the same coefficients bit for bit. The intercept is not penalised. Exploits the
 * sparsity of the one-hot encoding when accumulating the Hessian.
 */
export function fitLogistic(data: EncodedRows, options: FitOptions = {}): ProfilingModel {
  const d = FEATURE_COUNT;
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  if (data.n === 0) throw new Error('fitLogistic: no rows');
  let positives = 0;
  for (let i = 0; i < data.n; i++) positives += data.y[i]!;
  const beta = new Float64Array(d);
  const rate = (positives + 0.5) / (data.n + 1);
  beta[0] = Math.log(rate / (1 - rate));

  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  const nz = new Int32Array(d);
  const nzv = new Float64Array(d);
  const trial = new Float64Array(d);
  let current = objective(data, beta, l2);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    grad.fill(0);
    hess.fill(0);
    for (let i = 0, base = 0; i < data.n; i++, base += d) {
      let m = 0;
      let z = 0;
      for (let j = 0; j < d; j++) {
        const v = data.x[base + j]!;
        if (v !== 0) {
          nz[m] = j;
          nzv[m] = v;
          m++;
          z += beta[j]! * v;
        }
      }
      const p = logistic(z);
      const r = data.y[i]! - p;
      const w = p * (1 - p);
      for (let a = 0; a < m; a++) {
        const ja = nz[a]!;
        const va = nzv[a]!;
        grad[ja] = grad[ja]! + r * va;
        const wa = w * va;
        const row = ja * d;
        for (let b = 0; b <= a; b++) {
          const idx = row + nz[b]!;
          hess[idx] = hess[idx]! + wa * nzv[b]!;
        }
      }
    }
    // Penalty, then mirror the lower triangle (nz indices are increasing, so we filled j ≥ k).
    for (let j = 1; j < d; j++) {
      grad[j] = grad[j]! - l2 * beta[j]!;
      hess[j * d + j] = hess[j * d + j]! + l2;
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) hess[k * d + j] = hess[j * d + k]!;
    // A column that is all zeros with l2 = 0 would make H singular: a tiny ridge keeps it solvable.
    for (let j = 0; j < d; j++) hess[j * d + j] = hess[j * d + j]! + 1e-9;
    if (!choleskySolve(hess, grad, d)) throw new Error('fitLogistic: the Hessian is not positive definite');

    let step = 1;
    let accepted = false;
    for (let half = 0; half < 30; half++) {
      for (let j = 0; j < d; j++) trial[j] = beta[j]! + step * grad[j]!;
      const value = objective(data, trial, l2);
      if (value >= current - 1e-12 * Math.abs(current)) {
        current = value;
        accepted = true;
        break;
      }
      step /= 2;
    }
    let moved = 0;
    if (accepted) {
      for (let j = 0; j < d; j++) {
        moved = Math.max(moved, Math.abs(trial[j]! - beta[j]!));
        beta[j] = trial[j]!;
      }
    }
    if (!accepted || moved < tolerance) {
      converged = true;
      break;
    }
  }
  return {
    version: options.version ?? 'fitted',
    coefficients: beta,
    tierThresholds: options.tierThresholds ?? DEFAULT_TIER_THRESHOLDS,
    fit: { rows: data.n, iterations, converged },
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Area under the ROC curve (Mann–Whitney, ties counted half). Labels: 1 = still without work. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Expected calibration error: Σ_bins (n_b / n)·|mean predicted − observed rate|, equal-width bins on [0, 1]. */
export function calibrationError(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(s * bins)));
    count[b] = count[b]! + 1;
    predicted[b] = predicted[b]! + s;
    observed[b] = observed[b]! + (labels[i] ? 1 : 0);
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b]! > 0) ece += Math.abs(predicted[b]! - observed[b]!) / n;
  }
  return ece;
}

export interface CalibrationBin {
  readonly bin: number;
  readonly n: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/** Equal-count bins (deciles by default) of the sorted scores: mean predicted risk vs observed rate. */
export function calibrationByQuantile(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * n) / bins);
    const to = Math.floor(((b + 1) * n) / bins);
    let p = 0;
    let y = 0;
    for (let k = from; k < to; k++) {
      p += scores[order[k]!]!;
      y += labels[order[k]!] ? 1 : 0;
    }
    const size = to - from;
    out.push({
      bin: b + 1,
      n: size,
      meanPredicted: size ? p / size : Number.NaN,
      observedRate: size ? y / size : Number.NaN,
    });
  }
  return out;
}

export interface GroupErrorRates {
  readonly group: string;
  readonly n: number;
  /** Share still without work at 12 months. */
  readonly baseRate: number;
  /** Share flagged (score ≥ threshold). */
  readonly flaggedRate: number;
  /** False-positive rate: flagged among those who found work. */
  readonly fpr: number;
  /** False-negative rate: not flagged among those still without work. */
  readonly fnr: number;
}

export interface ErrorRateRatio {
  /** max/min of the false-positive rates across groups. */
  readonly fprRatio: number;
  /** max/min of the false-negative rates across groups. */
  readonly fnrRatio: number;
  /** max(fprRatio, fnrRatio): the figure to compare with a goal such as ≤ 1.25. */
  readonly ratio: number;
  readonly groups: readonly GroupErrorRates[];
}

/**
 * Error-rate parity at a threshold: flagged = score ≥ threshold (predicted "still without work").
 * Per group, FPR = flagged among those who found work, FNR = not flagged among those who did not.
 * A group with no one on one side of an outcome is left out of that rate's ratio; a zero minimum
 * with a positive maximum gives Infinity.
 */
export function errorRateRatio(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: ArrayLike<string>,
  threshold: number,
): ErrorRateRatio {
  const tally = new Map<
    string,
    { n: number; pos: number; neg: number; fp: number; fn: number; flagged: number }
  >();
  for (let i = 0; i < scores.length; i++) {
    const g = groups[i]!;
    let t = tally.get(g);
    if (!t) {
      t = { n: 0, pos: 0, neg: 0, fp: 0, fn: 0, flagged: 0 };
      tally.set(g, t);
    }
    const flagged = scores[i]! >= threshold;
    t.n++;
    if (flagged) t.flagged++;
    if (labels[i]) {
      t.pos++;
      if (!flagged) t.fn++;
    } else {
      t.neg++;
      if (flagged) t.fp++;
    }
  }
  const rows: GroupErrorRates[] = [...tally.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, t]) => ({
      group,
      n: t.n,
      baseRate: t.pos / t.n,
      flaggedRate: t.flagged / t.n,
      fpr: t.neg ? t.fp / t.neg : Number.NaN,
      fnr: t.pos ? t.fn / t.pos : Number.NaN,
    }));
  const ratioOf = (values: number[]) => {
    const v = values.filter((x) => !Number.isNaN(x));
    if (v.length < 2) return 1;
    const max = Math.max(...v);
    const min = Math.min(...v);
    if (max === 0) return 1;
    return min === 0 ? Number.POSITIVE_INFINITY : max / min;
  };
  const fprRatio = ratioOf(rows.map((r) => r.fpr));
  const fnrRatio = ratioOf(rows.map((r) => r.fnr));
  return { fprRatio, fnrRatio, ratio: Math.max(fprRatio, fnrRatio), groups: rows };
}

// ---------------------------------------------------------------------------------------------
// The documented JSON form (src/onboarding/data/profiling-default-model.json)

const coefficientSpec = z.object({ value: z.number().finite(), documentation: z.string().min(1) });

export const modelSpecSchema = z.object({
  version: z.string().min(1),
  target: z.string().min(1),
  provenance: z.string().min(1),
  sources: z.array(z.string()),
  tierThresholds: z
    .object({
      tier2: z.number().gt(0).lt(1),
      tier3: z.number().gt(0).lt(1),
      documentation: z.string().min(1),
    })
    .refine((t) => t.tier2 < t.tier3, { message: 'tier2 must be below tier3' }),
  coefficients: z.record(z.string(), coefficientSpec),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;

/** Validates a documented coefficient set and compiles it to a Float64Array model. */
export function compileModel(spec: unknown): ProfilingModel {
  const parsed = modelSpecSchema.parse(spec);
  const names = Object.keys(parsed.coefficients);
  const unknown = names.filter((n) => !(FEATURES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`unknown coefficients: ${unknown.join(', ')}`);
  const coefficients = new Float64Array(FEATURE_COUNT);
  FEATURES.forEach((f, j) => {
    const c = parsed.coefficients[f];
    if (!c) throw new Error(`missing coefficient: ${f}`);
    coefficients[j] = c.value;
  });
  return {
    version: parsed.version,
    coefficients,
    tierThresholds: { tier2: parsed.tierThresholds.tier2, tier3: parsed.tierThresholds.tier3 },
  };
}

/** The JSON form of a model; `documentation(feature)` says where each number comes from. */
export function modelToSpec(
  model: ProfilingModel,
  meta: { target: string; provenance: string; sources: string[]; tiers: string },
  documentation: (feature: FeatureName) => string,
): ModelSpec {
  return {
    version: model.version,
    target: meta.target,
    provenance: meta.provenance,
    sources: meta.sources,
    tierThresholds: { ...model.tierThresholds, documentation: meta.tiers },
    coefficients: Object.fromEntries(
      FEATURES.map((f, j) => [
        f,
        { value: Math.round(model.coefficients[j]! * 1e6) / 1e6, documentation: documentation(f) },
      ]),
    ),
  };
}
