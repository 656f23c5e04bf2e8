// VictoriaMetrics single-node (Debian package `victoria-metrics`, 1.79 in
// bookworm) as a peer, fed through its InfluxDB line-protocol endpoint. It
// stores each field as its own series named `<measurement>_<field>`
// (data_count, data_temp, data_ok), so one line becomes three samples.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expectStatus, HOST, httpRequest, probe } from './http-client.ts';
import { waitUntilSettled } from './measure.ts';
import { findExecutable, findFreePort, ServerProcess, waitUntilReady } from './server-process.ts';
import type { PointCount, RunningTarget, TargetContext, TargetDefinition } from './target.ts';

/** Debian ships `victoria-metrics`; upstream release archives name it `victoria-metrics-prod`. */
const BINARIES = ['victoria-metrics', 'victoria-metrics-prod'];
const READY_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 120_000;
/** Several flush/merge cycles of VictoriaMetrics' 1 s background loops. */
const SETTLE_QUIET_MS = 3_000;
const FIELDS = ['count', 'temp', 'ok'] as const;
/** Forced merges tried before settling for more than one part per month. */
const MERGE_ATTEMPTS = 3;

/** Sum of every sample of `name` (any labels) in a Prometheus /metrics page. */
function metricSum(page: string, name: string): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Busy while rows wait for a flush or a part merge (background or forced) runs. */
async function mergingOrPending(port: number): Promise<boolean> {
  const res = await httpRequest({ port, method: 'GET', path: '/metrics' });
  expectStatus(res, 200, 'victoria-metrics GET /metrics');
  return ['vm_pending_rows', 'vm_active_merges', 'vm_active_force_merges'].some((m) => metricSum(res.body, m) > 0);
}

interface PartsOnDisk {
  readonly samples: number;
  readonly parts: number;
  readonly partitions: number;
}

/**
 * What the part directories on disk hold. Each part of the data table is a
 * directory `<storageDataPath>/data/{small,big}/<YYYY_MM>/` named
 * `<rows>_<blocks>_<minTime>_<maxTime>_<id>`, so the file system alone says
 * how many samples are persisted; parts still only in memory do not count.
 */
async function partsOnDisk(dataDir: string): Promise<PartsOnDisk> {
  let samples = 0;
  let parts = 0;
  const partitions = new Set<string>();
  for (const table of ['small', 'big']) {
    const tableDir = join(dataDir, 'data', table);
    const names = await readdir(tableDir).catch(() => [] as string[]);
    for (const partition of names.filter((p) => /^\d{4}_\d{2}$/.test(p))) {
      for (const part of await readdir(join(tableDir, partition)).catch(() => [] as string[])) {
        const match = /^(\d+)_\d+_/.exec(part);
        if (!match) continue;
        samples += Number(match[1]);
        parts++;
        partitions.add(partition);
      }
    }
  }
  return { samples, parts, partitions: partitions.size };
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
        // Default retention is 1 month and older samples are dropped on
        // ingest; the dataset has fixed timestamps in the past.
        '-retentionPeriod=100y',
      ],
      cwd: ctx.workDir,
      env: process.env,
      logPath: join(ctx.workDir, 'server.log'),
    });
    await waitUntilReady(server, () => probe(port, '/health', 200), READY_TIMEOUT_MS);

    const expectedSamples = ctx.dataset.points * FIELDS.length;
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
        // force_flush (a testing/debugging endpoint) turns buffered rows into
        // searchable parts, but in 1.79 the newest parts stay in memory: after
        // the flush alone vm_pending_rows is 0 while much or all of the data
        // is in no file. A forced merge writes the parts out merged: the
        // one-part-per-month layout old data converges to, and the "fully
        // compacted" state the InfluxDB target waits for. It skips parts that
        // a background merge holds at that moment, so it is repeated (at most
        // MERGE_ATTEMPTS times) until each partition is down to one part;
        // otherwise the size would vary by ~15% between runs.
        const flushed = await httpRequest({ port, method: 'GET', path: '/internal/force_flush' });
        expectStatus(flushed, '2xx', 'victoria-metrics /internal/force_flush');
        const started = performance.now();
        let settled = false;
        let disk = await partsOnDisk(ctx.dataDir);
        for (let attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
          const merged = await httpRequest({ port, method: 'GET', path: '/internal/force_merge' });
          expectStatus(merged, '2xx', 'victoria-metrics /internal/force_merge');
          const result = await waitUntilSettled({
            dir: ctx.dataDir,
            isBusy: async () => (await mergingOrPending(port)) || (await partsOnDisk(ctx.dataDir)).samples < expectedSamples,
            quietMs: SETTLE_QUIET_MS,
            timeoutMs: SETTLE_TIMEOUT_MS,
          });
          disk = await partsOnDisk(ctx.dataDir);
          settled = result.settled && disk.samples >= expectedSamples;
          if (!settled || disk.parts <= disk.partitions) break;
        }
        return {
          settled,
          method:
            `GET /internal/force_flush, then /internal/force_merge until one part per month (${disk.parts} part(s) in ` +
            `${disk.partitions} month(s)) holding ${disk.samples}/${expectedSamples} samples on disk, no merge running, ` +
            `data dir unchanged ${SETTLE_QUIET_MS / 1000} s; waited ${((performance.now() - started) / 1000).toFixed(1)} s`,
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
