import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  consistencyProblems,
  DECISIONS,
  filterDecisions,
  infrastructureCounts,
  PARTICIPANTS,
  parseDecisionFilter,
  QUESTIONNAIRES,
  REPORT_TABLES,
  tableOf,
} from './report.ts';

describe('the 2021 report as data', () => {
  test('the transcription is consistent: counts within 14 Regions, scores 1–10, known categories', () => {
    assert.deepEqual(consistencyProblems(), []);
    assert.equal(QUESTIONNAIRES.length, PARTICIPANTS);
  });

  test('every table and decision row names its source section', () => {
    for (const t of REPORT_TABLES) assert.match(t.section, /^2\.[4-8](\.\d)?$/);
    for (const d of DECISIONS) assert.equal(d.section, '4.1');
  });

  test('the §2.4 CPI efficiency figures are the report’s', () => {
    const t = tableOf('efficienza-cpi');
    assert.ok(t && t.kind === 'plus_minus');
    const health = t.rows.find((r) => r.item === 'health_safety');
    assert.deepEqual([health?.plus, health?.minus], [14, null]);
    const people = t.rows.find((r) => r.item === 'people_served');
    assert.deepEqual([people?.plus, people?.minus], [10, 4]);
  });

  test('§2.5 effectiveness and §2.8.1 fragile targets keep the text’s figures', () => {
    const e = tableOf('efficacia');
    assert.ok(e && e.kind === 'plus_minus');
    assert.deepEqual(
      e.rows.slice(0, 3).map((r) => [r.plus, r.minus]),
      [
        [10, 3],
        [9, 1],
        [9, 1],
      ],
    );
    const f = tableOf('target-fragili');
    assert.ok(f && f.kind === 'scores');
    assert.deepEqual(f.rows[0]?.scores, [3, 5, null, 10, 5, 6, 8, 8, 6, 8]);
  });

  test('the annex answers: Abruzzo as written, infrastructure counts rebuilt from 14 questionnaires', () => {
    const abruzzo = QUESTIONNAIRES.find((r) => r.code === 'abruzzo');
    assert.equal(abruzzo?.answers.s2?.infrastructure?.answer, 'insufficient');
    assert.equal(abruzzo?.answers.s2?.platforms?.answer, 'sufficient');
    assert.equal(abruzzo?.answers.s7_1?.remote_rural, 3);
    const counts = infrastructureCounts();
    for (const c of counts) assert.ok(c.sufficient + c.insufficient <= PARTICIPANTS);
    assert.deepEqual(
      counts.find((c) => c.item === 'infrastructure'),
      { item: 'infrastructure', sufficient: 8, insufficient: 6 },
    );
  });

  test('the §4 decision table has the four opinions, the three “no” services of the list', () => {
    const no = DECISIONS.filter((d) => d.digitisable === 'no').map((d) => d.id);
    assert.deepEqual(no, ['lep-8', 'lep-9', 'lep-10']);
    for (const k of ['yes', 'partly', 'blended'] as const)
      assert.ok(
        DECISIONS.some((d) => d.digitisable === k),
        k,
      );
  });
});

describe('decision table filters', () => {
  test('empty filters show every row; each filter narrows', () => {
    const all = parseDecisionFilter({});
    assert.ok(all.ok);
    assert.equal(filterDecisions(DECISIONS, all.filter).length, DECISIONS.length);
    const f = parseDecisionFilter({ digitizzabile: 'blended', fase: 'orientation' });
    assert.ok(f.ok);
    const rows = filterDecisions(DECISIONS, f.filter);
    assert.ok(rows.length > 0);
    for (const r of rows) assert.deepEqual([r.digitisable, r.phase], ['blended', 'orientation']);
  });

  test('an unknown value is refused with the typed values kept', () => {
    const f = parseDecisionFilter({ digitizzabile: 'forse', fase: 'search' });
    assert.equal(f.ok, false);
    if (!f.ok) {
      assert.deepEqual(f.values, { digitizzabile: 'forse', fase: 'search' });
      assert.deepEqual(f.errors, { digitizzabile: true });
    }
    const g = parseDecisionFilter({ fase: ['a', 'b'] });
    assert.equal(g.ok, true);
  });
});
