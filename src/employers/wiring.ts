import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { EmployerDeps, WireOptions } from './deps.ts';
import { wireCandidates } from './web/candidate-routes.tsx';
import { wireCompany } from './web/company-routes.tsx';
import { wirePreselection } from './web/preselection-routes.tsx';
import { wireRecruitingDays } from './web/recruiting-day-routes.tsx';
import { wireVacancies } from './web/vacancy-routes.tsx';

/**
 * The employers context (issue 7): the company space, vacancies and their CPI moderation, the public
 * feed, candidate search with contact requests and messages, CPI pre-selection and recruiting days.
 */
export async function wireEmployers(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  options: WireOptions,
): Promise<void> {
  await wireCompany(routes, deps, options);
  await wireVacancies(routes, deps, options);
  await wireCandidates(routes, deps, options);
  await wirePreselection(routes, deps, options);
  await wireRecruitingDays(routes, deps, options);
}
