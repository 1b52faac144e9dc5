import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import defaultSpec from '../data/profiling-default-model.json' with { type: 'json' };
import {
  auc,
  COL,
  calibrationByQuantile,
  calibrationError,
  compileModel,
  encode,
  encodeRows,
  errorRateRatio,
  explain,
  FEATURE_COUNT,
  FEATURES,
  fitLogistic,
  type IscoMajorGroup,
  type Profile,
  type ProfilingModel,
  REASON_CODES,
  score,
  scoreMany,
  tierOf,
  topReasons,
} from './profiling-model.ts';
import { syntheticPopulation } from './synthetic-population.ts';

const REFERENCE: Profile = {
  age: 40,
  eqfLevel: 4,
  unemploymentMonths: 0,
  workHistory: { kind: 'years', yearsInLast10: 6 },
  lastOccupation: 2,
  provinceUnemploymentRate: 6,
  benefit: 'none',
  languagesB1: 1,
  digitalLevel: 2,
};

const DEFAULT = compileModel(defaultSpec);

const profileArb: fc.Arbitrary<Profile> = fc.record({
  age: fc.integer({ min: 15, max: 70 }),
  eqfLevel: fc.integer({ min: 0, max: 8 }),
  unemploymentMonths: fc.integer({ min: 0, max: 240 }),
  workHistory: fc.oneof(
    fc.record({
      kind: fc.constant('years' as const),
      yearsInLast10: fc.double({ min: 0, max: 10, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('jobs' as const), count: fc.integer({ min: 0, max: 30 }) }),
  ),
  lastOccupation: fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: 9 }).map((n) => n as IscoMajorGroup),
  ),
  provinceUnemploymentRate: fc.double({ min: 0, max: 45, noNaN: true }),
  benefit: fc.constantFrom('naspi' as const, 'adi_sfl' as const, 'none' as const, 'other' as const),
  languagesB1: fc.integer({ min: 0, max: 6 }),
  digitalLevel: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
});

const modelArb: fc.Arbitrary<ProfilingModel> = fc
  .array(fc.double({ min: -50, max: 50, noNaN: true }), {
    minLength: FEATURE_COUNT,
    maxLength: FEATURE_COUNT,
  })
  .map((values) => ({
    version: 'arb',
    coefficients: Float64Array.from(values),
    tierThresholds: DEFAULT.tierThresholds,
  }));

// Compile-time guarantee: the Profile type has no protected attribute.
type Forbidden = 'gender' | 'sex' | 'citizenship' | 'nationality' | 'birthPlace' | 'countryOfBirth';
const noProtectedAttribute: Extract<keyof Profile, Forbidden> extends never ? true : false = true;

describe('encode', () => {
  it('encodes the reference profile as zeros but the intercept', () => {
    const x = encode(REFERENCE);
    assert.equal(x.length, FEATURE_COUNT);
    assert.equal(x[0], 1);
    assert.deepEqual([...x.subarray(1)], new Array(FEATURE_COUNT - 1).fill(0));
  });

  it('sets the documented bands', () => {
    const x = encode({
      age: 57,
      eqfLevel: 1,
      unemploymentMonths: 18,
      workHistory: { kind: 'jobs', count: 1 },
      lastOccupation: 9,
      provinceUnemploymentRate: 11,
      benefit: 'adi_sfl',
      languagesB1: 0,
      digitalLevel: 0,
    });
    const on = FEATURES.filter((_, j) => x[j] !== 0);
    assert.deepEqual(on, [
      'intercept',
      'age_55_plus',
      'education_low',
      'unemployment_years',
      'work_little',
      'occupation_elementary',
      'province_unemployment',
      'benefit_adi_sfl',
      'languages_none',
      'digital_none',
    ]);
    assert.equal(x[COL.unemployment_years], 1.5);
    assert.equal(x[COL.province_unemployment], 5);
  });

  it('caps unemployment at five years and refuses non-finite numbers', () => {
    assert.equal(encode({ ...REFERENCE, unemploymentMonths: 400 })[COL.unemployment_years], 5);
    assert.throws(() => encode({ ...REFERENCE, age: Number.NaN }), RangeError);
  });

  it('writes at an offset into a preallocated buffer without touching the rest', () => {
    const buffer = new Float64Array(FEATURE_COUNT * 3).fill(7);
    encode(REFERENCE, buffer, FEATURE_COUNT);
    assert.equal(buffer[FEATURE_COUNT - 1], 7);
    assert.equal(buffer[FEATURE_COUNT], 1);
    assert.equal(buffer[2 * FEATURE_COUNT], 7);
  });

  it('has no protected attribute in its input type', () => {
    assert.equal(noProtectedAttribute, true);
    // @ts-expect-error gender is not part of a Profile
    const withGender: Profile = { ...REFERENCE, gender: 'female' };
    assert.ok(withGender);
  });

  it('reads only the documented fields (never gender or citizenship)', () => {
    fc.assert(
      fc.property(profileArb, (profile) => {
        const read = new Set<string>();
        const spy = new Proxy(
          { ...profile, gender: 'female', citizenship: 'non_eu', nationality: 'XX' },
          {
            get(target, key, receiver) {
              if (typeof key === 'string') read.add(key);
              return Reflect.get(target, key, receiver);
            },
          },
        );
        encode(spy);
        for (const k of read) assert.ok(k in REFERENCE, `encode read ${k}`);
      }),
    );
  });
});

