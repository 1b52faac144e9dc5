import { z } from 'zod';

/**
 * The suggested decision for a conditionality event, from configurable rules
 * (src/conditionality/data/sanction-rules.json): by benefit, event kind and how many earlier events of
 * that kind the person has had decided without archiving (a warning or a sanction proposal) in the
 * benefit's counting window. Pure: the counting is done by the caller.
 */
export const BENEFITS = ['naspi', 'dis_coll', 'adi', 'sfl', 'other'] as const;
export const EVENT_KINDS = [
  'no_show',
  'refused_offer',
  'did_not_confirmed',
  'action_not_done',
  'other',
] as const;
export const DECISIONS = ['archive', 'warning', 'sanction_proposal'] as const;
export const EFFECTS = [
  'none',
  'cut_quarter_month',
  'cut_one_month',
  'suspension',
  'loss_of_benefit',
] as const;

export type Benefit = (typeof BENEFITS)[number];
export type EventKind = (typeof EVENT_KINDS)[number];
export type DecisionKind = (typeof DECISIONS)[number];
export type Effect = (typeof EFFECTS)[number];

const StepSchema = z.object({ decision: z.enum(DECISIONS), effect: z.enum(EFFECTS) });
const RuleSchema = z.object({
  source: z.string().min(3),
  toVerify: z.boolean(),
  steps: z.array(StepSchema).min(1),
});
const BenefitRulesSchema = z.object({
  periodMonths: z.number().int().min(1).max(120),
  periodToVerify: z.boolean().default(false),
  rules: z.partialRecord(z.enum(EVENT_KINDS), RuleSchema),
});
export const SanctionRulesSchema = z.object({
  reviewed: z.string(),
  benefits: z.partialRecord(z.enum(BENEFITS), BenefitRulesSchema),
});
export type SanctionRules = z.infer<typeof SanctionRulesSchema>;

export type Suggestion = {
  decision: DecisionKind;
  effect: Effect;
  /** The legal source named to the operator, e.g. "D.Lgs. 150/2015, art. 21, c. 7, lett. a)". */
  source: string;
  /** The reading must be confirmed by the Region's legal office. */
  toVerify: boolean;
  /** 1-based: which occurrence this is (capped at the last step). */
  step: number;
  steps: number;
  earlier: number;
  periodMonths: number;
};

/** Validate a rules file (throws with the zod message on a bad file: the platform refuses to start). */
export function parseRules(raw: unknown): SanctionRules {
  return SanctionRulesSchema.parse(raw);
}

/** The counting window of a benefit in months (12 when the benefit has no rules). */
export function periodMonthsOf(rules: SanctionRules, benefit: Benefit | null): number {
  return (benefit && rules.benefits[benefit]?.periodMonths) || 12;
}

/**
 * What the rules suggest for an event of `kind` for `benefit` when the person already had `earlier`
 * unarchived events of that kind in the window; null when no rule applies (benefit or kind without
 * rules): the operator decides alone.
 */
export function suggestDecision(
  rules: SanctionRules,
  input: { benefit: Benefit | null; kind: EventKind; earlier: number },
): Suggestion | null {
  if (!input.benefit) return null;
  const benefit = rules.benefits[input.benefit];
  const rule = benefit?.rules[input.kind];
  if (!benefit || !rule) return null;
  const earlier = Math.max(0, Math.floor(input.earlier));
  const index = Math.min(earlier, rule.steps.length - 1);
  const step = rule.steps[index]!;
  return {
    decision: step.decision,
    effect: step.effect,
    source: rule.source,
    toVerify: rule.toVerify || benefit.periodToVerify,
    step: index + 1,
    steps: rule.steps.length,
    earlier,
    periodMonths: benefit.periodMonths,
  };
}

/** The start of the counting window for an event that occurred at `occurredAt`. */
export function windowStart(occurredAt: Date, months: number): Date {
  const d = new Date(occurredAt.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}
