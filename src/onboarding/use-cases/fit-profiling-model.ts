import defaultSpec from '../data/profiling-default-model.json' with { type: 'json' };
import {
  auc,
  type CalibrationBin,
  calibrationByQuantile,
  calibrationError,
  compileModel,
  type ErrorRateRatio,
  encode,
  errorRateRatio,
  FEATURE_COUNT,
  FEATURES,
  type FitOptions,
  fitLogistic,
  type ModelSpec,
  modelToSpec,
  type Profile,
  type ProfilingModel,
  scoreMany,
} from '../domain/profiling-model.ts';

/**
 * `sportello profiling fit`: re-fits the profiling model from the platform's own outcomes and
 * reports its calibration and its error rates by group. The outcome tables are not there yet, so
 * the data come through a port; the CLI wires the real source.
 */

export interface ProfilingOutcomeRow {
  readonly features: Profile;
  readonly placedWithin12Months: boolean;
  /**
   * Protected attributes collected ONLY to measure fairness (e.g. { gender: 'female', citizenship:
   * 'non_eu' }); never passed to the model. Omit when they are not collected.
   */
  readonly groups?: Readonly<Record<string, string>>;
}

export interface ProfilingOutcomeSource {
  rows(): AsyncIterable<ProfilingOutcomeRow>;
}

export interface FitFromOutcomesOptions extends FitOptions {
  /** Refuse to fit on fewer rows than this. Default 1,000. */
  readonly minRows?: number;
  /** The model in use today, evaluated on the same hold-out for comparison. Default: the shipped defaults. */
  readonly baseline?: ProfilingModel;
  /** Injected clock for the version string. */
  readonly now?: () => Date;
}

export interface ModelEvaluation {
  readonly auc: number;
  readonly calibrationError: number;
  readonly meanPredicted: number;
  readonly deciles: readonly CalibrationBin[];
}

export interface FitReport {
  readonly model: ProfilingModel;
  readonly rows: number;
  readonly trainingRows: number;
  readonly holdoutRows: number;
  /** Share still without work at 12 months (all rows). */
  readonly baseRate: number;
  readonly fitted: ModelEvaluation;
  readonly baseline: ModelEvaluation & { readonly version: string };
  /** At the tier-3 threshold, per attribute; null when the source provides no group attributes. */
  readonly fairness: Readonly<Record<string, ErrorRateRatio>> | null;
  readonly tier3Threshold: number;
}

/** The shipped, documented default coefficients (src/onboarding/data/profiling-default-model.json). */
export function defaultProfilingModel(): ProfilingModel {
  return compileModel(defaultSpec);
}

class Growing {
  x = new Float64Array(1024 * FEATURE_COUNT);
  y = new Uint8Array(1024);
  n = 0;
  push(profile: Profile, label: number): void {
    if (this.n === this.y.length) {
      const x = new Float64Array(this.x.length * 2);
      x.set(this.x);
      this.x = x;
      const y = new Uint8Array(this.y.length * 2);
      y.set(this.y);
      this.y = y;
    }
    encode(profile, this.x, this.n * FEATURE_COUNT);
    this.y[this.n] = label;
    this.n++;
  }
}

