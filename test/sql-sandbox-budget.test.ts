// Budgets of the SQL sandbox (issue 10, finding 3): a query that would take
// gigabytes or run for minutes gets a clear v3 error, /ping answers while it
// runs and after, the data written before is intact, and the next query works.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, writeLp, api, sql, BUCKET, type TestServer } from './helpers/server.ts';
import { SandboxPool } from '../src/query/sql/sandbox/sandbox-pool.ts';
import { join } from 'node:path';

let s: TestServer;
before(async () => {
  s = await startTestServer({ HOOKLINE_QUERY_MEMORY_LIMIT: '256MiB', HOOKLINE_QUERY_TIMEOUT: '5s', HOOKLINE_MAX_CONCURRENT_QUERIES: '1', HOOKLINE_MAX_QUEUED_QUERIES: '0' });
  await writeLp(s, 'pub,dev=a v=1 1\npub,dev=b v=2 2');
});
after(() => s.stop());

/** Runs `q` while polling /ping; returns the answer and how many pings got 204. */
async function whilePinging(q: string): Promise<{ status: number; body: { error: string }; pings: number }> {
  let done = false;
  let pings = 0;
  const poller = (async () => {
    while (!done) {
      const p = await fetch(`${s.url}/ping`);
      assert.equal(p.status, 204);
      pings++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    const r = await api(s, `/api/v3/query_sql?db=${BUCKET}&q=${encodeURIComponent(q)}`);
    return { status: r.status, body: (await r.json()) as { error: string }, pings };
  } finally {
    done = true;
    await poller;
  }
}

/** `pub` (2 rows) cross-joined with itself n times: 2^n rows with table functions out of reach. */
function crossJoin(n: number): string {
  return Array.from({ length: n }, (_, i) => `pub p${i}`).join(', ');
}

async function stillFine(): Promise<void> {
  assert.equal((await fetch(`${s.url}/ping`)).status, 204);
  assert.deepEqual(await sql(s, 'SELECT dev, v FROM pub ORDER BY dev'), [{ dev: 'a', v: 1 }, { dev: 'b', v: 2 }]);
}

test('a list of 400 million integers is stopped at HOOKLINE_QUERY_MEMORY_LIMIT', async () => {
  const r = await whilePinging('SELECT len(range(400000000)) AS n');
  assert.equal(r.status, 400);
  assert.match(r.body.error, /memory limit.*HOOKLINE_QUERY_MEMORY_LIMIT/);
  assert.ok(r.pings >= 1);
  await stillFine();
});

test('a huge string_agg over a cross join is stopped too', async () => {
  // 2^24 rows of 1 kB aggregated into one string: 16 GB if nothing stopped it.
  const r = await whilePinging(`SELECT length(string_agg(repeat('x', 1000), ',')) AS n FROM ${crossJoin(24)}`);
  assert.ok(r.status >= 400 && r.status < 500, JSON.stringify(r));
  assert.match(r.body.error, /memory/i);
  await stillFine();
});

test('a long query is interrupted at HOOKLINE_QUERY_TIMEOUT', async () => {
  // 2^45 rows, streamed: little memory, hours of work.
  const r = await whilePinging(`SELECT count(*) AS n FROM ${crossJoin(45)}`);
  assert.equal(r.status, 503);
  assert.match(r.body.error, /HOOKLINE_QUERY_TIMEOUT/);
  await stillFine();
});

test('SQL shares the query gate: with one slot and no queue, a second query meanwhile gets 503 + Retry-After', async () => {
  let finished = false;
  const long = api(s, `/api/v3/query_sql?db=${BUCKET}&q=${encodeURIComponent(`SELECT count(*) AS n FROM ${crossJoin(45)}`)}`).then(async (r) => {
    finished = true;
    return r.status;
  });
  let refused: Response | undefined;
  while (!finished && !refused) {
    const r = await api(s, `/api/v3/query_sql?db=${BUCKET}&q=${encodeURIComponent('SELECT 1 AS one')}`);
    if (r.status === 503) refused = r;
    else await r.body?.cancel();
  }
  assert.ok(refused, 'a second query was refused while the first ran');
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.match(((await refused.json()) as { error: string }).error, /max-concurrent-queries/);
  assert.equal(await long, 503); // the long one ends at the time limit
  await stillFine();
});

test('a statement that ignores the interrupt is killed after a short grace', async () => {
  // Memory budget far above what the list reaches before the time limit: the
  // time limit is what stops it (DuckDB checks no interrupt while it builds a list).
  const pool = new SandboxPool({ root: join(s.dataDir, '.sandbox-grace'), size: 1, memoryBytes: 8 * 2 ** 30, timeoutMs: 300 });
  try {
    const out = await pool.run({ sql: 'SELECT len(range(400000000)) AS n', params: {}, maxRows: 10, maxBytes: 1000, prepare: async () => [] });
    assert.deepEqual(out, { ok: false, kind: 'timeout', message: 'time limit exceeded' });
    // The pool replaces the killed process.
    const next = await pool.run({ sql: 'SELECT 1 AS one', params: {}, maxRows: 10, maxBytes: 1000, prepare: async () => [] });
    assert.deepEqual(next, { ok: true, columns: ['one'], rows: [[1]] });
  } finally {
    await pool.close();
  }
});

test('a result above the row or byte cap is refused with a hint', async () => {
  const pool = new SandboxPool({ root: join(s.dataDir, '.sandbox-cap'), size: 1, memoryBytes: 2 ** 30, timeoutMs: 30_000 });
  try {
    const rows = await pool.run({ sql: 'SELECT * FROM range(5000)', params: {}, maxRows: 1000, maxBytes: 2 ** 30, prepare: async () => [] });
    assert.equal(rows.ok, false);
    if (!rows.ok) assert.equal(rows.kind, 'too_large');
    const bytes = await pool.run({ sql: "SELECT repeat('x', 10000) FROM range(100)", params: {}, maxRows: 1000, maxBytes: 100_000, prepare: async () => [] });
    assert.equal(bytes.ok, false);
    if (!bytes.ok) assert.equal(bytes.kind, 'too_large');
  } finally {
    await pool.close();
  }
});

test('error messages are bounded: a huge value quoted in a cast error comes back as about 1 KiB', async () => {
  // Through the API (this server's 256 MiB budget holds a 2 MB value).
  const r = await whilePinging("SELECT CAST(repeat('x', 2000000) AS DOUBLE) AS d");
  assert.equal(r.status, 400);
  assert.ok(r.body.error.length <= 1100, `error of ${r.body.error.length} chars`);
  assert.match(r.body.error, /xxxx… \(truncated\)$/);
  await stillFine();
  // The 20 MB one of the report, straight into a sandbox: bounded before it crosses the IPC.
  const pool = new SandboxPool({ root: join(s.dataDir, '.sandbox-err'), size: 1, memoryBytes: 2 ** 30, timeoutMs: 30_000 });
  try {
    const out = await pool.run({ sql: "SELECT CAST(repeat('x', 20000000) AS DOUBLE) AS d", params: {}, maxRows: 10, maxBytes: 1000, prepare: async () => [] });
    assert.equal(out.ok, false);
    if (!out.ok) {
      assert.equal(out.kind, 'query');
      assert.ok(out.message.length <= 1100, `message of ${out.message.length} chars`);
      assert.match(out.message, /… \(truncated\)$/);
    }
  } finally {
    await pool.close();
  }
});

test('the result cap counts what the format emits: column names repeated per JSON row, pretty padding', async () => {
  // 20 000 rows of three small cells, but two 5 000-character column names:
  // 200 MB as JSON (over the 64 MiB default), a few hundred kB as CSV.
  const q = `SELECT 1 AS a${'a'.repeat(5000)}, 2 AS b${'b'.repeat(5000)}, unnest(range(20000)) AS i`;
  const get = (format: string) => api(s, `/api/v3/query_sql?db=${BUCKET}&format=${format}&q=${encodeURIComponent(q)}`);
  for (const format of ['json', 'jsonl', 'pretty']) {
    const r = await get(format);
    assert.equal(r.status, 400, format);
    assert.match(((await r.json()) as { error: string }).error, /bytes \(at most .*HOOKLINE_QUERY_MAX_RESULT_BYTES\); add a LIMIT or aggregate/, format);
  }
  const csv = await get('csv');
  assert.equal(csv.status, 200);
  const text = await csv.text();
  assert.equal(text.split('\n').length, 20_002);
  assert.ok(text.endsWith('\n1,2,19999\n'));
  // Under the cap, the same shape answers (and the count is an upper bound of the real length).
  const small = await api(s, `/api/v3/query_sql?db=${BUCKET}&format=json&q=${encodeURIComponent(q.replace('range(20000)', 'range(3)'))}`);
  assert.equal(small.status, 200);
  assert.equal(((await small.json()) as unknown[]).length, 3);
  await stillFine();
});

test('FormattedSize is an upper bound of formatResult, within a few bytes', async () => {
  const { FormattedSize, formatResult } = await import('../src/query/sql/format-results.ts');
  const columns = ['a', 'b "q"', 'c,d', 'é'];
  const rows = [
    [1, 'x', null, 'é'],
    [null, null, null, null],
    [2.5, 'a,"b"\nc', 123456789012345678901234567890n, [1, { k: 'v' }]],
    [true, '', 'z'.repeat(50), -0.1],
  ] as never[][];
  for (const format of ['json', 'jsonl', 'csv', 'pretty'] as const) {
    for (const n of [0, 1, rows.length]) {
      const size = new FormattedSize(columns, format);
      for (const row of rows.slice(0, n)) size.add(row);
      const exact = formatResult({ columns, rows: rows.slice(0, n) }, format).length;
      assert.ok(size.length >= exact && size.length <= exact + 2 + n, `${format} ${n}: ${size.length} vs ${exact}`);
    }
  }
});
