// Deleting: a bucket whole (its measurements forgotten, its directory
// removed), or a measurement's points matching a predicate (InfluxQL DELETE
// and DROP SERIES, the v2 delete API, DROP MEASUREMENT).

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { commitCatalog } from '../catalog.ts';
import { rewriteWithout } from '../maintenance/rewrite-files.ts';
import { Memtable } from '../memtable/memtable.ts';
import { releaseAllSeries } from '../series/series-release.ts';
import { doFlush } from './flush.ts';
import { recountSeries, swapFiles } from './maintain.ts';
import type { StoreState } from './state.ts';

/** Removes every point of a bucket and frees its space. */
export function deleteBucket(s: StoreState, bucketId: string): Promise<void> {
  return s.serially(async () => {
    const release = await s.lock.exclusive();
    try {
      const ms = s.index.removeBucket(bucketId);
      releaseAllSeries(ms, s.registry);
      if (ms.length > 0) {
        await commitCatalog(s.duck.meta, { schemas: [], addFiles: [], removeFileIds: [], dropMeasurements: ms.map((m) => m.id) });
        s.reclaimer.advance();
        for (const m of ms) {
          await s.hot.dropMeasurement(m);
          m.files = [];
          m.active = new Memtable(s.gen, s.registry);
          m.immutable = undefined;
          m.tombstones.clear();
        }
      }
    } finally {
      release();
    }
    await rm(join(s.dataDir, 'buckets', bucketId), { recursive: true, force: true });
  });
}

/**
 * Deletes the points of a measurement matching `whereSql` (every point when
 * absent). `whereSql` is a DuckDB boolean expression over the physical
 * columns (time, t<ordinal>, f<ordinal>), built inside storage
 * (parquet-point-store.ts from the port's DeletePredicate); a NULL result
 * keeps the row.
 *
 * Everything acknowledged before the call is flushed first, then the files
 * holding matches are rewritten without them and the catalog swaps them in
 * one transaction, so the delete is durable when this resolves. Writes that
 * arrive while it runs are ordered after it and kept.
 */
export function deletePoints(s: StoreState, bucketId: string, measurement: string, whereSql?: string): Promise<{ deleted: number }> {
  return s.serially(async () => {
    await doFlush(s);
    const m = s.index.get(bucketId, measurement);
    if (!m) return { deleted: 0 };
    if (whereSql === undefined) {
      const deleted = m.files.reduce((n, f) => n + f.rows, 0);
      await swapFiles(s, m, m.files, []);
      await recountSeries(s, m);
      return { deleted };
    }
    const r = await rewriteWithout(s.flushEnv(), m, whereSql);
    if (r.replaced.length > 0) {
      await swapFiles(s, m, r.replaced, r.added);
      await recountSeries(s, m);
    }
    return { deleted: r.deleted };
  });
}
