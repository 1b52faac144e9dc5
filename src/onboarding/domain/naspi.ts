import { dateTimeFormat } from '../../platform/i18n/format.ts';
import table from '../data/naspi-parameters.json' with { type: 'json' };

/**
 * NASpI (Nuova Assicurazione Sociale per l'Impiego, D.Lgs. 4 marzo 2015, n. 22): a self-check and an
 * estimate. Pure functions; money is in integer euro cents, rounded half-up to the cent at each step.
 *
 * Rules applied (events of unemployment from 1 January 2022 onwards):
 * - who (art. 2): employees, apprentices, cooperative members with an employment contract, public
 *   employees on fixed-term contracts. Excluded: permanent public employees (art. 2, c. 2) and
 *   agricultural workers, who have the agricultural unemployment benefit; since 2022 permanent
 *   agricultural workers of the cooperatives of L. 240/1984 are covered (L. 234/2021, art. 1, c. 221).
 * - involuntary loss of the job (art. 3): dismissal (also disciplinary), end of a fixed-term contract,
 *   resignation for just cause, resignation during the protected maternity/paternity period
 *   (art. 55 D.Lgs. 151/2001), consensual termination only within the conciliation procedure of
 *   art. 7 L. 604/1966. Plain resignation and other consensual terminations give no right.
 * - contributions (art. 3, c. 1, lett. b): at least 13 weeks in the 4 years before unemployment.
 *   The other requirement, 30 days of actual work in the previous 12 months (lett. c), does not apply
 *   to events from 1 January 2022: L. 30 dicembre 2021, n. 234, art. 1, c. 221, lett. b
 *   (INPS circolare n. 2 del 4 gennaio 2022).
 * - since 1 January 2025 (L. 30 dicembre 2024, n. 207, art. 1, c. 171, amending art. 3; INPS
 *   circolare n. 98 del 5 giugno 2025): if, in the 12 months before the involuntary loss, the person
 *   left a permanent job by resignation or consensual termination, at least 13 weeks of contributions
 *   are needed after that exit (not for resignations for just cause or in the protected
 *   maternity/paternity period).
 * - claim (art. 6, c. 1): within 68 days of the end of the employment, or the right is lost.
 * - amount (art. 4): average monthly taxable pay = taxable pay of the last 4 years / weeks of
 *   contributions × 4.33; 75% up to the year's threshold, plus 25% of the part above it, never more
 *   than the year's maximum (both revalued every year: see ../data/naspi-parameters.json).
 * - reduction (art. 4, c. 3, as amended by L. 234/2021, art. 1, c. 221, lett. c): 3% a month from the
 *   first day of the 6th month of payment; from the 8th month for people who are 55 or older on the
 *   day of the claim. Each reduction applies to the previous month's amount (compound).
 *   (The brief suggested D.L. 48/2023: that decree did not change this; the 2022 budget law did.)
 * - duration (art. 5): half of the weeks of contributions of the last 4 years, not counting the weeks
 *   already used for earlier unemployment benefits; at most 104 weeks (24 months). A month of payment
 *   is taken as 4.33 weeks, the same coefficient the law uses for the average pay.
 */

export const TERMINATIONS = [
  'dismissal',
  'fixedTermEnd',
  'resignationJustCause',
  'resignationProtected',
  'consensualConciliation',
  'consensualOther',
  'resignation',
] as const;
export type Termination = (typeof TERMINATIONS)[number];

export const EMPLOYMENTS = [
  'private',
  'publicFixedTerm',
  'publicPermanent',
  'agricultural',
  'agriculturalCooperative',
] as const;
export type Employment = (typeof EMPLOYMENTS)[number];

