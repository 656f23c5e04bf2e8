// VictoriaMetrics single-node (Debian package `victoria-metrics`) as a peer,
// fed through its InfluxDB line-protocol endpoint. It stores each field as its
// own series named `<measurement>_<field>` (data_count, data_temp, data_ok),
// so one line becomes three samples.
import { join } from 'node:path';
import { expectStatus, HOST, httpRequest, probe } from './http-client.ts';
import { diskUsage, waitUntilSettled } from './measure.ts';
import { findExecutable, findFreePort, ServerProcess, waitUntilReady } from './server-process.ts';
import type { PointCount, RunningTarget, TargetContext, TargetDefinition } from './target.ts';

/** Debian ships `victoria-metrics`; upstream release archives name it `victoria-metrics-prod`. */
const BINARIES = ['victoria-metrics', 'victoria-metrics-prod'];
const READY_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 60_000;
/** VictoriaMetrics flushes buffered rows every second; 3 s of calm covers a late one. */
const SETTLE_QUIET_MS = 3_000;
const FIELDS = ['count', 'temp', 'ok'] as const;

/** Sum of every sample of `name` (any labels) in a Prometheus /metrics page. */
function metricSum(page: string, name: string): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Busy while rows wait in memory for a flush or any part merge (background or forced) is running. */
async function isBusy(port: number): Promise<boolean> {
  const res = await httpRequest({ port, method: 'GET', path: '/metrics' });
  expectStatus(res, 200, 'victoria-metrics GET /metrics');
  return metricSum(res.body, 'vm_pending_rows') > 0 || metricSum(res.body, 'vm_active_merges') > 0 || metricSum(res.body, 'vm_active_force_merges') > 0;
}

export const victoriaMetricsTarget: TargetDefinition = {
  name: 'victoria-metrics',

  unavailableReason() {
    return findExecutable(BINARIES)
      ? null
      : `none of ${BINARIES.join(', ')} found; install with: sudo apt-get install victoria-metrics`;
  },

  async start(ctx: TargetContext): Promise<RunningTarget> {
    const binary = findExecutable(BINARIES) as string;
    const port = await findFreePort();
    const server = new ServerProcess({
      name: 'victoria-metrics',
      command: binary,
      args: [
        `-storageDataPath=${ctx.dataDir}`,
        `-httpListenAddr=${HOST}:${port}`,
        // Default retention is 1 month and samples older than that are
        // dropped on ingest; the dataset has fixed timestamps in the past.
        '-retentionPeriod=100y',
      ],
      cwd: ctx.workDir,
      env: process.env,
      logPath: join(ctx.workDir, 'server.log'),
    });
    await waitUntilReady(server, () => probe(port, '/health', 200), READY_TIMEOUT_MS);

    // Instant query at the last timestamp with a window reaching one interval
    // before the first: the window is (t - d, t], so it covers every sample.
    const { firstTimestamp, lastTimestamp } = ctx.dataset;
    const windowSeconds = lastTimestamp - firstTimestamp + 10;
    const countSamples = async (metric: string): Promise<number> => {
      const query = `sum(count_over_time(${metric}[${windowSeconds}s]))`;
      const path = `/api/v1/query?query=${encodeURIComponent(query)}&time=${lastTimestamp}`;
      const res = await httpRequest({ port, method: 'GET', path });
      expectStatus(res, 200, `victoria-metrics query ${query}`);
      const parsed = JSON.parse(res.body) as { data?: { result?: { value?: [number, string] }[] } };
      return Number(parsed.data?.result?.[0]?.value?.[1] ?? 0);
    };

    return {
      server,
      port,
      // The InfluxDB 1.x write path (`/write`), precision as in InfluxDB.
      writePath: '/write?precision=s',
      writeHeaders: {},

      async settle() {
        const settleOnce = () =>
          waitUntilSettled({ dir: ctx.dataDir, isBusy: () => isBusy(port), quietMs: SETTLE_QUIET_MS, timeoutMs: SETTLE_TIMEOUT_MS });
        // force_flush (a testing/debugging endpoint) writes buffered rows out
        // as parts and makes them searchable; background merges may follow.
        const flushed = await httpRequest({ port, method: 'GET', path: '/internal/force_flush' });
        expectStatus(flushed, '2xx', 'victoria-metrics /internal/force_flush');
        const first = await settleOnce();
        const afterFlush = await diskUsage(ctx.dataDir);
        // Which parts exist after the flush depends on timing (2 to 4 parts of
        // varying sizes, 1.1-1.5 B/point between runs of the same data). A
        // forced merge of all partitions gives the one-part layout that old
        // data converges to: reproducible, and the same "fully compacted"
        // state the InfluxDB target waits for. The flushed size is reported too.
        const merged = await httpRequest({ port, method: 'GET', path: '/internal/force_merge' });
        expectStatus(merged, '2xx', 'victoria-metrics /internal/force_merge');
        const second = await settleOnce();
        const flushedPerPoint = (afterFlush.allocatedBytes / ctx.dataset.points).toFixed(2);
        return {
          settled: first.settled && second.settled,
          method:
            `GET /internal/force_flush, idle (vm_pending_rows, vm_active_merges at 0) and data dir unchanged ` +
            `${SETTLE_QUIET_MS / 1000} s [${flushedPerPoint} B/point then], then GET /internal/force_merge and idle again; ` +
            `waited ${((first.waitedMs + second.waitedMs) / 1000).toFixed(1)} s`,
        };
      },

      async countPoints(): Promise<PointCount> {
        const counts = await Promise.all(FIELDS.map((f) => countSamples(`data_${f}`)));
        const detail = FIELDS.map((f, i) => `data_${f}=${counts[i]}`).join(', ');
        return { points: Math.min(...counts), method: `samples per field series via count_over_time (${detail}); the smallest` };
      },
    };
  },
};
