import type { CaseworkPorts, WireOptions } from '../casework/deps.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { HttpSender } from './adapters/http-sender.ts';
import { loadInteropConfig } from './config.ts';
import { OutboxWorker } from './use-cases/delivery.ts';
import { registerOutboxRoutes } from './web/outbox-routes.tsx';

/**
 * The national-system interface (issue 8, item 7; decision 0009): the admin's view of deliveries and
 * the dead letter (`/admin/outbox`), and — in worker processes, when NATIONAL_ENDPOINT_URL is set —
 * the delivery loop. Without a URL nothing is sent: events wait and the admin view says so.
 */
export async function wireInterop(
  routes: RouteCatalogue,
  deps: CaseworkPorts,
  options: WireOptions,
): Promise<void> {
  const interop = loadInteropConfig(process.env, deps.config.mode);
  registerOutboxRoutes(routes, { db: deps.db, audit: deps.audit, interop });
  if (!options.worker || !interop.endpointUrl) return;

  const worker = new OutboxWorker(
    deps.db,
    new HttpSender({ url: interop.endpointUrl, token: interop.token, timeoutMs: interop.timeoutMs }),
    {
      maxAttempts: interop.maxAttempts,
      baseDelayMs: interop.baseDelayMs,
      maxDelayMs: interop.maxDelayMs,
      batchSize: 50,
      concurrency: 8,
      pollMs: 2000,
      // Production always has DATABASE_URL: LISTEN wakes the loop at commit. The embedded demo polls.
      ...(deps.config.databaseUrl ? { listenConnectionString: deps.config.databaseUrl } : {}),
      log: (message, details) => console.warn(JSON.stringify({ msg: message, ...details })),
    },
  );
  worker.start();
  // Stop with the platform: app.ts's close() stops the queue before destroying the database pool,
  // so the loop finishes its batch first. (A stop hook returned by wire functions would be cleaner.)
  const stopQueue = deps.queue.stop;
  deps.queue.stop = async () => {
    await worker.stop();
    await stopQueue();
  };
}
