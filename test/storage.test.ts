// The store's InfluxDB semantics across its layers: memory, Parquet files,
// restarts. One row per series and time (last write wins, fields merged)
// whether the earlier copy is in memory, in a file or in the WAL; retention
// drops old data; deleting a bucket frees its space.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { startTestServer, writeLp, sql, api, ORG, BUCKET, type TestServer } from './helpers/server.ts';

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? await dirBytes(p) : (await stat(p)).size;
  }
  return n;
}

async function parquetRows(s: TestServer, measurement: string): Promise<number> {
  const files = s.store.measurementOf(s.tenancy.bucketByName(s.tenancy.orgByName(ORG)!.id, BUCKET)!.id, measurement)!.files;
  return files.reduce((n, f) => n + f.rows, 0);
}

test('a retried write after a flush merges into the stored point instead of duplicating it', async () => {
  let s = await startTestServer();
  try {
    assert.equal((await writeLp(s, 'retry,dev=a count=1,temp=20.5 100\nretry,dev=b count=1 100')).status, 204);
    await s.store.flush();
    assert.equal(await parquetRows(s, 'retry'), 2);
    // the same point again (a retried webhook), and a partial update of another
    assert.equal((await writeLp(s, 'retry,dev=a count=1,temp=20.5 100\nretry,dev=b ok=true 100')).status, 204);
    const expected = [
      { count: 1, dev: 'a', temp: 20.5, time: '1970-01-01T00:01:40' },
      { count: 1, dev: 'b', ok: true, time: '1970-01-01T00:01:40' },
    ];
    assert.deepEqual(await sql(s, 'SELECT * FROM retry ORDER BY dev'), expected, 'merged while the new copy is in memory');
    // across a restart: the WAL replays the retry and the stored copy is looked up again
    s = await s.restart();
    assert.deepEqual(await sql(s, 'SELECT * FROM retry ORDER BY dev'), expected, 'merged after a restart');
    await s.store.flush();
    assert.deepEqual(await sql(s, 'SELECT * FROM retry ORDER BY dev'), expected, 'merged after the next flush');
    assert.equal(await parquetRows(s, 'retry'), 2, 'the superseded copies were rewritten out of the files');
  } finally {
    await s.stop();
  }
});

test('a backfill into an older partition and out-of-order points keep one row per key', async () => {
  const s = await startTestServer();
  try {
    const day = 86400;
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await writeLp(s, `bf,d=x v=1 ${now - 10 * day}\nbf,d=x v=2 ${now}`)).status, 204);
    await s.store.flush();
    const lines = [];
    for (let i = 0; i < 50; i++) lines.push(`bf,d=x v=${100 + i} ${now - 10 * day + (i % 5)}`);
    assert.equal((await writeLp(s, lines.join('\n'))).status, 204);
    const rows = await sql<{ t: number; v: number }>(s, `SELECT epoch(time)::BIGINT AS t, v FROM bf ORDER BY t`);
    assert.deepEqual(rows.map((r) => [r.t - (now - 10 * day), r.v]).slice(0, 5), [[0, 145], [1, 146], [2, 147], [3, 148], [4, 149]]);
    assert.equal(rows.length, 6);
    await s.store.flush();
    await s.store.compactNow();
    assert.equal((await sql(s, 'SELECT count(*)::INTEGER AS n FROM bf'))[0].n, 6);
  } finally {
    await s.stop();
  }
});

