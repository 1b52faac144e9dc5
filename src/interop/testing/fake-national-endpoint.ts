/**
 * A fake national endpoint, run as its own process for tests and the benchmark:
 *
 *   npx tsx src/interop/testing/fake-national-endpoint.ts --port 0 --control-port 0 [--token T]
 *   (or env FAKE_NATIONAL_PORT, FAKE_NATIONAL_CONTROL_PORT, FAKE_NATIONAL_TOKEN)
 *
 * Listens on 127.0.0.1 only, on two ports: the endpoint (POST any path, JSON envelope, header
 * Idempotency-Key) and the control port, which stays up during an outage:
 *   GET  /stats               counters (add ?keys=1 for the per-key table)
 *   POST /faults  (JSON)      { errorRate, timeoutRate, slowRate, slowMs, duplicateAckRate,
 *                               outage: 'none' | 'refuse' | 'silent' } — any subset
 *   POST /reset               counters and faults back to zero
 * Prints one JSON line `{"ready":true,"port":…,"controlPort":…}` when both listen.
 *
 * Faults, drawn per request in this order: error (503, event not recorded); timeout (the event is
 * recorded but no answer ever comes: "the answer was lost"); slow (recorded, answered after slowMs);
 * duplicate acknowledgement (recorded, answered 409 "already received" even the first time).
 * Outage 'refuse' closes the listener and every open connection (connection refused); 'silent'
 * accepts connections and never answers.
 *
 * Counters: per idempotency key the requests and the acknowledgements actually written to the client
 * (`ackedTwice` = keys acknowledged more than once: the client sent again what was already confirmed);
 * `resends` = requests for a key already recorded (deduplicated by the key); order violations per
 * ordering key (an event recorded after a later-sequence event of the same person).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Faults = {
  errorRate: number;
  timeoutRate: number;
  slowRate: number;
  slowMs: number;
  duplicateAckRate: number;
  outage: 'none' | 'refuse' | 'silent';
};

const NO_FAULTS: Faults = {
  errorRate: 0,
  timeoutRate: 0,
  slowRate: 0,
  slowMs: 0,
  duplicateAckRate: 0,
  outage: 'none',
};

type KeyState = {
  requests: number;
  acks: number;
  recordedAt: number | null;
  orderKey: string;
  sequence: number;
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const port = Number(arg('port') ?? process.env.FAKE_NATIONAL_PORT ?? 0);
const controlPort = Number(arg('control-port') ?? process.env.FAKE_NATIONAL_CONTROL_PORT ?? 0);
const token = arg('token') ?? process.env.FAKE_NATIONAL_TOKEN ?? '';
const HOST = '127.0.0.1';

let faults: Faults = { ...NO_FAULTS };
let keys = new Map<string, KeyState>();
let maxSequence = new Map<string, number>();
let violationsByOrderKey = new Map<string, number>();
let counters = newCounters();
const held = new Set<ServerResponse>();

function newCounters() {
  return {
    received: 0,
    recorded: 0,
    resends: 0,
    orderViolations: 0,
    answered: { ok: 0, duplicateAck: 0, error: 0, timeout: 0, slow: 0, rejected: 0 },
    silentDuringOutage: 0,
  };
}

function json(res: ServerResponse, status: number, body: unknown, onAck?: () => void): void {
  if (res.destroyed || res.socket?.destroyed) return;
  res.on('finish', () => onAck?.());
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Record an event the first time its key is seen; count resends and order violations. */
function record(key: string, orderKey: string, sequence: number): KeyState {
  let state = keys.get(key);
  if (state?.recordedAt) {
    counters.resends += 1;
    return state;
  }
  if (!state) {
    state = { requests: 0, acks: 0, recordedAt: null, orderKey, sequence };
    keys.set(key, state);
  }
  state.recordedAt = Date.now();
  counters.recorded += 1;
  const max = maxSequence.get(orderKey) ?? 0;
  if (sequence < max) {
    counters.orderViolations += 1;
    violationsByOrderKey.set(orderKey, (violationsByOrderKey.get(orderKey) ?? 0) + 1);
  } else maxSequence.set(orderKey, sequence);
  return state;
}

