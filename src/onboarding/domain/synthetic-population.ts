import {
  COL,
  encode,
  FEATURE_COUNT,
  type FeatureName,
  type IscoMajorGroup,
  logistic,
  type Profile,
} from './profiling-model.ts';

/**
 * A seeded synthetic population of jobseekers, with outcomes drawn from a KNOWN generating logistic
 * model, to measure how well `fitLogistic` recovers it and how error rates differ between groups.
 *
 * Gender and citizenship exist only here, for the fairness measurement. They shape the distribution
 * of the features (illustrative, not estimated: women have more career gaps and on average more
 * education; non-EU citizens are younger, more often have foreign qualifications not recognised
 * (recorded as a lower EQF level), more often worked in elementary occupations and receive ADI/SFL
 * more often; knowing Italian at B1 is one of the "languages besides the mother tongue" for them, and
 * recent arrivals often are not there yet), but the outcome depends on the features only: the
 * generating model never reads gender or citizenship.
 *
 * The generating model is logistic in the same encoding as the platform's model, except for age,
 * where it uses a smooth piecewise-linear effect of exact age instead of bands: the fitted model is
 * therefore slightly misspecified, as a real one always is.
 */

export type Gender = 'female' | 'male';
export type Citizenship = 'italian' | 'eu' | 'non_eu';

export interface SyntheticPerson {
  readonly profile: Profile;
  readonly gender: Gender;
  readonly citizenship: Citizenship;
  /** The generating model's probability of still being without work at 12 months. */
  readonly trueRisk: number;
  readonly withoutWorkAt12Months: boolean;
}

/** True log-odds coefficients of the generating model (age bands unused: see trueAgeEffect). */
export const TRUE_COEFFICIENTS: Readonly<Record<Exclude<FeatureName, `age_${string}`>, number>> = {
  intercept: -1.75,
  education_low: 0.55,
  education_high: -0.45,
  unemployment_years: 0.42,
  work_none: 0.7,
  work_little: 0.3,
  occupation_clerical_service: 0.05,
  occupation_manual: 0.15,
  occupation_elementary: 0.4,
  occupation_none: 0.25,
  province_unemployment: 0.06,
  benefit_naspi: 0.1,
  benefit_adi_sfl: 0.6,
  benefit_other: 0.2,
  languages_none: 0.25,
  languages_two_plus: -0.2,
  digital_none: 0.65,
  digital_basic: 0.3,
  digital_advanced: -0.2,
};

/** Age effect on the log-odds: −0.02 per year under 30, 0 from 30 to 45, +0.045 per year over 45. */
export function trueAgeEffect(age: number): number {
  return -0.02 * Math.max(0, 30 - age) + 0.045 * Math.max(0, age - 45);
}

const TRUE_VECTOR = (() => {
  const v = new Float64Array(FEATURE_COUNT);
  for (const [name, value] of Object.entries(TRUE_COEFFICIENTS)) v[COL[name as FeatureName]] = value;
  return v;
})();

/** The generating model's log-odds for a profile (uses `scratch` for the encoding). */
export function trueLogOdds(
  profile: Profile,
  scratch: Float64Array = new Float64Array(FEATURE_COUNT),
): number {
  encode(profile, scratch);
  let z = trueAgeEffect(profile.age);
  for (let j = 0; j < FEATURE_COUNT; j++) z += TRUE_VECTOR[j]! * scratch[j]!;
  return z;
}

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same population. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, options: readonly (readonly [T, number])[]): T {
  let u = random();
  for (const [value, weight] of options) {
    if (u < weight) return value;
    u -= weight;
  }
  return options[options.length - 1]![0];
}

/** Provinces of an imaginary Region: unemployment rates (%) and share of its jobseekers. */
const PROVINCES: readonly (readonly [number, number])[] = [
  [4.8, 0.22],
  [5.9, 0.18],
  [7.1, 0.16],
  [8.6, 0.14],
  [10.2, 0.12],
  [12.5, 0.1],
  [15.3, 0.08],
];

