/**
 * The shell: bytes transferred for the home and sign-in pages (first and repeat visit), and
 * throughput/latency of the signed-in home page on loopback next to a bare Fastify "hello"
 * measured in the same run.
 *
 * Goals (issue): ≤ 100 KB first visit, ≤ 15 KB repeat visit; ≥ 3,000 req/s and p99 ≤ 20 ms for
 * the signed-in home page on the 2-core machine.
 */
import os from 'node:os';
import Fastify from 'fastify';
import { loadSession } from '../src/platform/auth/session.ts';
import { startBenchApp } from './support/app.ts';
import { type LoadSummary, loadTest } from './support/load.ts';
import { measurePage, type PageTransfer } from './support/transfer.ts';

const DURATION_S = 10;
const WARMUP_S = 2;
const CONNECTIONS = 50;
const MODERATE_CONNECTIONS = 10;

const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

/** Run a load test while sampling this process's RSS and CPU time. */
async function withProcessStats(job: () => Promise<LoadSummary>) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let maxRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  }, 250);
  try {
    const summary = await job();
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    return {
      summary,
      serverMaxRssMb: Math.round(maxRss / 1048576),
      // Share of one core used by the server process over warm-up + run.
      serverCpuCores: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100,
    };
  } finally {
    clearInterval(timer);
  }
}

