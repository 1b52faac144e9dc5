import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** Employment outcomes (issue 8 item 8): import of hiring communications (UNILAV). */
export async function wireOutcomes(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
