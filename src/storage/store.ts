// The embedded time-series store. Write path:
//   parse -> plan (schema, types, drops) -> WAL append + fdatasync -> apply to
//   the active memtable -> acknowledge.
// A flush freezes the memtables at a WAL segment boundary, writes them to
// Parquet, and commits the new file list in one catalog transaction; only then
// are the WAL segments deleted. Queries read Parquet plus DuckDB copies of the
// memtables (hot-tables.ts). docs/storage.md explains the layout and choices.
//
// This class is the store's one handle; each concern lives in its own file
// under store/ and works on the shared StoreState: recover.ts (opening),
// write.ts, flush.ts, maintain.ts (retention and compaction), reads.ts,
// delete.ts, schedule.ts (timers), with the retention cutoff computed in one
// place (retention-cutoff.ts) from an injected clock (StoreOptions.now).
// Query front ends do not see this class: they get the core ports through
// parquet-point-store.ts.

import { join, relative } from 'node:path';
import type { RelationOptions } from '../core/ports/sql-source.ts';
import type { Duck } from './duck/duck.ts';
import type { HotTables } from './hot/hot-tables.ts';
import type { Measurement } from './measurement.ts';
import { hasData } from './measurement-index.ts';
import type { RelationColumn } from './query/relation.ts';
import type { SqlSnapshotView } from './query/sql-snapshot.ts';
import type { SeriesRegistry } from './series/series-registry.ts';
import type { StoreOptions, WriteOutcome, WriteRequest } from './store-types.ts';
import { deleteBucket, deletePoints } from './store/delete.ts';
import { doFlush, flush } from './store/flush.ts';
import { compact, enforceRetention } from './store/maintain.ts';
import type { RollupReader } from '../core/ports/rollups.ts';
import { columnsOf, exportSqlSnapshot, physicalRelation, read, rollupsOf, userRelation } from './store/reads.ts';
import { recover } from './store/recover.ts';
import { StoreState } from './store/state.ts';
import { write } from './store/write.ts';

export {
  OverloadedError,
  StoreClosedError,
  type BucketInfo,
  type StoreLogger,
  type StoreOptions,
  type WriteOutcome,
  type WriteRequest,
} from './store-types.ts';
export { SERIES_WEIGHT } from './store/state.ts';

export class Store {
  private readonly s: StoreState;

  private constructor(options: StoreOptions) {
    this.s = new StoreState(options);
  }

  static async open(options: StoreOptions): Promise<Store> {
    const store = new Store(options);
    await recover(store.s);
    return store;
  }

  get registry(): SeriesRegistry {
    return this.s.registry;
  }
  get hot(): HotTables {
    return this.s.hot;
  }
  get walDir(): string {
    return this.s.walDir;
  }
  get dataDir(): string {
    return this.s.dataDir;
  }
  get duck(): Duck {
    return this.s.duck;
  }

  // ---- measurements

  /** Measurements of a bucket that hold data. */
  measurementsOf(bucketId: string): Measurement[] {
    return this.s.index.withData(bucketId);
  }

  measurementOf(bucketId: string, name: string): Measurement | undefined {
    const m = this.s.index.get(bucketId, name);
    return m && hasData(m) ? m : undefined;
  }

  /** Series of a bucket, in memory or only in files, as the series limit counts them. */
  seriesCount(bucketId: string): number {
    return this.s.index.bucket(bucketId).series.count;
  }

  memRows(): number {
    return this.s.memRows();
  }

  /** What the write buffer holds, in points, each series held counting as SERIES_WEIGHT. */
  memUnits(): number {
    return this.s.memUnits();
  }

  // ---- writes, flush, maintenance (store/write.ts, flush.ts, maintain.ts)

  write(req: WriteRequest): Promise<WriteOutcome> {
    return write(this.s, req);
  }

  /** Persists everything acknowledged so far. Resolves when the catalog names the new files. */
  flush(): Promise<void> {
    return flush(this.s);
  }

