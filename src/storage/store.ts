// The embedded time-series store. Write path:
//   parse -> plan (schema, types, drops) -> WAL append + fdatasync -> apply to
//   the active memtable -> acknowledge.
// A flush freezes the memtables at a WAL segment boundary, writes them to
// Parquet, and commits the new file list in one catalog transaction; only then
// are the WAL segments deleted. Queries read Parquet plus DuckDB copies of the
// memtables (hot-tables.ts). docs/storage.md explains the layout and choices.

import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SecNsec } from '../core/time.ts';
import type { LineBatch } from '../ingest/line-protocol/batch.ts';
import { parseLineProtocol } from '../ingest/line-protocol/parse.ts';
import { inlineParser, type Parser } from '../ingest/line-protocol/parse-pool.ts';
import { commitCatalog, initCatalog, loadCatalog, type CatalogChange, type FileEntry } from './catalog.ts';
import type { Duck } from './duck/duck.ts';
import { FileReclaimer } from './file-reclaimer.ts';
import { rewriteTombstoned, writeMemtableFiles, type FlushEnv } from './flush/write-files.ts';
import { HotTables } from './hot/hot-tables.ts';
import { mergeFiles, rewriteWithout } from './maintenance/rewrite-files.ts';
import type { Measurement } from './measurement.ts';
import { hasData, MeasurementIndex } from './measurement-index.ts';
import { Memtable } from './memtable/memtable.ts';
import { fileSeriesFingerprints, loadSeriesFingerprints, removeOrphans } from './recovery.ts';
import { RwLock } from './rw-lock.ts';
import { SeriesRegistry } from './series/series-registry.ts';
import { releaseAllSeries, releaseIdleSeries } from './series/series-release.ts';
import { collectGarbage } from './series/return-memory.ts';
import {
  OverloadedError,
  StoreClosedError,
  silentLogger,
  type StoreLogger,
  type StoreOptions,
  type WriteOutcome,
  type WriteRequest,
} from './store-types.ts';
import { CommitLog, deleteSegmentsThrough, listSegments, readSegment } from './wal/commit-log.ts';
import { encodeRecordHead, RECORD_WRITE, sealRecord } from './wal/wal-record.ts';
import { applyWrite, type LateValues } from './write/apply-write.ts';
import { lookupLate } from './write/late-lookup.ts';
import { planWrite, type WritePlan } from './write/plan-write.ts';
import { HotCopyCache, snapshotMeasurement, type SqlSnapshotView } from './query/sql-snapshot.ts';
import { userColumns, userRelationSql, relationSql, type RelationColumn, type RelationOptions } from './query/relation.ts';

export {
  OverloadedError,
  StoreClosedError,
  type BucketInfo,
  type StoreLogger,
  type StoreOptions,
  type WriteOutcome,
  type WriteRequest,
} from './store-types.ts';


/**
 * A series held in memory costs about as much as 16 buffered points (measured:
 * ~600 bytes of heap for its registry entry, key maps and tag strings, against
 * ~40 for a point of one float field; docs/storage.md).
 */
export const SERIES_WEIGHT = 16;
/** Releasing this many series (~30 MB) is worth a full collection, so RSS follows (return-memory.ts). */
const GC_AFTER_RELEASING = 50_000;

interface ApplyEntry {
  plan: WritePlan;
  late?: Promise<LateValues>;
  lateValues?: LateValues;
}

export class Store {
  readonly registry = new SeriesRegistry();
  readonly hot: HotTables;
  private readonly index: MeasurementIndex;
  private readonly lock = new RwLock();
  private log!: CommitLog<ApplyEntry>;
  private gen = 0;
  private nextFileId = 1;
  private walFlushedThrough = 0;
  private flushing: Promise<void> | undefined;
  private maintenanceRunning: Promise<void> | undefined;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private lastFlush = Date.now();
  private lastMaintenance = Date.now();
  /** Flushes, maintenance and bucket deletion change the file set one at a time. */
  private fileOps: Promise<unknown> = Promise.resolve();
  /** Deletes replaced files once no query reads them. */
  private readonly reclaimer = new FileReclaimer();
  private readonly opts: Required<Omit<StoreOptions, 'logger' | 'parser'>> & { logger: StoreLogger };
  private readonly parser: Parser;
  readonly walDir: string;

