import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { dossierRoutes } from './web/dossier-routes.tsx';

export { TIMELINE_SOURCES } from './use-cases/timeline.ts';

/** The electronic dossier (issue 8 item 2): one timeline of everything, and notes with a visibility. */
export async function wireDossier(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  dossierRoutes(routes, deps);
}
