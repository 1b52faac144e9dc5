/**
 * Child process that runs autocannon, so that the load generator does not share the event loop
 * of the server under test. Receives the options over IPC, answers with a summary.
 */
import autocannon from 'autocannon';

type Job = {
  url: string;
  headers?: Record<string, string>;
  duration: number;
  warmup: number;
  connections: number;
};

process.once('message', async (job: Job) => {
  try {
    const result = await autocannon({
      url: job.url,
      headers: job.headers ?? {},
      connections: job.connections,
      pipelining: 1,
      duration: job.duration,
      warmup: { connections: job.connections, duration: job.warmup },
    });
    process.send?.({
      ok: true,
      summary: {
        requestsPerSecond: result.requests.average,
        latencyP50Ms: result.latency.p50,
        latencyP99Ms: result.latency.p99,
        latencyAvgMs: result.latency.average,
        latencyMaxMs: result.latency.max,
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        bytesPerSecond: result.throughput.average,
      },
    });
  } catch (error) {
    process.send?.({ ok: false, error: String(error) });
  }
});
