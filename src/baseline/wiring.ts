import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { registerBenchmarkRoutes } from './web/benchmark-routes.tsx';
import { registerReportRoutes } from './web/report-routes.tsx';
import { registerSelfAssessmentRoutes } from './web/self-assessment-routes.tsx';

/**
 * The 2021 report as living data: its tables, the §4 decision tables beside the platform's figures
 * (issue 9 item 5) with the yearly self-assessment, and benchmarking between Regions on the indicators' definitions (item 4).
 */
export async function wireBaseline(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  registerReportRoutes(routes, deps);
  registerBenchmarkRoutes(routes, deps);
  registerSelfAssessmentRoutes(routes, deps);
}
