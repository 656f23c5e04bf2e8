// Query budgets against a real server (issue 10, findings 2 and 5): InfluxQL's
// max-select-buckets/-point/-series and OpenTSDB's equivalents refuse in the
// client's dialect before memory is spent, /ping keeps answering, the process
// and the data written before stay intact; raised settings let the same
// queries run; the query gate answers 503 + Retry-After per dialect; a
// catastrophic-backtracking regex answers at once (RE2).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, BUCKET, startTestServer, writeLp, type TestServer } from './helpers/server.ts';

const RAW_POINTS = 50_001; // one over the default HOOKLINE_MAX_SELECT_POINT
const MANY_SERIES = 10_001; // one over the default HOOKLINE_MAX_SELECT_SERIES
const PUB_POINTS = 40;
const LONG_NAME = 'a'.repeat(31);

async function seed(s: TestServer): Promise<void> {
  const nowMs = Date.now() - 2000;
  const lines: string[] = [];
  for (let i = 0; i < PUB_POINTS; i++) lines.push(`pub,host=${i % 2 ? 'a' : 'b'} v=${i} ${nowMs - 1000 * i}`);
  for (let i = 0; i < RAW_POINTS; i++) lines.push(`raw v=${i} ${nowMs - 50_000 - i}`);
  for (let i = 0; i < MANY_SERIES; i++) lines.push(`many,host=h${i} v=1 ${nowMs - 10_000}`);
  lines.push(`${LONG_NAME} v=1 ${nowMs}`);
  const r = await writeLp(s, lines.join('\n'), `org=test-org&bucket=${BUCKET}&precision=ms`);
  assert.equal(r.status, 204, await r.text());
}

async function influxql(s: TestServer, q: string): Promise<{ status: number; body: string; headers: Headers }> {
  const r = await api(s, `/query?db=${BUCKET}&q=${encodeURIComponent(q)}`, { method: 'POST' });
  return { status: r.status, body: await r.text(), headers: r.headers };
}

async function tsdb(s: TestServer, body: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const r = await api(s, '/api/query', { method: 'POST', body: JSON.stringify(body) });
  return { status: r.status, json: JSON.parse(await r.text()), headers: r.headers };
}

/** Runs `work` while /ping is asked too; every ping must answer 204. */
async function withPing<T>(s: TestServer, work: Promise<T>): Promise<T> {
  let done = false;
  const pings = (async () => {
    let n = 0;
    do {
      const r = await fetch(`${s.url}/ping`);
      assert.equal(r.status, 204);
      n++;
    } while (!done);
    return n;
  })();
  try {
    return await work;
  } finally {
    done = true;
    assert.ok((await pings) >= 1);
  }
}

async function assertIntact(s: TestServer): Promise<void> {
  assert.equal((await fetch(`${s.url}/ping`)).status, 204);
  const r = await influxql(s, 'SELECT count(v) FROM pub');
  assert.equal(r.status, 200);
  assert.match(r.body, new RegExp(`"values":\\[\\["1970-01-01T00:00:00Z",${PUB_POINTS}\\]\\]`));
}

let s: TestServer; // defaults
let raised: TestServer; // limits raised, one query at a time and no queue
before(async () => {
  s = await startTestServer();
  raised = await startTestServer({
    HOOKLINE_MAX_SELECT_BUCKETS: '200000',
    HOOKLINE_MAX_SELECT_POINT: '60000',
    HOOKLINE_MAX_SELECT_SERIES: '20000',
    HOOKLINE_MAX_CONCURRENT_QUERIES: '1',
    HOOKLINE_MAX_QUEUED_QUERIES: '0',
  });
  await seed(s);
  await seed(raised);
});
after(async () => {
  await s?.stop();
  await raised?.stop();
});

test("finding 2: 9 M windows are refused with 1.x's max-select-buckets error before anything runs", async () => {
  const r = await withPing(s, influxql(s, 'SELECT mean(v) FROM pub WHERE time > now() - 9000s GROUP BY time(1ms) fill(0)'));
  assert.equal(r.status, 200);
  assert.match(r.body, /^\{"results":\[\{"statement_id":0,"error":"max-select-buckets limit exceeded: \((9000000|9000001)\/100000\)"\}\]\}\n?$/);
  await assertIntact(s);
});

test('windows are counted per series: 2 series x 60 000 windows are over 100 000, 1 series is not', async () => {
  const two = await withPing(s, influxql(s, 'SELECT mean(v) FROM pub WHERE time > now() - 60s GROUP BY time(1ms), host fill(null)'));
  assert.match(two.body, /"error":"max-select-buckets limit exceeded: \(1200\d\d\/100000\)"/);
  const one = await influxql(s, 'SELECT count(v) FROM pub WHERE time > now() - 60s GROUP BY time(1ms) fill(none)');
  assert.equal(one.status, 200);
  assert.doesNotMatch(one.body, /error/);
  await assertIntact(s);
});

