import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  assess,
  averageMonthlyPay,
  checkEligibility,
  type EligibilityInput,
  EMPLOYMENTS,
  estimate,
  isCalendarDate,
  monthlyAmount,
  type NaspiParameters,
  PARAMETERS,
  parametersFor,
  TERMINATIONS,
} from './naspi.ts';

const P2025: NaspiParameters = parametersFor(2025).parameters;
const TODAY = '2025-06-15';

const eligible: EligibilityInput = {
  termination: 'dismissal',
  employment: 'private',
  contributionWeeks: 150,
  weeksAlreadyUsed: 0,
  endDate: '2025-06-01',
  recentVoluntaryExit: false,
  weeksSinceVoluntaryExit: null,
};

describe('parameters', () => {
  it('loads the 2023–2026 figures in cents, each with a source', () => {
    assert.deepEqual(
      PARAMETERS.map((p) => [p.year, p.thresholdCents, p.maximumCents]),
      [
        [2023, 135219, 147099],
        [2024, 142521, 155042],
        [2025, 143661, 156282],
        [2026, 145672, 158470],
      ],
    );
    for (const p of PARAMETERS) assert.match(p.source, /INPS, circolare n\. \d+/);
  });

  it('falls back to the latest loaded year, and says so', () => {
    const choice = parametersFor(2027);
    assert.equal(choice.fallback, true);
    assert.equal(choice.parameters.year, 2026);
    assert.equal(parametersFor(2025).fallback, false);
  });
});

describe('amount', () => {
  it('below the threshold: 75% of the average monthly pay', () => {
    // €48,036.95 over 208 weeks → €48,036.95 / 208 × 4.33 = €1,000.00 a month → €750.00
    assert.equal(averageMonthlyPay(4_803_695, 208), 100_000);
    assert.equal(monthlyAmount(100_000, P2025), 75_000);
  });

  it('above the threshold: 75% of the threshold plus 25% of the part above', () => {
    // 0.75 × 1,436.61 + 0.25 × (2,000 − 1,436.61) = 1,077.4575 + 140.8475 = 1,218.305 → €1,218.31
    assert.equal(monthlyAmount(200_000, P2025), 121_831);
  });

  it('capped at the year’s maximum', () => {
    assert.equal(monthlyAmount(400_000, P2025), 156_282);
    const e = estimate({
      taxablePayCents: 20_000_000,
      contributionWeeks: 208,
      weeksAlreadyUsed: 0,
      ageAtClaim: 40,
      parameters: P2025,
    });
    assert.equal(e.cappedAtMaximum, true);
    assert.equal(e.monthlyAmountCents, 156_282);
  });

  it('rounds half up to the cent', () => {
    // 0.75 × €1,000.01 = €750.0075 → €750.01
    assert.equal(monthlyAmount(100_001, P2025), 75_001);
    // 0.75 × €1,000.02 = €750.015 → €750.02
    assert.equal(monthlyAmount(100_002, P2025), 75_002);
  });
});

