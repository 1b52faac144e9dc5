import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { registerTaxonomyRoutes } from './web/taxonomy-routes.tsx';

export type TaxonomyDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The taxonomy context's routes (public ESCO occupation search and detail); it has no jobs. */
export async function wireTaxonomy(
  routes: RouteCatalogue,
  deps: TaxonomyDeps,
  _options: { worker: boolean },
): Promise<void> {
  registerTaxonomyRoutes(routes, { db: deps.db });
}
