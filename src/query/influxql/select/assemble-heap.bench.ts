// What one InfluxQL result costs in the JS heap and on the event loop, on the
// assemble + encode path: the numbers behind the max-select-* defaults in
// src/config/schema.ts. Starts a real server (port 0, temporary data dir),
// writes points, runs each query with the budgets off and prints one JSON
// line per case (BENCH_JSON ...): rows, peak heap per row, ms per row.
// Run: node --expose-gc --max-old-space-size=4096 --import tsx src/query/influxql/select/assemble-heap.bench.ts

import { startTestServer, writeLp, BUCKET, ORG } from '../../../../test/helpers/server.ts';
import { executeStatements, parseRequest } from '../run-query.ts';
import { encodeJson, mergeResults } from '../encode/v1-response.ts';

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const s = await startTestServer();
  const nowNs = BigInt(Date.now() - 200_000) * 1_000_000n;
  const lines: string[] = [];
  for (let i = 0; i < 200_000; i++) lines.push(`pub,host=h${i % 4} v=${i} ${nowNs + BigInt(i) * 1000n}`);
  await writeLp(s, lines.join('\n'), `org=${ORG}&bucket=${BUCKET}&precision=ns`);
  const auth = s.tenancy.authenticate(s.token)!;
  const cases = [
    'SELECT mean(v) FROM pub WHERE time > now() - 500s GROUP BY time(1ms) fill(0)',
    'SELECT mean(v) FROM pub WHERE time > now() - 500s GROUP BY time(1ms), host fill(0)',
    'SELECT v FROM pub WHERE time > now() - 500s',
    'SELECT * FROM pub WHERE time > now() - 500s',
  ];
  for (const q of cases) {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    let peak = h0;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const t0 = performance.now();
    const res = await executeStatements({ store: s.points, ingest: s.ingest, tenancy: s.tenancy, timeoutMs: 600_000 }, auth, parseRequest(q), { db: BUCKET, rp: '', readOnly: false });
    const body = encodeJson(mergeResults(res), { epoch: '', pretty: false });
    const ms = performance.now() - t0;
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    const rows = res[0].series?.reduce((n, x) => n + x.values.length, 0) ?? 0;
    console.log('BENCH_JSON', JSON.stringify({ q, rows, bodyBytes: body.length, ms: Math.round(ms), peakHeapBytesPerRow: rows ? Math.round((peak - h0) / rows) : 0, usPerRow: rows ? +((ms * 1000) / rows).toFixed(1) : 0 }));
  }
  await s.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
