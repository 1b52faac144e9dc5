import type { RouteCatalogue } from '../../platform/http/routes.ts';
import type { EmployerDeps, WireOptions } from '../deps.ts';
import { registerInviteAcceptance } from './company-invite.tsx';
import { registerCompanyPublicPage } from './company-public.tsx';
import { registerCompanySignUp } from './company-signup.tsx';
import { registerCompanySpace } from './company-space.tsx';

/**
 * The company space (issue 7 item 1): public sign-up of a company and its first admin, the space at
 * /azienda (data, sites, public page address), company users and invitations, the invitation link and
 * the public company page /aziende/:slug. No jobs.
 */
export async function wireCompany(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {
  // The Region the platform serves (computed once by app.ts).
  const region = () => Promise.resolve(deps.defaultRegion);
  registerCompanySignUp(routes, deps, region);
  registerInviteAcceptance(routes, deps);
  registerCompanySpace(routes, deps);
  registerCompanyPublicPage(routes, deps, region);
}
