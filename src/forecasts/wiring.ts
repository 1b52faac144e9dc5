import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { registerForecastRoutes } from './web/forecast-routes.tsx';

/** Appointment demand forecasts per office and service against capacity (issue 9 item 6). */
export async function wireForecasts(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  registerForecastRoutes(routes, { db: deps.db });
}
