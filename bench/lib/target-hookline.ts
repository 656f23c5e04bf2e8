// hookline itself, driven through its public contract only: env config,
// /health, the InfluxDB v2 write API, /debug/flush and the v3 SQL query API.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectStatus, HOST, httpRequest, probe } from './http-client.ts';
import { findFreePort, ServerProcess, waitUntilReady } from './server-process.ts';
import type { PointCount, RunningTarget, TargetContext, TargetDefinition } from './target.ts';

const BIN = join('bin', 'hookline.js');
const READY_TIMEOUT_MS = 60_000;
/** /debug/flush waits for all data to reach its final form: allow it a while on 2 M points. */
const FLUSH_TIMEOUT_MS = 300_000;

export const hooklineTarget: TargetDefinition = {
  name: 'hookline',

  unavailableReason(repoRoot) {
    return existsSync(join(repoRoot, BIN)) ? null : `${BIN} does not exist yet in ${repoRoot} (the server is not built)`;
  },

  async start(ctx: TargetContext): Promise<RunningTarget> {
    const { server, port, token } = await startHookline(ctx);
    const auth = { Authorization: `Token ${token}` };

    return {
      server,
      port,
      writePath: '/api/v2/write?org=bench&bucket=bench&precision=s',
      writeHeaders: auth,

      async settle() {
        // The server's own barrier: 204 once every acknowledged point is in its
        // final on-disk form, so no polling or quiet period is needed.
        const res = await httpRequest({ port, method: 'POST', path: '/debug/flush', headers: auth, timeoutMs: FLUSH_TIMEOUT_MS });
        expectStatus(res, 204, 'hookline POST /debug/flush');
        return { settled: true, method: 'POST /debug/flush -> 204' };
      },

      async countPoints(): Promise<PointCount> {
        const sql = 'SELECT count(*) AS n FROM data';
        const path = `/api/v3/query_sql?db=bench&format=json&q=${encodeURIComponent(sql)}`;
        const res = await httpRequest({ port, method: 'GET', path, headers: auth });
        expectStatus(res, 200, 'hookline count query');
        return { points: parseCount(res.body), method: `SQL ${sql}` };
      },
    };
  },
};

/** `[{"n": 2000000}]`; n may come as a string of digits (64-bit counts). */
function parseCount(body: string): number {
  const rows: unknown = JSON.parse(body);
  const n: unknown = Array.isArray(rows) && rows.length === 1 ? (rows[0] as Record<string, unknown>)?.n : undefined;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  if (typeof n === 'string' && /^\d+$/.test(n)) return Number(n);
  throw new Error(`hookline count query: unexpected answer ${body.slice(0, 500)}`);
}

/**
 * Starts hookline through its public contract only (env config), with a fresh
 * random token (the bench never depends on a stored secret), its side
 * listeners (MQTT, OpenTSDB port) off, and waits until it answers.
 */
export async function startHookline(ctx: TargetContext): Promise<{ server: ServerProcess; port: number; token: string }> {
  const port = await findFreePort();
  const token = randomBytes(16).toString('hex');
  const server = new ServerProcess({
    name: 'hookline',
    // process.execPath: the same Node that runs the bench, whatever PATH says.
    command: process.execPath,
    // BENCH_NODE_ARGS: extra node flags for the server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
    // (node refuses --cpu-prof in NODE_OPTIONS).
    args: [...(process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean), BIN, 'serve'],
    cwd: ctx.repoRoot,
    env: {
      ...process.env,
      HOOKLINE_HOST: HOST,
      HOOKLINE_HTTP_PORT: String(port),
      HOOKLINE_DATA_DIR: ctx.dataDir,
      HOOKLINE_INIT_ORG: 'bench',
      HOOKLINE_INIT_BUCKET: 'bench',
      HOOKLINE_INIT_TOKEN: token,
      HOOKLINE_MQTT_PORT: process.env.HOOKLINE_MQTT_PORT ?? '0',
      HOOKLINE_OPENTSDB_PORT: process.env.HOOKLINE_OPENTSDB_PORT ?? '0',
      // No query budgets, as the peers run (InfluxDB 1.6's max-select-* default
      // to 0 = unlimited): the scale runs' 100 k-series answers are what is measured.
      HOOKLINE_MAX_SELECT_POINT: process.env.HOOKLINE_MAX_SELECT_POINT ?? '0',
      HOOKLINE_MAX_SELECT_SERIES: process.env.HOOKLINE_MAX_SELECT_SERIES ?? '0',
      HOOKLINE_MAX_SELECT_BUCKETS: process.env.HOOKLINE_MAX_SELECT_BUCKETS ?? '0',
    },
    logPath: join(ctx.workDir, 'server.log'),
  });
  await waitUntilReady(server, () => probe(port, '/health', 200), READY_TIMEOUT_MS);
  return { server, port, token };
}
