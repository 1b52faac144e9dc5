import type { EmployerDeps, WireOptions } from '../../employers/deps.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';

/** Routes (and jobs, when options.worker) of this part of the jobs context. */
export async function wireApplications(
  _routes: RouteCatalogue,
  _deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {}
