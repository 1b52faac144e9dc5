import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { citizenAssistedRoutes } from './web/citizen-routes.tsx';
import { operatorAssistedRoutes } from './web/operator-routes.tsx';

/** Assisted mode (issue 8 item 4): an operator acts for a person with recorded consent. */
export async function wireAssisted(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  operatorAssistedRoutes(routes, deps);
  citizenAssistedRoutes(routes, deps);
}