async function handleEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (faults.outage === 'silent') {
    counters.silentDuringOutage += 1;
    held.add(res);
    return;
  }
  if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
  if (token && req.headers.authorization !== `Bearer ${token}`) {
    counters.answered.rejected += 1;
    return json(res, 401, { error: 'unauthorised' });
  }
  let envelope: { idempotencyKey?: unknown; orderKey?: unknown; sequence?: unknown };
  try {
    envelope = JSON.parse(await readBody(req));
  } catch {
    counters.answered.rejected += 1;
    return json(res, 400, { error: 'invalid JSON' });
  }
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0 || key !== envelope.idempotencyKey) {
    counters.answered.rejected += 1;
    return json(res, 400, { error: 'Idempotency-Key missing or different from the body' });
  }
  if (typeof envelope.orderKey !== 'string' || typeof envelope.sequence !== 'number') {
    counters.answered.rejected += 1;
    return json(res, 422, { error: 'orderKey and sequence are required' });
  }
  counters.received += 1;
  const existing = keys.get(key);
  if (existing) existing.requests += 1;
  else
    keys.set(key, {
      requests: 1,
      acks: 0,
      recordedAt: null,
      orderKey: envelope.orderKey,
      sequence: envelope.sequence,
    });

  const r = Math.random();
  let edge = faults.errorRate;
  if (r < edge) {
    counters.answered.error += 1;
    return json(res, 503, { error: 'injected failure' });
  }
  const state = record(key, envelope.orderKey, envelope.sequence);
  const ack = () => {
    state.acks += 1;
  };
  edge += faults.timeoutRate;
  if (r < edge) {
    counters.answered.timeout += 1;
    held.add(res);
    return;
  }
  edge += faults.slowRate;
  if (r < edge) {
    counters.answered.slow += 1;
    await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
    return json(res, 200, { status: 'accepted', idempotencyKey: key }, ack);
  }
  edge += faults.duplicateAckRate;
  if (r < edge) {
    counters.answered.duplicateAck += 1;
    return json(res, 409, { status: 'duplicate', idempotencyKey: key }, ack);
  }
  counters.answered.ok += 1;
  return json(res, 200, { status: 'accepted', idempotencyKey: key }, ack);
}

function releaseHeld(): void {
  for (const res of held) res.socket?.destroy();
  held.clear();
}

let endpoint: Server = makeEndpoint();
let endpointPort = port;

function makeEndpoint(): Server {
  const server = createServer((req, res) => {
    handleEvent(req, res).catch(() => json(res, 500, { error: 'fake endpoint failure' }));
  });
  server.keepAliveTimeout = 5000;
  return server;
}

function listen(server: Server, p: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function setOutage(next: Faults['outage']): Promise<void> {
  const previous = faults.outage;
  faults.outage = next;
  if (previous === next) return;
  if (next === 'refuse') {
    await new Promise<void>((resolve) => {
      endpoint.close(() => resolve());
      endpoint.closeAllConnections();
    });
    releaseHeld();
  } else if (previous === 'refuse') {
    endpoint = makeEndpoint();
    await listen(endpoint, endpointPort);
  }
  if (previous === 'silent') releaseHeld();
}

function rate(v: unknown, fallback: number): number {
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : fallback;
}

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${HOST}`);
  (async () => {
    if (req.method === 'GET' && url.pathname === '/stats') {
      const ackedTwice = [...keys.values()].filter((k) => k.acks > 1).length;
      const body: Record<string, unknown> = {
        ...counters,
        uniqueKeys: keys.size,
        ackedTwice,
        faults,
        violationsByOrderKey: Object.fromEntries([...violationsByOrderKey].slice(0, 50)),
      };
      if (url.searchParams.get('keys') === '1') body.keys = Object.fromEntries(keys);
      return json(res, 200, body);
    }
    if (req.method === 'POST' && url.pathname === '/faults') {
      const input = JSON.parse((await readBody(req)) || '{}') as Partial<Faults>;
      faults = {
        errorRate: rate(input.errorRate, faults.errorRate),
        timeoutRate: rate(input.timeoutRate, faults.timeoutRate),
        slowRate: rate(input.slowRate, faults.slowRate),
        slowMs: typeof input.slowMs === 'number' && input.slowMs >= 0 ? input.slowMs : faults.slowMs,
        duplicateAckRate: rate(input.duplicateAckRate, faults.duplicateAckRate),
        outage: faults.outage,
      };
      if (input.outage === 'none' || input.outage === 'refuse' || input.outage === 'silent') {
        await setOutage(input.outage);
      }
      return json(res, 200, { faults });
    }
    if (req.method === 'POST' && url.pathname === '/reset') {
      await setOutage('none');
      faults = { ...NO_FAULTS };
      keys = new Map();
      maxSequence = new Map();
      violationsByOrderKey = new Map();
      counters = newCounters();
      releaseHeld();
      return json(res, 200, { reset: true });
    }
    return json(res, 404, { error: 'not found' });
  })().catch((error: unknown) => json(res, 400, { error: String((error as Error)?.message ?? error) }));
});

endpointPort = await listen(endpoint, port);
const actualControlPort = await listen(control, controlPort);
process.stdout.write(
  `${JSON.stringify({ ready: true, port: endpointPort, controlPort: actualControlPort })}\n`,
);

const shutdown = () => {
  releaseHeld();
  endpoint.closeAllConnections();
  control.closeAllConnections();
  endpoint.close();
  control.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
