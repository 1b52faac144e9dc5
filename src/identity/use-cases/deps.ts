import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';

export type IdentityDeps = { db: Db; audit: AuditLog; notifier: Notifier; config: Config };

export type Client = { ip: string; userAgent?: string | undefined };
