import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Session, SessionUser } from '../auth/session.ts';
import type { Lang, Translate } from '../i18n/i18n.ts';
import { ForgetfulMap } from '../memory/bounded-maps.ts';

/** What every page handler knows about the request: language, person, CSRF token. */
export type RequestContext = {
  lang: Lang;
  dir: 'ltr' | 'rtl';
  t: Translate;
  session: Session | null;
  /** The signed-in person (second factor passed), or null. */
  user: SessionUser | null;
  csrfToken: string;
  path: string;
  url: string;
  regionName: string;
  demo: boolean;
  requestId: string;
};

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
  interface FastifyContextConfig {
    /** Skip session lookup and page context (static files, health checks, the API). */
    bare?: boolean;
  }
}

/** Every page carries the token: it is computed once per seed (a session or a visitor cookie). */
const tokens = new Map<string, Map<string, string>>();

export function csrfTokenFor(secret: string, seed: string): string {
  let bySeed = tokens.get(secret);
  if (!bySeed) {
    bySeed = new ForgetfulMap(50_000);
    tokens.set(secret, bySeed);
  }
  let token = bySeed.get(seed);
  if (token === undefined) {
    token = createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url');
    bySeed.set(seed, token);
  }
  return token;
}

export function csrfTokenMatches(secret: string, seed: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length !== 43) return false;
  const expected = Buffer.from(csrfTokenFor(secret, seed));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
