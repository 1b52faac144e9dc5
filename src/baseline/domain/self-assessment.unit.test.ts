import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answersOf, baselineOf, selfAssessmentSchema, valuesOf } from './self-assessment.ts';

const complete = {
  s2_infrastructure: 'sufficient',
  s2_platforms: 'insufficient',
  s2_operator_skills: 'sufficient',
  s2_operators_in_office: 'sufficient',
  s31_people_served: '+',
  s31_operator_time: '-',
  s31_document_flow: '',
  s31_orderly_data: '+',
  s31_service_control: '+',
  s31_health_safety: '+',
  s4_user_relationship: '+',
  s4_service_quality: '',
  s4_user_satisfaction: '-',
  s71_remote_rural: '10',
  s71_young_remote_rural: '',
  s71_low_it_skills: '1',
  s71_low_it_access: ' 5 ',
  s71_non_native: '',
  s71_disability: '',
  s71_over_60: '6',
};

describe('the yearly self-assessment', () => {
  test('a complete form becomes the stored answers and back', () => {
    const parsed = selfAssessmentSchema.safeParse(complete);
    assert.ok(parsed.success);
    const a = answersOf(parsed.data as Record<string, unknown>);
    assert.equal(a.s2.platforms, 'insufficient');
    assert.equal(a.s3_1.document_flow, null);
    assert.equal(a.s4.user_satisfaction, '-');
    assert.deepEqual([a.s7_1.remote_rural, a.s7_1.low_it_access, a.s7_1.non_native], [10, 5, null]);
    assert.equal(valuesOf(a).s71_low_it_access, '5');
  });

  test('scores outside 1–10, unknown marks and missing required answers are refused', () => {
    for (const bad of [
      { s71_over_60: '0' },
      { s71_over_60: '11' },
      { s71_over_60: '5.5' },
      { s31_people_served: 'x' },
      { s2_platforms: '' },
    ]) {
      assert.equal(
        selfAssessmentSchema.safeParse({ ...complete, ...bad }).success,
        false,
        JSON.stringify(bad),
      );
    }
  });

  test('the 2021 baseline beside each question comes from the report’s data', () => {
    assert.deepEqual(baselineOf('s2', 'infrastructure'), {
      kind: 'suff',
      sufficient: 8,
      insufficient: 6,
      of: 14,
    });
    assert.deepEqual(baselineOf('s3_1', 'health_safety'), { kind: 'pm', plus: 14, minus: null });
    assert.deepEqual(baselineOf('s4', 'user_relationship'), { kind: 'pm', plus: 10, minus: 3 });
    // Remote/rural: 3, 5, 10, 5, 6, 8, 8, 6, 8 → 59 / 9.
    assert.deepEqual(baselineOf('s7_1', 'remote_rural'), { kind: 'score', mean: 6.6, answers: 9 });
  });
});
