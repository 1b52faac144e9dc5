import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { loadPortabilityConfig } from './config.ts';
import { registerPortabilityRoutes } from './web/portability-routes.tsx';

/** Dossier portability between Regions (issue 8 item 6): signed JSON export and idempotent import. */
export async function wirePortability(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  registerPortabilityRoutes(routes, {
    db: deps.db,
    audit: deps.audit,
    config: deps.config,
    portability: loadPortabilityConfig(),
  });
}
