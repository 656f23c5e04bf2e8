// Reads: a query runs with the hot copies of its measurements up to date and
// the files they name protected from deletion (FileReclaimer) until it ends;
// the relations it gets hide points past retention at the store's clock
// (query/relation.ts). The SQL sandbox gets a self-contained copy instead
// (query/sql-snapshot.ts).

import { join } from 'node:path';
import type { RelationOptions } from '../../core/ports/sql-source.ts';
import type { Measurement } from '../measurement.ts';
import { relationSql, userColumns, userRelationSql, type RelationColumn, type RelationContext } from '../query/relation.ts';
import { HotCopyCache, snapshotMeasurement, type SqlSnapshotView } from '../query/sql-snapshot.ts';
import type { StoreState } from './state.ts';
import type { RollupReader } from '../../core/ports/rollups.ts';
import { buildFileRollup } from '../rollup/build-file-rollup.ts';
import { rollupReader } from '../rollup/read-rollups.ts';

/**
 * Runs `fn` with the hot copies of the given measurements up to date and the
 * files they name protected from deletion until it returns.
 */
export async function read<T>(s: StoreState, measurements: Measurement[], fn: () => Promise<T>): Promise<T> {
  for (const m of measurements) await s.hot.syncMeasurement(m);
  return s.reclaimer.read(fn);
}

export function relationContext(s: StoreState, m: Measurement): RelationContext {
  return { dataDir: s.dataDir, hot: s.hot, cutoffNs: s.cutoffNs(m.bucketId) };
}

/** SQL selecting a measurement under InfluxDB 3's column names (call inside `read`). */
export function userRelation(s: StoreState, m: Measurement, opts?: RelationOptions): string {
  return userRelationSql(m, relationContext(s, m), opts);
}

/** SQL selecting a measurement's physical columns (call inside `read`). */
export function physicalRelation(s: StoreState, m: Measurement, opts?: RelationOptions): string {
  return relationSql(m, relationContext(s, m), opts);
}

export function columnsOf(m: Measurement): RelationColumn[] {
  return userColumns(m);
}

/**
 * Copies the named measurements of a bucket into `dir` for the SQL sandbox
 * (query/sql-snapshot.ts) and returns, per measurement that holds data, the
 * view SQL reading only files in `dir`. `ms` are the measurements that exist.
 */
export function exportSqlSnapshot(s: StoreState, ms: Measurement[], dir: string): Promise<SqlSnapshotView[]> {
  return read(s, ms, async () => {
    const conn = await s.duck.connect();
    try {
      const views: SqlSnapshotView[] = [];
      s.hotCopies ??= new HotCopyCache(join(s.dataDir, '.sql-hot-copies'));
      for (let i = 0; i < ms.length; i++) views.push(await snapshotMeasurement(conn, ms[i], relationContext(s, ms[i]), dir, `m${i}`, s.hotCopies));
      return views;
    } finally {
      conn.closeSync();
    }
  });
}

/** The measurement's rollups (rollup/read-rollups.ts; call inside `read`). */
export function rollupsOf(s: StoreState, m: Measurement): RollupReader {
  return rollupReader(m, {
    cache: s.rollups,
    cutoffNs: s.cutoffNs(m.bucketId),
    pathOf: (f) => join(s.dataDir, f.path),
    build: (f, level, series) =>
      s.duck.pool.use((conn) =>
        buildFileRollup(
          conn,
          join(s.dataDir, f.path),
          f.tags,
          f.fields.map((o) => ({ ordinal: o, type: m.fields[o].type })),
          m.tagKeys.length,
          level,
          series,
        ),
      ),
  });
}