function pageMetrics(prefix: string, p: PageTransfer): Record<string, unknown> {
  return {
    [`${prefix}.htmlRawBytes`]: p.htmlRawBytes,
    [`${prefix}.htmlGzipBytes`]: p.htmlGzipBytes,
    [`${prefix}.htmlBrotliBytes`]: p.htmlBrotliBytes,
    [`${prefix}.firstVisitKB`]: kb(p.firstVisitBytes),
    [`${prefix}.firstVisitKB_uncompressedHtml`]: kb(p.firstVisitBytesUncompressedHtml),
    [`${prefix}.repeatVisitKB`]: kb(p.repeatVisitBytes),
    [`${prefix}.repeatVisitKB_uncompressedHtml`]: kb(p.repeatVisitBytesUncompressedHtml),
    [`${prefix}.repeatManifestRefetchBytes`]: p.repeatManifestBytes,
    [`${prefix}.assetsImmutable`]: p.allAssetsImmutable,
    [`${prefix}.assets`]: p.assets.map(
      (a) => `${a.url} ${a.bytes}B ${a.contentEncoding} [${a.cacheControl}]`,
    ),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const rssIdleStart = process.memoryUsage().rss;
  const app = await startBenchApp({ poolSize: 10 });
  const bare = Fastify();
  bare.get('/', async () => 'hello');
  try {
    const citizen = await app.cookieFor('citizen');
    const rssAppIdle = process.memoryUsage().rss;

    // ── Bytes ────────────────────────────────────────────────────────────────
    const home = await measurePage(app.baseUrl, '/');
    const signIn = await measurePage(app.baseUrl, '/accedi');
    const homeSignedIn = await measurePage(app.baseUrl, '/', citizen);

    // ── Throughput ───────────────────────────────────────────────────────────
    // Sanity: the cookie really signs in (the signed-in home says "La mia area", no-store).
    const probe = await fetch(`${app.baseUrl}/`, { headers: { cookie: citizen } });
    const probeBody = await probe.text();
    if (
      probe.status !== 200 ||
      probe.headers.get('cache-control') !== 'no-store' ||
      !/\/esci/.test(probeBody)
    ) {
      throw new Error(
        'the citizen session cookie does not sign in: the throughput figure would be meaningless',
      );
    }
    const ours = await withProcessStats(() =>
      loadTest({
        url: `${app.baseUrl}/`,
        headers: { cookie: citizen, 'accept-encoding': 'br, gzip' },
        duration: DURATION_S,
        warmup: WARMUP_S,
        connections: CONNECTIONS,
      }),
    );

    // The same page at a moderate concurrency: latency without a saturated event loop.
    const moderate = await loadTest({
      url: `${app.baseUrl}/`,
      headers: { cookie: citizen, 'accept-encoding': 'br, gzip' },
      duration: DURATION_S,
      warmup: WARMUP_S,
      connections: MODERATE_CONNECTIONS,
    });

    await bare.listen({ port: 0, host: '127.0.0.1' });
    const address = bare.server.address();
    const barePort = typeof address === 'object' && address ? address.port : 0;
    const hello = await withProcessStats(() =>
      loadTest({
        url: `http://127.0.0.1:${barePort}/`,
        duration: DURATION_S,
        warmup: WARMUP_S,
        connections: CONNECTIONS,
      }),
    );

    // ── Diagnostics: the per-request session lookup alone (includes the 1 s in-process session memory) ──
    const token = citizen.slice(citizen.indexOf('=') + 1);
    for (let i = 0; i < 200; i++) await loadSession(app.platform.db, token);
    let t0 = performance.now();
    for (let i = 0; i < 1000; i++) await loadSession(app.platform.db, token);
    const sessionSequentialUs = ((performance.now() - t0) * 1000) / 1000;
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let i = 0; i < 60; i++) await loadSession(app.platform.db, token);
      }),
    );
    const concurrentMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const sessionOps = CONNECTIONS * 60;

    const o = ours.summary;
    const h = hello.summary;
    const metrics: Record<string, unknown> = {
      note:
        'HTML is not compressed by the app: HTML sizes are computed with node:zlib (gzip 6, brotli q5), ' +
        'on the assumption that the reverse proxy compresses HTML. Assets are precompressed (.br) by @fastify/static. ' +
        'KB = 1024 bytes, response bodies only (headers excluded). First visit = brotli HTML + stylesheet + icon + ' +
        'manifest + images + every woff2 in @font-face; repeat visit = brotli HTML only.',
      loadNote:
        `autocannon in a child process (own event loop) on the same ${os.cpus().length}-core machine: ` +
        'it competes with the server (and PostgreSQL) for CPU, so figures are a lower bound. ' +
        `${DURATION_S}s after ${WARMUP_S}s warm-up, ${CONNECTIONS} connections, pipelining 1, loopback.`,
      goals: 'first ≤ 100 KB, repeat ≤ 15 KB; signed-in home ≥ 3000 req/s, p99 ≤ 20 ms',
      ...pageMetrics('home', home),
      ...pageMetrics('signIn', signIn),
      'homeSignedIn.firstVisitKB': kb(homeSignedIn.firstVisitBytes),
      'homeSignedIn.repeatVisitKB': kb(homeSignedIn.repeatVisitBytes),
      'homeSignedIn.htmlRawBytes': homeSignedIn.htmlRawBytes,
      'signedInHome.reqPerSec': Math.round(o.requestsPerSecond),
      'signedInHome.p50Ms': o.latencyP50Ms,
      'signedInHome.p99Ms': o.latencyP99Ms,
      'signedInHome.avgMs': o.latencyAvgMs,
      'signedInHome.requests': o.requests,
      'signedInHome.non2xx': o.non2xx,
      'signedInHome.errors': o.errors,
      'signedInHome.timeouts': o.timeouts,
      'signedInHome.serverCpuCores': ours.serverCpuCores,
      'signedInHome10.connections': MODERATE_CONNECTIONS,
      'signedInHome10.reqPerSec': Math.round(moderate.requestsPerSecond),
      'signedInHome10.p50Ms': moderate.latencyP50Ms,
      'signedInHome10.p99Ms': moderate.latencyP99Ms,
      'signedInHome10.errors': moderate.errors + moderate.non2xx,
      'bareHello.reqPerSec': Math.round(h.requestsPerSecond),
      'bareHello.p50Ms': h.latencyP50Ms,
      'bareHello.p99Ms': h.latencyP99Ms,
      'bareHello.avgMs': h.latencyAvgMs,
      'bareHello.requests': h.requests,
      'bareHello.non2xx': h.non2xx,
      'bareHello.errors': h.errors,
      'bareHello.timeouts': h.timeouts,
      'bareHello.serverCpuCores': hello.serverCpuCores,
      'diag.sessionLookupSequentialUs': Math.round(sessionSequentialUs),
      'diag.sessionLookup50ConcurrentOpsPerSec': Math.round((sessionOps / concurrentMs) * 1000),
      'diag.sessionLookupNodeCpuUsPerOp': Math.round((cpu.user + cpu.system) / sessionOps),
      'ratio.oursOverBare': Math.round((o.requestsPerSecond / h.requestsPerSecond) * 1000) / 1000,
      'memory.rssBeforeAppMb': Math.round(rssIdleStart / 1048576),
      'memory.rssAppIdleMb': Math.round(rssAppIdle / 1048576),
      'memory.rssMaxUnderLoadMb': ours.serverMaxRssMb,
      'memory.rssEndMb': Math.round(process.memoryUsage().rss / 1048576),
      'goal.firstVisitMet': home.firstVisitBytes <= 100 * 1024 && signIn.firstVisitBytes <= 100 * 1024,
      'goal.repeatVisitMet': home.repeatVisitBytes <= 15 * 1024 && signIn.repeatVisitBytes <= 15 * 1024,
      'goal.throughputMet': o.requestsPerSecond >= 3000,
      'goal.p99Met': o.latencyP99Ms <= 20,
      'goal.p99MetAt10Connections': moderate.latencyP99Ms <= 20,
    };
    return metrics;
  } finally {
    await bare.close();
    await app.stop();
  }
}
