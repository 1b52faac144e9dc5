import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** Caseload for operators and offices (issue 8 item 1): filters, sorting, bulk assignment, transfer, workload. */
export async function wireCaseload(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
