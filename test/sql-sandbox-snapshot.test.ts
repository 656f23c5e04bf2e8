// The sandbox's views (a snapshot of Parquet links plus copies of the
// unflushed points and tombstones) must show exactly what the main engine's
// view of the same measurement shows: same columns, order, types and rows.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, writeLp, api, BUCKET, ORG, type TestServer } from './helpers/server.ts';
import { toCell } from '../src/query/sql/result-values.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.stop());

/** The measurement through the main engine, as run-sql did before the sandbox. */
async function direct(name: string, order: string): Promise<{ columns: string[]; types: string[]; rows: unknown[][] }> {
  const bucket = s.tenancy.bucketByName(s.tenancy.orgByName(ORG)!.id, BUCKET)!;
  const m = s.store.measurementOf(bucket.id, name)!;
  return s.store.read([m], async () => {
    const conn = await s.store.duck.connect();
    try {
      const r = await conn.runAndReadAll(`SELECT * FROM (${s.store.userRelation(m)}) ORDER BY ${order}`);
      return { columns: r.deduplicatedColumnNames(), types: r.columnTypes().map(String), rows: r.getRows().map((row) => row.map(toCell)) };
    } finally {
      conn.closeSync();
    }
  });
}

async function viaApi(q: string): Promise<{ columns: string[]; rows: unknown[][] }> {
  const r = await api(s, `/api/v3/query_sql?db=${BUCKET}&format=csv&q=${encodeURIComponent(q)}`);
  const text = await r.text();
  assert.equal(r.status, 200, text);
  const [head, ...lines] = text.trimEnd().split('\n');
  return { columns: head.split(','), rows: lines.map((l) => l.split(',')) };
}

async function sameAsDirect(name: string, order: string): Promise<void> {
  const d = await direct(name, order);
  const csv = (c: unknown) => (c === null ? '' : String(c));
  const v = await viaApi(`SELECT * FROM ${name} ORDER BY ${order}`);
  assert.deepEqual(v.columns, d.columns);
  assert.deepEqual(v.rows, d.rows.map((r) => r.map(csv)));
  // Types too: typeof() of every column, as the sandbox sees them.
  const types = await viaApi(`SELECT ${d.columns.map((c) => `typeof("${c}")`).join(', ')} FROM ${name} LIMIT 1`);
  assert.deepEqual(types.rows[0], d.types);
}

test('files, an overwrite of a stored point (tombstone), late tag keys and fields, a tag named like a field', async () => {
  await writeLp(s, 'm,host=a,v=tagv v=1.5,i=7i,u=9u,s="x",b=true 1\nm,host=b v=2.5,i=-1i 2');
  await s.store.flush();
  await sameAsDirect('m', 'time, host');
  // Overwrite a flushed point (tombstones the stored copy), add a tag key and a field.
  await writeLp(s, 'm,host=a,v=tagv v=10.5 1\nm,host=c,zone=z1 v=3.5,extra="e" 3');
  const bucket = s.tenancy.bucketByName(s.tenancy.orgByName(ORG)!.id, BUCKET)!;
  assert.ok(s.store.measurementOf(bucket.id, 'm')!.tombstones.size > 0, 'the overwrite left a tombstone');
  await sameAsDirect('m', 'time, host');
  const r = await viaApi('SELECT time, host, v FROM m ORDER BY time, host');
  assert.deepEqual(r.rows, [['1970-01-01T00:00:01', 'a', '10.5'], ['1970-01-01T00:00:02', 'b', '2.5'], ['1970-01-01T00:00:03', 'c', '3.5']]);
  await s.store.flush();
  await sameAsDirect('m', 'time, host');
});

test('only unflushed points, and a join of two measurements', async () => {
  await writeLp(s, 'hotonly,k=1 a=1i 10\nhotonly,k=2 a=2i 11\nother,k=1 b="x" 10');
  await sameAsDirect('hotonly', 'time');
  const r = await viaApi('SELECT h.k, h.a, o.b FROM hotonly h LEFT JOIN other o ON h.k = o.k ORDER BY h.k');
  assert.deepEqual(r.rows, [['1', '1', 'x'], ['2', '2', '']]);
});

test('the reused copy of unflushed points follows every change: new points, an overwrite in place, a new field, a flush', async () => {
  await writeLp(s, 'live,k=a x=1 100\nlive,k=b x=2 101');
  const rows = async (cols = 'k, x') => (await viaApi(`SELECT ${cols} FROM live ORDER BY time`)).rows;
  assert.deepEqual(await rows(), [['a', '1'], ['b', '2']]);
  assert.deepEqual(await rows(), [['a', '1'], ['b', '2']]);
  // Same key: the memtable row is updated in place (row count unchanged).
  await writeLp(s, 'live,k=a x=5 100');
  assert.deepEqual(await rows(), [['a', '5'], ['b', '2']]);
  await writeLp(s, 'live,k=c x=3,y="new" 102');
  assert.deepEqual(await rows('k, x, y'), [['a', '5', ''], ['b', '2', ''], ['c', '3', 'new']]);
  await sameAsDirect('live', 'time');
  await s.store.flush();
  assert.deepEqual(await rows('k, x, y'), [['a', '5', ''], ['b', '2', ''], ['c', '3', 'new']]);
  await writeLp(s, 'live,k=d x=4 103');
  assert.deepEqual((await rows()).length, 4);
  await sameAsDirect('live', 'time');
});
