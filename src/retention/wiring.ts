import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { loadRetentionConfig } from './config.ts';
import { type RetentionDeps, runRetention } from './use-cases/run-retention.ts';
import { registerRetentionRoutes } from './web/retention-routes.tsx';

export const RETENTION_JOB = 'retention-daily';

/** Retention (issue 8 item 10): periods per data category, pseudonymisation/erasure job, erasure requests. */
export async function wireRetention(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  options: WireOptions,
): Promise<void> {
  const retentionDeps: RetentionDeps = {
    db: deps.db,
    audit: deps.audit,
    retention: loadRetentionConfig(process.env),
    defaultRegion: deps.defaultRegion,
  };
  registerRetentionRoutes(routes, retentionDeps);
  if (!options.worker) return;
  const boss = deps.queue.boss;
  await boss.createQueue(RETENTION_JOB);
  // At night, before the offices open and outside the morning jobs (06:15).
  await boss.schedule(RETENTION_JOB, '30 3 * * *', {}, { tz: 'Europe/Rome' });
  await boss.work(RETENTION_JOB, async () => {
    await runRetention(retentionDeps, new Date());
  });
}
