// The embedded time-series store. Write path:
//   parse -> plan (schema, types, drops) -> WAL append + fdatasync -> apply to
//   the active memtable -> acknowledge.
// A flush freezes the memtables at a WAL segment boundary, writes them to
// Parquet, and commits the new file list in one catalog transaction; only then
// are the WAL segments deleted. Queries read Parquet plus DuckDB copies of the
// memtables (hot-tables.ts). docs/storage.md explains the layout and choices.

import { mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Point } from '../core/point.ts';
import { compareTime, type Precision, type SecNsec } from '../core/time.ts';
import type { LineError } from '../ingest/line-protocol/batch.ts';
import { encodePoints } from '../ingest/line-protocol/encode.ts';
import { parseLineProtocol } from '../ingest/line-protocol/parse.ts';
import { inlineParser, type Parser } from '../ingest/line-protocol/parse-pool.ts';
import type { LineBatch } from '../ingest/line-protocol/batch.ts';
import { commitCatalog, initCatalog, loadCatalog, type CatalogChange, type FileEntry } from './catalog.ts';
import type { Duck } from './duck/duck.ts';
import { literal } from './duck/duck.ts';
import { copyToFile, filePath, rewriteTombstoned, writeMemtableFiles, type FlushEnv } from './flush/write-files.ts';
import { HotTables } from './hot/hot-tables.ts';
import { duckTypeOf } from './hot/chunk-writer.ts';
import { Measurement } from './measurement.ts';
import { Memtable } from './memtable/memtable.ts';
import { RwLock } from './rw-lock.ts';
import { SeriesRegistry } from './series/series-registry.ts';
import { ByteKeyMap } from './series/byte-key-map.ts';
import { CommitLog, deleteSegmentsThrough, listSegments, readSegment } from './wal/commit-log.ts';
import { encodeRecordHead, RECORD_WRITE, sealRecord } from './wal/wal-record.ts';
import { applyWrite, type LateValues } from './write/apply-write.ts';
import { lookupLate } from './write/late-lookup.ts';
import { planWrite, type BucketSchema, type Drop, type WritePlan } from './write/plan-write.ts';
import { userColumns, userRelationSql, relationSql, type RelationColumn } from './query/relation.ts';

export interface BucketInfo {
  id: string;
  /** 0 = keep forever. */
  retentionSeconds: number;
  /** Length of a time partition (InfluxDB's shard group duration). */
  shardGroupSeconds: number;
}

export interface StoreLogger {
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export interface StoreOptions {
  dataDir: string;
  duck: Duck;
  bucketInfo: (id: string) => BucketInfo | undefined;
  /** Flush when the active memtables hold this many points (default 1,000,000). */
  flushRows?: number;
  /** Refuse writes (503) above this many points in memory (default 3,000,000). */
  maxMemRows?: number;
  /** Flush at least this often when anything is in memory (default 10 min). */
  flushIntervalMs?: number;
  /** Flush when the current WAL segment reaches this size (default 256 MiB). */
  walMaxBytes?: number;
  /** How often retention and compaction run (default 60 s). */
  maintenanceIntervalMs?: number;
  /** Merge a partition's files when it has at least this many (default 8). */
  compactAt?: number;
  /** Where request bodies are parsed (default: on the calling thread). */
  parser?: Parser;
  logger?: StoreLogger;
}

export interface WriteRequest {
  bucketId: string;
  body: Buffer;
  precision: Precision | 'auto';
  now: SecNsec;
  /** What a line that does not parse does: refuse the whole body (InfluxDB 2) or skip that line (1.x, 3.x). */
  onParseError: 'reject' | 'skip';
  /** Write nothing when any line or point is refused (InfluxDB 3 accept_partial=false). */
  atomic?: boolean;
  /** Refuse a line that names the same field twice (InfluxDB 3). */
  rejectDuplicateFields?: boolean;
}

export interface WriteOutcome {
  /** Points stored. */
  written: number;
  parseErrors: LineError[];
  drops: Drop[];
  /** Non-blank, non-comment lines in the body. */
  lines: number;
}

export class OverloadedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('write buffer full, retry later');
  }
}

export class StoreClosedError extends Error {}

interface BucketState extends BucketSchema {
  id: string;
  measurements: Map<string, Measurement>;
}

interface ApplyEntry {
  plan: WritePlan;
  late?: Promise<LateValues>;
  lateValues?: LateValues;
}

interface PendingDelete {
  paths: string[];
  /** Hot tables to drop, as [measurement, memtable]. */
  tables: Array<[Measurement, Memtable]>;
  epoch: number;
}

