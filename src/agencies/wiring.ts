import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** Accredited agencies (issue 8 item 3): accreditation scopes and referrals from the CPI to an APL. */
export async function wireAgencies(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
