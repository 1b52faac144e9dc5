import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { INVITE_JOB, runSatisfactionInvitations } from './use-cases/invitations.ts';
import { registerManagerRoutes } from './web/manager-routes.tsx';
import { registerSurveyRoutes } from './web/survey-routes.tsx';

/** Satisfaction after every service (issue 9 item 1). */
export async function wireSatisfaction(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  options: WireOptions,
): Promise<void> {
  const own = { db: deps.db, notifier: deps.notifier, config: deps.config };
  registerSurveyRoutes(routes, own);
  registerManagerRoutes(routes, own);
  if (!options.worker) return;
  // Every five minutes: invite for the services delivered since the last run.
  const boss = deps.queue.boss;
  await boss.createQueue(INVITE_JOB);
  await boss.schedule(INVITE_JOB, '*/5 * * * *', {}, { tz: 'Europe/Rome' });
  await boss.work(INVITE_JOB, { pollingIntervalSeconds: 30 }, async () => {
    await runSatisfactionInvitations(own, new Date());
  });
}
