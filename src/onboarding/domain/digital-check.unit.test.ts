import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  AREAS,
  answer,
  type CheckResult,
  type CheckState,
  CheckStateSchema,
  ITEM_BANK,
  type Item,
  itemText,
  loadItemBank,
  MAX_ITEMS,
  medianLevel,
  newState,
  nextItem,
  result,
} from './digital-check.ts';

const ALL_IDS = ITEM_BANK.items.map((i) => i.id);

function wrongOption(item: Item): string {
  const wrong = item.options.find((o) => o.id !== item.correct);
  assert.ok(wrong, `${item.id} has no wrong option`);
  return wrong.id;
}

/** Run a whole check for a person who answers correctly exactly the items in `knows`. */
function run(seed: number, knows: ReadonlySet<string>) {
  let state = newState(seed);
  const presented: Item[] = [];
  for (let step = 0; step <= MAX_ITEMS + 1; step++) {
    const item = nextItem(state);
    if (!item) break;
    presented.push(item);
    const outcome = answer(state, item.id, knows.has(item.id) ? item.correct : wrongOption(item));
    assert.ok(outcome.ok, `answer refused at step ${step}`);
    state = outcome.state;
  }
  return { state, presented, result: result(state) };
}

function atLeast(b: CheckResult, a: CheckResult): void {
  assert.ok(b.overall >= a.overall, `overall ${b.overall} < ${a.overall}`);
  for (const area of AREAS)
    assert.ok(b.areas[area] >= a.areas[area], `${area} ${b.areas[area]} < ${a.areas[area]}`);
}

test('the item bank is well formed: 40+ items, 8+ per area, every difficulty covered twice', () => {
  assert.ok(ITEM_BANK.items.length >= 40);
  for (const area of AREAS) {
    const inArea = ITEM_BANK.items.filter((i) => i.area === area);
    assert.ok(inArea.length >= 8, `${area}: ${inArea.length} items`);
    for (const d of [1, 2, 3])
      assert.ok(inArea.filter((i) => i.difficulty === d).length >= 2, `${area}/${d}`);
  }
  for (const item of ITEM_BANK.items) {
    assert.ok(item.options.length >= 3, `${item.id} needs at least three options`);
    assert.ok(item.prompt.it.length > 10 && item.prompt.en.length > 10);
  }
});

test('an invalid item bank is refused', () => {
  const good = ITEM_BANK.items.map((i) => structuredClone(i));
  assert.throws(() => loadItemBank([...good, good[0]]), /defined twice/);
  assert.throws(
    () => loadItemBank(good.filter((i) => !(i.area === 'safety' && i.difficulty === 3))),
    /safety/,
  );
  const badCorrect = good.map((i, n) => (n === 0 ? { ...i, correct: 'z' } : i));
  assert.throws(() => loadItemBank(badCorrect));
});

test('someone who answers everything correctly gets level 3 in 15 items', () => {
  const { result: r, presented } = run(7, new Set(ALL_IDS));
  assert.equal(presented.length, MAX_ITEMS);
  assert.equal(r.finished, true);
  assert.equal(r.overall, 3);
  for (const area of AREAS) assert.equal(r.areas[area], 3);
});

test('someone who answers everything wrong stops after the five basic items with level 0', () => {
  const { result: r, presented } = run(7, new Set());
  assert.equal(presented.length, AREAS.length);
  assert.ok(presented.every((i) => i.difficulty === 1));
  assert.deepEqual(
    presented.map((i) => i.area),
    [...AREAS],
  );
  assert.equal(r.overall, 0);
  assert.equal(r.finished, true);
});

test('difficulty rises across the check, and each area climbs its own ladder', () => {
  const { presented } = run(3, new Set(ALL_IDS));
  const difficulties = presented.map((i) => i.difficulty);
  assert.deepEqual(
    difficulties,
    [...difficulties].sort((a, b) => a - b),
  );
});

test('levels per area and the median overall level', () => {
  // Choose what to know per area: information 3, communication 2, content 1, safety 0, problem solving 2.
  const target: Record<string, number> = {
    information: 3,
    communication: 2,
    content: 1,
    safety: 0,
    problem_solving: 2,
  };
  const knows = new Set(
    ITEM_BANK.items.filter((i) => i.difficulty <= (target[i.area] ?? 0)).map((i) => i.id),
  );
  const { result: r, presented } = run(11, knows);
  assert.deepEqual(r.areas, target);
  assert.equal(r.overall, 2);
  // Items: level + 1 per area unless the level is 3.
  assert.equal(presented.length, 3 + 3 + 2 + 1 + 3);
  assert.equal(medianLevel([0, 0, 3, 3, 3]), 3);
  assert.equal(medianLevel([1, 2]), 2);
});

