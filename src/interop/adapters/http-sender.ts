import {
  type AttemptResult,
  classifyStatus,
  cleanError,
  type Envelope,
  parseRetryAfter,
} from '../domain/delivery-policy.ts';

/** Sends one event to the national endpoint. The port the worker uses (tests may wrap it). */
export type Sender = { send: (envelope: Envelope) => Promise<AttemptResult> };

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

function networkError(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES[code]) return `${NETWORK_CODES[code]} (${code})`;
    e = (e as { cause?: unknown }).cause;
  }
  return `network error: ${cleanError(String((error as Error)?.message ?? error), 120)}`;
}

/**
 * HTTP POST with a JSON body, the `Idempotency-Key` header (the event's key, the same on every
 * attempt), an optional bearer token and a timeout. Redirects are not followed.
 */
export class HttpSender implements Sender {
  constructor(private readonly options: { url: string; token: string | null; timeoutMs: number }) {}

  async send(envelope: Envelope): Promise<AttemptResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': envelope.idempotencyKey,
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(envelope),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return {
        kind: 'retry',
        status: null,
        error: timedOut ? `no answer within ${this.options.timeoutMs} ms` : networkError(error),
        unreachable: true,
        retryAfterMs: null,
      };
    }
    let body = '';
    try {
      body = (await response.text()).slice(0, 2000);
    } catch {
      // The body was cut (timeout while reading): the status is what counts.
    }
    const status = response.status;
    const verdict = classifyStatus(status);
    if (verdict === 'delivered' || verdict === 'duplicate') {
      return { kind: 'delivered', status, duplicate: verdict === 'duplicate' };
    }
    const error = cleanError(`HTTP ${status}${body ? `: ${body}` : ''}`);
    if (verdict === 'permanent') return { kind: 'permanent', status, error };
    return {
      kind: 'retry',
      status,
      error,
      unreachable: false,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), new Date()),
    };
  }
}
