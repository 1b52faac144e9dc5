import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { AuditLog } from '../audit/audit.ts';
import { loadSession, SESSION_COOKIE } from '../auth/session.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { directionOf, isLang, type Lang, translator } from '../i18n/i18n.ts';
import { ErrorPage } from '../ui/error-page.tsx';
import { sendPage } from '../ui/render.ts';
import { csrfTokenFor, csrfTokenMatches, type RequestContext } from './context.ts';
import { allows, type Guard, RouteCatalogue } from './routes.ts';

export const LANG_COOKIE = 'sl_lang';
export const ANON_CSRF_COOKIE = '__Host-sl_csrf';

const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/build');

export type HttpDeps = {
  config: Config;
  db: Db;
  audit: AuditLog;
  regionName: string;
  /** Extra origins allowed as form targets (e.g. the identity provider). */
  formActionOrigins?: string[];
};

function cookieOptions(config: Config, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax' as const,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
    ...(config.demo ? {} : {}),
  };
}

export function setCookie(reply: FastifyReply, config: Config, name: string, value: string, maxAge?: number) {
  reply.setCookie(name, value, cookieOptions(config, maxAge));
}

export function clearCookie(reply: FastifyReply, name: string) {
  reply.clearCookie(name, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
}

function pickLang(req: FastifyRequest, preferred: string | undefined): { lang: Lang; fromQuery: boolean } {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(q)) return { lang: q, fromQuery: true };
  const c = req.cookies[LANG_COOKIE];
  if (isLang(c)) return { lang: c, fromQuery: false };
  if (isLang(preferred)) return { lang: preferred, fromQuery: false };
  return { lang: 'it', fromQuery: false };
}

/** Whether a parsed JSON body holds a NUL character in any string (forms check theirs with zod). */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false;
  return Object.values(value as Record<string, unknown>).some((v) => hasNul(v, depth + 1));
}

/**
 * One access line per request, written when it completes (method, path, status, time), instead of
 * Fastify's two: under load the log writes were a large share of a simple page's CPU (issue 10).
 */
class AccessLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

