// Rollups answer GROUP BY time() aggregates (query/influxql/select/rollup-select.ts,
// storage/rollup/): a differential test. Two real servers get the same
// points (several files, a memtable, ns timestamps, missing fields and tags,
// decimal and double floats, integers, unsigned); one keeps no rollups
// (HOOKLINE_ROLLUP_CACHE_BYTES=0) and answers every query with a scan. Every
// query of the corpus must get the same answer from both, to 1e-9 relative
// for floats (engines add floats in different orders), and the second
// server must have answered most of them from its rollups.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { api, BUCKET, startTestServer, type TestServer } from './helpers/server.ts';

const T0 = Date.UTC(2025, 2, 1) * 1_000_000; // ms -> ns below
const NS = 1_000_000n;
const t0 = BigInt(Date.UTC(2025, 2, 1)) * NS;
const SERIES = 13;
const STEP_S = 5;
const POINTS = 20_500; // per series: 266 k rows, above the 200 k that make float sums ordered (run-select.ts)

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The dataset as line-protocol bodies, in time order, in `parts` parts. */
function bodies(parts: number): string[] {
  const rnd = mulberry32(42);
  const lines: string[] = [];
  const temp = Array.from({ length: SERIES }, (_, i) => 2000 + i * 37);
  for (let p = 0; p < POINTS; p++) {
    for (let s = 0; s < SERIES; s++) {
      temp[s] += Math.floor(rnd() * 11) - 5;
      const tags = s === SERIES - 1 ? `device=d${s}` : `device=d${s},site=s${s % 3}`;
      const f: string[] = [];
      if (rnd() > 0.08) f.push(`temp=${(temp[s] / 100).toFixed(2)}`);
      if (rnd() > 0.1) f.push(`raw=${(rnd() * 1000 - 500).toPrecision(15)}`);
      if (rnd() > 0.1) f.push(`n=${Math.floor(rnd() * 2_000_000) - 1_000_000}i`);
      if (rnd() > 0.3) f.push(`u=${Math.floor(rnd() * 5000)}u`);
      if (rnd() > 0.9) f.push(`b=${rnd() > 0.5}`);
      if (f.length === 0) f.push('s="only a string"');
      // Sub-second parts, so offsets inside buckets carry nanoseconds.
      const ns = BigInt(T0) + BigInt(p * STEP_S) * 1_000_000_000n + BigInt(Math.floor(rnd() * 999_999_999));
      lines.push(`m,${tags} ${f.join(',')} ${ns}`);
    }
  }
  const per = Math.ceil(lines.length / parts);
  return Array.from({ length: parts }, (_, i) => lines.slice(i * per, (i + 1) * per).join('\n'));
}

const H = 3_600_000_000_000n;
const M = 60_000_000_000n;
const RANGES: Record<string, [bigint, bigint]> = {
  whole: [t0, t0 + 30n * H],
  hours: [t0 + 2n * H, t0 + 5n * H - 1n],
  minutes: [t0 + 61n * M, t0 + 200n * M],
  // Cut inside a minute: the minutes at both ends have points on both sides of the bound, so a scan answers.
  cut: [t0 + 2n * H + 17_123_000_000n, t0 + 3n * H + 5_000_000_000n],
  // As Grafana sends `now() - 6h`: milliseconds.
  grafana: [t0 + 3n * H + 123_000_000n, t0 + 9n * H + 456_000_000n],
  // Inside one minute.
  within: [t0 + 5n * H + 3_000_000_000n, t0 + 5n * H + 41_000_000_000n],
  late: [t0 + 27n * H, t0 + 40n * H],
};

