import type { ApiRegistry } from '../platform/api/api.ts';
import type { AuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import type { Notifier } from '../platform/messaging/messaging.ts';
import type { Queue } from '../platform/queue/queue.ts';

/** The ports of the casework-side contexts of issue 8: interop (national system), certificates, messages. */
export type CaseworkPorts = {
  db: Db;
  audit: AuditLog;
  notifier: Notifier;
  queue: Queue;
  config: Config;
  api: ApiRegistry;
  /** The Region this deployment serves. */
  defaultRegion: string;
};
export type WireOptions = { worker: boolean };