export function buildServer(deps: HttpDeps): { app: FastifyInstance; routes: RouteCatalogue } {
  const { config, db, audit } = deps;
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // No personal data in logs: only method, path without query, status and timing.
            serializers: {
              req: (req) => ({ method: req.method, url: String(req.url).split('?')[0], id: req.id }),
              res: (res) => ({ statusCode: res.statusCode }),
            },
          },
    logController: new AccessLog(),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    trustProxy: !config.demo,
    routerOptions: { maxParamLength: 200 },
  });

  app.register(fastifyCookie);
  app.register(fastifyFormbody, { bodyLimit: 262_144 });
  // File uploads (multipart/form-data): fields and one file are parsed before the CSRF check. A file
  // over the limit arrives cut and flagged (`truncated`), so the page can say so next to the field
  // and keep what the person typed; only its first UPLOAD_MAX_MB are ever held in memory.
  app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    throwFileSizeLimit: false,
    limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 30, fieldSize: 65_536, parts: 32 },
  });
  app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/assets/',
    preCompressed: true,
    immutable: true,
    maxAge: '365d',
    cacheControl: true,
    wildcard: true,
    index: false,
    allowedPath: (p) => p !== '/manifest.json',
    setHeaders: (res) => {
      res.setHeader('Vary', 'Accept-Encoding');
    },
  });

  const formAction = ["'self'", ...(deps.formActionOrigins ?? [])].join(' ');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.bare || req.url.startsWith('/assets/')) return;
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await loadSession(db, token) : null;
    const { lang } = pickLang(req, session?.user.preferredLanguage);
    let seed = session?.csrfSeed;
    if (!seed) seed = req.cookies[ANON_CSRF_COOKIE];
    const ctx: RequestContext = {
      lang,
      dir: directionOf(lang),
      t: translator(lang),
      session,
      user: session?.stage === 'active' ? session.user : null,
      csrfToken: seed ? csrfTokenFor(config.sessionSecret, seed) : '',
      path: req.url.split('?')[0] ?? '/',
      url: req.url,
      regionName: deps.regionName,
      demo: config.demo,
      requestId: req.id,
    };
    req.ctx = ctx;
  });

  app.addHook('preHandler', async (req, reply) => {
    // A NUL character is never part of a real address or answer, and PostgreSQL refuses it in text:
    // answer "bad request" before any handler passes it on (the security scan found this).
    if (
      /%00/.test(req.url) ||
      req.url.includes('\u0000') ||
      (req.url.startsWith('/api/') && hasNul(req.body))
    ) {
      req.log.info({ reason: 'nul' }, 'refused a request with a NUL character in its address');
      if (!req.ctx)
        return reply.status(400).send({ error: 'bad_request', message: 'NUL character in the address' });
      sendPage(
        reply,
        ErrorPage({
          ctx: req.ctx,
          status: 400,
          title: req.ctx.t('errors.badRequestTitle'),
          body: req.ctx.t('errors.badRequestBody'),
        }),
        400,
      );
      return reply;
    }
    if (!req.ctx) return;
    const { lang, fromQuery } = pickLang(req, undefined);
    if (fromQuery) setCookie(reply, config, LANG_COOKIE, lang, 365 * 24 * 3600);
    // Anonymous visitors get a technical cookie that anchors the CSRF token of the forms they see.
    if (!req.ctx.session && !req.cookies[ANON_CSRF_COOKIE]) {
      const seed = randomUUID() + randomUUID();
      setCookie(reply, config, ANON_CSRF_COOKIE, seed);
      req.ctx.csrfToken = csrfTokenFor(config.sessionSecret, seed);
    }
    if (req.method === 'POST' && !req.url.startsWith('/api/') && !req.routeOptions.config?.bare) {
      const seed = req.ctx.session?.csrfSeed ?? req.cookies[ANON_CSRF_COOKIE];
      const body = req.body as Record<string, unknown> | undefined;
      const token = fieldValue(body?._csrf);
      if (!seed || !csrfTokenMatches(config.sessionSecret, seed, token)) {
        req.log.warn({ reason: 'csrf' }, 'refused form without a valid CSRF token');
        sendPage(
          reply,
          ErrorPage({
            ctx: req.ctx,
            status: 403,
            title: req.ctx.t('errors.csrfTitle'),
            body: req.ctx.t('errors.csrfBody'),
          }),
          403,
        );
        return reply;
      }
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('Content-Security-Policy', csp);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!config.demo) reply.header('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    if (!req.url.startsWith('/assets/')) {
      const personal =
        Boolean(req.ctx?.session) || req.routeOptions.config?.personal || req.url.startsWith('/api/');
      const maxAge = req.routeOptions.config?.publicMaxAge;
      reply.header(
        'Cache-Control',
        personal
          ? 'no-store'
          : maxAge !== undefined && !req.ctx?.session
            ? `public, max-age=${maxAge}`
            : 'no-cache',
      );
      if (req.ctx) reply.header('Vary', 'Cookie');
    }
    return payload;
  });

  const guard: Guard = async (req, reply, access) => {
    const role = req.ctx.user?.role ?? null;
    if (allows(access, role)) return true;
    if (!req.ctx.user) {
      if (req.method === 'GET') {
        const next = encodeURIComponent(req.url);
        reply.redirect(`/accedi?next=${next}`, 303);
      } else {
        sendPage(
          reply,
          ErrorPage({
            ctx: req.ctx,
            status: 401,
            title: req.ctx.t('errors.signInTitle'),
            body: req.ctx.t('errors.signInBody'),
          }),
          401,
        );
      }
      return false;
    }
    const user = req.ctx.user;
    await audit.record({
      regionCode: user.regionCode,
      action: 'authz.refused',
      outcome: 'refused',
      actor: {
        id: user.id,
        role: user.role,
        regionCode: user.regionCode,
        officeId: user.officeId,
        agencyId: user.agencyId,
      },
      details: { method: req.method, path: req.ctx.path },
    });
    sendPage(
      reply,
      ErrorPage({
        ctx: req.ctx,
        status: 403,
        title: req.ctx.t('errors.forbiddenTitle'),
        body: req.ctx.t('errors.forbiddenBody'),
      }),
      403,
    );
    return false;
  };

  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.status(404).send({ error: 'not_found' });
    if (!req.ctx) return reply.status(404).type('text/plain').send('Not found');
    return sendPage(
      reply,
      ErrorPage({
        ctx: req.ctx,
        status: 404,
        title: req.ctx.t('errors.notFoundTitle'),
        body: req.ctx.t('errors.notFoundBody'),
      }),
      404,
    );
  });

  app.setErrorHandler(async (error: { statusCode?: number; code?: string; message?: string }, req, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: error.code, status }, 'bad request');
    if (req.url.startsWith('/api/')) {
      return reply.status(status).send({
        error: status >= 500 ? 'internal_error' : 'bad_request',
        message: status >= 500 ? 'Internal error' : error.message,
      });
    }
    const ctx =
      req.ctx ??
      ({
        lang: 'it',
        dir: 'ltr',
        t: translator('it'),
        session: null,
        user: null,
        csrfToken: '',
        path: '/',
        url: '/',
        regionName: deps.regionName,
        demo: config.demo,
        requestId: req.id,
      } satisfies RequestContext);
    const key = status === 413 ? 'tooLarge' : status >= 500 ? 'internal' : 'badRequest';
    return sendPage(
      reply,
      ErrorPage({ ctx, status, title: ctx.t(`errors.${key}Title`), body: ctx.t(`errors.${key}Body`) }),
      status,
    );
  });

  return { app, routes: new RouteCatalogue(app, guard) };
}

/** A form field's value, whether the body came url-encoded (string or list) or multipart ({ value }). */
function fieldValue(raw: unknown): unknown {
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first && typeof first === 'object' && 'value' in first) return (first as { value: unknown }).value;
  return first;
}
