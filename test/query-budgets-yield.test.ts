// The largest results the default budgets allow are assembled and encoded in
// slices (src/query/time-slice.ts): while one runs, /ping keeps answering
// (issue 10: "no request can block the event loop"), and the answer is the
// same as ever. No timing asserts: /ping must answer several times before the
// query's answer arrives, which a query holding the loop in one piece for its
// JS work could not allow after its SQL. bench/query-stall.ts measures the stalls.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, BUCKET, startTestServer, writeLp, type TestServer } from './helpers/server.ts';

const WINDOWS = 100_000; // HOOKLINE_MAX_SELECT_BUCKETS' default: the largest allowed
const WINDOW_POINTS = 9_000;
const RAW = 50_000; // HOOKLINE_MAX_SELECT_POINT's default
const T0_MS = 1_700_000_000_000;

let s: TestServer;
before(async () => {
  s = await startTestServer();
  const lines: string[] = [];
  // One point every 10 ms in [T0, T0 + 90 s): 9 000 of the 100 000 1 ms windows hold a point.
  for (let i = 0; i < WINDOW_POINTS; i++) lines.push(`pub v=${i} ${T0_MS + 10 * i}`);
  for (let i = 0; i < RAW; i++) lines.push(`raw,host=h${i % 4} v=${i} ${T0_MS + 200_000 + i}`);
  const r = await writeLp(s, lines.join('\n'), `org=test-org&bucket=${BUCKET}&precision=ms`);
  assert.equal(r.status, 204, await r.text());
});
after(async () => {
  await s?.stop();
});

/** Runs the query while /ping is polled; returns the body and how many pings answered before it. */
async function queryWhilePinging(q: string): Promise<{ body: any; pings: number }> {
  let done = false;
  let pings = 0;
  const poll = (async () => {
    while (!done) {
      const r = await fetch(`${s.url}/ping`);
      assert.equal(r.status, 204);
      if (!done) pings++;
    }
  })();
  const r = await api(s, `/query?db=${BUCKET}&epoch=ms&q=${encodeURIComponent(q)}`, { method: 'POST' });
  const text = await r.text();
  done = true;
  await poll;
  assert.equal(r.status, 200, text.slice(0, 300));
  return { body: JSON.parse(text), pings };
}

test('100 000 filled windows: /ping answers during the query, every window is there', async () => {
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
  const q = `SELECT count(v) FROM pub WHERE time >= ${ns(T0_MS)} AND time < ${ns(T0_MS + WINDOWS)} GROUP BY time(1ms) fill(0)`;
  const { body, pings } = await queryWhilePinging(q);
  assert.equal(body.results[0].error, undefined);
  const [series] = body.results[0].series;
  assert.equal(series.values.length, WINDOWS);
  assert.deepEqual(series.values[0], [T0_MS, 1]);
  assert.deepEqual(series.values[1], [T0_MS + 1, 0]);
  assert.deepEqual(series.values[WINDOWS - 1], [T0_MS + WINDOWS - 1, 0]);
  assert.equal(series.values.reduce((n: number, v: number[]) => n + v[1], 0), WINDOW_POINTS);
  assert.ok(pings >= 2, `only ${pings} /ping answers during the query`);
});

test('50 000 raw rows: /ping answers during the query, every row is there in order', async () => {
  const { body, pings } = await queryWhilePinging('SELECT v FROM raw');
  assert.equal(body.results[0].error, undefined);
  const [series] = body.results[0].series;
  assert.equal(series.values.length, RAW);
  // 1.x's merge order: by time across the four series.
  series.values.forEach((row: number[], i: number) => assert.deepEqual(row, [T0_MS + 200_000 + i, i]));
  assert.ok(pings >= 2, `only ${pings} /ping answers during the query`);
});
