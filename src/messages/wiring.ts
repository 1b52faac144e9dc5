import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { citizenMessageRoutes } from './web/citizen-routes.tsx';
import { operatorMessageRoutes } from './web/operator-routes.tsx';

export { citizenUnreadCount } from './use-cases/messages.ts';

/** Secure messages between the person and their operators (issue 8), with attachments and notifications. */
export async function wireMessages(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {
  citizenMessageRoutes(routes, deps);
  operatorMessageRoutes(routes, deps);
}
