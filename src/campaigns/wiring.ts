import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { DISPATCH_JOB, dispatchCampaigns } from './use-cases/campaigns.ts';
import { registerCampaignRoutes } from './web/campaign-routes.tsx';
import { registerPublicCampaignRoutes } from './web/public-routes.tsx';

/** Proactive e-mail/SMS campaigns to a segment, throttled, opt-out honoured (issue 9 item 8). */
export async function wireCampaigns(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  options: WireOptions,
): Promise<void> {
  const own = { db: deps.db, audit: deps.audit, notifier: deps.notifier, config: deps.config };
  const boss = deps.queue.boss;
  // Sending starts at once where this process runs the worker; elsewhere the next minute's tick takes it.
  const kick = options.worker
    ? async () => {
        await boss.send(DISPATCH_JOB, {}).catch(() => null);
      }
    : async () => {};
  registerCampaignRoutes(routes, own, kick);
  registerPublicCampaignRoutes(routes, own);
  if (!options.worker) return;
  // Every minute: one throttled step per Region (the rate is per minute).
  await boss.createQueue(DISPATCH_JOB);
  await boss.schedule(DISPATCH_JOB, '* * * * *', {}, { tz: 'Europe/Rome' });
  await boss.work(DISPATCH_JOB, { pollingIntervalSeconds: 5 }, async () => {
    await dispatchCampaigns(own, new Date());
  });
}
