import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit.ts';
import { hit } from '../auth/rate-limit.ts';
import type { Role } from '../auth/roles.ts';
import type { SessionUser } from '../auth/session.ts';
import { compiledOnce } from '../db/compiled.ts';
import type { Db } from '../db/database.ts';

/**
 * The JSON API for client systems (e.g. an APL's own software): bearer tokens bound to an account,
 * so role and Region scoping are the same as in the pages. Each endpoint declares zod schemas for
 * its input and output, which also make the OpenAPI 3.1 document.
 */
export const ApiError = z.object({ error: z.string(), message: z.string().optional() }).meta({ id: 'Error' });

type Method = 'GET' | 'POST';
type ApiHandler<I extends z.ZodType, O extends z.ZodType, U> = (input: {
  user: U;
  body: z.infer<I>;
  params: Record<string, string>;
  req: FastifyRequest;
}) => Promise<
  { status: number; body: z.infer<O> } | { status: 400 | 403 | 404 | 409; error: string; message?: string }
>;

/** An endpoint for the roles listed: a bearer token is required. */
export type ApiEndpoint<I extends z.ZodType, O extends z.ZodType> = {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  roles: readonly Role[];
  body?: I;
  response: O;
  handler: ApiHandler<I, O, SessionUser>;
};

/**
 * An endpoint anyone may call (e.g. verifying a badge), rate-limited per address; the caller's
 * account is passed when a token is sent.
 */
export type PublicApiEndpoint<I extends z.ZodType, O extends z.ZodType> = Omit<
  ApiEndpoint<I, O>,
  'roles' | 'handler'
> & { handler: ApiHandler<I, O, SessionUser | null> };

type StoredEndpoint = Omit<ApiEndpoint<z.ZodType, z.ZodType>, 'roles' | 'handler'> & {
  roles: readonly Role[] | 'public';
  handler: ApiHandler<z.ZodType, z.ZodType, SessionUser | null>;
};

/** Calls per minute and address allowed on a public endpoint. */
export const PUBLIC_API_PER_MINUTE = 120;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createApiToken(
  db: Db,
  input: { regionCode: string; userId: string; name: string; days: number },
): Promise<string> {
  const token = `slk_${randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('api_tokens')
    .values({
      region_code: input.regionCode,
      token_hash: tokenHash(token),
      name: input.name,
      user_id: input.userId,
      expires_at: new Date(Date.now() + input.days * 86_400_000),
    })
    .execute();
  return token;
}

const bearerQuery = compiledOnce((db, v: { hash: string; now: Date }) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 't.region_code').onRef('u.id', '=', 't.user_id'),
    )
    .select([
      'u.id',
      'u.region_code',
      'u.role',
      'u.office_id',
      'u.agency_id',
      'u.company_id',
      'u.given_name',
      'u.family_name',
      'u.email',
      'u.fiscal_code',
      'u.is_minor',
      'u.preferred_language',
      'u.disabled_at',
    ])
    .where('t.token_hash', '=', v.hash)
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', v.now),
);

async function bearerUser(db: Db, req: FastifyRequest): Promise<SessionUser | null> {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer (slk_[A-Za-z0-9_-]{43})$/.exec(header) : null;
  if (!m?.[1]) return null;
  const [row] = await bearerQuery(db, { hash: tokenHash(m[1]), now: new Date() });
  if (!row || row.disabled_at) return null;
  return {
    id: row.id,
    regionCode: row.region_code,
    role: row.role,
    officeId: row.office_id,
    agencyId: row.agency_id,
    companyId: row.company_id,
    givenName: row.given_name,
    familyName: row.family_name,
    email: row.email,
    fiscalCode: row.fiscal_code,
    isMinor: row.is_minor,
    preferredLanguage: row.preferred_language,
  };
}

export class ApiRegistry {
  readonly endpoints: StoredEndpoint[] = [];
  constructor(
    private readonly app: FastifyInstance,
    private readonly deps: { db: Db; audit: AuditLog },
  ) {}

  add<I extends z.ZodType, O extends z.ZodType>(endpoint: ApiEndpoint<I, O>): void {
    // For role-restricted endpoints the handler is only called with a user.
    this.register(endpoint as unknown as StoredEndpoint);
  }

  addPublic<I extends z.ZodType, O extends z.ZodType>(endpoint: PublicApiEndpoint<I, O>): void {
    this.register({ ...(endpoint as unknown as StoredEndpoint), roles: 'public' });
  }

  private register(endpoint: StoredEndpoint): void {
    this.endpoints.push(endpoint);
    const { db, audit } = this.deps;
    this.app.route({
      method: endpoint.method,
      url: `/api/v1${endpoint.path.replace(/\{(\w+)\}/g, ':$1')}`,
      config: { bare: true },
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const user = await bearerUser(db, req);
        if (endpoint.roles === 'public') {
          if (!(await hit(db, `api:public:${req.ip}`, PUBLIC_API_PER_MINUTE, 60)))
            return reply.status(429).header('Retry-After', '60').send({ error: 'too_many_requests' });
        } else if (!user) {
          return reply.status(401).header('WWW-Authenticate', 'Bearer').send({ error: 'unauthorized' });
        } else if (!endpoint.roles.includes(user.role)) {
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
            details: { api: `${endpoint.method} ${endpoint.path}` },
          });
          return reply.status(403).send({ error: 'forbidden' });
        }
        let body: unknown;
        if (endpoint.body) {
          const parsed = endpoint.body.safeParse(req.body);
          if (!parsed.success) {
            return reply.status(400).send({
              error: 'invalid_input',
              message: parsed.error.issues
                .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
                .join('; '),
            });
          }
          body = parsed.data;
        }
        const result = await endpoint.handler({
          user,
          body,
          params: req.params as Record<string, string>,
          req,
        });
        if ('error' in result)
          return reply.status(result.status).send({ error: result.error, message: result.message });
        return reply.status(result.status).send(endpoint.response.parse(result.body));
      },
    });
  }

  openApi(serverUrl: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const e of this.endpoints) {
      const op: Record<string, unknown> = {
        summary: e.summary,
        tags: [e.tag],
        description: e.roles === 'public' ? 'Public: no token needed' : `Roles: ${e.roles.join(', ')}`,
        security: e.roles === 'public' ? [] : [{ bearer: [] }],
        responses: {
          '200': {
            description: 'OK',
            content: {
              'application/json': {
                schema: z.toJSONSchema(e.response, {
                  target: 'draft-2020-12',
                  io: 'output',
                  unrepresentable: 'any',
                }),
              },
            },
          },
          '400': {
            description: 'Invalid input',
            content: { 'application/json': { schema: z.toJSONSchema(ApiError) } },
          },
          '401': { description: 'Missing or invalid bearer token' },
          '403': { description: 'Role not allowed' },
          '404': { description: 'Not found (or not in your Region)' },
        },
      };
      const params = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      if (params.length) op.parameters = params;
      if (e.body) {
        op.requestBody = {
          required: true,
          content: {
            'application/json': {
              schema: z.toJSONSchema(e.body, {
                target: 'draft-2020-12',
                io: 'input',
                unrepresentable: 'any',
              }),
            },
          },
        };
      }
      paths[`/api/v1${e.path}`] ??= {};
      (paths[`/api/v1${e.path}`] as Record<string, unknown>)[e.method.toLowerCase()] = op;
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Sportello Lavoro API',
        version: '1.0.0',
        description:
          'JSON API of the regional public employment service. Authenticate with `Authorization: Bearer <token>`; tokens are bound to an account and carry its role and Region.',
      },
      servers: [{ url: serverUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths,
    };
  }
}
