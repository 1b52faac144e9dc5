import { parseConfiguredKey } from './adapters/keys.ts';

/**
 * Portability settings, read from the environment once when the context is wired.
 *
 * - `PORTABILITY_SIGNING_KEY`: the Region's ES256 private key, as a JWK (JSON with "d") or PKCS#8
 *   PEM. Required in production; in demo mode a key is generated once and kept (encrypted) in
 *   `portability_keys`.
 * - `PORTABILITY_TRUSTED_ISSUERS`: the Regions whose dossiers this one imports, each with the URL of
 *   its published key set: `10=https://lavoro.regione-a.it/.well-known/sportello/jwks.json,20=…`.
 * - `PORTABILITY_JWKS_TIMEOUT_MS`: how long to wait for another Region's key set (default 5000).
 */
export type PortabilityConfig = {
  signingKey: string | null;
  trustedIssuers: Map<string, string>;
  jwksTimeoutMs: number;
};

export class PortabilityConfigError extends Error {}

export function parseTrustedIssuers(raw: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of (raw ?? '').split(',')) {
    const item = entry.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    const code = item.slice(0, eq).trim();
    const url = item.slice(eq + 1).trim();
    if (eq < 0 || !/^[0-9]{2}$/.test(code))
      throw new PortabilityConfigError(`PORTABILITY_TRUSTED_ISSUERS: "${item}" is not <region code>=<url>`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new PortabilityConfigError(`PORTABILITY_TRUSTED_ISSUERS: "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new PortabilityConfigError(`PORTABILITY_TRUSTED_ISSUERS: "${url}" is not http(s)`);
    out.set(code, parsed.toString());
  }
  return out;
}

export function loadPortabilityConfig(env: NodeJS.ProcessEnv = process.env): PortabilityConfig {
  const timeout = Number(env.PORTABILITY_JWKS_TIMEOUT_MS ?? 5000);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 60_000)
    throw new PortabilityConfigError('PORTABILITY_JWKS_TIMEOUT_MS must be between 100 and 60000');
  const key = env.PORTABILITY_SIGNING_KEY?.trim();
  if (key) {
    // A key that cannot sign stops the start, rather than every export later.
    try {
      parseConfiguredKey(key);
    } catch (e) {
      throw new PortabilityConfigError(`PORTABILITY_SIGNING_KEY: ${(e as Error).message}`);
    }
  }
  return {
    signingKey: key ? key : null,
    trustedIssuers: parseTrustedIssuers(env.PORTABILITY_TRUSTED_ISSUERS),
    jwksTimeoutMs: timeout,
  };
}
