import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CEFR, CEFR_LEVELS, EQF, EQF_LEVELS, isCefrLevel, isEqfLevel } from './levels.ts';

describe('EQF and CEFR reference lists', () => {
  it('has the eight EQF levels and six CEFR levels, each described in it, en and ar', () => {
    assert.deepEqual([...EQF_LEVELS], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual([...CEFR_LEVELS], ['A1', 'A2', 'B1', 'B2', 'C1', 'C2']);
    for (const level of EQF_LEVELS) {
      for (const lang of ['it', 'en', 'ar'] as const) assert.ok(EQF[level].description[lang].length > 20);
    }
    for (const level of CEFR_LEVELS) {
      for (const lang of ['it', 'en', 'ar'] as const) assert.ok(CEFR[level][lang].length > 20);
    }
  });

  it('recognises levels', () => {
    assert.equal(isEqfLevel(4), true);
    assert.equal(isEqfLevel(9), false);
    assert.equal(isEqfLevel('4'), false);
    assert.equal(isCefrLevel('B2'), true);
    assert.equal(isCefrLevel('b2'), false);
  });
});
