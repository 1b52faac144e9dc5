import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** The 2021 report as living data: its tables, the §4 decision tables beside the platform's figures (issue 9 item 5). */
export async function wireBaseline(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