describe('duration and schedule', () => {
  it('is half of the weeks, capped at 104 weeks = 24 months', () => {
    const e = estimate({
      taxablePayCents: 4_803_695,
      contributionWeeks: 208,
      weeksAlreadyUsed: 0,
      ageAtClaim: 40,
      parameters: P2025,
    });
    assert.equal(e.durationWeeks, 104);
    assert.equal(e.durationMonths, 24);
    assert.equal(e.durationCapped, true);
    assert.equal(e.schedule.length, 24);
  });

  it('does not count the weeks already used for an earlier benefit', () => {
    const e = estimate({
      taxablePayCents: 3_000_000,
      contributionWeeks: 150,
      weeksAlreadyUsed: 50,
      ageAtClaim: 40,
      parameters: P2025,
    });
    assert.equal(e.durationWeeks, 50);
    // 50 weeks / 4.33 = 11.55 months: 11 full months and 17 days of a twelfth
    assert.equal(e.durationMonths, 11.55);
    assert.equal(e.schedule.length, 12);
    assert.equal(e.schedule[11]?.partialDays, 17);
  });

  it('under 55: full amount for 5 months, then 3% less every month (compound)', () => {
    const e = estimate({
      taxablePayCents: 4_803_695,
      contributionWeeks: 208,
      weeksAlreadyUsed: 0,
      ageAtClaim: 54,
      parameters: P2025,
    });
    assert.equal(e.reductionFromMonth, 6);
    assert.deepEqual(
      e.schedule.slice(0, 8).map((r) => r.amountCents),
      [75_000, 75_000, 75_000, 75_000, 75_000, 72_750, 70_568, 68_451],
    );
    assert.equal(e.schedule[4]?.reduced, false);
    assert.equal(e.schedule[5]?.reduced, true);
  });

  it('55 or older at the claim: the reduction starts in the 8th month', () => {
    const e = estimate({
      taxablePayCents: 4_803_695,
      contributionWeeks: 208,
      weeksAlreadyUsed: 0,
      ageAtClaim: 55,
      parameters: P2025,
    });
    assert.equal(e.reductionFromMonth, 8);
    assert.deepEqual(
      e.schedule.slice(0, 9).map((r) => r.amountCents),
      [75_000, 75_000, 75_000, 75_000, 75_000, 75_000, 75_000, 72_750, 70_568],
    );
  });

  it('the total is the sum of the schedule', () => {
    const e = estimate({
      taxablePayCents: 3_000_000,
      contributionWeeks: 100,
      weeksAlreadyUsed: 0,
      ageAtClaim: 56,
      parameters: P2025,
    });
    assert.equal(
      e.totalCents,
      e.schedule.reduce((s, r) => s + r.amountCents, 0),
    );
    assert.equal(e.totalCents, 1_089_102);
  });
});

describe('eligibility', () => {
  it('a dismissed private employee with enough weeks, in time, is probably entitled', () => {
    assert.deepEqual(checkEligibility(eligible, TODAY), {
      eligible: 'probably',
      reasons: [],
      claimDeadline: '2025-08-08',
    });
  });

  it('end of a fixed-term contract, just cause, protected period and conciliation count as involuntary', () => {
    for (const termination of [
      'fixedTermEnd',
      'resignationJustCause',
      'resignationProtected',
      'consensualConciliation',
    ] as const) {
      assert.equal(checkEligibility({ ...eligible, termination }, TODAY).eligible, 'probably');
    }
  });

  it('gives every reason why not', () => {
    const r = checkEligibility(
      {
        ...eligible,
        termination: 'resignation',
        employment: 'publicPermanent',
        contributionWeeks: 12,
        endDate: '2025-01-10',
        recentVoluntaryExit: true,
        weeksSinceVoluntaryExit: 5,
      },
      TODAY,
    );
    assert.equal(r.eligible, 'no');
    assert.deepEqual(r.reasons, [
      'voluntaryResignation',
      'publicPermanent',
      'tooFewWeeks',
      'tooFewWeeksAfterVoluntaryExit',
      'claimDeadlinePassed',
    ]);
  });

  it('other consensual terminations, agricultural workers, used-up weeks', () => {
    assert.deepEqual(checkEligibility({ ...eligible, termination: 'consensualOther' }, TODAY).reasons, [
      'consensualTermination',
    ]);
    assert.deepEqual(checkEligibility({ ...eligible, employment: 'agricultural' }, TODAY).reasons, [
      'agricultural',
    ]);
    assert.equal(
      checkEligibility({ ...eligible, employment: 'agriculturalCooperative' }, TODAY).eligible,
      'probably',
    );
    assert.deepEqual(checkEligibility({ ...eligible, weeksAlreadyUsed: 150 }, TODAY).reasons, [
      'noWeeksLeft',
    ]);
  });

  it('13 weeks exactly are enough; the 68th day is the last one', () => {
    assert.equal(checkEligibility({ ...eligible, contributionWeeks: 13 }, TODAY).eligible, 'probably');
    assert.equal(checkEligibility(eligible, '2025-08-08').eligible, 'probably');
    assert.deepEqual(checkEligibility(eligible, '2025-08-09').reasons, ['claimDeadlinePassed']);
  });

  it('after a recent voluntary exit, 13 weeks since then are needed (from 2025)', () => {
    const base = { ...eligible, recentVoluntaryExit: true };
    assert.equal(checkEligibility({ ...base, weeksSinceVoluntaryExit: 13 }, TODAY).eligible, 'probably');
    assert.deepEqual(checkEligibility({ ...base, weeksSinceVoluntaryExit: 12 }, TODAY).reasons, [
      'tooFewWeeksAfterVoluntaryExit',
    ]);
  });

  it('no estimate when not entitled', () => {
    const a = assess({ ...eligible, termination: 'resignation', taxablePayCents: 1, ageAtClaim: 30 }, TODAY);
    assert.equal(a.estimate, null);
  });
});

