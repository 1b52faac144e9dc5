import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { registerPactRoutes } from './web/pact-routes.tsx';
import { registerVerifyRoutes } from './web/verify-routes.tsx';

export type PactDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The pact context's routes (and, in a worker process, its jobs: none yet). */
export async function wirePact(
  routes: RouteCatalogue,
  deps: PactDeps,
  _options: { worker: boolean },
): Promise<void> {
  registerPactRoutes(routes, deps);
  registerVerifyRoutes(routes, deps);
}