const CORPUS = [
  'SELECT mean(temp), max(temp), min(temp), count(temp), sum(temp) FROM m WHERE {r} GROUP BY time(1h)',
  "SELECT mean(temp) FROM m WHERE device = 'd3' AND {r} GROUP BY time(1m)",
  'SELECT max(temp) FROM m WHERE device =~ /^(d1|d2|d7)$/ AND {r} GROUP BY time(1h), device',
  'SELECT last(temp) FROM m WHERE {r} GROUP BY device',
  'SELECT first(n), last(n), sum(n), min(n), max(n), count(n) FROM m WHERE {r} GROUP BY time(30m), site fill(0)',
  'SELECT sum(u), mean(u), last(u) FROM m WHERE {r} GROUP BY time(10m) fill(previous)',
  "SELECT mean(raw), sum(raw), first(raw) FROM m WHERE site != 's1' AND {r} GROUP BY time(1h, 20m), *",
  "SELECT count(temp) FROM m WHERE (device = 'd1' OR site = 's2') AND {r} GROUP BY time(2h)",
  'SELECT mean(temp) FROM m WHERE device =~ /d1/ AND {r} GROUP BY time(15m) ORDER BY time DESC LIMIT 5',
  'SELECT last(temp) FROM m WHERE {r}',
  'SELECT first(temp) FROM m WHERE {r}',
  'SELECT mean(temp) FROM m WHERE {r} GROUP BY time(1h), device SLIMIT 3',
  'SELECT max(temp) - min(temp) AS spread FROM m WHERE {r} GROUP BY time(1h)',
  "SELECT derivative(mean(temp), 1m) FROM m WHERE device = 'd0' AND {r} GROUP BY time(1m)",
  "SELECT mean(temp), count(n) FROM m WHERE site = '' AND {r} GROUP BY time(1h)",
  'SELECT "last" FROM (SELECT last(temp) FROM m WHERE {r} GROUP BY device) WHERE "last" > 20 GROUP BY device',
  'SELECT top("mean", "device", 3) FROM (SELECT mean(temp) FROM m WHERE {r} GROUP BY device)',
  'SELECT max(temp), min(n) FROM m WHERE {r} GROUP BY time(1h), site, device fill(none)',
  // A lone selector: its point's time under GROUP BY time is the window's (rollups), without it the point's own (a scan).
  "SELECT max(temp) FROM m WHERE device =~ /^(d1|d2)$/ AND {r} GROUP BY time(1h), device",
  'SELECT min(n) FROM m WHERE {r} GROUP BY time(10m) fill(linear)',
  'SELECT max(temp) FROM m WHERE {r} GROUP BY device',
];

function close(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${path}: ${a} vs ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${path}: length ${a.length} vs ${b.length}`);
    a.forEach((x, i) => close(x, b[i], `${path}[${i}]`));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${path}: keys`);
    for (const k of Object.keys(a)) close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  assert.equal(a, b, path);
}