describe('score', () => {
  it('gives the reference profile the logistic of the intercept', () => {
    const p = score(DEFAULT, encode(REFERENCE));
    assert.ok(Math.abs(p - 1 / (1 + Math.exp(-DEFAULT.coefficients[0]!))) < 1e-12);
  });

  it('is a probability strictly inside (0, 1) for any model and profile', () => {
    fc.assert(
      fc.property(modelArb, profileArb, (model, profile) => {
        const p = score(model, encode(profile));
        return p > 0 && p < 1;
      }),
    );
  });

  it('never decreases with unemployment duration when its coefficient is positive', () => {
    fc.assert(
      fc.property(
        modelArb,
        profileArb,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        (model, profile, a, b) => {
          model.coefficients[COL.unemployment_years] =
            Math.abs(model.coefficients[COL.unemployment_years]!) + 1e-3;
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pLo = score(model, encode({ ...profile, unemploymentMonths: lo }));
          const pHi = score(model, encode({ ...profile, unemploymentMonths: hi }));
          return pHi >= pLo;
        },
      ),
    );
  });

  it('scoreMany agrees with score', () => {
    const people = syntheticPopulation(500, 9);
    const { x, n } = encodeRows(people);
    const out = scoreMany(DEFAULT, x, n, new Float64Array(n));
    for (let i = 0; i < n; i++) assert.equal(out[i], score(DEFAULT, x, i * FEATURE_COUNT));
  });

  it('puts people in tiers by the thresholds', () => {
    assert.equal(tierOf(DEFAULT, 0.05), 1);
    assert.equal(tierOf(DEFAULT, DEFAULT.tierThresholds.tier2), 2);
    assert.equal(tierOf(DEFAULT, DEFAULT.tierThresholds.tier3), 3);
  });
});

describe('topReasons', () => {
  it('returns nothing for the reference profile', () => {
    assert.deepEqual(topReasons(DEFAULT, encode(REFERENCE), 3), []);
  });

  it('names the strongest risk factors in order', () => {
    const x = encode({ ...REFERENCE, age: 58, unemploymentMonths: 30, digitalLevel: 0, eqfLevel: 6 });
    // 0.35 × 2.5 = 0.875 (very long unemployment) > 0.85 (55+) > 0.5 (no digital skills).
    assert.deepEqual(topReasons(DEFAULT, x, 3), ['very_long_unemployment', 'older_age', 'low_digital']);
    assert.deepEqual(topReasons(DEFAULT, encode({ ...REFERENCE, unemploymentMonths: 13 }), 3), [
      'long_unemployment',
    ]);
  });

  it('returns at most k distinct known codes with positive contributions', () => {
    fc.assert(
      fc.property(modelArb, profileArb, fc.integer({ min: 0, max: 5 }), (model, profile, k) => {
        const x = encode(profile);
        const reasons = explain(model, x, k);
        const codes = topReasons(model, x, k);
        assert.ok(codes.length <= k);
        assert.equal(new Set(codes).size, codes.length);
        for (const c of codes) assert.ok((REASON_CODES as readonly string[]).includes(c));
        for (let i = 0; i < reasons.length; i++) {
          assert.ok(reasons[i]!.contribution > 0);
          if (i > 0) assert.ok(reasons[i - 1]!.contribution >= reasons[i]!.contribution);
        }
      }),
    );
  });

  it('has a plain-words string for every code and every tier in both languages', () => {
    for (const lang of ['it', 'en']) {
      const catalogue = JSON.parse(
        readFileSync(new URL(`../locales/profiling.${lang}.json`, import.meta.url), 'utf8'),
      ) as {
        profiling: {
          reasons: Record<string, string>;
          tiers: Record<string, { title: string; text: string }>;
        };
      };
      assert.deepEqual(Object.keys(catalogue.profiling.reasons).sort(), [...REASON_CODES].sort(), lang);
      for (const t of ['1', '2', '3'])
        assert.ok(catalogue.profiling.tiers[t]?.title && catalogue.profiling.tiers[t]?.text);
    }
  });
});

