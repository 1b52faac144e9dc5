import type { RouteCatalogue } from '../../platform/http/routes.ts';
import type { EmployerDeps, WireOptions } from '../deps.ts';

/** Routes (and jobs, when options.worker) of this part of the employers context. */
export async function wirePreselection(
  _routes: RouteCatalogue,
  _deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {}