describe('dates', () => {
  it('adds days across months and leap years, and rejects impossible days', () => {
    assert.equal(addDays('2024-02-01', 68), '2024-04-09');
    assert.equal(isCalendarDate('2024-02-29'), true);
    assert.equal(isCalendarDate('2025-02-29'), false);
    assert.equal(isCalendarDate('2025-2-1'), false);
  });
});

describe('properties', () => {
  const params = fc.constantFrom(...PARAMETERS);
  const pay = fc.integer({ min: 0, max: 1_000_000_000 });
  const weeks = fc.integer({ min: 1, max: 208 });
  const age = fc.integer({ min: 15, max: 99 });

  it('the amount never exceeds the maximum', () => {
    fc.assert(
      fc.property(pay, weeks, age, params, (p, w, a, par) => {
        const e = estimate({
          taxablePayCents: p,
          contributionWeeks: w,
          weeksAlreadyUsed: 0,
          ageAtClaim: a,
          parameters: par,
        });
        assert.ok(e.monthlyAmountCents <= par.maximumCents);
        for (const r of e.schedule) assert.ok(r.amountCents <= par.maximumCents);
      }),
    );
  });

  it('the amount does not decrease when pay grows', () => {
    fc.assert(
      fc.property(pay, pay, weeks, params, (a, b, w, par) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(
          monthlyAmount(averageMonthlyPay(lo, w), par) <= monthlyAmount(averageMonthlyPay(hi, w), par),
        );
      }),
    );
  });

  it('the duration does not decrease with more weeks, and is at most 24 months', () => {
    fc.assert(
      fc.property(weeks, weeks, fc.integer({ min: 0, max: 208 }), (a, b, used) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const run = (w: number) =>
          estimate({
            taxablePayCents: 1_000_000,
            contributionWeeks: w,
            weeksAlreadyUsed: Math.min(used, w),
            ageAtClaim: 30,
            parameters: P2025,
          });
        const x = run(lo);
        const y = run(hi);
        assert.ok(x.durationWeeks <= y.durationWeeks);
        assert.ok(x.durationMonths <= y.durationMonths);
        assert.ok(y.durationMonths <= 24 && y.schedule.length <= 24 && y.durationWeeks <= 104);
      }),
    );
  });

  it('the schedule never goes up', () => {
    fc.assert(
      fc.property(pay, weeks, age, params, (p, w, a, par) => {
        const { schedule } = estimate({
          taxablePayCents: p,
          contributionWeeks: w,
          weeksAlreadyUsed: 0,
          ageAtClaim: a,
          parameters: par,
        });
        for (let i = 1; i < schedule.length; i++)
          assert.ok(schedule[i]!.amountCents <= schedule[i - 1]!.amountCents);
      }),
    );
  });

  it('eligibility is "no" exactly when there is a reason', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TERMINATIONS),
        fc.constantFrom(...EMPLOYMENTS),
        fc.integer({ min: 0, max: 208 }),
        fc.integer({ min: 0, max: 120 }),
        (termination, employment, w, daysAgo) => {
          const r = checkEligibility(
            { ...eligible, termination, employment, contributionWeeks: w, endDate: addDays(TODAY, -daysAgo) },
            TODAY,
          );
          assert.equal(r.eligible === 'no', r.reasons.length > 0);
        },
      ),
    );
  });
});