test('only the expected item, with one of its own options, is accepted', () => {
  const state = newState(1);
  const expected = nextItem(state)!;
  const other = ITEM_BANK.items.find((i) => i.id !== expected.id)!;
  assert.deepEqual(answer(state, other.id, other.correct), { ok: false, reason: 'unexpected_item' });
  assert.deepEqual(answer(state, 'no-such-item', 'a'), { ok: false, reason: 'unexpected_item' });
  assert.deepEqual(answer(state, expected.id, 'z'), { ok: false, reason: 'unknown_option' });
  assert.deepEqual(answer(state, expected.id, '<script>'), { ok: false, reason: 'unknown_option' });
  const done = run(1, new Set()).state;
  assert.deepEqual(answer(done, expected.id, expected.correct), { ok: false, reason: 'finished' });
});

test('the stored state round-trips through JSON and its schema', () => {
  const { state } = run(5, new Set(ALL_IDS.filter((_, n) => n % 2 === 0)));
  const parsed = CheckStateSchema.parse(JSON.parse(JSON.stringify(state)));
  assert.deepEqual(parsed, state);
  assert.deepEqual(result(parsed), result(state));
});

test('the same seed presents the same items; texts come in Italian or English', () => {
  assert.deepEqual(
    run(42, new Set(ALL_IDS)).presented.map((i) => i.id),
    run(42, new Set(ALL_IDS)).presented.map((i) => i.id),
  );
  const item = nextItem(newState(42))!;
  assert.equal(itemText(item, 'it').prompt, item.prompt.it);
  assert.equal(itemText(item, 'en').prompt, item.prompt.en);
  assert.equal(itemText(item, 'ar').lang, 'en');
});

const person = fc.record({
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  knows: fc.subarray(ALL_IDS),
});

test('property: the check always ends within the item cap, with levels in 0..3', () => {
  fc.assert(
    fc.property(person, ({ seed, knows }) => {
      const { presented, result: r } = run(seed, new Set(knows));
      assert.ok(presented.length >= AREAS.length && presented.length <= MAX_ITEMS);
      assert.equal(r.finished, true);
      assert.equal(new Set(presented.map((i) => i.id)).size, presented.length, 'an item was shown twice');
      for (const level of [r.overall, ...Object.values(r.areas)]) {
        assert.ok(Number.isInteger(level) && level >= 0 && level <= 3);
      }
    }),
    { numRuns: 500 },
  );
});

test('property: flipping one wrong answer to correct never lowers an area level nor the overall level', () => {
  // Same seed, same items presented up to the flipped one; afterwards the person answers as before
  // (correctly exactly the items they knew). This is dominance with one extra known item.
  fc.assert(
    fc.property(person, fc.nat(), ({ seed, knows }, pickWrong) => {
      const known = new Set(knows);
      const before = run(seed, known);
      const wrong = before.presented.filter((i) => !known.has(i.id));
      fc.pre(wrong.length > 0);
      const flipped = wrong[pickWrong % wrong.length]!;
      const after = run(seed, new Set([...known, flipped.id]));
      const k = before.presented.indexOf(flipped);
      assert.deepEqual(
        after.presented.slice(0, k + 1).map((i) => i.id),
        before.presented.slice(0, k + 1).map((i) => i.id),
      );
      atLeast(after.result, before.result);
    }),
    { numRuns: 500 },
  );
});

test('property: whoever knows a superset of the items never gets a lower level', () => {
  fc.assert(
    fc.property(person, fc.subarray(ALL_IDS), ({ seed, knows }, more) => {
      const a = run(seed, new Set(knows)).result;
      const b = run(seed, new Set([...knows, ...more])).result;
      atLeast(b, a);
    }),
    { numRuns: 500 },
  );
});

test('property: a partial state never claims more than the final result', () => {
  fc.assert(
    fc.property(person, fc.nat(), ({ seed, knows }, cut) => {
      const full = run(seed, new Set(knows));
      const partial: CheckState = { ...full.state, answers: full.state.answers.slice(0, cut % 16) };
      atLeast(full.result, result(partial));
    }),
    { numRuns: 200 },
  );
});
