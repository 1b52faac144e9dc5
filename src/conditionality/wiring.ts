import type { RouteCatalogue } from '../platform/http/routes.ts';
import { type ConditionalityDeps, startConditionalityJob } from './use-cases/events.ts';
import { registerCitizenRoutes } from './web/citizen-routes.tsx';
import { registerOperatorRoutes } from './web/operator-routes.tsx';

export type { ConditionalityDeps } from './use-cases/events.ts';
export { recordConditionalityEvent, runConditionalityScan } from './use-cases/events.ts';

/** The conditionality context's routes (and, in a worker process, its daily scan `conditionality-daily`). */
export async function wireConditionality(
  routes: RouteCatalogue,
  deps: ConditionalityDeps,
  options: { worker: boolean },
): Promise<void> {
  registerCitizenRoutes(routes, deps);
  registerOperatorRoutes(routes, deps);
  if (options.worker) await startConditionalityJob(deps);
}
