// The longest event-loop stall while the largest InfluxQL results the default
// budgets allow are assembled and encoded (issue 10: "/ping within 100 ms
// during each attack"). Starts an in-process server (port 0, temporary data
// dir), writes the data, then per case runs the query over HTTP while
// perf_hooks.monitorEventLoopDelay samples the loop and /ping is polled.
// Prints one BENCH_JSON line per case: query ms, loop delay max/p99, /ping
// answers during the query and their worst latency.
// Run: node --import tsx bench/query-stall.ts   (BENCH_RUNS=3 repeats each case)

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { api, startTestServer, writeLp, BUCKET, ORG } from '../test/helpers/server.ts';

const WINDOWS = 99_000; // under HOOKLINE_MAX_SELECT_BUCKETS=100000
const RAW = 50_000; // HOOKLINE_MAX_SELECT_POINT

async function main(): Promise<void> {
  const s = await startTestServer();
  const nowMs = Date.now() - 1000;
  const lines: string[] = [];
  // One point every 10 ms over the last 99 s: GROUP BY time(1ms) fill(0) fills 99 000 windows.
  for (let i = 0; i < 9_900; i++) lines.push(`pub v=${i} ${nowMs - 10 * i}`);
  for (let i = 0; i < RAW; i++) lines.push(`raw,host=h${i % 4} v=${i},w=${i * 0.5} ${nowMs - 200_000 - i}`);
  const w = await writeLp(s, lines.join('\n'), `org=${ORG}&bucket=${BUCKET}&precision=ms`);
  if (w.status !== 204) throw new Error(await w.text());
  const cases = [
    { name: '99k windows', q: `SELECT mean(v) FROM pub WHERE time > now() - ${WINDOWS}ms GROUP BY time(1ms) fill(0)` },
    { name: '50k raw rows', q: 'SELECT * FROM raw' },
    { name: '50k raw rows, chunked', q: 'SELECT * FROM raw', extra: '&chunked=true' },
  ];
  const runs = Number(process.env.BENCH_RUNS ?? 2);
  // The machine's own noise: the same measurement for 3 s with no query running.
  {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    let pings = 0;
    const until = performance.now() + 3000;
    while (performance.now() < until) {
      await fetch(`${s.url}/ping`);
      pings++;
    }
    h.disable();
    console.log('BENCH_JSON', JSON.stringify({ case: 'idle (no query)', loopDelayMaxMs: +(h.max / 1e6).toFixed(1), loopDelayP99Ms: +(h.percentile(99) / 1e6).toFixed(1), pingsDuring: pings }));
  }
  for (const c of cases) {
    for (let run = 0; run < runs; run++) {
      const h = monitorEventLoopDelay({ resolution: 1 });
      let done = false;
      let pings = 0;
      let worstPing = 0;
      const poll = (async () => {
        while (!done) {
          const t = performance.now();
          await fetch(`${s.url}/ping`);
          if (!done) {
            pings++;
            worstPing = Math.max(worstPing, performance.now() - t);
          }
        }
      })();
      h.enable();
      const t0 = performance.now();
      const r = await api(s, `/query?db=${BUCKET}${c.extra ?? ''}&q=${encodeURIComponent(c.q)}`, { method: 'POST' });
      const body = await r.text();
      const ms = performance.now() - t0;
      done = true;
      h.disable();
      await poll;
      if (r.status !== 200 || body.includes('"error"')) throw new Error(body.slice(0, 300));
      console.log(
        'BENCH_JSON',
        JSON.stringify({ case: c.name, run, bodyBytes: body.length, queryMs: Math.round(ms), loopDelayMaxMs: +(h.max / 1e6).toFixed(1), loopDelayP99Ms: +(h.percentile(99) / 1e6).toFixed(1), pingsDuring: pings, worstPingMs: Math.round(worstPing) }),
      );
    }
  }
  await s.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
