import { z } from 'zod';
import type { ApiRegistry } from '../../platform/api/api.ts';
import { ROLES } from '../../platform/auth/roles.ts';
import {
  assess,
  EMPLOYMENTS,
  FIRST_YEAR,
  isCalendarDate,
  MAX_WEEKS,
  REASON_CODES,
  TERMINATIONS,
  todayInRome,
} from '../domain/naspi.ts';

const weeks = z.int().min(0).max(MAX_WEEKS);

export const NaspiEstimateInput = z
  .object({
    termination: z.enum(TERMINATIONS).describe('How the job ended'),
    employment: z.enum(EMPLOYMENTS).describe('Kind of employment'),
    endDate: z.iso.date().describe(`Last day of work (YYYY-MM-DD), from ${FIRST_YEAR}-01-01 to today`),
    contributionWeeks: weeks.describe('Weeks of contributions in the 4 years before the end of the job'),
    weeksAlreadyUsed: weeks.default(0).describe('Weeks already used for an earlier unemployment benefit'),
    taxablePayCents: z
      .int()
      .min(0)
      .max(1_000_000_000)
      .describe('Taxable pay (retribuzione imponibile) of the last 4 years, in euro cents'),
    ageAtClaim: z.int().min(15).max(99).describe('Age on the day of the claim'),
    recentVoluntaryExit: z
      .boolean()
      .default(false)
      .describe('A permanent job left by resignation or agreement in the 12 months before the end date'),
    weeksSinceVoluntaryExit: z
      .int()
      .min(0)
      .max(52)
      .nullable()
      .default(null)
      .describe('Weeks of contributions after that exit (required when recentVoluntaryExit)'),
  })
  .superRefine((b, ctx) => {
    if (!isCalendarDate(b.endDate))
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'not a date' });
    else if (b.endDate > todayInRome())
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be in the future' });
    else if (b.endDate < `${FIRST_YEAR}-01-01`)
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must be ${FIRST_YEAR}-01-01 or later` });
    if (b.weeksAlreadyUsed > b.contributionWeeks)
      ctx.addIssue({
        code: 'custom',
        path: ['weeksAlreadyUsed'],
        message: 'must not exceed contributionWeeks',
      });
    if (b.recentVoluntaryExit && b.weeksSinceVoluntaryExit === null)
      ctx.addIssue({
        code: 'custom',
        path: ['weeksSinceVoluntaryExit'],
        message: 'required when recentVoluntaryExit is true',
      });
  })
  .meta({ id: 'NaspiEstimateInput' });

const cents = z.int().min(0);

export const NaspiEstimate = z
  .object({
    eligible: z.enum(['probably', 'no']),
    reasons: z.array(z.enum(REASON_CODES)).describe('Why the person is probably not entitled'),
    claimDeadline: z.iso.date().describe('Last day to apply to INPS (68 days after the end of the job)'),
    parameters: z.object({
      requestedYear: z.int(),
      appliedYear: z.int(),
      fallback: z.boolean().describe("True when the requested year's figures are not loaded"),
      thresholdCents: cents,
      maximumCents: cents,
      source: z.string(),
    }),
    estimate: z
      .object({
        averageMonthlyPayCents: cents,
        monthlyAmountCents: cents.describe('Initial gross monthly amount'),
        aboveThreshold: z.boolean(),
        cappedAtMaximum: z.boolean(),
        durationWeeks: z.number(),
        durationMonths: z.number(),
        durationCapped: z.boolean(),
        reductionFromMonth: z.int(),
        totalCents: cents,
        schedule: z.array(
          z.object({
            month: z.int().min(1),
            amountCents: cents,
            reduced: z.boolean(),
            partialDays: z.int().nullable(),
          }),
        ),
      })
      .nullable()
      .describe('Null when the person is probably not entitled'),
    disclaimer: z.string(),
  })
  .meta({ id: 'NaspiEstimate' });

const DISCLAIMER =
  'An estimate under D.Lgs. 22/2015 as amended, not a decision by INPS. Gross amounts; a month is 4.33 weeks.';

export function registerNaspiApi(api: ApiRegistry): void {
  api.add({
    method: 'POST',
    path: '/naspi/estimate',
    summary: 'NASpI self-check: probable eligibility, monthly amount, duration and month-by-month schedule',
    tag: 'onboarding',
    roles: ROLES,
    body: NaspiEstimateInput,
    response: NaspiEstimate,
    handler: async ({ body }) => {
      const { eligibility, parameters, estimate } = assess(body, todayInRome());
      return {
        status: 200,
        body: {
          ...eligibility,
          parameters: {
            requestedYear: parameters.requestedYear,
            appliedYear: parameters.parameters.year,
            fallback: parameters.fallback,
            thresholdCents: parameters.parameters.thresholdCents,
            maximumCents: parameters.parameters.maximumCents,
            source: parameters.parameters.source,
          },
          estimate,
          disclaimer: DISCLAIMER,
        },
      };
    },
  });
}