export class Store {
  readonly registry = new SeriesRegistry();
  readonly hot: HotTables;
  private readonly buckets = new Map<string, BucketState>();
  private readonly measurements: Measurement[] = [];
  private readonly lock = new RwLock();
  private log!: CommitLog<ApplyEntry>;
  private gen = 0;
  private nextFileId = 1;
  private nextMeasurementId = 1;
  private walFlushedThrough = 0;
  private flushing: Promise<void> | undefined;
  private maintenanceRunning: Promise<void> | undefined;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private lastFlush = Date.now();
  private lastMaintenance = Date.now();
  /** Flushes, maintenance and bucket deletion change the file set one at a time. */
  private fileOps: Promise<unknown> = Promise.resolve();
  /** Catalog epoch and the queries reading each epoch's files. */
  private epoch = 0;
  private readonly readers = new Map<number, number>();
  private pendingDeletes: PendingDelete[] = [];
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
      logger: options.logger ?? silentLogger,
      ...options,
    } as Store['opts'];
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
    this.nextMeasurementId = snap.nextMeasurementId;
    this.walFlushedThrough = snap.walFlushedThrough;
    for (const cm of snap.measurements) {
      if (!this.opts.bucketInfo(cm.bucketId)) continue;
      const m = this.createMeasurement(this.bucketState(cm.bucketId), cm.name, cm.id);
      for (const t of cm.tags) m.tagOrdinalOf(t);
      for (const f of cm.fields) m.addField(f.name, f.type);
      m.files = cm.files;
      m.persisted = true;
      m.persistedTags = cm.tags.length;
      m.persistedFields = cm.fields.length;
    }
    await this.removeOrphans(snap.measurements.flatMap((m) => m.files));
    for (const m of this.measurements) await this.loadPersistedHighWater(m);
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

  /** Files in the data directory the catalog does not name are leftovers of an interrupted flush. */
  private async removeOrphans(known: FileEntry[]): Promise<void> {
    const keep = new Set(known.map((f) => join(this.dataDir, f.path)));
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if ((e.name.endsWith('.parquet') || e.name.endsWith('.tmp')) && !keep.has(p)) await unlink(p).catch(() => undefined);
      }
    };
    await walk(join(this.dataDir, 'buckets'));
  }

  /**
   * Per-series newest persisted time, for the newest partition of a
   * measurement. Points older than that partition are treated as possibly
   * stored (looked up on write); see apply-write.ts.
   */
  private async loadPersistedHighWater(m: Measurement): Promise<void> {
    if (m.files.length === 0) return;
    const newest = Math.max(...m.files.map((f) => f.partitionSec));
    const files = m.files.filter((f) => f.partitionSec === newest);
    const tagCols = m.tagKeys.map((_, o) => `t${o}`);
    const present = new Set(files.flatMap((f) => f.tags));
    const sel = tagCols.map((c, o) => (present.has(o) ? c : `NULL::VARCHAR AS ${c}`));
    const paths = files.map((f) => literal(join(this.dataDir, f.path))).join(', ');
    const rows = await this.duck.meta.rows<Record<string, unknown>>(
      `SELECT ${[...sel, 'epoch_ns(max(time))::BIGINT AS hi'].join(', ')} FROM read_parquet([${paths}], union_by_name = true) ${tagCols.length ? 'GROUP BY ALL' : ''}`,
    );
    for (const row of rows) {
      const tags: Array<[string, string]> = [];
      m.tagKeys.forEach((k, o) => {
        const v = row[`t${o}`];
        if (v !== null && v !== undefined) tags.push([k, String(v)]);
      });
      tags.sort((a, b) => Buffer.compare(Buffer.from(escTag(a[0])), Buffer.from(escTag(b[0]))));
      const sid = m.seriesFor(tags);
      const hi = BigInt(row.hi as bigint);
      const sec = Number(hi / 1_000_000_000n) - (hi < 0n && hi % 1_000_000_000n !== 0n ? 1 : 0);
      const nsec = Number(hi - BigInt(sec) * 1_000_000_000n);
      this.registry.markPersisted(sid, sec, nsec);
    }
    m.horizonSec = newest;
  }

  // ---------------------------------------------------------------- buckets and measurements

  private bucketState(id: string): BucketState {
    let b = this.buckets.get(id);
    if (!b) {
      const state: BucketState = {
        id,
        measurements: new Map(),
        rawMeasurements: new ByteKeyMap(),
        list: [],
        measurement: (name) => state.measurements.get(name) ?? this.createMeasurement(state, name),
      };
      b = state;
      this.buckets.set(id, b);
    }
    return b;
  }

  private createMeasurement(b: BucketState, name: string, id?: number): Measurement {
    const mid = id ?? this.nextMeasurementId++;
    if (mid >= this.nextMeasurementId) this.nextMeasurementId = mid + 1;
    const m = new Measurement(mid, b.id, name, this.measurements.length, this.registry, this.gen);
    this.measurements.push(m);
    b.measurements.set(name, m);
    return m;
  }

  /** Measurements of a bucket that hold data. */
  measurementsOf(bucketId: string): Measurement[] {
    const b = this.buckets.get(bucketId);
    if (!b) return [];
    return [...b.measurements.values()].filter((m) => m.files.length > 0 || m.memRows > 0).sort((x, y) => (x.name < y.name ? -1 : 1));
  }

  measurementOf(bucketId: string, name: string): Measurement | undefined {
    const m = this.buckets.get(bucketId)?.measurements.get(name);
    return m && (m.files.length > 0 || m.memRows > 0) ? m : undefined;
  }

  // ---------------------------------------------------------------- writes

  private cutoffSec(bucketId: string, now: SecNsec): number {
    const info = this.opts.bucketInfo(bucketId);
    return info && info.retentionSeconds > 0 ? now.sec - info.retentionSeconds : -Infinity;
  }

  private prepare(req: WriteRequest, batch: LineBatch): { batch: LineBatch; plan?: WritePlan } {
    if (batch.errors.length > 0 && (req.onParseError === 'reject' || req.atomic)) return { batch };
    const plan = planWrite(this.bucketState(req.bucketId), batch, {
      retentionCutoffSec: this.cutoffSec(req.bucketId, req.now),
      rejectDuplicateFields: req.rejectDuplicateFields === true,
      isLate: (m, sid, sec, nsec) => sec < m.horizonSec || this.registry.mayBePersisted(sid, sec, nsec),
    });
    return { batch, plan };
  }

  async write(req: WriteRequest): Promise<WriteOutcome> {
    if (this.closed) throw new StoreClosedError('store is closed');
    const mem = this.memRows();
    if (mem >= this.opts.maxMemRows) {
      void this.flush().catch(() => undefined);
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

  /** Stores points from protocols other than line protocol (OpenTSDB, MQTT, webhooks) through the same path. */
  writePoints(bucketId: string, points: Point[], now: SecNsec): Promise<WriteOutcome> {
    return this.write({ bucketId, body: Buffer.from(encodePoints(points), 'utf8'), precision: 'ns', now, onParseError: 'skip' });
  }

  private lookup(plan: WritePlan): Promise<LateValues> {
    return lookupLate(this.duck, this.dataDir, this.registry, plan);
  }

  private applyEntries(entries: ApplyEntry[]): void {
    for (const e of entries) applyWrite(e.plan, this.registry, e.lateValues);
  }

  memRows(): number {
    let n = 0;
    for (const m of this.measurements) n += m.memRows;
    return n;
  }

  private activeRows(): number {
    let n = 0;
    for (const m of this.measurements) n += m.active.rows;
    return n;
  }

  private maybeFlush(): void {
    if (this.flushing) return;
    if (this.activeRows() >= this.opts.flushRows || this.log.segmentBytes >= this.opts.walMaxBytes) {
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
    for (const m of this.measurements) {
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
      if (this.activeRows() === 0 && !this.measurements.some((m) => m.active.tombstones.length > 0)) return;
      this.pendingSegment = await this.log.rotate();
    }
    const closed = this.pendingSegment;
    const env = this.flushEnv();
    const frozen = this.measurements.filter((m) => m.immutable !== undefined);
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
      this.epoch++;
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
    this.scheduleDelete(remove.map((f) => join(this.dataDir, f.path)), dropped);
    await deleteSegmentsThrough(this.walDir, closed);
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
    this.collectGarbage();
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
    const expired: Array<{ m: Measurement; f: FileEntry }> = [];
    for (const m of this.measurements) {
      const info = this.opts.bucketInfo(m.bucketId);
      if (!info || info.retentionSeconds <= 0) continue;
      const cutoff = BigInt(nowSec - info.retentionSeconds) * 1_000_000_000n;
      for (const f of m.files) if (f.maxNs < cutoff) expired.push({ m, f });
    }
    if (expired.length === 0) return;
    const release = await this.lock.exclusive();
    try {
      await commitCatalog(this.duck.meta, { schemas: [], addFiles: [], removeFileIds: expired.map((e) => e.f.id) });
      this.epoch++;
      const ids = new Set(expired.map((e) => e.f.id));
      for (const { m } of expired) m.files = m.files.filter((f) => !ids.has(f.id));
    } finally {
      release();
    }
    this.scheduleDelete(expired.map((e) => join(this.dataDir, e.f.path)));
    this.opts.logger.info('retention removed files', { files: expired.length });
  }

  /** Merges the files of a partition once it has many, so queries open few files. */
  private async compact(force = false): Promise<void> {
    for (const m of [...this.measurements]) {
      const byPartition = new Map<number, FileEntry[]>();
      for (const f of m.files) {
        const list = byPartition.get(f.partitionSec) ?? [];
        list.push(f);
        byPartition.set(f.partitionSec, list);
      }
      for (const [p, files] of byPartition) {
        if (files.length < (force ? 2 : this.opts.compactAt)) continue;
        await this.compactPartition(m, p, files);
      }
    }
  }

  private async compactPartition(m: Measurement, partitionSec: number, files: FileEntry[]): Promise<void> {
    const env = this.flushEnv();
    const id = env.nextFileId();
    const rel = filePath(m, partitionSec, id);
    const tags = [...new Set(files.flatMap((f) => f.tags))].sort((a, b) => a - b);
    const fields = [...new Set(files.flatMap((f) => f.fields))].sort((a, b) => a - b);
    const paths = files.map((f) => literal(join(this.dataDir, f.path))).join(', ');
    const cols = ['time', ...tags.map((o) => `t${o}`), ...fields.map((o) => `f${o}`)].join(', ');
    const order = [...tags.map((o) => `t${o}`), 'time'].join(', ');
    const entry = await copyToFile(env, `SELECT ${cols} FROM read_parquet([${paths}], union_by_name = true) ORDER BY ${order}`, join(this.dataDir, rel), {
      id,
      measurementId: m.id,
      partitionSec,
      path: rel,
      fields,
      tags,
    });
    const release = await this.lock.exclusive();
    try {
      // The file set may have changed while merging (a flush rewrote one): keep it then.
      const ids = new Set(m.files.map((f) => f.id));
      if (!files.every((f) => ids.has(f.id))) return;
      await commitCatalog(this.duck.meta, {
        schemas: [],
        addFiles: entry ? [entry] : [],
        removeFileIds: files.map((f) => f.id),
        nextFileId: this.nextFileId,
      });
      this.epoch++;
      const gone = new Set(files.map((f) => f.id));
      m.files = [...m.files.filter((f) => !gone.has(f.id)), ...(entry ? [entry] : [])];
    } finally {
      release();
    }
    this.scheduleDelete(files.map((f) => join(this.dataDir, f.path)));
  }

  // ---------------------------------------------------------------- readers and file deletion

  private scheduleDelete(paths: string[], tables: Array<[Measurement, Memtable]> = []): void {
    if (paths.length === 0 && tables.length === 0) return;
    this.pendingDeletes.push({ paths, tables, epoch: this.epoch });
    this.collectGarbage();
  }

  /** Runs file-set changes (flush, maintenance, bucket deletion) one after another. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.fileOps.then(fn);
    this.fileOps = next.catch(() => undefined);
    return next;
  }

  /** Deletes replaced files once no query that could read them is running. */
  private collectGarbage(): void {
    let oldest = Infinity;
    for (const [e, n] of this.readers) if (n > 0 && e < oldest) oldest = e;
    const keep: PendingDelete[] = [];
    for (const d of this.pendingDeletes) {
      if (d.epoch <= oldest) {
        for (const p of d.paths) void unlink(p).catch(() => undefined);
        for (const [m, mt] of d.tables) void this.hot.dropMemtable(m, mt).catch(() => undefined);
      } else keep.push(d);
    }
    this.pendingDeletes = keep;
  }

  /**
   * Runs `fn` with the hot copies of the given measurements up to date and the
   * files they name protected from deletion until it returns.
   */
  async read<T>(measurements: Measurement[], fn: () => Promise<T>): Promise<T> {
    for (const m of measurements) await this.hot.syncMeasurement(m);
    const epoch = this.epoch;
    this.readers.set(epoch, (this.readers.get(epoch) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const n = (this.readers.get(epoch) ?? 1) - 1;
      if (n <= 0) this.readers.delete(epoch);
      else this.readers.set(epoch, n);
      this.collectGarbage();
    }
  }

  /** SQL selecting a measurement under InfluxDB 3's column names (call inside `read`). */
  userRelation(m: Measurement): string {
    return userRelationSql(m, this.relationContext(m));
  }

  /** SQL selecting a measurement's physical columns (call inside `read`). */
  physicalRelation(m: Measurement): string {
    return relationSql(m, this.relationContext(m));
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
    const b = this.buckets.get(bucketId);
    const release = await this.lock.exclusive();
    try {
      if (b) {
        const ms = [...b.measurements.values()];
        await commitCatalog(this.duck.meta, { schemas: [], addFiles: [], removeFileIds: [], dropMeasurements: ms.map((m) => m.id) });
        this.epoch++;
        for (const m of ms) {
          await this.hot.dropMeasurement(m);
          m.files = [];
          m.active = new Memtable(this.gen, this.registry);
          m.immutable = undefined;
          m.tombstones.clear();
        }
        this.buckets.delete(bucketId);
        for (const m of ms) this.measurements.splice(this.measurements.indexOf(m), 1);
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
      const m = this.buckets.get(bucketId)?.measurements.get(measurement);
      if (!m) return { deleted: 0 };
      if (whereSql === undefined) {
        const deleted = m.files.reduce((n, f) => n + f.rows, 0);
        await this.removeFiles(m, m.files, []);
        return { deleted };
      }
      const env = this.flushEnv();
      const replaced: FileEntry[] = [];
      const added: FileEntry[] = [];
      let deleted = 0;
      for (const f of m.files) {
        const abs = join(this.dataDir, f.path);
        const view = fileView(m, f, abs);
        const cond = `coalesce((${whereSql}), false)`;
        const hit = await this.duck.hot.rows<{ n: bigint }>(`SELECT count(*)::BIGINT AS n FROM ${view} WHERE ${cond}`);
        const n = Number(hit[0]?.n ?? 0);
        if (n === 0) continue;
        deleted += n;
        replaced.push(f);
        if (n === f.rows) continue;
        const id = env.nextFileId();
        const rel = filePath(m, f.partitionSec, id);
        const cols = ['time', ...f.tags.map((o) => `t${o}`), ...f.fields.map((o) => `f${o}`)].join(', ');
        const order = [...f.tags.map((o) => `t${o}`), 'time'].join(', ');
        const entry = await copyToFile(env, `SELECT ${cols} FROM ${view} WHERE NOT ${cond} ORDER BY ${order}`, join(this.dataDir, rel), {
          id,
          measurementId: m.id,
          partitionSec: f.partitionSec,
          path: rel,
          fields: f.fields,
          tags: f.tags,
        });
        if (entry) added.push(entry);
      }
      if (replaced.length > 0) await this.removeFiles(m, replaced, added);
      return { deleted };
    });
  }

  /** DROP MEASUREMENT: every point and, once nothing of it is left, its schema (field types may change afterwards). */
  async dropMeasurement(bucketId: string, name: string): Promise<void> {
    await this.deletePoints(bucketId, name);
  }

  /**
   * Swaps files of a measurement in one catalog transaction; forgets the
   * measurement entirely when it has no files and nothing in memory. Call
   * inside `serially`.
   */
  private async removeFiles(m: Measurement, remove: FileEntry[], add: FileEntry[]): Promise<void> {
    const release = await this.lock.exclusive();
    let forget = false;
    try {
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
      this.epoch++;
      m.files = files;
      if (forget) {
        const b = this.bucketState(m.bucketId);
        b.measurements.delete(m.name);
        // The raw-name cache points at list positions: start it afresh.
        b.rawMeasurements = new ByteKeyMap();
        b.list = [];
        this.measurements.splice(this.measurements.indexOf(m), 1);
      }
    } finally {
      release();
    }
    this.scheduleDelete(remove.map((f) => join(this.dataDir, f.path)));
    if (forget) await this.hot.dropMeasurement(m);
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
    return this.measurements.flatMap((m) => m.files.map((f) => ({ path: relative(this.dataDir, join(this.dataDir, f.path)), bytes: f.bytes })));
  }
}

function schemaOf(m: Measurement) {
  return { id: m.id, bucketId: m.bucketId, name: m.name, tags: [...m.tagKeys], fields: m.fields.map((f) => ({ name: f.name, type: f.type })) };
}

/** A file's rows with every column of the measurement, absent ones as NULL, under physical names. */
function fileView(m: Measurement, f: FileEntry, abs: string): string {
  const cols = ['time'];
  m.tagKeys.forEach((_, o) => cols.push(f.tags.includes(o) ? `t${o}` : `NULL::VARCHAR AS t${o}`));
  for (const def of m.fields) cols.push(f.fields.includes(def.ordinal) ? `f${def.ordinal}` : `NULL::${duckTypeOf(def.type)} AS f${def.ordinal}`);
  return `(SELECT ${cols.join(', ')} FROM read_parquet(${literal(abs)}))`;
}

function escTag(s: string): string {
  return s.replace(/[,= ]/g, (c) => '\\' + c);
}

const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };

export { compareTime };
