import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { caseloadRoutes } from './web/caseload-routes.tsx';

/** Caseload for operators and offices (issue 8 item 1): filters, sorting, bulk assignment, transfer, workload. */
export async function wireCaseload(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  caseloadRoutes(routes, deps);
}
