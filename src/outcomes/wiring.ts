import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { registerOutcomeRoutes } from './web/outcome-routes.tsx';

/** Employment outcomes (issue 8 item 8): import of hiring communications (UNILAV). */
export async function wireOutcomes(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  registerOutcomeRoutes(routes, { db: deps.db, audit: deps.audit }, deps.config.uploadMaxBytes);
}
