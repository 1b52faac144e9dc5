import type { RouteCatalogue } from '../platform/http/routes.ts';
import { type BadgesDeps, startBadgeWorker } from './use-cases/issue.ts';
import { registerBadgeRoutes } from './web/badge-routes.tsx';

export type { BadgesDeps } from './use-cases/issue.ts';

/** The badges context's routes and, in a worker process, its jobs. */
export async function wireBadges(
  routes: RouteCatalogue,
  deps: BadgesDeps,
  options: { worker: boolean },
): Promise<void> {
  registerBadgeRoutes(routes, deps);
  if (options.worker) await startBadgeWorker(deps);
}
