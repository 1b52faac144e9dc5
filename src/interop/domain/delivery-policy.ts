/**
 * Pure rules of delivery to the national system: what an answer means, and when to try again.
 * Decision 0009.
 */

/** What one attempt ended with. `unreachable` = no answer at all (refused, reset, timed out). */
export type AttemptResult =
  | { kind: 'delivered'; status: number; duplicate: boolean }
  | { kind: 'retry'; status: number | null; error: string; unreachable: boolean; retryAfterMs: number | null }
  | { kind: 'permanent'; status: number; error: string };

/**
 * An HTTP answer, classified:
 * - 2xx: delivered; 409 Conflict: the endpoint already has this idempotency key → delivered too;
 * - 408, 425, 429, 5xx: transient → retry;
 * - 401, 403: our credentials or the endpoint's configuration, not the event → retry (an expired
 *   token must not kill every event);
 * - any other 4xx: the endpoint refuses this event as it is → permanent (dead letter at once).
 */
export function classifyStatus(status: number): 'delivered' | 'duplicate' | 'retry' | 'permanent' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 409) return 'duplicate';
  if (status === 408 || status === 425 || status === 429 || status === 401 || status === 403) return 'retry';
  if (status >= 500) return 'retry';
  if (status >= 400) return 'permanent';
  // 1xx/3xx: not an acknowledgement (redirects are not followed): try again later.
  return 'retry';
}

export type BackoffPolicy = { baseDelayMs: number; maxDelayMs: number };

/**
 * Exponential backoff with "equal jitter" and a cap: after the n-th failed attempt (n ≥ 1) wait
 * between half and all of min(cap, base · 2^(n−1)). Never zero, never above the cap, and two workers
 * failing together spread apart.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(n - 1, 40));
  const half = exp / 2;
  return Math.max(1, Math.round(half + random() * half));
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{1,7}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

export type NextStep =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'dead'; error: string };

/**
 * What to write after an attempt. `attemptsBefore` = attempts already recorded for the event.
 * A transient failure becomes dead once `maxAttempts` attempts have failed; a permanent one at once.
 * A `Retry-After` longer than the backoff is honoured (up to the cap).
 */
export function nextStep(
  result: AttemptResult,
  attemptsBefore: number,
  policy: BackoffPolicy & { maxAttempts: number },
  random: () => number = Math.random,
): NextStep {
  if (result.kind === 'delivered') return { kind: 'delivered' };
  if (result.kind === 'permanent') return { kind: 'dead', error: result.error };
  const attempts = attemptsBefore + 1;
  if (attempts >= policy.maxAttempts) return { kind: 'dead', error: result.error };
  const backoff = backoffDelayMs(attempts, policy, random);
  const delayMs = Math.min(policy.maxDelayMs, Math.max(backoff, result.retryAfterMs ?? 0));
  return { kind: 'retry', delayMs, error: result.error };
}

/** An error text safe to store and show: one line, no control characters, at most `max` characters. */
export function cleanError(text: string, max = 300): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const one = text.replace(/[\u0000-\u001F\u007F]+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** The JSON body sent for one event. */
export type Envelope = {
  idempotencyKey: string;
  kind: string;
  regionCode: string;
  /** The ordering key: `person:<id>`, `vacancy:<id>` or `event:<key>`. */
  orderKey: string;
  /** Position of the event within its ordering key, from 1, in commit order. */
  sequence: number;
  createdAt: string;
  payload: Record<string, unknown>;
};
