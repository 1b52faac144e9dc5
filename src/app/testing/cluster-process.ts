/**
 * For tests that run the real `sportello serve --web N --workers M` (node:cluster) as a child
 * process: start it against a test database, talk to it over plain HTTP on fresh connections (so the
 * cluster may hand each request to any web process), and find the pids of its processes.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

export type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };

export type Cluster = {
  child: ChildProcess;
  port: number;
  /** Everything the processes printed so far. */
  output: () => string;
  stop: () => Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the cluster and waits until every process said it is ready. */
export async function startCluster(options: {
  databaseUrl: string;
  dataDir: string;
  port: number;
  web: number;
  workers: number;
  timeoutMs?: number;
}): Promise<Cluster> {
  let output = '';
  const child = spawn(
    process.execPath,
    ['bin/sportello.js', 'serve', '--web', String(options.web), '--workers', String(options.workers)],
    {
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        DATA_DIR: options.dataDir,
        PORT: String(options.port),
        LOG_LEVEL: 'silent',
        SPORTELLO_MODE: 'demo',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (!output.includes('worker processes ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw new Error(`the cluster did not start:\n${output}`);
    }
    await sleep(200);
  }
  return {
    child,
    port: options.port,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One request on a fresh connection; rejects on a connection error (reset, refused, hang-up). */
export function request(
  port: number,
  method: string,
  url: string,
  options: { cookie?: string; body?: string | Buffer; contentType?: string; timeoutMs?: number } = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: false,
        headers: {
          connection: 'close',
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.body !== undefined
            ? {
                'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
                'content-length': String(Buffer.byteLength(options.body)),
              }
            : {}),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          data += d;
        });
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.setTimeout(options.timeoutMs ?? 60_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A multipart/form-data body of plain fields. */
export function multipartBody(fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = `----sportello-${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The pids of the web processes that answer /healthz (demo mode tells the answering pid). */
export async function webPids(port: number, expected: number, tries = 40): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries && pids.size < expected; i++) {
    try {
      const res = await request(port, 'GET', '/healthz', { timeoutMs: 10_000 });
      if (res.status === 200) pids.add((JSON.parse(res.body) as { pid: number }).pid);
    } catch {
      // A process that is starting or stopping: ask again.
    }
  }
  return pids;
}

/**
 * The pids of a process's Node.js children (`pgrep -P`, then /proc/<pid>/comm): the cluster's web and
 * worker processes, not helpers such as the esbuild service that tsx may start on a fresh clone.
 */
export function childPids(parent: number): Promise<number[]> {
  return new Promise((resolve) => {
    execFile('pgrep', ['-P', String(parent)], (_error, stdout) => {
      resolve(
        String(stdout)
          .split('\n')
          .map((s) => Number(s.trim()))
          .filter((n) => Number.isInteger(n) && n > 0)
          .filter((n) => {
            try {
              return readFileSync(`/proc/${n}/comm`, 'utf8').trim() === 'node';
            } catch {
              return false;
            }
          }),
      );
    });
  });
}
