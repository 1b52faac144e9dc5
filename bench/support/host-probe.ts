/**
 * How fast this host is right now. On a shared virtual machine the same code measures very
 * differently from hour to hour (issue 10: a page went from 5,400 to 3,700 requests/s within an hour,
 * code unchanged). Two probes, taken before and after a benchmark, let a reader tell the code's
 * change from the host's:
 * - `sha256MBps`: one core hashing in a loop (raw CPU speed);
 * - `wakeUpRoundTripUs`: one byte sent to another process and back, the time per round trip
 *   (how quickly a sleeping process is woken, which every query to PostgreSQL waits on).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';

export type HostProbe = { sha256MBps: number; wakeUpRoundTripUs: number };

function sha256Speed(ms: number): number {
  const block = Buffer.alloc(1 << 20, 7);
  const start = performance.now();
  let blocks = 0;
  while (performance.now() - start < ms) {
    createHash('sha256').update(block).digest();
    blocks++;
  }
  return Math.round((blocks * 1000) / (performance.now() - start));
}

async function roundTrip(ms: number): Promise<number> {
  const echo = spawn(process.execPath, ['-e', 'process.stdin.on("data", (d) => process.stdout.write(d))'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const once = () =>
      new Promise<void>((resolve) => {
        echo.stdout.once('data', () => resolve());
        echo.stdin.write('x');
      });
    await once(); // the child is up
    const start = performance.now();
    let trips = 0;
    while (performance.now() - start < ms) {
      await once();
      trips++;
    }
    return Math.round(((performance.now() - start) * 1000) / trips);
  } finally {
    echo.kill();
  }
}

export async function probeHost(): Promise<HostProbe> {
  return { sha256MBps: sha256Speed(1000), wakeUpRoundTripUs: await roundTrip(1000) };
}
