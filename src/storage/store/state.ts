// What the store's parts share: the measurement index, the series registry,
// the WAL, the lock, the file-set queue, the options and the clock. Store
// (../store.ts) owns one and hands it to each concern's functions
// (recover.ts, write.ts, flush.ts, maintain.ts, reads.ts, delete.ts,
// schedule.ts), so each file holds one concern and they share no hidden
// state besides this.

import { join } from 'node:path';
import type { Parser } from '../../ingest/line-protocol/parse-pool.ts';
import { inlineParser } from '../../ingest/line-protocol/parse-pool.ts';
import type { Duck } from '../duck/duck.ts';
import { FileReclaimer } from '../file-reclaimer.ts';
import type { FlushEnv } from '../flush/write-files.ts';
import { HotTables } from '../hot/hot-tables.ts';
import { MeasurementIndex } from '../measurement-index.ts';
import type { HotCopyCache } from '../query/sql-snapshot.ts';
import { RwLock } from '../rw-lock.ts';
import { RollupCache } from '../rollup/rollup-cache.ts';
import { SeriesRegistry } from '../series/series-registry.ts';
import { silentLogger, type StoreLogger, type StoreOptions } from '../store-types.ts';
import type { CommitLog } from '../wal/commit-log.ts';
import type { LateValues } from '../write/apply-write.ts';
import type { WritePlan } from '../write/plan-write.ts';
import { retentionCutoffNs } from './retention-cutoff.ts';

/**
 * A series held in memory costs about as much as 16 buffered points (measured:
 * ~600 bytes of heap for its registry entry, key maps and tag strings, against
 * ~40 for a point of one float field; docs/storage.md).
 */
export const SERIES_WEIGHT = 16;

/** A planned write waiting in the WAL's group commit to be applied to the memtables. */
export interface ApplyEntry {
  plan: WritePlan;
  late?: Promise<LateValues>;
  lateValues?: LateValues;
}

export type ResolvedOptions = Required<Omit<StoreOptions, 'logger' | 'parser' | 'now'>> & { logger: StoreLogger };

export class StoreState {
  readonly registry = new SeriesRegistry();
  readonly hot: HotTables;
  readonly index: MeasurementIndex;
  /** Writes hold it shared; commits that change what writes plan against hold it exclusive. */
  readonly lock = new RwLock();
  log!: CommitLog<ApplyEntry>;
  /** Memtable generation: bumped at each WAL segment boundary. */
  gen = 0;
  nextFileId = 1;
  walFlushedThrough = 0;
  /** The WAL segment a flush closed and has not yet committed (a failed flush retries it). */
  pendingSegment: number | undefined;
  flushing: Promise<void> | undefined;
  maintenanceRunning: Promise<void> | undefined;
  closed = false;
  readonly timers: NodeJS.Timeout[] = [];
  lastFlush: number;
  lastMaintenance: number;
  /** Flushes, maintenance and deletions change the file set one at a time. */
  private fileOps: Promise<unknown> = Promise.resolve();
  /** Deletes replaced files once no query reads them. */
  readonly reclaimer = new FileReclaimer();
  readonly opts: ResolvedOptions;
  readonly parser: Parser;
  readonly walDir: string;
  /** Parquet copies of unflushed points for the SQL sandbox (reads.ts), made on first use. */
  hotCopies?: HotCopyCache;
  /** The clock (ms since the epoch): StoreOptions.now, default Date.now. */
  readonly now: () => number;
  /** Files' rollups (rollup/rollup-cache.ts). */
  readonly rollups: RollupCache;

  constructor(options: StoreOptions) {
    this.opts = {
      flushRows: 500_000,
      maxMemRows: 3_000_000,
      flushIntervalMs: 600_000,
      walMaxBytes: 256 * 1024 * 1024,
      maintenanceIntervalMs: 60_000,
      compactAt: 8,
      maxSeriesPerBucket: 1_000_000,
      keepSeriesBelow: 10_000,
      rollupCacheBytes: 256 * 1024 * 1024,
      ...options,
      logger: options.logger ?? silentLogger,
    } as ResolvedOptions;
    this.now = options.now ?? Date.now;
    this.lastFlush = this.now();
    this.lastMaintenance = this.now();
    this.index = new MeasurementIndex(this.registry, () => this.gen, this.opts.maxSeriesPerBucket);
    this.hot = new HotTables(options.duck, this.registry);
    this.parser = options.parser ?? inlineParser;
    this.walDir = join(options.dataDir, 'wal');
    this.rollups = new RollupCache(this.opts.rollupCacheBytes);
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  get duck(): Duck {
    return this.opts.duck;
  }

  /** Points of a bucket before this (ns) are past retention now; undefined when it keeps everything. */
  cutoffNs(bucketId: string): bigint | undefined {
    return retentionCutoffNs(this.opts.bucketInfo(bucketId), Math.floor(this.now() / 1000));
  }

  /** Runs file-set changes (flush, maintenance, deletions) one after another. */
  serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.fileOps.then(fn);
    this.fileOps = next.catch(() => undefined);
    return next;
  }

  memRows(): number {
    let n = 0;
    for (const m of this.index.all) n += m.memRows;
    return n;
  }

  /**
   * What the write buffer holds, in points: each point, plus SERIES_WEIGHT per
   * series held in memory (HOOKLINE_MAX_BUFFERED_POINTS counts both).
   */
  memUnits(): number {
    return this.memRows() + SERIES_WEIGHT * this.registry.live;
  }

  activeRows(): number {
    let n = 0;
    for (const m of this.index.all) n += m.active.rows;
    return n;
  }

  /** What writing and rewriting Parquet files needs (flush/, maintenance/). */
  flushEnv(): FlushEnv {
    return {
      dataDir: this.dataDir,
      duck: this.duck,
      hot: this.hot,
      nextFileId: () => this.nextFileId++,
      partitionSeconds: (id) => this.opts.bucketInfo(id)?.shardGroupSeconds ?? 86400,
      cutoffNs: (id) => this.cutoffNs(id),
    };
  }
}