async function query(s: TestServer, q: string): Promise<unknown> {
  const r = await api(s, `/query?db=${BUCKET}&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, `${q}: ${r.status}`);
  return r.json();
}

describe('InfluxQL aggregates from rollups', { timeout: 300_000 }, () => {
  let scan: TestServer;
  let rolled: TestServer;
  // A budget too small for a file's minute level: hours for the whole file, minutes per series read.
  let small: TestServer;

  before(async () => {
    scan = await startTestServer({ HOOKLINE_ROLLUP_CACHE_BYTES: '0', HOOKLINE_MAX_SELECT_BUCKETS: '0', HOOKLINE_MAX_SELECT_POINT: '0' });
    rolled = await startTestServer({ HOOKLINE_MAX_SELECT_BUCKETS: '0', HOOKLINE_MAX_SELECT_POINT: '0' });
    small = await startTestServer({ HOOKLINE_ROLLUP_CACHE_BYTES: '8MiB', HOOKLINE_MAX_SELECT_BUCKETS: '0', HOOKLINE_MAX_SELECT_POINT: '0' });
    const parts = bodies(4);
    for (const s of [scan, rolled, small]) {
      for (let i = 0; i < parts.length; i++) {
        const w = await api(s, `/api/v2/write?org=test-org&bucket=${BUCKET}&precision=ns`, { method: 'POST', body: parts[i] });
        assert.equal(w.status, 204, await w.text());
        // The last part stays in memory: memtable points join the files' rollups.
        if (i < parts.length - 1) assert.equal((await api(s, '/debug/flush', { method: 'POST' })).status, 204);
      }
    }
  });

  after(async () => {
    await scan?.stop();
    await rolled?.stop();
    await small?.stop();
  });

  it('answers every query of the corpus as a scan does, most from rollups', async () => {
    for (const [name, [lo, hi]] of Object.entries(RANGES)) {
      for (const tpl of CORPUS) {
        const q = tpl.replace('{r}', `time >= ${lo} AND time <= ${hi}`);
        const expected = await query(scan, q);
        close(await query(rolled, q), expected, `${name}: ${q}`);
        close(await query(small, q), expected, `small budget, ${name}: ${q}`);
      }
    }
    assert.equal(scan.store.rollupStats().answered, 0);
    const { answered, built } = rolled.store.rollupStats();
    assert.ok(answered >= 70, `answered from rollups: ${answered}`);
    assert.ok(built >= 1, `rollups built: ${built}`);
    const few = small.store.rollupStats();
    assert.ok(few.answered >= 60, `answered with a small budget: ${few.answered}`);
    assert.ok(few.bytes <= 8 * 1024 * 1024);
  });

  it('falls back to a scan while an overwrite is pending, with the same answers', async () => {
    // An existing point written again (a late write): its file's row is superseded until the next flush.
    const line = `m,device=d3,site=s0 temp=99.99 ${BigInt(T0) + 3600n * 1_000_000_000n}`;
    for (const s of [scan, rolled]) assert.equal((await api(s, `/api/v2/write?org=test-org&bucket=${BUCKET}&precision=ns`, { method: 'POST', body: line })).status, 204);
    const before = rolled.store.rollupStats().answered;
    const q = `SELECT max(temp), count(temp) FROM m WHERE time >= ${t0} AND time < ${t0 + 2n * H} GROUP BY time(1h), device`;
    close(await query(rolled, q), await query(scan, q), q);
    for (const s of [scan, rolled]) assert.equal((await api(s, '/debug/flush', { method: 'POST' })).status, 204);
    close(await query(rolled, q), await query(scan, q), `after flush: ${q}`);
    assert.ok(rolled.store.rollupStats().answered > before, 'after the flush the rollups answer again');
  });

  it('first and last over several series at one time keep the greatest value, as a scan does', async () => {
    // Three series with points at the very same times: in a group, first() and last() meet ties.
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) for (const [d, v] of [['a', i % 7], ['b', (i * 3) % 7], ['c', 6 - (i % 7)]] as const) lines.push(`tie,device=${d} v=${v}.5,n=${v}i ${BigInt(T0) + BigInt(i) * 30_000_000_000n}`);
    for (const s of [scan, rolled]) {
      assert.equal((await api(s, `/api/v2/write?org=test-org&bucket=${BUCKET}&precision=ns`, { method: 'POST', body: lines.join('\n') })).status, 204);
      assert.equal((await api(s, '/debug/flush', { method: 'POST' })).status, 204);
    }
    const before = rolled.store.rollupStats().answered;
    for (const q of [
      `SELECT first(v), last(v), first(n), last(n) FROM tie WHERE time >= ${t0} AND time < ${t0 + H} GROUP BY time(5m)`,
      `SELECT last(v) FROM tie WHERE time >= ${t0} AND time < ${t0 + H}`,
      `SELECT first(n) FROM tie WHERE time >= ${t0} AND time < ${t0 + H}`,
    ]) close(await query(rolled, q), await query(scan, q), q);
    assert.equal(rolled.store.rollupStats().answered, before + 3);
  });
});
