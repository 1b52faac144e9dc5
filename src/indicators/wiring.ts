import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { startIndicatorsWorker } from './use-cases/facts.ts';
import { registerIndicatorRoutes } from './web/indicator-routes.tsx';
import { registerOpenDataRoutes } from './web/open-data-routes.tsx';

/** Indicators from operational data, dashboards and open data (issue 9 items 2, 3, 7). */
export async function wireIndicators(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  options: WireOptions,
): Promise<void> {
  registerIndicatorRoutes(routes, deps);
  registerOpenDataRoutes(routes, deps);
  if (options.worker) await startIndicatorsWorker(deps);
}
