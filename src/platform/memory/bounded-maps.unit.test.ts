import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ForgetfulMap, LruMap } from './bounded-maps.ts';

test('a ForgetfulMap keeps up to max entries, then forgets them all for the new one', () => {
  const m = new ForgetfulMap<string, number>(3);
  m.set('a', 1).set('b', 2).set('c', 3);
  assert.deepEqual(
    [...m],
    [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ],
  );
  // A key it holds is replaced in place: nothing is forgotten.
  m.set('b', 20);
  assert.deepEqual(
    [...m],
    [
      ['a', 1],
      ['b', 20],
      ['c', 3],
    ],
  );
  m.set('d', 4);
  assert.deepEqual([...m], [['d', 4]]);
  assert.equal(m.get('a'), undefined);
  assert.equal(m.get('d'), 4);
});

test('an LruMap drops the least recently used, a read counting as a use', () => {
  const m = new LruMap<string, number>(3);
  m.set('a', 1).set('b', 2).set('c', 3);
  assert.equal(m.get('a'), 1); // a is now the most recent: b is the oldest
  m.set('d', 4);
  assert.deepEqual([...m.keys()], ['c', 'a', 'd']);
  m.set('c', 30); // a write is a use too
  m.set('e', 5);
  assert.deepEqual(
    [...m],
    [
      ['d', 4],
      ['c', 30],
      ['e', 5],
    ],
  );
  assert.equal(m.get('missing'), undefined);
  assert.equal(m.size, 3);
  // A stored undefined is a value like any other.
  const u = new LruMap<string, number | undefined>(2);
  u.set('x', undefined);
  assert.equal(u.has('x'), true);
  assert.equal(u.get('x'), undefined);
});

test('a bound that is not a positive whole number is refused', () => {
  assert.throws(() => new ForgetfulMap(0), RangeError);
  assert.throws(() => new LruMap(1.5), RangeError);
});
