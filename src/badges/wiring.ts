import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';

export type BadgesDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

/** The badges context's routes and, in a worker process, its jobs. */
export async function wireBadges(
  _routes: RouteCatalogue,
  _deps: BadgesDeps,
  _options: { worker: boolean },
): Promise<void> {}
