/**
 * wrk (Debian's `wrk` package, written in C) as the load generator. On a 2-core machine where the
 * server, PostgreSQL and the load generator share the cores, autocannon (Node) spends about a core
 * of its own at a few thousand requests per second; wrk spends a fraction of that, so more of the
 * machine measures the server. A Lua `done` hook prints the summary as JSON.
 *
 * wrk counts a status ≥ 400 as an error by itself; a redirect (say, to the sign-in page) is not an
 * error for it, so the endpoint is probed once before and once after each run.
 *
 * The latencies the `done` hook sees are corrected for coordinated omission (wrk's `stats_correct`,
 * applied before the hook runs): a request slower than the run's mean interval per connection is
 * counted again for each request that would have waited behind it, so one long pause weighs on the
 * percentiles as much as it would on users arriving at a steady rate (docs/scaling.md).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadSummary } from './load.ts';

export const WRK = '/usr/bin/wrk';

export function wrkAvailable(): boolean {
  return existsSync(WRK);
}

const SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("WRK_JSON ", string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"mean":%f,"max":%d}',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max), "\\n")
end
`;

let scriptPath: string | null = null;
function script(): string {
  if (!scriptPath) {
    scriptPath = path.join(mkdtempSync(path.join(tmpdir(), 'wrk-')), 'summary.lua');
    writeFileSync(scriptPath, SCRIPT);
  }
  return scriptPath;
}

function runWrk(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(WRK, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`wrk failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

const ms = (us: number) => Math.round(us / 10) / 100;

/** One thread, `connections` keep-alive connections, a warm-up run first (not counted). */
export async function wrkTest(job: {
  url: string;
  headers?: Record<string, string>;
  duration: number;
  warmup: number;
  connections: number;
  /** Called just before and just after the measured run (not the warm-up). */
  measuring?: { start: () => void; end: () => void };
}): Promise<LoadSummary> {
  const headerArgs = Object.entries(job.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const common = ['-t', '1', '-c', String(job.connections), '--timeout', '5s', ...headerArgs];
  if (job.warmup > 0) await runWrk([...common, '-d', `${job.warmup}s`, job.url]);
  job.measuring?.start();
  const out = await runWrk([...common, '-d', `${job.duration}s`, '-s', script(), job.url]);
  job.measuring?.end();
  const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${out}`);
  const s = JSON.parse(line.slice('WRK_JSON '.length)) as {
    requests: number;
    durationUs: number;
    bytes: number;
    connect: number;
    read: number;
    write: number;
    status: number;
    timeout: number;
    p50: number;
    p99: number;
    mean: number;
    max: number;
  };
  const seconds = s.durationUs / 1e6;
  return {
    requestsPerSecond: s.requests / seconds,
    latencyP50Ms: ms(s.p50),
    latencyP99Ms: ms(s.p99),
    latencyAvgMs: ms(s.mean),
    latencyMaxMs: ms(s.max),
    requests: s.requests,
    non2xx: s.status,
    errors: s.connect + s.read + s.write,
    timeouts: s.timeout,
    bytesPerSecond: s.bytes / seconds,
  };
}