test('the budget is per request: statements joined with ; share it, the one that crosses it gets the error', async () => {
  const one = 'SELECT mean(v) FROM pub WHERE time > now() - 60s GROUP BY time(1ms) fill(0)';
  type Result = { statement_id: number; series?: Array<{ values: unknown[] }>; error?: string };
  // The first statement fits (60 000 windows); the second would bring the request to 120 000.
  const two = JSON.parse((await withPing(s, influxql(s, `${one};${one}`))).body).results as Result[];
  assert.equal(two.length, 2);
  assert.equal(two[0].error, undefined);
  assert.ok(two[0].series![0].values.length >= 60_000);
  assert.match(two[1].error!, /^max-select-buckets limit exceeded: \(1200\d\d\/100000\)$/);
  // 20 copies: only the first builds its windows, the rest are not run.
  const r = await withPing(s, influxql(s, Array(20).fill(one).join(';')));
  assert.equal(r.status, 200);
  const many = JSON.parse(r.body).results as Result[];
  assert.equal(many.filter((x) => x.series).length, 1);
  assert.ok(many.slice(1).every((x) => x.error), JSON.stringify(many.slice(1, 3)));
  assert.ok(r.body.length < 5_000_000, `${r.body.length} bytes`);
  // Each statement alone is still within the budget.
  const alone = await influxql(s, one);
  assert.doesNotMatch(alone.body, /error/);
  await assertIntact(s);
});

test('raw selects stop at max-select-point, counted before the rows are materialised', async () => {
  const r = await withPing(s, influxql(s, 'SELECT v FROM raw'));
  assert.equal(r.body.trim(), '{"results":[{"statement_id":0,"error":"max-select-point limit exceeed: (50001/50000)"}]}');
  // Aggregates that bring every point of a window to JS (percentile, mode, top...) count them first.
  const median = await withPing(s, influxql(s, 'SELECT percentile(v, 50) FROM raw'));
  assert.equal(median.body.trim(), '{"results":[{"statement_id":0,"error":"max-select-point limit exceeed: (50001/50000)"}]}');
  const mean = await influxql(s, 'SELECT max(v) FROM raw');
  assert.match(mean.body, /"values":\[\["[^"]+",50000\]\]/);
  // Under the budget (LIMIT is pushed into SQL), the same measurement answers.
  const few = await influxql(s, 'SELECT v FROM raw LIMIT 3');
  assert.equal(JSON.parse(few.body).results[0].series[0].values.length, 3);
  await assertIntact(s);
});

test('series stop at max-select-series', async () => {
  const r = await withPing(s, influxql(s, 'SELECT count(v) FROM many GROUP BY host'));
  assert.equal(r.body.trim(), '{"results":[{"statement_id":0,"error":"max-select-series limit exceeded: (10001/10000)"}]}');
  const one = await influxql(s, 'SELECT count(v) FROM many');
  assert.match(one.body, /"values":\[\["1970-01-01T00:00:00Z",10001\]\]/);
  await assertIntact(s);
});

test('/api/v3/query_influxql refuses in its own dialect', async () => {
  const r = await api(s, `/api/v3/query_influxql?db=${BUCKET}&q=${encodeURIComponent('SELECT v FROM raw')}`);
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { error: 'max-select-point limit exceeed: (50001/50000)' });
});

test("OpenTSDB /api/query: points, series and downsample buckets refused with 413 in OpenTSDB's error body", async () => {
  const end = Date.now();
  const start = end - 9000_000;
  const pts = await withPing(s, tsdb(s, { start, end, queries: [{ metric: 'raw.v', aggregator: 'sum' }] }));
  assert.equal(pts.status, 413);
  assert.deepEqual(pts.json, { error: { code: 413, message: 'Sorry, you have attempted to fetch more than our limit of 50000 data points. Please try filtering using more tags or decrease your time range.' } });
  const series = await tsdb(s, { start, end, queries: [{ metric: 'many.v', aggregator: 'none' }] });
  assert.equal(series.status, 413);
  assert.match(series.json.error.message, /limit of 10000 time series \(10001\)/);
  const buckets = await withPing(s, tsdb(s, { start, end, queries: [{ metric: 'pub.v', aggregator: 'avg', downsample: '1ms-avg-zero' }] }));
  assert.equal(buckets.status, 413);
  assert.match(buckets.json.error.message, /limit of 100000 downsample buckets \(900000\d\)/);
  const ok = await tsdb(s, { start: end - 100_000, end, queries: [{ metric: 'pub.v', aggregator: 'sum', downsample: '1s-sum-zero' }] });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.length, 1);
  await assertIntact(s);
});

test('finding 5: /^(.+)+#$/ over a 31-character measurement name answers at once (RE2), /ping too', async () => {
  const r = await withPing(s, influxql(s, 'SELECT * FROM /^(.+)+#$/'));
  assert.equal(r.body.trim(), '{"results":[{"statement_id":0}]}');
  const hit = await influxql(s, `SELECT * FROM /^(.+)+$/ WHERE time > now() - 1h LIMIT 1`);
  assert.match(hit.body, new RegExp(`"name":"${LONG_NAME}"`));
  const show = await influxql(s, 'SHOW MEASUREMENTS WITH MEASUREMENT =~ /^(a+)+#$/');
  assert.equal(show.body.trim(), '{"results":[{"statement_id":0}]}');
});

