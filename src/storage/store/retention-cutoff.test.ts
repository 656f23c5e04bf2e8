// The one retention cutoff, and the store reading it from its injected clock:
// what reads hide and what maintenance deletes move with StoreOptions.now,
// not with the wall clock, while a write is judged at its own `now`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duck } from '../duck/duck.ts';
import { ParquetPointStore } from '../parquet-point-store.ts';
import { Store } from '../store.ts';
import { retentionCutoffNs, retentionCutoffSec } from './retention-cutoff.ts';

test('retention cutoff: now minus the retention, none for retention 0 or an unknown bucket', () => {
  const info = { id: 'b', retentionSeconds: 3600, shardGroupSeconds: 3600 };
  assert.equal(retentionCutoffSec(info, 10_000), 6400);
  assert.equal(retentionCutoffNs(info, 10_000), 6_400_000_000_000n);
  assert.equal(retentionCutoffSec({ ...info, retentionSeconds: 0 }, 10_000), undefined);
  assert.equal(retentionCutoffSec(undefined, 10_000), undefined);
});

test('the store hides and then deletes points past retention by its injected clock', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hookline-clock-'));
  const duck = await Duck.open({ path: join(dir, 'hookline.duckdb'), threads: 1 });
  let nowMs = 1_000_000 * 1000;
  const store = await Store.open({ dataDir: dir, duck, now: () => nowMs, bucketInfo: (id) => ({ id, retentionSeconds: 100, shardGroupSeconds: 100 }) });
  const ports = new ParquetPointStore(store);
  const count = () =>
    ports.withSnapshot([{ bucketId: 'b', measurement: 'm' }], async (snap) => {
      const rel = snap.relation('b', 'm');
      return rel ? Number((await snap.query(`SELECT count(*) AS n FROM (${rel.sql})`))[0].n) : 0;
    });
  try {
    // Written at the clock's now: 999 950 s is within 100 s, 999 850 s is not (dropped at write).
    const r = await store.write({ bucketId: 'b', body: Buffer.from('m v=1 999950\nm v=2 999990\nm v=3 999850'), precision: 's', now: { sec: 1_000_000, nsec: 0 }, onParseError: 'skip' });
    assert.equal(r.written, 2);
    assert.deepEqual(r.drops.map((d) => d.reason), ['retention']);
    await store.flush();
    assert.equal(await count(), 2);
    nowMs += 60_000; // 999 950 is now 110 s old: hidden, its file still there
    assert.equal(await count(), 1);
    assert.equal(store.diskFiles().length > 0, true);
    nowMs += 60_000; // everything past retention: maintenance removes the files
    await store.enforceRetentionNow();
    assert.deepEqual(store.diskFiles(), []);
    assert.equal(await count(), 0);
  } finally {
    await store.close();
    await duck.close();
    await rm(dir, { recursive: true, force: true });
  }
});
