import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** The national-system interface (issue 8): delivery of national_outbox events to the national endpoint with retries and a dead-letter view. */
export async function wireInterop(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