  /** Drops whole files that are entirely past their bucket's retention. Queries hide the rest. */
  enforceRetentionNow(): Promise<void> {
    return this.s.serially(() => enforceRetention(this.s));
  }

  compactNow(): Promise<void> {
    return this.s.serially(() => compact(this.s, true));
  }

  /**
   * Runs `fn` once everything acknowledged before the call is in Parquet files
   * named by the catalog, with the file set frozen until `fn` resolves (no
   * flush, compaction, retention or deletion runs meanwhile; writes go on into
   * the WAL and memtables). The online backup (backup/take-snapshot.ts) copies
   * the catalog and hard-links the files it names inside `fn`, as `influxd
   * backup` snapshots the cache to TSM files before copying them.
   */
  withFlushedFiles<T>(fn: () => Promise<T>): Promise<T> {
    return this.s.serially(async () => {
      await doFlush(this.s);
      return fn();
    });
  }

  // ---- reads (store/reads.ts)

  /** Runs `fn` with the measurements' hot copies synced and their files kept until it returns. */
  read<T>(measurements: Measurement[], fn: () => Promise<T>): Promise<T> {
    return read(this.s, measurements, fn);
  }

  /** SQL selecting a measurement under InfluxDB 3's column names (call inside `read`). */
  userRelation(m: Measurement, opts?: RelationOptions): string {
    return userRelation(this.s, m, opts);
  }

  /** SQL selecting a measurement's physical columns (call inside `read`). */
  physicalRelation(m: Measurement, opts?: RelationOptions): string {
    return physicalRelation(this.s, m, opts);
  }

  /** What the rollup cache holds and has done (monitoring, tests). */
  rollupStats(): { bytes: number; answered: number; built: number } {
    const c = this.s.rollups;
    return { bytes: c.size, answered: c.answered, built: c.built };
  }

  /** The measurement's rollups (call inside `read`). */
  rollups(m: Measurement): RollupReader {
    return rollupsOf(this.s, m);
  }

  columnsOf(m: Measurement): RelationColumn[] {
    return columnsOf(m);
  }

  /**
   * Copies the named measurements of a bucket into `dir` for the SQL sandbox
   * and returns, per measurement that holds data, the view SQL reading only
   * files in `dir`. Unknown names are left out. The caller removes `dir`.
   */
  exportSqlSnapshot(bucketId: string, names: string[], dir: string): Promise<SqlSnapshotView[]> {
    const ms = names.map((n) => this.measurementOf(bucketId, n)).filter((m): m is Measurement => m !== undefined);
    return exportSqlSnapshot(this.s, ms, dir);
  }

  // ---- deletion (store/delete.ts)

  /** Removes every point of a bucket and frees its space. */
  deleteBucket(bucketId: string): Promise<void> {
    return deleteBucket(this.s, bucketId);
  }

  /**
   * Deletes the points of a measurement matching `whereSql`, a DuckDB boolean
   * over the physical columns (every point when absent); durable when it resolves.
   */
  deletePoints(bucketId: string, measurement: string, whereSql?: string): Promise<{ deleted: number }> {
    return deletePoints(this.s, bucketId, measurement, whereSql);
  }

  /** DROP MEASUREMENT: every point and, once nothing of it is left, its schema (field types may change afterwards). */
  async dropMeasurement(bucketId: string, name: string): Promise<void> {
    await this.deletePoints(bucketId, name);
  }

  async close(): Promise<void> {
    const s = this.s;
    if (s.closed) return;
    s.closed = true;
    for (const t of s.timers) clearInterval(t);
    await s.flushing?.catch(() => undefined);
    await s.maintenanceRunning;
    await s.log.close();
    await s.parser.close();
  }

  /** For tests and the benchmark: sizes on disk. */
  diskFiles(): Array<{ path: string; bytes: number }> {
    return this.s.index.all.flatMap((m) => m.files.map((f) => ({ path: relative(this.dataDir, join(this.dataDir, f.path)), bytes: f.bytes })));
  }
}
