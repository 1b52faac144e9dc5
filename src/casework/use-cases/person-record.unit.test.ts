import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextPrefix } from './person-record.ts';

test('nextPrefix: the first string after every string that starts with the prefix', () => {
  assert.equal(nextPrefix('ROSSI'), 'ROSSJ');
  assert.equal(nextPrefix('Z'), '[');
  assert.equal(nextPrefix("D'A"), "D'B");
  assert.equal(nextPrefix('NICCOLÒ'), 'NICCOLÓ');
  // Over the surrogates, which are not characters.
  assert.equal(nextPrefix('A\uD7FF'), 'A\uE000');
  // The last code point cannot grow: the one before it does.
  assert.equal(nextPrefix('A\u{10FFFF}'), 'B');
  for (const name of ['ROSSI', 'ROSSIÈ', 'ROSSI\u{1F600}', 'ROSSIZZZ']) {
    assert.ok(
      name >= 'ROSSI' && Buffer.compare(Buffer.from(name), Buffer.from(nextPrefix('ROSSI'))) < 0,
      name,
    );
  }
});
