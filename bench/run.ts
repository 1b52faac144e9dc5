/**
 * Benchmark runner: `npm run bench -- <name>` runs bench/<name>.ts, whose `run()` returns metrics,
 * then writes bench/results/<name>.json and prints a table.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { probeHost } from './support/host-probe.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function available(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .map((f) => f.slice(0, -3))
    .sort();
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const names = available();
  if (!name || !names.includes(name)) {
    console.error(
      `${name ? `Unknown benchmark "${name}".` : 'No benchmark named.'} Available: ${names.join(', ') || '(none)'}\n` +
        'Usage: npm run bench -- <name>',
    );
    process.exit(2);
  }
  const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as {
    run?: () => Promise<Record<string, unknown>>;
  };
  if (typeof mod.run !== 'function') throw new Error(`bench/${name}.ts does not export run()`);
  const before = await probeHost();
  const metrics = await mod.run();
  const after = await probeHost();
  const result = {
    name,
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    // Figures from different hosts are not comparable: name the processor they came from.
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    // The same host is not always as fast: its speed before and after (bench/support/host-probe.ts).
    host: { before, after },
    metrics,
  };
  const outDir = path.join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.table(
    Object.fromEntries(
      Object.entries(metrics).map(([k, v]) => {
        const text = typeof v === 'object' ? JSON.stringify(v) : v;
        // Keep the table readable: long values are in full in the JSON file.
        return [k, { value: typeof text === 'string' && text.length > 90 ? `${text.slice(0, 87)}…` : text }];
      }),
    ),
  );
  console.log(`Written ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