test('flushed and compacted files hold each series together, newest first', async () => {
  // The order DuckDB's delta encoder packs best (src/storage/flush/sort-rows.ts).
  const s = await startTestServer();
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    // Yesterday noon: all points in one day partition, whatever the clock.
    const base = Math.floor(Date.now() / 86_400_000) * 86400 - 43200;
    const body = (from: number) => [0, 1, 2].flatMap((i) => ['b', 'a'].map((d) => `ord,dev=${d} n=${from + i}i ${base + from + i}`)).join('\n');
    const fileOrder = async () => {
      const files = s.store.measurementOf(s.tenancy.bucketByName(s.tenancy.orgByName(ORG)!.id, BUCKET)!.id, 'ord')!.files;
      const out: string[][] = [];
      for (const f of files) {
        const r = await conn.runAndReadAll(`SELECT t0 || ':' || (epoch(time)::BIGINT - ${base}) AS k FROM read_parquet('${join(s.dataDir, f.path)}')`);
        out.push(r.getRowObjectsJS().map((row) => String(row.k)));
      }
      return out;
    };
    assert.equal((await writeLp(s, body(0))).status, 204);
    await s.store.flush();
    // a flushed file: series in first-seen order
    assert.deepEqual(await fileOrder(), [['b:2', 'b:1', 'b:0', 'a:2', 'a:1', 'a:0']]);
    assert.equal((await writeLp(s, body(3))).status, 204);
    await s.store.flush();
    await s.store.compactNow();
    // the compacted file: series by tag value
    assert.deepEqual(await fileOrder(), [['a:5', 'a:4', 'a:3', 'a:2', 'a:1', 'a:0', 'b:5', 'b:4', 'b:3', 'b:2', 'b:1', 'b:0']]);
    assert.deepEqual(
      (await sql<{ n: number }>(s, `SELECT n FROM ord WHERE dev = 'a' ORDER BY time`)).map((r) => r.n),
      [0, 1, 2, 3, 4, 5],
    );
  } finally {
    conn.closeSync();
    db.closeSync();
    await s.stop();
  }
});

test('field types are remembered across restarts (a conflicting write is still refused)', async () => {
  let s = await startTestServer();
  try {
    assert.equal((await writeLp(s, 'typed v=1i 1')).status, 204);
    await s.store.flush();
    s = await s.restart();
    const r = await writeLp(s, 'typed v=1.5 2');
    assert.equal(r.status, 422);
    assert.match((await r.json()).message, /already exists as type integer/);
  } finally {
    await s.stop();
  }
});

test('retention: old points are refused on write, hidden at once when retention shrinks, and their files deleted', async () => {
  const s = await startTestServer();
  try {
    const org = s.tenancy.orgByName(ORG)!;
    const now = Math.floor(Date.now() / 1000);
    await s.tenancy.createBucket({ orgID: org.id, name: 'short', retentionSeconds: 3600 });
    const old = await writeLp(s, `ret,d=a v=1 ${now - 7200}\nret,d=a v=2 ${now}`, `org=${ORG}&bucket=short&precision=s`);
    assert.equal(old.status, 422);
    assert.match((await old.json()).message, /^failure writing points to database: partial write: dropped 1 points outside retention policy of duration 1h0m0s - oldest point ret,d=a at .+ dropped=1 for database: [0-9a-f]{16} for retention policy: autogen$/);
    assert.equal((await sql(s, 'SELECT * FROM ret', 'short')).length, 1);

    // a bucket that kept everything, then its retention is shortened
    await s.tenancy.createBucket({ orgID: org.id, name: 'shrink' });
    const day = 86400;
    assert.equal((await writeLp(s, `ret v=1 ${now - 3 * day}\nret v=2 ${now}`, `org=${ORG}&bucket=shrink&precision=s`)).status, 204);
    await s.store.flush();
    const bucket = s.tenancy.bucketByName(org.id, 'shrink')!;
    const dataDir = join(s.dataDir, 'buckets', bucket.id);
    const filesBefore = s.store.measurementOf(bucket.id, 'ret')!.files.length;
    assert.equal(filesBefore, 2, 'two days, two partitions');
    await s.tenancy.updateBucket(bucket.id, { retentionSeconds: day });
    assert.equal((await sql(s, 'SELECT * FROM ret', 'shrink')).length, 1, 'hidden at once');
    await s.store.enforceRetentionNow();
    assert.equal(s.store.measurementOf(bucket.id, 'ret')!.files.length, 1, 'the expired file left the catalog');
    await new Promise((r) => setTimeout(r, 50));
    const parquet = (await readdir(dataDir, { recursive: true })).filter((f) => String(f).endsWith('.parquet'));
    assert.equal(parquet.length, 1, 'and the disk');
  } finally {
    await s.stop();
  }
});