function evaluate(
  model: ProfilingModel,
  x: Float64Array,
  y: Uint8Array,
  n: number,
): ModelEvaluation & {
  scores: Float64Array;
} {
  const scores = scoreMany(model, x, n, new Float64Array(n));
  const labels = y.subarray(0, n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += scores[i]!;
  return {
    scores,
    auc: auc(scores, labels),
    calibrationError: calibrationError(scores, labels, 10),
    meanPredicted: sum / n,
    deciles: calibrationByQuantile(scores, labels, 10),
  };
}

/**
 * Reads every outcome, fits on 4 rows in 5 (row index mod 5 ≠ 4, deterministic) and evaluates on
 * the fifth: AUC, expected calibration error, calibration by decile, and — when the source carries
 * group attributes — the false-positive/false-negative rate ratios at the tier-3 threshold.
 * The label is 1 when the person was NOT placed within 12 months.
 */
export async function fitFromOutcomes(
  source: ProfilingOutcomeSource,
  options: FitFromOutcomesOptions = {},
): Promise<FitReport> {
  const train = new Growing();
  const holdout = new Growing();
  const groups = new Map<string, string[]>();
  let rows = 0;
  let positives = 0;
  for await (const row of source.rows()) {
    const label = row.placedWithin12Months ? 0 : 1;
    positives += label;
    if (rows % 5 === 4) {
      const index = holdout.n;
      holdout.push(row.features, label);
      if (row.groups) {
        for (const [attribute, value] of Object.entries(row.groups)) {
          let list = groups.get(attribute);
          if (!list) {
            list = [];
            groups.set(attribute, list);
          }
          list[index] = value;
        }
      }
    } else {
      train.push(row.features, label);
    }
    rows++;
  }
  const minRows = options.minRows ?? 1000;
  if (rows < minRows) throw new Error(`only ${rows} outcomes: at least ${minRows} are needed to fit`);
  if (positives === 0 || positives === rows)
    throw new Error('every outcome is the same: a model cannot be fitted');

  const baselineModel = options.baseline ?? defaultProfilingModel();
  const date = (options.now ?? (() => new Date()))().toISOString().slice(0, 10);
  const model = fitLogistic(
    { x: train.x, y: train.y, n: train.n },
    {
      ...options,
      version: options.version ?? `fitted-${date}`,
      tierThresholds: options.tierThresholds ?? baselineModel.tierThresholds,
    },
  );
  const { scores, ...fitted } = evaluate(model, holdout.x, holdout.y, holdout.n);
  const { scores: _baselineScores, ...baseline } = evaluate(baselineModel, holdout.x, holdout.y, holdout.n);
  const threshold = model.tierThresholds.tier3;
  let fairness: Record<string, ErrorRateRatio> | null = null;
  if (groups.size > 0) {
    fairness = {};
    for (const [attribute, values] of groups) {
      // People whose attribute is unknown are grouped as "not stated", not dropped.
      const complete = Array.from({ length: holdout.n }, (_, i) => values[i] ?? 'not_stated');
      fairness[attribute] = errorRateRatio(scores, holdout.y.subarray(0, holdout.n), complete, threshold);
    }
  }
  return {
    model,
    rows,
    trainingRows: train.n,
    holdoutRows: holdout.n,
    baseRate: positives / rows,
    fitted,
    baseline: { ...baseline, version: baselineModel.version },
    fairness,
    tier3Threshold: threshold,
  };
}

/** The documented JSON form of a re-fitted model, ready to replace the shipped defaults. */
export function fittedModelSpec(report: FitReport): ModelSpec {
  return modelToSpec(
    report.model,
    {
      target: defaultSpec.target,
      provenance:
        `Re-fitted by \`sportello profiling fit\` from ${report.trainingRows} of the platform's own outcomes ` +
        `(L2-regularised logistic regression); evaluated on ${report.holdoutRows} held-out outcomes: ` +
        `AUC ${report.fitted.auc.toFixed(3)}, expected calibration error ${report.fitted.calibrationError.toFixed(3)}.`,
      sources: ["The platform's own outcomes (placed or not within 12 months of registering)."],
      tiers: defaultSpec.tierThresholds.documentation,
    },
    (feature) =>
      feature === 'intercept'
        ? 'Estimated from the platform outcomes: log-odds of the reference profile.'
        : `Estimated from the platform outcomes; the shipped default was ${
            defaultSpec.coefficients[feature].value
          } (${defaultSpec.coefficients[feature].documentation})`,
  );
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const ratio = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '∞');

/** Plain-text report for the CLI. */
export function printReport(report: FitReport, write: (line: string) => void = (l) => console.log(l)): void {
  const m = report.model;
  write(`Profiling model ${m.version}`);
  write(
    `  outcomes: ${report.rows} (fitted on ${report.trainingRows}, evaluated on ${report.holdoutRows} held out); ` +
      `still without work at 12 months: ${pct(report.baseRate)}`,
  );
  if (m.fit)
    write(`  fit: ${m.fit.iterations} iterations, ${m.fit.converged ? 'converged' : 'NOT converged'}`);
  write('');
  write('Coefficients (log-odds)');
  FEATURES.forEach((f, j) => {
    write(`  ${f.padEnd(28)} ${m.coefficients[j]!.toFixed(3).padStart(8)}`);
  });
  write('');
  write('Held-out evaluation           fitted    current');
  write(
    `  AUC                        ${report.fitted.auc.toFixed(3)}      ${report.baseline.auc.toFixed(3)}`,
  );
  write(
    `  calibration error (ECE)    ${report.fitted.calibrationError.toFixed(3)}      ${report.baseline.calibrationError.toFixed(3)}`,
  );
  write(
    `  mean predicted risk        ${pct(report.fitted.meanPredicted).padEnd(9)} ${pct(report.baseline.meanPredicted)}`,
  );
  write('');
  write('Calibration by decile of predicted risk (fitted model, held out)');
  write('  decile      n  predicted  observed');
  for (const d of report.fitted.deciles) {
    write(
      `  ${String(d.bin).padStart(6)} ${String(d.n).padStart(6)}  ${pct(d.meanPredicted).padStart(9)}  ${pct(d.observedRate).padStart(8)}`,
    );
  }
  write('');
  write(`Fairness at the tier-3 threshold (risk ≥ ${report.tier3Threshold})`);
  if (!report.fairness) {
    write(
      '  Group attributes (gender, citizenship) are not collected: error rates by group cannot be measured.',
    );
    return;
  }
  for (const [attribute, r] of Object.entries(report.fairness)) {
    write(
      `  ${attribute}: false-positive-rate ratio ${ratio(r.fprRatio)}, false-negative-rate ratio ${ratio(r.fnrRatio)}, max ${ratio(r.ratio)}`,
    );
    write('    group              n  base rate  flagged    FPR    FNR');
    for (const g of r.groups) {
      write(
        `    ${g.group.padEnd(14)} ${String(g.n).padStart(6)}  ${pct(g.baseRate).padStart(9)}  ${pct(g.flaggedRate).padStart(7)}  ${pct(g.fpr).padStart(5)}  ${pct(g.fnr).padStart(5)}`,
      );
    }
  }
}
