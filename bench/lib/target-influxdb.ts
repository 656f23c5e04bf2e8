// InfluxDB 1.x (Debian package `influxdb`, 1.6 in bookworm) as a peer. It runs
// from a generated config with every path inside the temp dir and only
// loopback listeners, so it never touches /var/lib/influxdb or port 8086.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectStatus, HOST, httpRequest, probe } from './http-client.ts';
import { waitUntilSettled } from './measure.ts';
import { findExecutable, findFreePort, ServerProcess, waitUntilReady } from './server-process.ts';
import type { PointCount, RunningTarget, TargetContext, TargetDefinition } from './target.ts';

const READY_TIMEOUT_MS = 60_000;
/** Snapshot plus full compaction of 2 M points takes seconds; this is only a bound. */
const SETTLE_TIMEOUT_MS = 180_000;
/** Longer than the 1 s compaction-planner tick, so a pending compaction is seen. */
const SETTLE_QUIET_MS = 3_000;

/** A TOML basic string: JSON's escapes are valid TOML escapes for paths and addresses. */
function toml(value: string): string {
  return JSON.stringify(value);
}

function configToml(ctx: TargetContext, httpPort: number, rpcPort: number): string {
  // Keys as printed by `influxd config` (1.6). Only what the benchmark needs
  // differs from the defaults, each for the reason given.
  return `reporting-disabled = true
# The backup/restore RPC service binds 127.0.0.1:8088 by default: move it to a free port.
bind-address = ${toml(`${HOST}:${rpcPort}`)}

[meta]
  dir = ${toml(join(ctx.dataDir, 'meta'))}

[data]
  dir = ${toml(join(ctx.dataDir, 'data'))}
  wal-dir = ${toml(join(ctx.dataDir, 'wal'))}
  # Defaults are 10m and 4h: the cache would sit in the WAL, and the shard
  # would never be fully compacted, within the benchmark. With 1s both happen
  # right after the writes stop; while writes flow, snapshots are still driven
  # by cache-snapshot-memory-size (25 MiB) exactly as with the defaults.
  cache-snapshot-write-cold-duration = "1s"
  compact-full-write-cold-duration = "1s"

[monitor]
  # Default true: it would write the _internal database into the data dir
  # every 10 s, adding CPU and bytes that are not the benchmark's points.
  store-enabled = false

[http]
  bind-address = ${toml(`${HOST}:${httpPort}`)}
`;
}

/** Values of every /debug/vars entry whose name starts with `prefix`. */
function statValues(vars: Record<string, unknown>, prefix: string): Record<string, number>[] {
  return Object.entries(vars)
    .filter(([key]) => key.startsWith(prefix))
    .map(([, v]) => ((v as { values?: Record<string, number> }).values ?? {}));
}

async function debugVars(port: number): Promise<Record<string, unknown>> {
  const res = await httpRequest({ port, method: 'GET', path: '/debug/vars' });
  expectStatus(res, 200, 'influxdb GET /debug/vars');
  return JSON.parse(res.body) as Record<string, unknown>;
}

/**
 * Busy while any shard still holds data in its cache or WAL, or runs a
 * compaction (tsm1 engine stats in /debug/vars). Compaction queues are not
 * read: with one fully compacted TSM file, 1.6 keeps reporting
 * tsmOptimizeCompactionQueue=1 for an optimize that never runs. A queued
 * compaction starts within the planner's 1 s tick, which the quiet period
 * of the settle loop outlasts.
 */
async function isBusy(port: number): Promise<boolean> {
  const vars = await debugVars(port);
  const cacheBusy = statValues(vars, 'tsm1_cache:').some((v) => (v.memBytes ?? 0) > 0);
  const walBusy = statValues(vars, 'tsm1_wal:').some((v) => (v.currentSegmentDiskBytes ?? 0) + (v.oldSegmentsDiskBytes ?? 0) > 0);
  const compacting = statValues(vars, 'tsm1_engine:').some((v) =>
    Object.entries(v).some(([k, n]) => k.endsWith('CompactionsActive') && n > 0),
  );
  return cacheBusy || walBusy || compacting;
}

export const influxdbTarget: TargetDefinition = {
  name: 'influxdb',

  unavailableReason() {
    return findExecutable(['influxd']) ? null : 'influxd not found; install with: sudo apt-get install influxdb';
  },

  async start(ctx: TargetContext): Promise<RunningTarget> {
    const influxd = findExecutable(['influxd']) as string;
    const port = await findFreePort();
    let rpcPort = await findFreePort();
    while (rpcPort === port) rpcPort = await findFreePort();
    const configPath = join(ctx.workDir, 'influxdb.conf');
    writeFileSync(configPath, configToml(ctx, port, rpcPort));

    const server = new ServerProcess({
      name: 'influxdb',
      command: influxd,
      args: ['run', '-config', configPath],
      cwd: ctx.workDir,
      // INFLUXDB_* variables override the config file: drop any from the caller.
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INFLUXDB_'))),
      logPath: join(ctx.workDir, 'server.log'),
    });
    // /ping answers 204 once the HTTP service is open (InfluxDB 1.x API docs).
    await waitUntilReady(server, () => probe(port, '/ping', 204), READY_TIMEOUT_MS);
    const created = await httpRequest({
      port,
      method: 'POST',
      path: '/query',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `q=${encodeURIComponent('CREATE DATABASE bench')}`,
    });
    expectStatus(created, 200, 'influxdb CREATE DATABASE');
    if (created.body.includes('"error"')) throw new Error(`influxdb CREATE DATABASE: ${created.body}`);

    return {
      server,
      port,
      writePath: '/write?db=bench&precision=s',
      writeHeaders: {},

      async settle() {
        const result = await waitUntilSettled({
          dir: ctx.dataDir,
          isBusy: () => isBusy(port),
          quietMs: SETTLE_QUIET_MS,
          timeoutMs: SETTLE_TIMEOUT_MS,
        });
        const files = statValues(await debugVars(port), 'tsm1_filestore:').reduce((n, v) => n + (v.numFiles ?? 0), 0);
        return {
          settled: result.settled,
          method:
            `cache and WAL empty, no compaction running (/debug/vars), data dir unchanged ${SETTLE_QUIET_MS / 1000} s; ` +
            `waited ${(result.waitedMs / 1000).toFixed(1)} s; ${files} TSM file(s)`,
        };
      },

      async countPoints(): Promise<PointCount> {
        // One count per field: a line is a point, and all three fields must be there.
        const q = 'SELECT count("count") AS c, count("temp") AS t, count("ok") AS o FROM "data"';
        const res = await httpRequest({ port, method: 'GET', path: `/query?db=bench&q=${encodeURIComponent(q)}` });
        expectStatus(res, 200, 'influxdb count query');
        const parsed = JSON.parse(res.body) as { results?: { series?: { values?: number[][] }[]; error?: string }[] };
        const result = parsed.results?.[0];
        if (result?.error) throw new Error(`influxdb count query: ${result.error}`);
        const row = result?.series?.[0]?.values?.[0] ?? [0, 0, 0, 0];
        const [, c, t, o] = row;
        return { points: Math.min(c, t, o), method: `InfluxQL count per field (count=${c}, temp=${t}, ok=${o}); the smallest` };
      },
    };
  },
};