test('deleting a bucket deletes its data and frees its space', async () => {
  const s = await startTestServer();
  try {
    const org = s.tenancy.orgByName(ORG)!;
    const b = await s.tenancy.createBucket({ orgID: org.id, name: 'doomed' });
    const lines = Array.from({ length: 5000 }, (_, i) => `big,d=d${i % 10} v=${i} ${1_700_000_000 + i}`).join('\n');
    assert.equal((await writeLp(s, lines, `org=${ORG}&bucket=doomed&precision=s`)).status, 204);
    await s.store.flush();
    const dir = join(s.dataDir, 'buckets', b.id);
    assert.ok((await dirBytes(dir)) > 0);
    const r = await api(s, `/api/v2/buckets/${b.id}`, { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.equal(await dirBytes(dir), 0);
    // the name is free again and a new bucket starts empty
    await s.tenancy.createBucket({ orgID: org.id, name: 'doomed' });
    const q = await api(s, `/api/v3/query_sql?db=doomed&q=${encodeURIComponent('SELECT * FROM big')}`);
    assert.equal(q.status, 400);
  } finally {
    await s.stop();
  }
});

test('compaction merges a partition\'s files without changing the data', async () => {
  const s = await startTestServer();
  try {
    for (let k = 0; k < 5; k++) {
      const lines = Array.from({ length: 200 }, (_, i) => `cmp,d=d${i % 7} v=${k * 1000 + i}i ${1_700_000_000 + k * 200 + i}`).join('\n');
      assert.equal((await writeLp(s, lines)).status, 204);
      await s.store.flush();
    }
    const bucket = s.tenancy.bucketByName(s.tenancy.orgByName(ORG)!.id, BUCKET)!;
    const before = await sql(s, 'SELECT * FROM cmp ORDER BY time');
    assert.ok(s.store.measurementOf(bucket.id, 'cmp')!.files.length >= 5);
    await s.store.compactNow();
    assert.equal(s.store.measurementOf(bucket.id, 'cmp')!.files.length, 1);
    assert.deepEqual(await sql(s, 'SELECT * FROM cmp ORDER BY time'), before);
  } finally {
    await s.stop();
  }
});

test('floats come back bit-exact whatever encoding their file chose (decimal-scaled or double), across compaction', async () => {
  const s = await startTestServer();
  try {
    const batches = [
      ['21.37', '-4.1', '0'],
      ['1.123456', '99999.5', '-0.001'],
      ['3.141592653589793', '1e300', '2.5e-10'],
      ['-0', '7', '0.1'],
    ];
    let t = 1_700_000_000;
    const expected: number[] = [];
    for (const values of batches) {
      const lines = values.map((v) => `fl,k=a v=${v} ${t++}`);
      expected.push(...values.map(Number));
      assert.equal((await writeLp(s, lines.join('\n'))).status, 204);
      await s.store.flush();
    }
    const read = async () => (await sql<{ v: number; bits: string }>(s, 'SELECT v FROM fl ORDER BY time')).map((r) => r.v);
    assert.deepEqual(await read(), expected.map((v) => (Object.is(v, -0) ? 0 : v)));
    await s.store.compactNow();
    assert.deepEqual(await read(), expected.map((v) => (Object.is(v, -0) ? 0 : v)));
    // a late rewrite of one point keeps the others exact
    assert.equal((await writeLp(s, `fl,k=a v=42.42 ${1_700_000_001}`)).status, 204);
    await s.store.flush();
    const after = await read();
    assert.equal(after[1], 42.42);
    assert.equal(after[3], 1.123456);
    assert.equal(after[8], 2.5e-10);
  } finally {
    await s.stop();
  }
});
