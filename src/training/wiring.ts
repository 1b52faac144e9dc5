import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { registerOperatorTrainingRoutes } from './web/operator-routes.tsx';
import { registerPublicTrainingRoutes } from './web/public-routes.tsx';

export type TrainingDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The training context's routes and, in a worker process, its jobs (none: badges are issued by the badges context). */
export async function wireTraining(
  routes: RouteCatalogue,
  deps: TrainingDeps,
  _options: { worker: boolean },
): Promise<void> {
  // Anonymous visitors see the catalogue of the Region this deployment serves (as app.ts picks it).
  const region = await deps.db
    .selectFrom('regions')
    .select('region_code')
    .where('is_national', '=', false)
    .orderBy('region_code')
    .executeTakeFirst();
  const defaultRegion = region?.region_code ?? '00';
  registerPublicTrainingRoutes(routes, deps, () => defaultRegion);
  registerOperatorTrainingRoutes(routes, deps);
}
