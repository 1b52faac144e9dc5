import type { EmployerDeps, WireOptions } from '../employers/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { wireApplications } from './web/application-routes.tsx';
import { wireJobSearch } from './web/search-routes.tsx';

/** The jobs context (issue 7): job search for everyone (ranked by match when signed in) and applications. */
export async function wireJobs(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  options: WireOptions,
): Promise<void> {
  await wireJobSearch(routes, deps, options);
  await wireApplications(routes, deps, options);
}
