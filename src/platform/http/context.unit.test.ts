import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { csrfTokenFor, csrfTokenMatches } from './context.ts';

const A = 'secret-a-secret-a-secret-a-secret-a-0123456789';
const B = 'secret-b-secret-b-secret-b-secret-b-0123456789';

test('the CSRF token is the HMAC of the seed under the secret, remembered per secret and seed', () => {
  const expected = createHmac('sha256', A).update('csrf:seed-1').digest('base64url');
  assert.equal(csrfTokenFor(A, 'seed-1'), expected);
  // Asked again (now from memory): the same token.
  assert.equal(csrfTokenFor(A, 'seed-1'), expected);
  // Another secret or another seed never gets the remembered token.
  assert.notEqual(csrfTokenFor(B, 'seed-1'), expected);
  assert.notEqual(csrfTokenFor(A, 'seed-2'), expected);
  assert.equal(csrfTokenFor(B, 'seed-1'), createHmac('sha256', B).update('csrf:seed-1').digest('base64url'));
});

test('a form token matches only its own seed and secret', () => {
  const token = csrfTokenFor(A, 'seed-3');
  assert.equal(csrfTokenMatches(A, 'seed-3', token), true);
  assert.equal(csrfTokenMatches(A, 'seed-4', token), false);
  assert.equal(csrfTokenMatches(B, 'seed-3', token), false);
  assert.equal(csrfTokenMatches(A, 'seed-3', token.slice(1)), false);
  assert.equal(csrfTokenMatches(A, 'seed-3', undefined), false);
});