  private constructor(options: StoreOptions) {
    this.opts = {
      flushRows: 1_000_000,
      maxMemRows: 3_000_000,
      flushIntervalMs: 600_000,
      walMaxBytes: 256 * 1024 * 1024,
      maintenanceIntervalMs: 60_000,
      compactAt: 8,
      maxSeriesPerBucket: 1_000_000,
      keepSeriesBelow: 10_000,
      logger: options.logger ?? silentLogger,
      ...options,
    } as Store['opts'];
    this.index = new MeasurementIndex(this.registry, () => this.gen, this.opts.maxSeriesPerBucket);
    this.hot = new HotTables(options.duck, this.registry);
    this.parser = options.parser ?? inlineParser;
    this.walDir = join(options.dataDir, 'wal');
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }
  get duck(): Duck {
    return this.opts.duck;
  }

  static async open(options: StoreOptions): Promise<Store> {
    const s = new Store(options);
    await s.recover();
    return s;
  }

  // ---------------------------------------------------------------- recovery

  private async recover(): Promise<void> {
    await mkdir(this.walDir, { recursive: true });
    await initCatalog(this.duck.meta);
    const snap = await loadCatalog(this.duck.meta);
    this.nextFileId = snap.nextFileId;
    this.index.nextId = snap.nextMeasurementId;
    this.walFlushedThrough = snap.walFlushedThrough;
    for (const cm of snap.measurements) {
      if (!this.opts.bucketInfo(cm.bucketId)) continue;
      const m = this.index.create(this.index.bucket(cm.bucketId), cm.name, cm.id);
      for (const t of cm.tags) m.tagOrdinalOf(t);
      for (const f of cm.fields) m.addField(f.name, f.type);
      m.files = cm.files;
      m.persisted = true;
      m.persistedTags = cm.tags.length;
      m.persistedFields = cm.fields.length;
    }
    await removeOrphans(this.dataDir, snap.measurements.flatMap((m) => m.files));
    for (const m of this.index.all) await loadSeriesFingerprints(this.duck, this.dataDir, m);
    // Replay what the WAL holds beyond the last flush, in order.
    const segments = await listSegments(this.walDir);
    await deleteSegmentsThrough(this.walDir, this.walFlushedThrough);
    let replayed = 0;
    let last = this.walFlushedThrough;
    for (const seg of segments) {
      if (seg <= this.walFlushedThrough) continue;
      last = seg;
      const { records, tornAt } = await readSegment(this.walDir, seg);
      if (tornAt !== undefined) this.opts.logger.warn('WAL segment ends in a torn record; ignoring its tail', { segment: seg, offset: tornAt });
      for (const r of records) {
        if (r.kind !== RECORD_WRITE) continue;
        const bucketId = String(r.header.b);
        if (!this.opts.bucketInfo(bucketId)) continue;
        const req: WriteRequest = {
          bucketId,
          body: Buffer.from(r.payload),
          precision: r.precision,
          now: { sec: r.nowSec, nsec: r.nowNsec },
          onParseError: 'skip',
          rejectDuplicateFields: r.header.d === 1,
        };
        const prepared = this.prepare(req, parseLineProtocol(req.body, { precision: req.precision, now: req.now }));
        if (!prepared.plan || prepared.plan.written === 0) continue;
        const lateValues = prepared.plan.late.length > 0 ? await this.lookup(prepared.plan) : undefined;
        applyWrite(prepared.plan, this.registry, lateValues);
        replayed += prepared.plan.written;
      }
    }
    if (replayed > 0) this.opts.logger.info('replayed write-ahead log', { points: replayed });
    this.log = await CommitLog.open<ApplyEntry>({
      dir: this.walDir,
      segment: last + 1,
      apply: (entries) => this.applyEntries(entries),
      onRotate: () => this.rotateMemtables(),
      readyOf: (e) => e.late?.then((v) => (e.lateValues = v)),
    });
    this.timers.push(setInterval(() => this.tick(), 1000).unref());
  }

