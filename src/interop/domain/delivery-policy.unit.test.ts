import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelayMs, classifyStatus, cleanError, nextStep, parseRetryAfter } from './delivery-policy.ts';

const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5 };

describe('national outbox delivery policy', () => {
  it('classifies answers: 2xx delivered, 409 duplicate, transient retried, other 4xx permanent', () => {
    assert.equal(classifyStatus(200), 'delivered');
    assert.equal(classifyStatus(202), 'delivered');
    assert.equal(classifyStatus(409), 'duplicate');
    for (const s of [500, 502, 503, 504, 408, 425, 429, 401, 403, 302])
      assert.equal(classifyStatus(s), 'retry', `${s}`);
    for (const s of [400, 404, 410, 413, 422]) assert.equal(classifyStatus(s), 'permanent', `${s}`);
  });

  it('backs off exponentially between half and all of the step, capped', () => {
    assert.equal(
      backoffDelayMs(1, policy, () => 0),
      500,
    );
    assert.equal(
      backoffDelayMs(1, policy, () => 1),
      1000,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 1),
      4000,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 0),
      2000,
    );
    assert.equal(
      backoffDelayMs(30, policy, () => 1),
      60_000,
    );
    assert.equal(
      backoffDelayMs(10_000, policy, () => 0.5),
      45_000,
    );
    for (let n = 1; n < 50; n++) {
      const d = backoffDelayMs(n, policy);
      assert.ok(d >= 1 && d <= 60_000);
    }
  });

  it('reads Retry-After in seconds or as a date', () => {
    const now = new Date('2026-11-27T08:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Fri, 27 Nov 2026 08:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
  });

  it('dead-letters a permanent refusal at once and a transient failure after the last attempt', () => {
    assert.deepEqual(nextStep({ kind: 'permanent', status: 422, error: 'HTTP 422' }, 0, policy), {
      kind: 'dead',
      error: 'HTTP 422',
    });
    const transient = {
      kind: 'retry',
      status: 503,
      error: 'HTTP 503',
      unreachable: false,
      retryAfterMs: null,
    } as const;
    const step = nextStep(transient, 3, policy, () => 1);
    assert.deepEqual(step, { kind: 'retry', delayMs: 8000, error: 'HTTP 503' });
    assert.deepEqual(nextStep(transient, 4, policy), { kind: 'dead', error: 'HTTP 503' });
    assert.deepEqual(nextStep({ kind: 'delivered', status: 200, duplicate: false }, 4, policy), {
      kind: 'delivered',
    });
  });

  it('honours a longer Retry-After, never beyond the cap', () => {
    const slow = {
      kind: 'retry',
      status: 429,
      error: 'HTTP 429',
      unreachable: false,
      retryAfterMs: 20_000,
    } as const;
    assert.deepEqual(
      nextStep(slow, 0, policy, () => 1),
      { kind: 'retry', delayMs: 20_000, error: 'HTTP 429' },
    );
    const huge = { ...slow, retryAfterMs: 3_600_000 };
    assert.deepEqual(
      nextStep(huge, 0, policy, () => 1),
      { kind: 'retry', delayMs: 60_000, error: 'HTTP 429' },
    );
  });

  it('keeps stored errors to one clean line', () => {
    assert.equal(cleanError('HTTP 500:\n\u0007boom\r\n'), 'HTTP 500: boom');
    assert.equal(cleanError('x'.repeat(500), 10).length, 10);
  });
});
