import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';
import { citizenRoutes } from './web/citizen-routes.tsx';
import { operatorRoutes } from './web/operator-routes.tsx';

export type SkillsDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The skills context's routes (the skills assessment has no jobs of its own: badges are queued). */
export async function wireSkills(
  routes: RouteCatalogue,
  deps: SkillsDeps,
  _options: { worker: boolean },
): Promise<void> {
  citizenRoutes(routes, deps);
  operatorRoutes(routes, deps);
}