  // ---------------------------------------------------------------- measurements

  /** Measurements of a bucket that hold data. */
  measurementsOf(bucketId: string): Measurement[] {
    return this.index.withData(bucketId);
  }

  measurementOf(bucketId: string, name: string): Measurement | undefined {
    const m = this.index.get(bucketId, name);
    return m && hasData(m) ? m : undefined;
  }

  // ---------------------------------------------------------------- writes

  private cutoffSec(bucketId: string, now: SecNsec): number {
    const info = this.opts.bucketInfo(bucketId);
    return info && info.retentionSeconds > 0 ? now.sec - info.retentionSeconds : -Infinity;
  }

  private prepare(req: WriteRequest, batch: LineBatch): { batch: LineBatch; plan?: WritePlan } {
    if (batch.errors.length > 0 && (req.onParseError === 'reject' || req.atomic)) return { batch };
    const plan = planWrite(this.index.bucket(req.bucketId), batch, {
      retentionCutoffSec: this.cutoffSec(req.bucketId, req.now),
      rejectDuplicateFields: req.rejectDuplicateFields === true,
      isLate: (m, sid, sec, nsec) => sec < m.horizonSec || this.registry.mayBePersisted(sid, sec, nsec),
    });
    return { batch, plan };
  }

  async write(req: WriteRequest): Promise<WriteOutcome> {
    if (this.closed) throw new StoreClosedError('store is closed');
    if (this.memUnits() >= this.opts.maxMemRows) {
      // Series held without rows (none to flush) are let go too, once no query reads them.
      void this.flush()
        .then(() => this.reclaimer.release([], [() => this.releaseSeries()]))
        .catch(() => undefined);
      throw new OverloadedError(1);
    }
    // Parsing is pure and may run on a worker; planning and logging below run
    // together without awaiting, so the log order is the planning order.
    const parsed = await this.parser.parse(req.body, { precision: req.precision, now: req.now });
    const release = await this.lock.shared();
    let pending: Promise<void>;
    let outcome: WriteOutcome;
    try {
      const { batch, plan } = this.prepare(req, parsed);
      outcome = { written: 0, parseErrors: batch.errors, drops: plan?.drops ?? [], lines: batch.lines };
      if (!plan || plan.written === 0 || (req.atomic && plan.drops.length > 0)) {
        release();
        return outcome;
      }
      const head = encodeRecordHead(
        {
          kind: RECORD_WRITE,
          precision: req.precision,
          nowSec: req.now.sec,
          nowNsec: req.now.nsec,
          header: req.rejectDuplicateFields ? { b: req.bucketId, d: 1 } : { b: req.bucketId },
        },
        req.body.length,
      );
      sealRecord(head, req.body);
      const entry: ApplyEntry = { plan };
      if (plan.late.length > 0) entry.late = this.lookup(plan);
      // Appended synchronously after planning: the log order is the planning
      // order, so replay makes the same schema decisions.
      pending = this.log.append([head, req.body], entry);
      outcome.written = plan.written;
    } catch (e) {
      release();
      throw e;
    }
    try {
      await pending;
    } finally {
      release();
    }
    this.maybeFlush();
    return outcome;
  }

  private lookup(plan: WritePlan): Promise<LateValues> {
    return lookupLate(this.duck, this.dataDir, this.registry, plan);
  }

