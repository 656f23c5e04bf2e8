// Cardinality flood (issue 10, finding 7): several writers make every point a
// new series for a while, against a real hookline process with its default
// settings (override any HOOKLINE_* in the environment). Prints one
// `BENCH_JSON {...}` line: series created, points refused by the series limit,
// 503s, peak RSS, RSS after the flood and after a flush, the slowest /ping.
// See bench/README.md.
//
//   node --import tsx bench/cardinality-flood.ts
//   FLOOD_SECONDS=10 HOOKLINE_MAX_SERIES_PER_BUCKET=0 node --import tsx bench/cardinality-flood.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from './lib/http-client.ts';
import { peakRssBytes } from './lib/measure.ts';
import { startHookline } from './lib/target-hookline.ts';
import type { Dataset } from './lib/dataset.ts';

/** The checkout whose server runs (FLOOD_REPO: another one, e.g. to measure main before a change). */
const REPO_ROOT = process.env.FLOOD_REPO ?? dirname(dirname(fileURLToPath(import.meta.url)));
const SECONDS = Number(process.env.FLOOD_SECONDS ?? 60);
const WRITERS = Number(process.env.FLOOD_WRITERS ?? 8);
const BATCH = Number(process.env.FLOOD_BATCH ?? 5000);
/** After the flush, how long to wait before the last RSS sample (V8 and malloc give memory back lazily). */
const SETTLE_MS = Number(process.env.FLOOD_SETTLE_MS ?? 10_000);

function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

const mb = (b: number) => Math.round(b / 1048576);

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(process.env.BENCH_TMPDIR ?? tmpdir(), 'hookline-flood-'));
  const dataDir = join(workDir, 'data');
  const { server, port, token } = await startHookline({ repoRoot: REPO_ROOT, workDir, dataDir, dataset: undefined as unknown as Dataset });
  const auth = { Authorization: `Token ${token}` };
  await sleep(2000);
  const rssIdle = rssBytes(server.pid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
  const totals = { accepted: 0, refused: 0, overloaded: 0, requests: 0, other: 0 };
  let otherSample = '';
  let serial = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const t0 = Math.floor(Date.now() / 1000);

  async function writer(w: number): Promise<void> {
    while (Date.now() < deadline) {
      const lines: string[] = [];
      for (let i = 0; i < BATCH; i++) lines.push(`flood,writer=w${w},dev=d${(serial++).toString(36)} v=${i} ${t0}`);
      const res = await httpRequest({ port, method: 'POST', path: '/api/v2/write?org=bench&bucket=bench&precision=s', headers: auth, body: lines.join('\n'), agent });
      totals.requests++;
      if (res.status === 204) totals.accepted += BATCH;
      else if (res.status === 422) {
        const dropped = Number(/dropped=(\d+)/.exec(res.body)?.[1] ?? 0);
        totals.refused += dropped;
        totals.accepted += BATCH - dropped;
      } else if (res.status === 503) {
        totals.overloaded++;
        await sleep(100);
      } else {
        totals.other++;
        otherSample = `${res.status} ${res.body.slice(0, 200)}`;
      }
    }
  }

  let peakSampled = 0;
  let slowestPingMs = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakSampled = Math.max(peakSampled, rssBytes(server.pid));
      const p0 = performance.now();
      await httpRequest({ port, method: 'GET', path: '/ping' });
      slowestPingMs = Math.max(slowestPingMs, performance.now() - p0);
      await sleep(250);
    }
  })();

  const started = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  const elapsed = (performance.now() - started) / 1000;
  const rssAfterFlood = rssBytes(server.pid);
  sampling = false;
  await sampler;
  const f0 = performance.now();
  const flush = await httpRequest({ port, method: 'POST', path: '/debug/flush', headers: auth, timeoutMs: 600_000 });
  const flushSeconds = (performance.now() - f0) / 1000;
  if (flush.status !== 204) throw new Error(`flush: ${flush.status} ${flush.body}`);
  const rssJustAfterFlush = rssBytes(server.pid);
  for (let waited = 0; waited < SETTLE_MS; waited += 1000) {
    await sleep(1000);
    if (process.env.FLOOD_TRACE) console.error(`+${waited + 1000} ms after flush: RSS ${mb(rssBytes(server.pid))} MB`);
  }
  const rssAfterFlush = rssBytes(server.pid);
  const q = await httpRequest({ port, method: 'GET', path: `/api/v3/query_sql?db=bench&format=json&q=${encodeURIComponent('SELECT count(*) AS n FROM flood')}`, headers: auth });
  const stored = Number((JSON.parse(q.body) as Array<{ n: number | string }>)[0]?.n ?? -1);
  const peak = Math.max(peakRssBytes(server.pid), peakSampled);
  agent.destroy();
  await server.stop();
  if (!process.env.BENCH_KEEP) await rm(workDir, { recursive: true, force: true });
  const result = {
    bench: 'cardinality-flood',
    seconds: Math.round(elapsed),
    writers: WRITERS,
    batch: BATCH,
    maxSeriesPerBucket: process.env.HOOKLINE_MAX_SERIES_PER_BUCKET ?? 'default',
    seriesCreated: totals.accepted,
    storedPoints: stored,
    pointsRefused: totals.refused,
    overloaded503: totals.overloaded,
    otherErrors: totals.other,
    ...(otherSample ? { otherSample } : {}),
    pointsPerSecond: Math.round((totals.accepted + totals.refused) / elapsed),
    rssIdleMB: mb(rssIdle),
    peakRssMB: mb(peak),
    rssAfterFloodMB: mb(rssAfterFlood),
    flushSeconds: Math.round(flushSeconds * 10) / 10,
    rssJustAfterFlushMB: mb(rssJustAfterFlush),
    rssAfterFlushMB: mb(rssAfterFlush),
    slowestPingMs: Math.round(slowestPingMs),
  };
  console.log('BENCH_JSON ' + JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
