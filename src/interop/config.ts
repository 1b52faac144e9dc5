import { z } from 'zod';
import { ConfigError } from '../platform/config.ts';

/**
 * Configuration of delivery to the national system, read from the environment:
 * - NATIONAL_ENDPOINT_URL: where events are POSTed (JSON). Without it nothing is sent: events wait
 *   in national_outbox and the admin view says the endpoint is not configured.
 * - NATIONAL_ENDPOINT_TOKEN: sent as `Authorization: Bearer …` when set.
 * - NATIONAL_ENDPOINT_TIMEOUT_MS (default 10000), NATIONAL_OUTBOX_MAX_ATTEMPTS (default 20),
 *   NATIONAL_OUTBOX_BASE_DELAY_MS (default 2000), NATIONAL_OUTBOX_MAX_DELAY_MS (default 900000 = 15 min).
 * In production the URL must be https.
 */
export type InteropConfig = {
  endpointUrl: string | null;
  token: string | null;
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

const Env = z.object({
  NATIONAL_ENDPOINT_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url({ protocol: /^https?$/ }).optional()),
  NATIONAL_ENDPOINT_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined)),
  NATIONAL_ENDPOINT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  NATIONAL_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(20),
  NATIONAL_OUTBOX_BASE_DELAY_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
  NATIONAL_OUTBOX_MAX_DELAY_MS: z.coerce.number().int().min(10).max(86_400_000).default(900_000),
});

export function loadInteropConfig(
  env: NodeJS.ProcessEnv = process.env,
  mode: 'demo' | 'production' = 'demo',
): InteropConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid national endpoint configuration: ${issues}`);
  }
  const e = parsed.data;
  if (e.NATIONAL_ENDPOINT_URL && mode === 'production' && !e.NATIONAL_ENDPOINT_URL.startsWith('https:')) {
    throw new ConfigError('NATIONAL_ENDPOINT_URL must be https in production mode.');
  }
  return {
    endpointUrl: e.NATIONAL_ENDPOINT_URL ?? null,
    token: e.NATIONAL_ENDPOINT_TOKEN ?? null,
    timeoutMs: e.NATIONAL_ENDPOINT_TIMEOUT_MS,
    maxAttempts: e.NATIONAL_OUTBOX_MAX_ATTEMPTS,
    baseDelayMs: e.NATIONAL_OUTBOX_BASE_DELAY_MS,
    maxDelayMs: Math.max(e.NATIONAL_OUTBOX_MAX_DELAY_MS, e.NATIONAL_OUTBOX_BASE_DELAY_MS),
  };
}

/** The endpoint as shown to an admin: scheme, host and path, never credentials or the query. */
export function endpointLabel(url: string | null): string | null {
  if (!url) return null;
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}