describe('fitLogistic', () => {
  it('recovers the generating model on synthetic data, deterministically', () => {
    const train = encodeRows(syntheticPopulation(40_000, 1));
    const a = fitLogistic(train);
    const b = fitLogistic(train);
    assert.deepEqual([...a.coefficients], [...b.coefficients]);
    assert.ok(a.fit?.converged);
    // Directions the generating model has (see synthetic-population.ts).
    assert.ok(a.coefficients[COL.unemployment_years]! > 0.3);
    assert.ok(a.coefficients[COL.age_55_plus]! > 0.2);
    assert.ok(a.coefficients[COL.education_high]! < 0);
    const test = syntheticPopulation(20_000, 2);
    const { x, n } = encodeRows(test);
    const scores = scoreMany(a, x, n, new Float64Array(n));
    const labels = test.map((p) => (p.withoutWorkAt12Months ? 1 : 0));
    const fittedAuc = auc(scores, labels);
    const trueAuc = auc(
      test.map((p) => p.trueRisk),
      labels,
    );
    assert.ok(Math.abs(fittedAuc - trueAuc) < 0.02, `${fittedAuc} vs ${trueAuc}`);
    assert.ok(calibrationError(scores, labels) < 0.03);
  });

  it('handles a column that is never set and perfectly separated data without diverging', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      profile: { ...REFERENCE, age: i % 2 ? 20 : 60 },
      withoutWorkAt12Months: i % 2 === 0,
    }));
    const model = fitLogistic(encodeRows(rows), { l2: 1 });
    for (const c of model.coefficients) assert.ok(Number.isFinite(c));
    assert.equal(model.coefficients[COL.digital_none], 0);
  });
});

describe('evaluation', () => {
  it('computes AUC with ties', () => {
    assert.equal(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
    assert.equal(auc([0.5, 0.5], [0, 1]), 0.5);
    assert.equal(auc([0.2, 0.9], [0, 1]), 1);
  });

  it('computes the expected calibration error', () => {
    assert.ok(Math.abs(calibrationError([0.05, 0.05, 0.95, 0.95], [0, 0, 1, 1]) - 0.05) < 1e-12);
    assert.ok(Math.abs(calibrationError([0.5, 0.5, 0.5, 0.5], [1, 1, 1, 1]) - 0.5) < 1e-12);
  });

  it('bins by quantile', () => {
    const bins = calibrationByQuantile([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1], 2);
    assert.deepEqual(
      bins.map((b) => [b.n, b.observedRate]),
      [
        [2, 0],
        [2, 1],
      ],
    );
  });

  it('computes false-positive and false-negative rate ratios', () => {
    // Group a: 4 placed (1 flagged) and 2 not placed (1 missed). Group b: 4 placed (2 flagged), 2 not placed (0 missed).
    const scores = [0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.9, 0.9, 0.1, 0.1, 0.9, 0.9];
    const labels = [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1];
    const groups = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b'];
    const r = errorRateRatio(scores, labels, groups, 0.5);
    assert.equal(r.groups[0]!.fpr, 0.25);
    assert.equal(r.groups[1]!.fpr, 0.5);
    assert.equal(r.fprRatio, 2);
    assert.equal(r.groups[0]!.fnr, 0.5);
    assert.equal(r.groups[1]!.fnr, 0);
    assert.equal(r.fnrRatio, Number.POSITIVE_INFINITY);
    assert.equal(r.ratio, Number.POSITIVE_INFINITY);
  });
});

describe('the shipped default model', () => {
  it('documents every coefficient and nothing else', () => {
    assert.deepEqual(Object.keys(defaultSpec.coefficients), [...FEATURES]);
    for (const c of Object.values(defaultSpec.coefficients)) assert.ok(c.documentation.length > 20);
  });

  it('predicts a plausible average risk on the synthetic population', () => {
    const { x, n } = encodeRows(syntheticPopulation(20_000, 1));
    const s = scoreMany(DEFAULT, x, n, new Float64Array(n));
    const mean = s.reduce((a, b) => a + b, 0) / n;
    assert.ok(mean > 0.35 && mean < 0.45, `mean ${mean}`);
  });
});
