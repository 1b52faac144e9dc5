import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';

export type TaxonomyDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The taxonomy context's routes and, in a worker process, its jobs. */
export async function wireTaxonomy(
  _routes: RouteCatalogue,
  _deps: TaxonomyDeps,
  _options: { worker: boolean },
): Promise<void> {}