  private applyEntries(entries: ApplyEntry[]): void {
    for (const e of entries) applyWrite(e.plan, this.registry, e.lateValues);
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

  /** Series of a bucket, in memory or only in files, as the series limit counts them. */
  seriesCount(bucketId: string): number {
    return this.index.bucket(bucketId).series.count;
  }

  private activeRows(): number {
    let n = 0;
    for (const m of this.index.all) n += m.active.rows;
    return n;
  }

  private maybeFlush(): void {
    if (this.flushing) return;
    // Series held in memory count too: at half the buffer a flush lets the idle ones go.
    if (this.activeRows() >= this.opts.flushRows || this.log.segmentBytes >= this.opts.walMaxBytes || this.memUnits() >= this.opts.maxMemRows / 2) {
      void this.flush().catch((e) => this.opts.logger.error('flush failed', { error: String(e) }));
    }
  }

  private tick(): void {
    if (this.closed) return;
    if (!this.flushing && Date.now() - this.lastFlush >= this.opts.flushIntervalMs && this.activeRows() > 0) {
      void this.flush().catch((e) => this.opts.logger.error('flush failed', { error: String(e) }));
    }
    if (!this.maintenanceRunning && Date.now() - this.lastMaintenance >= this.opts.maintenanceIntervalMs) {
      this.lastMaintenance = Date.now();
      this.maintenanceRunning = this.serially(() => this.maintain())
        .catch((e) => this.opts.logger.error('maintenance failed', { error: String(e) }))
        .finally(() => (this.maintenanceRunning = undefined));
    }
  }

  // ---------------------------------------------------------------- flush

  /** Runs at a WAL segment boundary, synchronously: freezes the active memtables. */
  private rotateMemtables(): void {
    this.gen++;
    for (const m of this.index.all) {
      if (m.active.rows === 0 && m.active.tombstones.length === 0) continue;
      m.active.freeze();
      m.immutable = m.active;
      m.active = new Memtable(this.gen, this.registry);
    }
  }

  /** Persists everything acknowledged so far. Resolves when the catalog names the new files. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    this.flushing = this.serially(() => this.doFlush()).finally(() => {
      this.flushing = undefined;
      this.lastFlush = Date.now();
    });
    return this.flushing;
  }

  private pendingSegment: number | undefined;

  private async doFlush(): Promise<void> {
    if (this.pendingSegment === undefined) {
      if (this.activeRows() === 0 && !this.index.all.some((m) => m.active.tombstones.length > 0)) return;
      this.pendingSegment = await this.log.rotate();
    }
    const closed = this.pendingSegment;
    const env = this.flushEnv();
    const frozen = this.index.all.filter((m) => m.immutable !== undefined);
    const add: FileEntry[] = [];
    const remove: FileEntry[] = [];
    const perMeasurement = new Map<Measurement, { add: FileEntry[]; remove: FileEntry[] }>();
    for (const m of frozen) {
      const mt = m.immutable!;
      const written = await writeMemtableFiles(env, m, mt);
      const rewritten = await rewriteTombstoned(env, m, mt);
      perMeasurement.set(m, { add: [...written, ...rewritten.add], remove: rewritten.remove });
      add.push(...written, ...rewritten.add);
      remove.push(...rewritten.remove);
    }
    const dropped: Array<[Measurement, Memtable]> = [];
    const release = await this.lock.exclusive();
    try {
      const change: CatalogChange = {
        schemas: frozen.filter((m) => !m.persisted || m.tagKeys.length > m.persistedTags || m.fields.length > m.persistedFields).map(schemaOf),
        addFiles: add,
        removeFileIds: remove.map((f) => f.id),
        walFlushedThrough: closed,
        nextFileId: this.nextFileId,
      };
      await commitCatalog(this.duck.meta, change);
      this.reclaimer.advance();
      for (const m of frozen) {
        const mt = m.immutable!;
        const p = perMeasurement.get(m)!;
        const gone = new Set(p.remove.map((f) => f.id));
        m.files = [...m.files.filter((f) => !gone.has(f.id)), ...p.add];
        m.persisted = true;
        m.persistedTags = m.tagKeys.length;
        m.persistedFields = m.fields.length;
        for (const t of mt.tombstones) m.tombstones.delete(`${t.sid}:${t.sec}:${t.nsec}`);
        if (mt.tombstones.length > 0) m.tombstoneVersion++;
        m.immutable = undefined;
        dropped.push([m, mt]);
      }
      this.walFlushedThrough = closed;
      this.pendingSegment = undefined;
    } finally {
      release();
    }
    this.reclaimer.release(remove.map((f) => join(this.dataDir, f.path)), [
      ...dropped.map(([m, mt]) => () => this.hot.dropMemtable(m, mt)),
      // Once no query reads the flushed memtables' hot copies (they join the series table).
      () => this.releaseSeries(),
    ]);
    await deleteSegmentsThrough(this.walDir, closed);
  }

  /**
   * Lets go of the series with no rows left in memory (series-release.ts),
   * when enough are held to matter or the write buffer is half full.
   */
  private async releaseSeries(): Promise<void> {
    if (this.registry.live <= this.opts.keepSeriesBelow && this.memUnits() < this.opts.maxMemRows / 2) return;
    const release = await this.lock.exclusive();
    try {
      const n = releaseIdleSeries(this.index.all, this.registry);
      if (n > 0) this.opts.logger.info('released idle series from memory', { series: n, held: this.registry.live });
      if (n >= GC_AFTER_RELEASING) collectGarbage();
    } finally {
      release();
    }
  }

  private flushEnv(): FlushEnv {
    return {
      dataDir: this.dataDir,
      duck: this.duck,
      hot: this.hot,
      nextFileId: () => this.nextFileId++,
      partitionSeconds: (id) => this.opts.bucketInfo(id)?.shardGroupSeconds ?? 86400,
      cutoffNs: (id) => {
        const info = this.opts.bucketInfo(id);
        if (!info || info.retentionSeconds <= 0) return undefined;
        return BigInt(Math.floor(Date.now() / 1000) - info.retentionSeconds) * 1_000_000_000n;
      },
    };
  }

  // ---------------------------------------------------------------- retention and compaction

  private async maintain(): Promise<void> {
    await this.enforceRetention();
    await this.compact();
  }

  /** Drops whole files that are entirely past their bucket's retention. Queries hide the rest. */
  enforceRetentionNow(): Promise<void> {
    return this.serially(() => this.enforceRetention());
  }

  compactNow(): Promise<void> {
    return this.serially(() => this.compact(true));
  }

  private async enforceRetention(): Promise<void> {
    const nowSec = Math.floor(Date.now() / 1000);
    let removed = 0;
    for (const m of [...this.index.all]) {
      const info = this.opts.bucketInfo(m.bucketId);
      if (!info || info.retentionSeconds <= 0) continue;
      const cutoff = BigInt(nowSec - info.retentionSeconds) * 1_000_000_000n;
      const expired = m.files.filter((f) => f.maxNs < cutoff);
      if (expired.length === 0) continue;
      await this.swapFiles(m, expired, []);
      await this.recountSeries(m);
      removed += expired.length;
    }
    if (removed > 0) this.opts.logger.info('retention removed files', { files: removed });
  }

  /** Merges the files of a partition once it has many, so queries open few files. */
  private async compact(force = false): Promise<void> {
    for (const m of [...this.index.all]) {
      const byPartition = new Map<number, FileEntry[]>();
      for (const f of m.files) {
        const list = byPartition.get(f.partitionSec) ?? [];
        list.push(f);
        byPartition.set(f.partitionSec, list);
      }
      for (const [p, files] of byPartition) {
        if (files.length < (force ? 2 : this.opts.compactAt)) continue;
        const merged = await mergeFiles(this.flushEnv(), m, p, files);
        await this.swapFiles(m, files, merged ? [merged] : []);
      }
    }
  }

  /**
   * Replaces files of a measurement in one catalog transaction (retention,
   * compaction, point deletion); the old files go once no query reads them.
   * Forgets the measurement entirely when nothing of it is left. Call inside
   * `serially`. Does nothing when a file to remove is already gone.
   */
  private async swapFiles(m: Measurement, remove: FileEntry[], add: FileEntry[]): Promise<void> {
    const release = await this.lock.exclusive();
    let forget = false;
    try {
      const ids = new Set(m.files.map((f) => f.id));
      if (!remove.every((f) => ids.has(f.id))) return;
      const gone = new Set(remove.map((f) => f.id));
      const files = [...m.files.filter((f) => !gone.has(f.id)), ...add];
      forget = files.length === 0 && m.memRows === 0 && m.tombstones.size === 0;
      await commitCatalog(this.duck.meta, {
        schemas: [],
        addFiles: add,
        removeFileIds: remove.map((f) => f.id),
        nextFileId: this.nextFileId,
        dropMeasurements: forget ? [m.id] : [],
      });
      this.reclaimer.advance();
      m.files = files;
      if (forget) {
        this.index.forget(m);
        releaseAllSeries([m], this.registry);
      }
    } finally {
      release();
    }
    this.reclaimer.release(remove.map((f) => join(this.dataDir, f.path)));
    if (forget) await this.hot.dropMeasurement(m);
  }

  /**
   * After retention or a deletion removed points, counts the measurement's
   * series again (those left in files plus those in memory), so the series
   * limit gives back what is gone. Call inside `serially` (no flush runs meanwhile).
   */
  private async recountSeries(m: Measurement): Promise<void> {
    if (this.index.get(m.bucketId, m.name) !== m) return; // forgotten: already given back
    const fp = await fileSeriesFingerprints(this.duck, this.dataDir, m);
    const release = await this.lock.exclusive();
    try {
      // A series held without rows is either in the files or deleted: let it go,
      // then count the files' series and those with rows in memory.
      releaseIdleSeries([m], this.registry);
      for (const sid of m.series) fp.add(this.registry.canonicalKey[sid]!);
      m.budget.count += fp.size - m.fingerprints.size;
      m.fingerprints = fp;
    } finally {
      release();
    }
  }

  /** Runs file-set changes (flush, maintenance, deletions) one after another. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.fileOps.then(fn);
    this.fileOps = next.catch(() => undefined);
    return next;
  }

  // ---------------------------------------------------------------- reads

  /**
   * Runs `fn` with the hot copies of the given measurements up to date and the
   * files they name protected from deletion until it returns.
   */
  async read<T>(measurements: Measurement[], fn: () => Promise<T>): Promise<T> {
    for (const m of measurements) await this.hot.syncMeasurement(m);
    return this.reclaimer.read(fn);
  }

  /** SQL selecting a measurement under InfluxDB 3's column names (call inside `read`). */
  userRelation(m: Measurement, opts?: RelationOptions): string {
    return userRelationSql(m, this.relationContext(m), opts);
  }

  /** SQL selecting a measurement's physical columns (call inside `read`). */
  physicalRelation(m: Measurement, opts?: RelationOptions): string {
    return relationSql(m, this.relationContext(m), opts);
  }

  /**
   * Copies the named measurements of a bucket into `dir` for the SQL sandbox
   * (query/sql-snapshot.ts) and returns, per measurement that holds data, the
   * view SQL reading only files in `dir`. Unknown names are left out. The
   * caller removes `dir` when done.
   */
  private hotCopies?: HotCopyCache;

  async exportSqlSnapshot(bucketId: string, names: string[], dir: string): Promise<SqlSnapshotView[]> {
    const ms = names.map((n) => this.measurementOf(bucketId, n)).filter((m): m is Measurement => m !== undefined);
    return this.read(ms, async () => {
      const conn = await this.duck.connect();
      try {
        const views: SqlSnapshotView[] = [];
        this.hotCopies ??= new HotCopyCache(join(this.dataDir, '.sql-hot-copies'));
        for (let i = 0; i < ms.length; i++) views.push(await snapshotMeasurement(conn, ms[i], this.relationContext(ms[i]), dir, `m${i}`, this.hotCopies));
        return views;
      } finally {
        conn.closeSync();
      }
    });
  }

  columnsOf(m: Measurement): RelationColumn[] {
    return userColumns(m);
  }

  private relationContext(m: Measurement) {
    const info = this.opts.bucketInfo(m.bucketId);
    const cutoffNs =
      info && info.retentionSeconds > 0 ? BigInt(Math.floor(Date.now() / 1000) - info.retentionSeconds) * 1_000_000_000n : undefined;
    return { dataDir: this.dataDir, hot: this.hot, cutoffNs };
  }

  // ---------------------------------------------------------------- bucket deletion and shutdown

  /** Removes every point of a bucket and frees its space. */
  deleteBucket(bucketId: string): Promise<void> {
    return this.serially(() => this.doDeleteBucket(bucketId));
  }

  private async doDeleteBucket(bucketId: string): Promise<void> {
    const release = await this.lock.exclusive();
    try {
      const ms = this.index.removeBucket(bucketId);
      releaseAllSeries(ms, this.registry);
      if (ms.length > 0) {
        await commitCatalog(this.duck.meta, { schemas: [], addFiles: [], removeFileIds: [], dropMeasurements: ms.map((m) => m.id) });
        this.reclaimer.advance();
        for (const m of ms) {
          await this.hot.dropMeasurement(m);
          m.files = [];
          m.active = new Memtable(this.gen, this.registry);
          m.immutable = undefined;
          m.tombstones.clear();
        }
      }
    } finally {
      release();
    }
    await rm(join(this.dataDir, 'buckets', bucketId), { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- point deletion

  /**
   * Deletes the points of a measurement matching `whereSql` (every point when
   * absent): InfluxQL DELETE and DROP SERIES, the v2 delete API. `whereSql` is
   * a DuckDB boolean expression over the physical columns (time, t<ordinal>,
   * f<ordinal>); a NULL result keeps the row.
   *
   * Everything acknowledged before the call is flushed first, then the files
   * holding matches are rewritten without them and the catalog swaps them in
   * one transaction, so the delete is durable when this resolves. Writes that
   * arrive while it runs are ordered after it and kept.
   */
  deletePoints(bucketId: string, measurement: string, whereSql?: string): Promise<{ deleted: number }> {
    return this.serially(async () => {
      await this.doFlush();
      const m = this.index.get(bucketId, measurement);
      if (!m) return { deleted: 0 };
      if (whereSql === undefined) {
        const deleted = m.files.reduce((n, f) => n + f.rows, 0);
        await this.swapFiles(m, m.files, []);
        await this.recountSeries(m);
        return { deleted };
      }
      const r = await rewriteWithout(this.flushEnv(), m, whereSql);
      if (r.replaced.length > 0) {
        await this.swapFiles(m, r.replaced, r.added);
        await this.recountSeries(m);
      }
      return { deleted: r.deleted };
    });
  }

  /** DROP MEASUREMENT: every point and, once nothing of it is left, its schema (field types may change afterwards). */
  async dropMeasurement(bucketId: string, name: string): Promise<void> {
    await this.deletePoints(bucketId, name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.flushing?.catch(() => undefined);
    await this.maintenanceRunning;
    await this.log.close();
    await this.parser.close();
  }

  /** For tests and the benchmark: sizes on disk. */
  diskFiles(): Array<{ path: string; bytes: number }> {
    return this.index.all.flatMap((m) => m.files.map((f) => ({ path: relative(this.dataDir, join(this.dataDir, f.path)), bytes: f.bytes })));
  }
}

function schemaOf(m: Measurement) {
  return { id: m.id, bucketId: m.bucketId, name: m.name, tags: [...m.tagKeys], fields: m.fields.map((f) => ({ name: f.name, type: f.type })) };
}

