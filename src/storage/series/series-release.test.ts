// A store with many series: the series index counts toward the write buffer,
// and after a flush the memory held for series with no rows left is released,
// while the series still count against the limit and their stored points are
// still merged (last write wins) when they are written again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duck } from '../duck/duck.ts';
import { SERIES_WEIGHT, Store } from '../store.ts';

async function openStore(dir: string, duck: Duck): Promise<Store> {
  return Store.open({ dataDir: dir, duck, bucketInfo: (id) => ({ id, retentionSeconds: 0, shardGroupSeconds: 86400 }), keepSeriesBelow: 0, maxSeriesPerBucket: 100_000 });
}

function write(store: Store, body: string) {
  return store.write({ bucketId: 'b', body: Buffer.from(body), precision: 's', now: { sec: 2_000_000_000, nsec: 0 }, onParseError: 'skip' });
}

test('series memory counts toward the buffer and is released after a flush; released series still count and still merge', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-series-'));
  const duck = await Duck.open({ path: join(dir, 'hookline.duckdb') });
  const store = await openStore(dir, duck);
  try {
    const N = 5000;
    const lines = Array.from({ length: N }, (_, i) => `flood,dev=d${i} v=${i} 1000`);
    assert.equal((await write(store, lines.join('\n'))).written, N);
    assert.equal(store.registry.live, N);
    assert.equal(store.memUnits(), N + SERIES_WEIGHT * N, 'each series held counts as SERIES_WEIGHT points');

    await store.flush();
    // Release runs once no query reads the flushed memtable; none is running.
    await new Promise((r) => setImmediate(r));
    assert.equal(store.registry.live, 0, 'no series held once their rows are in files');
    assert.equal(store.memUnits(), 0);
    assert.equal(store.seriesCount('b'), N, 'released series still count against the limit');

    // A released series written again at a stored time merges with the stored point.
    const r = await write(store, 'flood,dev=d7 w=1 1000\nflood,dev=d8 v=8 1001');
    assert.equal(r.written, 2);
    assert.equal(store.registry.live, 2);
    assert.equal(store.seriesCount('b'), N, 'no double count');
    const m = store.measurementOf('b', 'flood')!;
    const rows = await store.read([m], async () => {
      const conn = await duck.connect();
      try {
        const sql = `SELECT t0 AS dev, f0 AS v, f1 AS w, epoch(time)::INT AS t FROM (${store.physicalRelation(m)}) WHERE t0 IN ('d7', 'd8') ORDER BY dev, t`;
        return (await conn.runAndReadAll(sql)).getRowObjectsJson();
      } finally {
        conn.closeSync();
      }
    });
    assert.deepEqual(rows, [
      { dev: 'd7', v: 7, w: 1, t: 1000 },
      { dev: 'd8', v: 8, w: null, t: 1000 },
      { dev: 'd8', v: 8, w: null, t: 1001 },
    ]);
  } finally {
    await store.close();
    await duck.close();
    await rm(dir, { recursive: true, force: true });
  }
});