test('the query gate: with one slot and no queue, a second query gets 503 + Retry-After in each dialect', async () => {
  let release!: () => void;
  const held = raised.queries.run(() => new Promise<void>((r) => (release = r)));
  try {
    const v1 = await influxql(raised, 'SELECT count(v) FROM pub');
    assert.equal(v1.status, 503);
    assert.equal(v1.headers.get('retry-after'), '1');
    assert.match(JSON.parse(v1.body).error, /^max-concurrent-queries limit exceeded\(1, 1\)/);
    const v3 = await api(raised, `/api/v3/query_influxql?db=${BUCKET}&q=${encodeURIComponent('SELECT count(v) FROM pub')}`);
    assert.equal(v3.status, 503);
    assert.equal(v3.headers.get('retry-after'), '1');
    const ts = await tsdb(raised, { start: Date.now() - 100_000, queries: [{ metric: 'pub.v', aggregator: 'sum' }] });
    assert.equal(ts.status, 503);
    assert.equal(ts.headers.get('retry-after'), '1');
    assert.equal(ts.json.error.code, 503);
    assert.equal((await fetch(`${raised.url}/ping`)).status, 204);
  } finally {
    release();
    await held;
  }
  const again = await influxql(raised, 'SELECT count(v) FROM pub');
  assert.equal(again.status, 200);
  assert.match(again.body, new RegExp(`,${PUB_POINTS}\\]`));
});

test('raised settings: the queries refused by default run', async () => {
  const windows = await influxql(raised, 'SELECT count(v) FROM pub WHERE time > now() - 60s GROUP BY time(1ms), host fill(0)');
  const series = JSON.parse(windows.body).results[0].series as Array<{ values: unknown[] }>;
  assert.equal(series.length, 2);
  for (const x of series) assert.ok(x.values.length >= 60_000);
  const raw = JSON.parse((await influxql(raised, 'SELECT v FROM raw')).body);
  assert.equal(raw.results[0].series[0].values.length, RAW_POINTS);
  const median = JSON.parse((await influxql(raised, 'SELECT percentile(v, 50) FROM raw')).body);
  assert.deepEqual(median.results[0].series[0].values[0][1], 25000);
  const many = JSON.parse((await influxql(raised, 'SELECT count(v) FROM many GROUP BY host')).body);
  assert.equal(many.results[0].series.length, MANY_SERIES);
  const ts = await tsdb(raised, { start: Date.now() - 9000_000, queries: [{ metric: 'raw.v', aggregator: 'sum' }] });
  assert.equal(ts.status, 200);
  await assertIntact(raised);
});

test('a continuous query refused by the gate is retried, and covers the seconds it missed', async () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  // One slot and no queue: a query that meets the continuous query's run gets 503 and asks again.
  const q = async (text: string): Promise<any> => {
    for (;;) {
      const r = await api(raised, `/query?db=cqgate&epoch=s&q=${encodeURIComponent(text)}`, { method: 'POST' });
      const body = await r.text();
      if (r.status !== 503) return JSON.parse(body);
      await sleep(50);
    }
  };
  assert.equal((await q('CREATE DATABASE cqgate')).results[0].error, undefined);
  assert.equal((await q('CREATE CONTINUOUS QUERY per_sec ON cqgate BEGIN SELECT count(v) AS n INTO cqgate.autogen.out FROM src GROUP BY time(1s) END')).results[0].error, undefined);
  // Let it run once (every second, data or not), so it has a last run to continue from.
  await sleep(1500);
  let release!: () => void;
  const held = raised.queries.run(() => new Promise<void>((r) => (release = r)));
  const base = Math.ceil(Date.now() / 1000);
  const lines: string[] = [];
  for (let sec = 0; sec < 3; sec++) lines.push(`src v=${sec} ${(base + sec) * 1000 + 100}`, `src v=${sec} ${(base + sec) * 1000 + 200}`);
  assert.equal((await api(raised, '/write?db=cqgate&precision=ms', { method: 'POST', body: lines.join('\n') })).status, 204);
  // The three seconds close while every slot is taken: each run is refused.
  while (Date.now() < (base + 3) * 1000 + 1500) await sleep(200);
  release();
  await held;
  const end = Date.now() + 20_000;
  let values: unknown[][] = [];
  while (Date.now() < end) {
    values = (await q(`SELECT n FROM cqgate.autogen.out WHERE time >= ${base}s AND time < ${base + 3}s`)).results[0].series?.[0]?.values ?? [];
    if (values.length >= 3) break;
    await sleep(200);
  }
  assert.deepEqual(values, [
    [base, 2],
    [base + 1, 2],
    [base + 2, 2],
  ]);
  await q('DROP CONTINUOUS QUERY per_sec ON cqgate');
});
