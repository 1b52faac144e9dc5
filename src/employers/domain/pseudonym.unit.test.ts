import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  candidateLabels,
  candidatePseudonym,
  experienceYears,
  kmBand,
  openCandidate,
  sealCandidate,
} from './pseudonym.ts';

const SECRET = 'a-secret-for-the-pseudonym-tests-0123456789';
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const P = '33333333-3333-4333-8333-333333333333';

test('a pseudonym is stable per company and person, and differs between companies', () => {
  const one = candidatePseudonym(SECRET, A, P);
  assert.match(one, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
  assert.equal(candidatePseudonym(SECRET, A, P), one);
  assert.notEqual(candidatePseudonym(SECRET, B, P), one);
  assert.notEqual(candidatePseudonym('another-secret-another-secret-0123', A, P), one);
});

test('a sealed handle opens only for the company it was made for', () => {
  const handle = sealCandidate(SECRET, A, P);
  // The person's id does not show through (the handle is random-looking: compare with the id itself).
  assert.equal(handle.includes(P), false);
  assert.equal(handle.includes(P.replaceAll('-', '')), false);
  assert.equal(openCandidate(SECRET, A, handle), P);
  assert.equal(openCandidate(SECRET, B, handle), null);
  // A changed character (inside, where every bit is data, not base64 padding) breaks the tag.
  const other = handle[30] === 'A' ? 'B' : 'A';
  assert.equal(openCandidate(SECRET, A, `${handle.slice(0, 30)}${other}${handle.slice(31)}`), null);
  assert.equal(openCandidate(SECRET, A, 'not a handle'), null);
  assert.equal(openCandidate(SECRET, A, undefined), null);
});

test('the labels a page shows are the pseudonym and a handle that opens to the person, for that company only', () => {
  const first = candidateLabels(SECRET, A, P);
  assert.equal(first.pseudonym, candidatePseudonym(SECRET, A, P));
  assert.equal(openCandidate(SECRET, A, first.handle), P);
  assert.equal(openCandidate(SECRET, B, first.handle), null);
  // Shown again: the same pair. Another company, or another secret: their own.
  assert.deepEqual(candidateLabels(SECRET, A, P), first);
  const otherCompany = candidateLabels(SECRET, B, P);
  assert.equal(otherCompany.pseudonym, candidatePseudonym(SECRET, B, P));
  assert.equal(openCandidate(SECRET, B, otherCompany.handle), P);
  const rotated = 'a-rotated-secret-for-the-pseudonym-tests-01';
  const afterRotation = candidateLabels(rotated, A, P);
  assert.equal(openCandidate(rotated, A, afterRotation.handle), P);
  assert.equal(afterRotation.pseudonym, candidatePseudonym(rotated, A, P));
});

test('distances are shown as bands', () => {
  assert.equal(kmBand(null), 'remote');
  assert.equal(kmBand(3.2), '0-10');
  assert.equal(kmBand(10), '10-25');
  assert.equal(kmBand(49.9), '25-50');
  assert.equal(kmBand(99), '50-100');
  assert.equal(kmBand(180), '100+');
});

test('experience years add up the periods of the work history', () => {
  const today = new Date(Date.UTC(2026, 10, 15));
  assert.equal(experienceYears([], today), 0);
  assert.equal(experienceYears(null, today), 0);
  assert.equal(experienceYears([{ from: '2020-01', to: '2021-12' }], today), 2);
  assert.equal(
    experienceYears(
      [
        { from: '2015-01', to: '2017-06' },
        { from: '2024-11', to: null },
      ],
      today,
    ),
    4,
  );
  assert.equal(experienceYears([{ from: 'garbage', to: null }], today), 0);
});

test('every sealed handle has its own IV, also across a refill of the IV pool, and each opens', () => {
  const handles = Array.from({ length: 600 }, () => sealCandidate(SECRET, A, P));
  const ivs = new Set(handles.map((h) => Buffer.from(h, 'base64url').subarray(0, 12).toString('hex')));
  assert.equal(ivs.size, handles.length);
  assert.ok(handles.every((h) => openCandidate(SECRET, A, h) === P));
});
