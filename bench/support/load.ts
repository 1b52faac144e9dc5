import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type LoadSummary = {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyAvgMs: number;
  latencyMaxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerSecond: number;
};

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-child.ts');

/** Run autocannon in a separate Node process (own event loop) against `url`. */
export function loadTest(job: {
  url: string;
  headers?: Record<string, string>;
  duration?: number;
  warmup?: number;
  connections?: number;
}): Promise<LoadSummary> {
  return new Promise((resolve, reject) => {
    const proc = fork(child, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let done = false;
    proc.once('message', (msg: { ok: boolean; summary?: LoadSummary; error?: string }) => {
      done = true;
      proc.kill();
      if (msg.ok && msg.summary) resolve(msg.summary);
      else reject(new Error(msg.error ?? 'load generator failed'));
    });
    proc.once('exit', (code) => {
      if (!done) reject(new Error(`load generator exited with code ${code}`));
    });
    proc.send({ duration: 10, warmup: 2, connections: 50, ...job });
  });
}
