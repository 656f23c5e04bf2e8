// The two targets of the OpenTSDB benchmark, both fed the same /api/put JSON
// bodies: hookline (POST /api/put on its main port) and VictoriaMetrics'
// OpenTSDB HTTP listener (-opentsdbHTTPListenAddr, "/api/put"). Each is
// started, settled and counted as bench/lib/target-*.ts do for line protocol.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expectStatus, HOST, httpRequest, probe } from './http-client.ts';
import { waitUntilSettled } from './measure.ts';
import { OPENTSDB_METRICS } from './opentsdb-dataset.ts';
import { findExecutable, findFreePort, ServerProcess, waitUntilReady } from './server-process.ts';
import type { PointCount, RunningTarget, TargetContext, TargetDefinition } from './target.ts';
import { startHookline } from './target-hookline.ts';

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const BIN = join('bin', 'hookline.js');
const VM_BINARIES = ['victoria-metrics', 'victoria-metrics-prod'];

export const hooklineOpenTsdbTarget: TargetDefinition = {
  name: 'hookline',
  unavailableReason: (repoRoot) => (existsSync(join(repoRoot, BIN)) ? null : `${BIN} does not exist in ${repoRoot}`),
  async start(ctx: TargetContext): Promise<RunningTarget> {
    const { server, port, token } = await startHookline(ctx);
    const auth = { Authorization: `Basic ${Buffer.from(`bench:${token}`).toString('base64')}` };
    return {
      server,
      port,
      // The first-run token's default bucket is `bench`: the seed's request names no bucket either.
      writePath: '/api/put',
      writeHeaders: { ...auth, ...JSON_HEADERS },
      async settle() {
        const res = await httpRequest({ port, method: 'POST', path: '/debug/flush', headers: auth, timeoutMs: 300_000 });
        expectStatus(res, 204, 'hookline POST /debug/flush');
        return { settled: true, method: 'POST /debug/flush -> 204' };
      },
      async countPoints(): Promise<PointCount> {
        const sql = OPENTSDB_METRICS.map((m) => `(SELECT count(*) FROM "${m}")`).join(' + ');
        const res = await httpRequest({ port, method: 'GET', path: `/api/v3/query_sql?db=bench&format=json&q=${encodeURIComponent(`SELECT ${sql} AS n`)}`, headers: auth });
        expectStatus(res, 200, 'hookline count query');
        const n = Number((JSON.parse(res.body) as Array<{ n: number | string }>)[0]?.n);
        return { points: n, method: `SQL count(*) over ${OPENTSDB_METRICS.join(', ')}` };
      },
    };
  },
};

/** Samples held in the parts on disk (part directory names start with their row count). */
async function samplesOnDisk(dataDir: string): Promise<{ samples: number; parts: number }> {
  let samples = 0;
  let parts = 0;
  for (const table of ['small', 'big']) {
    const dir = join(dataDir, 'data', table);
    for (const month of await readdir(dir).catch(() => [] as string[])) {
      for (const part of await readdir(join(dir, month)).catch(() => [] as string[])) {
        const m = /^(\d+)_\d+_/.exec(part);
        if (m) {
          samples += Number(m[1]);
          parts++;
        }
      }
    }
  }
  return { samples, parts };
}

export const victoriaMetricsOpenTsdbTarget: TargetDefinition = {
  name: 'victoria-metrics',
  unavailableReason: () => (findExecutable(VM_BINARIES) ? null : 'victoria-metrics not found; install with: sudo apt-get install victoria-metrics'),
  async start(ctx: TargetContext): Promise<RunningTarget> {
    const port = await findFreePort();
    const putPort = await findFreePort();
    const server = new ServerProcess({
      name: 'victoria-metrics',
      command: findExecutable(VM_BINARIES) as string,
      args: [`-storageDataPath=${ctx.dataDir}`, `-httpListenAddr=${HOST}:${port}`, `-opentsdbHTTPListenAddr=${HOST}:${putPort}`, '-retentionPeriod=100y'],
      cwd: ctx.workDir,
      env: process.env,
      logPath: join(ctx.workDir, 'server.log'),
    });
    await waitUntilReady(server, () => probe(port, '/health', 200), 60_000);
    const { firstTimestamp, lastTimestamp } = ctx.dataset;
    const window = lastTimestamp - firstTimestamp + 10;
    return {
      server,
      port: putPort,
      writePath: '/api/put',
      writeHeaders: JSON_HEADERS,
      async settle() {
        const flushed = await httpRequest({ port, method: 'GET', path: '/internal/force_flush' });
        expectStatus(flushed, '2xx', 'victoria-metrics /internal/force_flush');
        const merged = await httpRequest({ port, method: 'GET', path: '/internal/force_merge' });
        expectStatus(merged, '2xx', 'victoria-metrics /internal/force_merge');
        const r = await waitUntilSettled({
          dir: ctx.dataDir,
          isBusy: async () => (await samplesOnDisk(ctx.dataDir)).samples < ctx.dataset.points,
          quietMs: 3000,
          timeoutMs: 120_000,
        });
        const disk = await samplesOnDisk(ctx.dataDir);
        return { settled: r.settled, method: `force_flush + force_merge; ${disk.samples} samples in ${disk.parts} part(s) on disk, data dir unchanged 3 s` };
      },
      async countPoints(): Promise<PointCount> {
        let total = 0;
        for (const m of OPENTSDB_METRICS) {
          const query = `sum(count_over_time({__name__="${m}"}[${window}s]))`;
          const res = await httpRequest({ port, method: 'GET', path: `/api/v1/query?query=${encodeURIComponent(query)}&time=${lastTimestamp}` });
          expectStatus(res, 200, `victoria-metrics ${query}`);
          total += Number((JSON.parse(res.body) as { data?: { result?: Array<{ value?: [number, string] }> } }).data?.result?.[0]?.value?.[1] ?? 0);
        }
        return { points: total, method: 'sum(count_over_time(...)) per metric' };
      },
    };
  },
};
