import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStatusList, encodeStatusList, STATUS_LIST_BITS, statusBit } from './status-list.ts';

test('an encoded list is multibase base64url of a gzip of at least 16 KB', () => {
  const encoded = encodeStatusList([]);
  assert.match(encoded, /^u[A-Za-z0-9_-]+$/);
  const bits = decodeStatusList(encoded);
  assert.equal(bits.length * 8, STATUS_LIST_BITS);
  assert.equal(STATUS_LIST_BITS, 131_072);
  assert.ok(bits.every((b) => b === 0));
});

test('set bits come back set, the zeroth bit being the high bit of the first byte', () => {
  const indices = [0, 7, 8, 4242, STATUS_LIST_BITS - 1];
  const bits = decodeStatusList(encodeStatusList(indices));
  assert.equal(bits[0], 0b1000_0001);
  assert.equal(bits[1], 0b1000_0000);
  for (const i of indices) assert.equal(statusBit(bits, i), true, `bit ${i}`);
  for (const i of [1, 6, 9, 4241, 4243, 100_000]) assert.equal(statusBit(bits, i), false, `bit ${i}`);
  let count = 0;
  for (let i = 0; i < STATUS_LIST_BITS; i++) if (statusBit(bits, i)) count++;
  assert.equal(count, indices.length);
});

test('out of range indices and short lists are refused', () => {
  assert.throws(() => encodeStatusList([STATUS_LIST_BITS]), RangeError);
  assert.throws(() => encodeStatusList([-1]), RangeError);
  assert.throws(() => encodeStatusList([], 8 * 1024), RangeError);
  assert.throws(() => statusBit(new Uint8Array(2), 16), RangeError);
  assert.throws(() => decodeStatusList('zABC'));
});
