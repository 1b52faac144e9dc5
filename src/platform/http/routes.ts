import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../auth/roles.ts';

/**
 * Every page and action is registered with the roles that may use it. The list is kept so that a
 * test can try every route with every role (the authorisation matrix).
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export type RouteDef = {
  method: 'GET' | 'POST';
  url: string;
  access: Access;
  /** Pages that show personal data: never cached. */
  personal?: boolean;
  /** Open data, the same for everyone: shared caches may keep it this many seconds. */
  publicMaxAge?: number;
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
};

export type Guard = (req: FastifyRequest, reply: FastifyReply, access: Access) => Promise<boolean>;

export function allows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  if (access === 'signed-in') return true;
  return access.includes(role);
}

export class RouteCatalogue {
  readonly routes: Omit<RouteDef, 'handler'>[] = [];
  constructor(
    private readonly app: FastifyInstance,
    private readonly guard: Guard,
  ) {}

  add(def: RouteDef): void {
    this.routes.push({
      method: def.method,
      url: def.url,
      access: def.access,
      personal: def.personal ?? false,
    });
    const guard = this.guard;
    this.app.route({
      method: def.method,
      url: def.url,
      config: {
        personal: def.personal ?? def.access !== 'public',
        ...(def.publicMaxAge !== undefined && def.access === 'public'
          ? { publicMaxAge: def.publicMaxAge }
          : {}),
      },
      handler: async (req, reply) => {
        if (!(await guard(req, reply, def.access))) return reply;
        return def.handler(req, reply);
      },
    });
  }
  get(url: string, access: Access, handler: RouteDef['handler'], personal?: boolean): void {
    this.add({ method: 'GET', url, access, handler, personal: personal ?? access !== 'public' });
  }
  post(url: string, access: Access, handler: RouteDef['handler']): void {
    this.add({ method: 'POST', url, access, handler, personal: access !== 'public' });
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    personal?: boolean;
    publicMaxAge?: number;
  }
}
