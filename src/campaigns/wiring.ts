import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';

/** Proactive e-mail/SMS campaigns to a segment, throttled, opt-out honoured (issue 9 item 8). */
export async function wireCampaigns(
  _routes: RouteCatalogue,
  _deps: CaseworkPorts,
  _options: WireOptions,
): Promise<void> {}
