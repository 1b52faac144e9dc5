import type { Channel, JourneyPhase } from '../../platform/db/schema.ts';
import type { Tier } from './profiling-model.ts';

/**
 * The service tier (§3.7): 1 autonomous, 2 needs assistance, 3 low employability or no digital
 * skills. The model's risk sets the floor; no digital skills or a low attitude score raise it.
 */
export const JOURNEY_PHASES: readonly JourneyPhase[] = [
  'information',
  'engagement',
  'orientation',
  'search',
  'monitoring',
  'checks',
];
export const CHANNELS: readonly Channel[] = ['remote', 'blended', 'in_person'];

export type TierPolicy = {
  riskTier2: number;
  riskTier3: number;
  attitudeLow: number;
  channels: Record<'1' | '2' | '3', Record<JourneyPhase, Channel>>;
};

export type TierInput = { risk: number; digitalLevel: 0 | 1 | 2 | 3; attitude: number | null };

export type TierDecision = {
  tier: Tier;
  because: ('risk' | 'no_digital_skills' | 'low_digital' | 'attitude')[];
};

export function decideTier(input: TierInput, policy: TierPolicy): TierDecision {
  const because: TierDecision['because'] = [];
  let tier: Tier = input.risk >= policy.riskTier3 ? 3 : input.risk >= policy.riskTier2 ? 2 : 1;
  if (tier > 1) because.push('risk');
  if (input.digitalLevel === 0) {
    tier = 3;
    because.push('no_digital_skills');
  } else if (input.digitalLevel === 1 && tier === 1) {
    tier = 2;
    because.push('low_digital');
  }
  if (input.attitude !== null && input.attitude < policy.attitudeLow && tier === 1) {
    tier = 2;
    because.push('attitude');
  }
  return { tier, because };
}

/** The suggested channel for each phase; the person's own choice, when made, always wins. */
export function channelPlan(
  tier: Tier,
  policy: TierPolicy,
  choices: readonly { phase: JourneyPhase; channel: Channel; source: 'suggested' | 'person' }[],
): Record<JourneyPhase, { channel: Channel; chosen: boolean }> {
  const plan = {} as Record<JourneyPhase, { channel: Channel; chosen: boolean }>;
  for (const phase of JOURNEY_PHASES) {
    const own = choices.find((c) => c.phase === phase && c.source === 'person');
    plan[phase] = own
      ? { channel: own.channel, chosen: true }
      : { channel: policy.channels[String(tier) as '1' | '2' | '3'][phase], chosen: false };
  }
  return plan;
}
