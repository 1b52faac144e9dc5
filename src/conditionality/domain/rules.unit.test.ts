import assert from 'node:assert/strict';
import { test } from 'node:test';
import rulesData from '../data/sanction-rules.json' with { type: 'json' };
import { parseRules, periodMonthsOf, suggestDecision, windowStart } from './rules.ts';

const rules = parseRules(rulesData);

test('NASpI no-show: a quarter of a month, then one month, then loss of the benefit (D.Lgs. 150/2015 art. 21 c. 7)', () => {
  const effects = [0, 1, 2, 3, 7].map((earlier) =>
    suggestDecision(rules, { benefit: 'naspi', kind: 'no_show', earlier }),
  );
  assert.deepEqual(
    effects.map((s) => [s?.decision, s?.effect, s?.step]),
    [
      ['sanction_proposal', 'cut_quarter_month', 1],
      ['sanction_proposal', 'cut_one_month', 2],
      ['sanction_proposal', 'loss_of_benefit', 3],
      ['sanction_proposal', 'loss_of_benefit', 3],
      ['sanction_proposal', 'loss_of_benefit', 3],
    ],
  );
  assert.equal(effects[0]?.source, 'D.Lgs. 150/2015, art. 21, c. 7, lett. a)');
  assert.equal(effects[0]?.toVerify, false);
  assert.equal(effects[3]?.earlier, 3);
});

test('DIS-COLL follows the same scale; a refused offer means loss of the benefit at once', () => {
  assert.equal(
    suggestDecision(rules, { benefit: 'dis_coll', kind: 'no_show', earlier: 1 })?.effect,
    'cut_one_month',
  );
  const refused = suggestDecision(rules, { benefit: 'naspi', kind: 'refused_offer', earlier: 0 });
  assert.equal(refused?.effect, 'loss_of_benefit');
  assert.equal(refused?.steps, 1);
});

test('ADI: the rules name D.L. 48/2023 art. 8 and are marked to verify', () => {
  const s = suggestDecision(rules, { benefit: 'adi', kind: 'no_show', earlier: 0 });
  assert.equal(s?.decision, 'sanction_proposal');
  assert.match(s?.source ?? '', /D\.L\. 48\/2023, art\. 8/);
  assert.equal(s?.toVerify, true);
});

test('a benefit without rules, a kind without rules or no benefit at all give no suggestion', () => {
  assert.equal(suggestDecision(rules, { benefit: 'other', kind: 'no_show', earlier: 0 }), null);
  assert.equal(suggestDecision(rules, { benefit: 'naspi', kind: 'did_not_confirmed', earlier: 2 }), null);
  assert.equal(suggestDecision(rules, { benefit: null, kind: 'no_show', earlier: 0 }), null);
});

test('a negative or fractional count is read as whole earlier events', () => {
  assert.equal(suggestDecision(rules, { benefit: 'naspi', kind: 'no_show', earlier: -4 })?.step, 1);
  assert.equal(suggestDecision(rules, { benefit: 'naspi', kind: 'no_show', earlier: 1.9 })?.step, 2);
});

test('the counting window: months by benefit, 12 without rules', () => {
  assert.equal(periodMonthsOf(rules, 'naspi'), 24);
  assert.equal(periodMonthsOf(rules, 'other'), 12);
  assert.equal(periodMonthsOf(rules, null), 12);
  assert.equal(windowStart(new Date('2026-11-26T10:00:00Z'), 24).toISOString(), '2024-11-26T10:00:00.000Z');
});

test('a rules file with an unknown decision is refused', () => {
  const bad = structuredClone(rulesData) as {
    benefits: { naspi: { rules: { no_show: { steps: { decision: string }[] } } } };
  };
  bad.benefits.naspi.rules.no_show.steps[0]!.decision = 'fine';
  assert.throws(() => parseRules(bad));
});
