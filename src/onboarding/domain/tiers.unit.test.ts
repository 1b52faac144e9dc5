import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import policy from '../data/tier-policy.json' with { type: 'json' };
import { ATTITUDE_ITEMS, scoreAttitude } from './attitude.ts';
import { channelPlan, decideTier, type TierPolicy } from './tiers.ts';

const p = policy as unknown as TierPolicy;

test('risk sets the tier; no digital skills means tier 3; low attitude raises tier 1 to 2', () => {
  assert.equal(decideTier({ risk: 0.1, digitalLevel: 3, attitude: 0.8 }, p).tier, 1);
  assert.equal(decideTier({ risk: 0.4, digitalLevel: 3, attitude: 0.8 }, p).tier, 2);
  assert.equal(decideTier({ risk: 0.7, digitalLevel: 3, attitude: 0.8 }, p).tier, 3);
  assert.deepEqual(decideTier({ risk: 0.1, digitalLevel: 0, attitude: 0.8 }, p), {
    tier: 3,
    because: ['no_digital_skills'],
  });
  assert.deepEqual(decideTier({ risk: 0.1, digitalLevel: 3, attitude: 0.2 }, p), {
    tier: 2,
    because: ['attitude'],
  });
});

test('more risk never lowers the tier (property)', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(0, 1, 2, 3),
      (a, b, d) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const level = d as 0 | 1 | 2 | 3;
        assert.ok(
          decideTier({ risk: lo, digitalLevel: level, attitude: 0.5 }, p).tier <=
            decideTier({ risk: hi, digitalLevel: level, attitude: 0.5 }, p).tier,
        );
      },
    ),
  );
});

test("the person's channel choice wins over the suggestion", () => {
  const plan = channelPlan(3, p, [{ phase: 'search', channel: 'remote', source: 'person' }]);
  assert.deepEqual(plan.search, { channel: 'remote', chosen: true });
  assert.deepEqual(plan.engagement, { channel: 'in_person', chosen: false });
});

test('attitude scores: all best answers give 1, all worst give 0', () => {
  const best = Object.fromEntries(ATTITUDE_ITEMS.map((i) => [i.id, i.reverse ? 1 : 5]));
  const worst = Object.fromEntries(ATTITUDE_ITEMS.map((i) => [i.id, i.reverse ? 5 : 1]));
  assert.equal(scoreAttitude(best).score, 1);
  assert.equal(scoreAttitude(worst).score, 0);
  assert.equal(ATTITUDE_ITEMS.length, 20);
});
