import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { platformSources } from './use-cases/sources.ts';
import { cvRoutes } from './web/cv-routes.tsx';

export type CvDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The cv context's routes (it has no jobs). */
export async function wireCv(
  routes: RouteCatalogue,
  deps: CvDeps,
  _options: { worker: boolean },
): Promise<void> {
  cvRoutes(routes, {
    db: deps.db,
    audit: deps.audit,
    sources: platformSources,
    publicUrl: deps.config.publicUrl,
  });
}