export function syntheticPerson(random: () => number, scratch?: Float64Array): SyntheticPerson {
  const gender: Gender = random() < 0.52 ? 'female' : 'male';
  const citizenship: Citizenship = pick<Citizenship>(random, [
    ['italian', 0.82],
    ['eu', 0.05],
    ['non_eu', 0.13],
  ]);
  const foreign = citizenship !== 'italian';
  const nonEu = citizenship === 'non_eu';
  const female = gender === 'female';

  const band = pick<readonly [number, number]>(
    random,
    nonEu
      ? [
          [[18, 25], 0.2],
          [[25, 35], 0.32],
          [[35, 50], 0.33],
          [[50, 55], 0.08],
          [[55, 67], 0.07],
        ]
      : [
          [[18, 25], 0.15],
          [[25, 35], 0.23],
          [[35, 50], 0.32],
          [[50, 55], 0.13],
          [[55, 67], 0.17],
        ],
  );
  const age = band[0] + Math.floor(random() * (band[1] - band[0]));

  const lowShare = (nonEu ? 0.55 : citizenship === 'eu' ? 0.42 : 0.4) - (female ? 0.05 : 0);
  const highShare = (nonEu ? 0.1 : 0.17) + (female ? 0.06 : 0) + (age < 25 ? -0.08 : 0);
  const e = random();
  const eqfLevel =
    e < lowShare
      ? 1 + Math.floor(random() * 2)
      : e < 1 - highShare
        ? 3 + Math.floor(random() * 2)
        : 5 + Math.floor(random() * 3);

  const meanMonths = 9 + (age >= 50 ? 8 : 0) + (eqfLevel <= 2 ? 3 : 0);
  const unemploymentMonths = Math.min(120, Math.floor(-meanMonths * Math.log(1 - random())));

  const maxYears = Math.max(0, Math.min(10, age - 18));
  const attachment = random() ** (female ? 0.8 : 0.55); // women: more career gaps
  const neverWorked = random() < (age < 25 ? 0.25 : 0.06) + (female ? 0.03 : 0);
  const years = neverWorked ? 0 : Math.round(maxYears * (1 - attachment) * 10) / 10;
  const workHistory: Profile['workHistory'] =
    random() < 0.8
      ? { kind: 'years', yearsInLast10: years }
      : { kind: 'jobs', count: years === 0 ? 0 : 1 + Math.floor(years / 2 + random() * 2) };

  let lastOccupation: IscoMajorGroup | null = null;
  if (years > 0) {
    const high = eqfLevel >= 5 ? 0.45 : eqfLevel >= 3 ? 0.12 : 0.03;
    const elementary = (nonEu ? 0.35 : foreign ? 0.22 : 0.12) + (eqfLevel <= 2 ? 0.08 : 0);
    const clerical = female ? 0.45 : 0.28;
    const u = random();
    if (u < high) lastOccupation = (1 + Math.floor(random() * 3)) as IscoMajorGroup;
    else if (u < high + elementary) lastOccupation = 9;
    else if (u < high + elementary + (1 - high - elementary) * clerical)
      lastOccupation = (4 + Math.floor(random() * 2)) as IscoMajorGroup;
    else lastOccupation = (6 + Math.floor(random() * 3)) as IscoMajorGroup;
  }

  const provinceUnemploymentRate = pick(random, PROVINCES);

  const naspi = years > 0 && unemploymentMonths < 24 ? 0.35 : 0;
  const adi = (nonEu ? 0.14 : 0.08) + (eqfLevel <= 2 ? 0.04 : 0);
  const b = random();
  const benefit: Profile['benefit'] =
    b < naspi ? 'naspi' : b < naspi + adi ? 'adi_sfl' : b < naspi + adi + 0.05 ? 'other' : 'none';

  const noLanguage = (foreign ? 0.38 : 0.5) - (eqfLevel >= 5 ? 0.25 : 0);
  const twoPlus = (foreign ? 0.22 : 0.1) + (eqfLevel >= 5 ? 0.12 : 0);
  const l = random();
  const languagesB1 = l < noLanguage ? 0 : l < 1 - twoPlus ? 1 : 2 + (random() < 0.3 ? 1 : 0);

  const digitalShares: readonly [number, number, number] =
    eqfLevel <= 2 ? [0.22, 0.42, 0.26] : eqfLevel <= 4 ? [0.08, 0.3, 0.42] : [0.03, 0.12, 0.45];
  const dv = random();
  let digitalLevel: Profile['digitalLevel'] =
    dv < digitalShares[0]
      ? 0
      : dv < digitalShares[0] + digitalShares[1]
        ? 1
        : dv < digitalShares[0] + digitalShares[1] + digitalShares[2]
          ? 2
          : 3;
  if (age >= 50 && digitalLevel > 0 && random() < 0.3)
    digitalLevel = (digitalLevel - 1) as Profile['digitalLevel'];

  const profile: Profile = {
    age,
    eqfLevel,
    unemploymentMonths,
    workHistory,
    lastOccupation,
    provinceUnemploymentRate,
    benefit,
    languagesB1,
    digitalLevel,
  };
  const trueRisk = logistic(trueLogOdds(profile, scratch));
  return { profile, gender, citizenship, trueRisk, withoutWorkAt12Months: random() < trueRisk };
}

/** `n` people from `seed`: deterministic. */
export function syntheticPopulation(n: number, seed: number): SyntheticPerson[] {
  const random = seededRandom(seed);
  const scratch = new Float64Array(FEATURE_COUNT);
  const out: SyntheticPerson[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = syntheticPerson(random, scratch);
  return out;
}
