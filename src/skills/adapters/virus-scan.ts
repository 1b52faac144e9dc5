import { spawn } from 'node:child_process';

/**
 * Virus scanner hook for the evidence portfolio. Port: `scanFile(buffer)`.
 *
 * The command is read from `process.env.VIRUS_SCAN_COMMAND` here, in the adapter, on purpose (the
 * platform config is not this context's to change), e.g. `clamdscan --no-summary -`. The file goes to
 * the command's stdin; exit code 0 → 'clean', 1 → 'infected' (the ClamAV convention); anything else
 * (scanner missing, error, timeout) → 'not_scanned', so an unavailable scanner never loses a person's
 * upload. Without the variable nothing is scanned ('not_scanned').
 */
export type ScanResult = 'clean' | 'infected' | 'not_scanned';
export type VirusScanner = (data: Buffer) => Promise<ScanResult>;

export function commandScanner(command: string | undefined, timeoutMs = 30_000): VirusScanner {
  const parts = (command ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return async () => 'not_scanned';
  const [bin, ...args] = parts as [string, ...string[]];
  return (data) =>
    new Promise<ScanResult>((resolve) => {
      let settled = false;
      const done = (r: ScanResult) => {
        if (!settled) {
          settled = true;
          resolve(r);
        }
      };
      try {
        const child = spawn(bin, args, { stdio: ['pipe', 'ignore', 'ignore'], timeout: timeoutMs });
        child.on('error', () => done('not_scanned'));
        child.on('close', (code) => done(code === 0 ? 'clean' : code === 1 ? 'infected' : 'not_scanned'));
        child.stdin.on('error', () => {
          // The scanner may close its input early (e.g. it stops at the first signature): the exit code decides.
        });
        child.stdin.end(data);
      } catch {
        done('not_scanned');
      }
    });
}

/** The scanner configured by the environment (read at each call, so tests and operators can change it). */
export async function scanFile(data: Buffer): Promise<ScanResult> {
  return commandScanner(process.env.VIRUS_SCAN_COMMAND)(data);
}