export const REASON_CODES = [
  'voluntaryResignation',
  'consensualTermination',
  'publicPermanent',
  'agricultural',
  'tooFewWeeks',
  'tooFewWeeksAfterVoluntaryExit',
  'noWeeksLeft',
  'claimDeadlinePassed',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const MIN_WEEKS = 13;
export const MAX_WEEKS = 208; // 4 years
export const CLAIM_DAYS = 68;
export const MAX_DURATION_WEEKS = 104;
export const MAX_DURATION_MONTHS = 24;
export const REDUCTION_PERCENT = 3;
export const AGE_LATER_REDUCTION = 55;

export type EligibilityInput = {
  termination: Termination;
  employment: Employment;
  /** Weeks of contributions in the 4 years before the end of the job (0–208). */
  contributionWeeks: number;
  /** Weeks among them already used for an earlier unemployment benefit. */
  weeksAlreadyUsed: number;
  /** Last day of work, YYYY-MM-DD. */
  endDate: string;
  /** A permanent job left by resignation or agreement in the 12 months before the end date. */
  recentVoluntaryExit: boolean;
  /** Weeks of contributions after that exit (only when recentVoluntaryExit). */
  weeksSinceVoluntaryExit: number | null;
};

export type Eligibility = {
  eligible: 'probably' | 'no';
  reasons: ReasonCode[];
  /** Last day to file the claim with INPS, YYYY-MM-DD. */
  claimDeadline: string;
};

const DAY_MS = 86_400_000;

function isoDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not an ISO date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export function addDays(date: string, days: number): string {
  return new Date((isoDay(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Is `date` a real calendar day (2025-02-30 is not)? */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  return addDays(date, 0) === date;
}

export function checkEligibility(input: EligibilityInput, today: string): Eligibility {
  const reasons: ReasonCode[] = [];
  if (input.termination === 'resignation') reasons.push('voluntaryResignation');
  if (input.termination === 'consensualOther') reasons.push('consensualTermination');
  if (input.employment === 'publicPermanent') reasons.push('publicPermanent');
  if (input.employment === 'agricultural') reasons.push('agricultural');
  if (input.contributionWeeks < MIN_WEEKS) reasons.push('tooFewWeeks');
  else if (input.contributionWeeks - input.weeksAlreadyUsed <= 0) reasons.push('noWeeksLeft');
  if (input.recentVoluntaryExit && (input.weeksSinceVoluntaryExit ?? 0) < MIN_WEEKS)
    reasons.push('tooFewWeeksAfterVoluntaryExit');
  const claimDeadline = addDays(input.endDate, CLAIM_DAYS);
  if (isoDay(today) > isoDay(claimDeadline)) reasons.push('claimDeadlinePassed');
  return { eligible: reasons.length === 0 ? 'probably' : 'no', reasons, claimDeadline };
}

// ---------------------------------------------------------------------------------------------------
// Yearly parameters

export type NaspiParameters = {
  year: number;
  thresholdCents: number;
  maximumCents: number;
  source: string;
};

export type ParameterChoice = {
  /** The year whose figures were asked for (the year the job ended). */
  requestedYear: number;
  parameters: NaspiParameters;
  /** True when that year's figures are not loaded and another year's were applied. */
  fallback: boolean;
};

function toCents(euro: number): number {
  const cents = Math.round(euro * 100);
  if (!Number.isSafeInteger(cents) || cents <= 0) throw new Error(`bad NASpI parameter: ${euro}`);
  return cents;
}

export const PARAMETERS: readonly NaspiParameters[] = table.years
  .map((y) => ({
    year: y.year,
    thresholdCents: toCents(y.threshold),
    maximumCents: toCents(y.maximum),
    source: y.source,
  }))
  .sort((a, b) => a.year - b.year);

export const FIRST_YEAR = PARAMETERS[0]!.year;

export function parametersFor(
  year: number,
  available: readonly NaspiParameters[] = PARAMETERS,
): ParameterChoice {
  const exact = available.find((p) => p.year === year);
  if (exact) return { requestedYear: year, parameters: exact, fallback: false };
  const earlier = available.filter((p) => p.year < year);
  const parameters = earlier.at(-1) ?? available[0];
  if (!parameters) throw new Error('no NASpI parameters loaded');
  return { requestedYear: year, parameters, fallback: true };
}

// ---------------------------------------------------------------------------------------------------
// Amount, duration, schedule

/** a / b rounded half-up, for non-negative integers. */
function roundDiv(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

export type EstimateInput = {
  /** Taxable pay (retribuzione imponibile ai fini previdenziali) of the last 4 years, in cents. */
  taxablePayCents: number;
  contributionWeeks: number;
  weeksAlreadyUsed: number;
  /** Age on the day of the claim. */
  ageAtClaim: number;
  parameters: NaspiParameters;
};

export type ScheduleRow = {
  month: number;
  amountCents: number;
  /** The 3% reduction has started. */
  reduced: boolean;
  /** The last month is paid only in part: its days. */
  partialDays: number | null;
};

export type Estimate = {
  averageMonthlyPayCents: number;
  monthlyAmountCents: number;
  aboveThreshold: boolean;
  cappedAtMaximum: boolean;
  /** Weeks of payment (may end in .5). */
  durationWeeks: number;
  /** Months of payment, two decimals. */
  durationMonths: number;
  durationCapped: boolean;
  reductionFromMonth: number;
  schedule: ScheduleRow[];
  totalCents: number;
};

/** Average monthly taxable pay: pay / weeks × 4.33, to the cent. */
export function averageMonthlyPay(taxablePayCents: number, contributionWeeks: number): number {
  if (contributionWeeks <= 0) return 0;
  return roundDiv(taxablePayCents * 433, contributionWeeks * 100);
}

/** The full monthly amount, before any reduction. */
export function monthlyAmount(averageCents: number, p: NaspiParameters): number {
  const raw =
    averageCents <= p.thresholdCents
      ? roundDiv(averageCents * 75, 100)
      : roundDiv(p.thresholdCents * 75 + (averageCents - p.thresholdCents) * 25, 100);
  return Math.min(raw, p.maximumCents);
}

/** Weeks of payment counted in half-weeks (integers): half of the weeks not yet used, at most 104. */
function durationHalfWeeks(contributionWeeks: number, weeksAlreadyUsed: number): number {
  const usable = Math.max(0, Math.min(MAX_WEEKS, contributionWeeks) - Math.max(0, weeksAlreadyUsed));
  return Math.min(usable, MAX_DURATION_WEEKS * 2);
}

export function reductionStartMonth(ageAtClaim: number): number {
  return ageAtClaim >= AGE_LATER_REDUCTION ? 8 : 6;
}

/** A month of payment = 4.33 weeks = 8.66 half-weeks: months are counted in hundredths of half-weeks. */
const MONTH_UNITS = 866;

export function estimate(input: EstimateInput): Estimate {
  const averageMonthlyPayCents = averageMonthlyPay(input.taxablePayCents, input.contributionWeeks);
  const monthlyAmountCents = monthlyAmount(averageMonthlyPayCents, input.parameters);
  const halfWeeks = durationHalfWeeks(input.contributionWeeks, input.weeksAlreadyUsed);
  const durationCapped = halfWeeks >= MAX_DURATION_WEEKS * 2;
  let fullMonths = Math.floor((halfWeeks * 100) / MONTH_UNITS);
  let remainder = (halfWeeks * 100) % MONTH_UNITS;
  if (fullMonths >= MAX_DURATION_MONTHS) {
    fullMonths = MAX_DURATION_MONTHS;
    remainder = 0;
  }
  const reductionFromMonth = reductionStartMonth(input.ageAtClaim);
  const schedule: ScheduleRow[] = [];
  let amount = monthlyAmountCents;
  const months = fullMonths + (remainder > 0 ? 1 : 0);
  for (let month = 1; month <= months; month++) {
    if (month >= reductionFromMonth) amount = roundDiv(amount * (100 - REDUCTION_PERCENT), 100);
    const partial = month > fullMonths;
    const amountCents = partial ? roundDiv(amount * remainder, MONTH_UNITS) : amount;
    if (partial && amountCents === 0) break;
    schedule.push({
      month,
      amountCents,
      reduced: month >= reductionFromMonth,
      partialDays: partial ? Math.max(1, Math.round((remainder * 7) / 200)) : null,
    });
  }
  const durationMonths = durationCapped
    ? MAX_DURATION_MONTHS
    : Math.min(MAX_DURATION_MONTHS, Math.round((halfWeeks * 10000) / MONTH_UNITS) / 100);
  return {
    averageMonthlyPayCents,
    monthlyAmountCents,
    aboveThreshold: averageMonthlyPayCents > input.parameters.thresholdCents,
    cappedAtMaximum: monthlyAmountCents === input.parameters.maximumCents,
    durationWeeks: halfWeeks / 2,
    durationMonths,
    durationCapped,
    reductionFromMonth,
    schedule,
    totalCents: schedule.reduce((sum, r) => sum + r.amountCents, 0),
  };
}

// ---------------------------------------------------------------------------------------------------
// Both together: what the page and the API answer

export type AssessmentInput = EligibilityInput & { taxablePayCents: number; ageAtClaim: number };

export type Assessment = {
  eligibility: Eligibility;
  parameters: ParameterChoice;
  /** Null when the person is very probably not entitled. */
  estimate: Estimate | null;
};

export function assess(input: AssessmentInput, today: string): Assessment {
  const eligibility = checkEligibility(input, today);
  const parameters = parametersFor(Number(input.endDate.slice(0, 4)));
  return {
    eligibility,
    parameters,
    estimate:
      eligibility.eligible === 'probably' ? estimate({ ...input, parameters: parameters.parameters }) : null,
  };
}

/** Today's date in Italy, YYYY-MM-DD. */
export function todayInRome(now: Date = new Date()): string {
  const parts = dateTimeFormat('en-GB', {
    timeZone: 'Europe/Rome',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
