import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Db, Tx } from '../db/database.ts';

/**
 * The PostgreSQL-backed job queue (pg-boss 10). Jobs are enqueued inside the caller's transaction,
 * so a job exists exactly when the change that asked for it was committed.
 */
export const QUEUES = ['send-email', 'send-sms', 'appointment-reminder', 'badge-issue'] as const;
export type QueueName = (typeof QUEUES)[number];

export type Queue = {
  boss: PgBoss;
  enqueue: (trx: Db | Tx, name: QueueName, data: object, key: string, startAfter?: Date) => Promise<void>;
  stop: () => Promise<void>;
};

/** Lets pg-boss write its job row through a Kysely transaction. */
function executorFor(trx: Db | Tx): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: [...result.rows] };
    },
  };
}

export async function startQueue(connectionString: string, options: { supervise: boolean }): Promise<Queue> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 4,
    supervise: options.supervise,
    // How often expired jobs are turned back into retries (default 120 s).
    maintenanceIntervalSeconds: 30,
    schedule: options.supervise,
  });
  boss.on('error', () => {
    // Connection hiccups are retried by pg-boss itself; the worker loop logs failed jobs.
  });
  await boss.start();
  // A job taken by a worker that then died is retried once it expires: two minutes (the longest
  // delivery, an SMTP send with its timeouts, takes far less), not pg-boss's default of 15.
  const queueOptions = { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 };
  for (const name of QUEUES) {
    await boss.createQueue(name, { name, ...queueOptions });
    await boss.updateQueue(name, { name, ...queueOptions });
  }
  return {
    boss,
    enqueue: async (trx, name, data, key, startAfter) => {
      await boss.send(name, data, {
        singletonKey: key,
        db: executorFor(trx),
        ...(startAfter ? { startAfter } : {}),
      });
    },
    stop: async () => {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
