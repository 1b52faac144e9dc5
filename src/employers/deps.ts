import type { Matcher } from '../matching/contract.ts';
import type { ApiRegistry } from '../platform/api/api.ts';
import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';

/** The ports of the employers and jobs contexts (issue 7). `matcher` is the in-process matching index. */
export type EmployerDeps = {
  db: Db;
  audit: AuditLog;
  notifier: Notifier;
  queue: Queue;
  config: Config;
  api: ApiRegistry;
  matcher: Matcher;
  /** The Region this deployment serves: what anonymous visitors see and where companies sign up. */
  defaultRegion: string;
};
export type WireOptions = { worker: boolean };
