/**
 * One delivery worker as a process of its own (used by bench/outbox.ts to run several at once):
 *
 *   DATABASE_URL=… NATIONAL_ENDPOINT_URL=… [OUTBOX_WORKER_OPTIONS='{"batchSize":50,…}'] \
 *     npx tsx src/interop/testing/outbox-worker-process.ts
 *
 * Prints `{"ready":true}` once started; on SIGTERM finishes its batch, prints `{"stats":…}` and exits.
 */
import { createDb } from '../../platform/db/database.ts';
import { HttpSender } from '../adapters/http-sender.ts';
import { loadInteropConfig } from '../config.ts';
import { OutboxWorker, type WorkerOptions } from '../use-cases/delivery.ts';

const url = process.env.DATABASE_URL;
const config = loadInteropConfig(process.env);
if (!url || !config.endpointUrl) {
  console.error('DATABASE_URL and NATIONAL_ENDPOINT_URL are required.');
  process.exit(2);
}
const overrides = JSON.parse(process.env.OUTBOX_WORKER_OPTIONS ?? '{}') as Partial<WorkerOptions>;
const { db } = createDb(url, 4);
const worker = new OutboxWorker(
  db,
  new HttpSender({ url: config.endpointUrl, token: config.token, timeoutMs: config.timeoutMs }),
  {
    maxAttempts: config.maxAttempts,
    baseDelayMs: config.baseDelayMs,
    maxDelayMs: config.maxDelayMs,
    batchSize: 50,
    concurrency: 8,
    pollMs: 1000,
    ...overrides,
    listenConnectionString: url,
    log: (message, details) => console.error(JSON.stringify({ pid: process.pid, msg: message, ...details })),
  },
);
worker.start();
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await db.destroy();
  process.stdout.write(`${JSON.stringify({ stats: worker.stats })}\n`);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
