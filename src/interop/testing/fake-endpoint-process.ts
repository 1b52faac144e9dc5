import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Starts fake-national-endpoint.ts as a child process and drives it through its control port. */
export type FakeFaults = {
  errorRate?: number;
  timeoutRate?: number;
  slowRate?: number;
  slowMs?: number;
  duplicateAckRate?: number;
  outage?: 'none' | 'refuse' | 'silent';
};

export type FakeStats = {
  received: number;
  recorded: number;
  resends: number;
  orderViolations: number;
  uniqueKeys: number;
  ackedTwice: number;
  silentDuringOutage: number;
  answered: Record<string, number>;
  violationsByOrderKey: Record<string, number>;
  keys?: Record<
    string,
    { requests: number; acks: number; recordedAt: number | null; orderKey: string; sequence: number }
  >;
};

export type FakeEndpoint = {
  url: string;
  pid: number;
  faults: (f: FakeFaults) => Promise<void>;
  stats: (withKeys?: boolean) => Promise<FakeStats>;
  reset: () => Promise<void>;
  stop: () => Promise<void>;
};

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-national-endpoint.ts');

export async function startFakeNationalEndpoint(options: { token?: string } = {}): Promise<FakeEndpoint> {
  const args = ['--import', 'tsx', SCRIPT, '--port', '0', '--control-port', '0'];
  if (options.token) args.push('--token', options.token);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ port: number; controlPort: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch (error) {
        reject(error);
      }
    });
    child.once('exit', (code) => reject(new Error(`fake national endpoint exited (${code})`)));
  });
  const control = `http://127.0.0.1:${ready.controlPort}`;
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${control}${p}`, { method: 'POST', body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`fake endpoint ${p}: ${r.status} ${await r.text()}`);
  };
  return {
    url: `http://127.0.0.1:${ready.port}/eventi`,
    pid: child.pid ?? 0,
    faults: (f) => post('/faults', f),
    stats: async (withKeys = false) =>
      (await (await fetch(`${control}/stats${withKeys ? '?keys=1' : ''}`)).json()) as FakeStats,
    reset: () => post('/reset', {}),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
