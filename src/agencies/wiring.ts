import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { aplRoutes } from './web/apl-routes.tsx';
import { citizenRoutes } from './web/citizen-routes.tsx';
import { referralRoutes } from './web/referral-routes.tsx';
import { regionRoutes } from './web/region-routes.tsx';

export { agencyTimeline } from './use-cases/timeline-source.ts';

/** Accredited agencies (issue 8 item 3): accreditation scopes and referrals from the CPI to an APL. */
export async function wireAgencies(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  regionRoutes(routes, deps);
  citizenRoutes(routes, deps);
  referralRoutes(routes, deps);
  aplRoutes(routes, deps);
}
