import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { runDailyCoaching } from './use-cases/daily.ts';
import { runMonthlyPeerFeedback } from './use-cases/peer.ts';
import { caseloadRoutes } from './web/caseload-routes.tsx';
import { planRoutes } from './web/plan-routes.tsx';

export type CoachingDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The coaching context's routes (and, in a worker process, its jobs). */
export async function wireCoaching(
  routes: RouteCatalogue,
  deps: CoachingDeps,
  options: { worker: boolean },
): Promise<void> {
  planRoutes(routes, deps);
  caseloadRoutes(routes, deps);
  if (!options.worker) return;
  const boss = deps.queue.boss;
  await boss.createQueue('coaching-daily');
  await boss.schedule('coaching-daily', '15 6 * * *', {}, { tz: 'Europe/Rome' });
  await boss.work('coaching-daily', async () => {
    await runDailyCoaching(deps, new Date());
  });
  await boss.createQueue('coaching-peer-monthly');
  await boss.schedule('coaching-peer-monthly', '0 7 1 * *', {}, { tz: 'Europe/Rome' });
  await boss.work('coaching-peer-monthly', async () => {
    await runMonthlyPeerFeedback(deps, new Date());
  });
}
