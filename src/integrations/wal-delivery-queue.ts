// The durable delivery queue of a single node. State lives in memory (events
// pending delivery, a ready FIFO, a heap of deliveries waiting for their retry
// time); every change is appended to a write-ahead log in <dataDir>/webhooks
// (the storage WAL's CommitLog: ordered appends, O_DSYNC group commit). An
// event is accepted only once its ENQUEUE record is on disk. DONE/RETRY/DEAD
// records are appended without waiting: after a crash an unrecorded outcome
// means one more attempt (at-least-once delivery, never a lost one).
// Compaction: once the segment grows past max(16 MiB, 4 x last snapshot), the
// log rotates and the first record of the new segment is a SNAPSHOT of the
// pending state; older segments are then deleted. State changes happen at
// append time, in append order, so a snapshot reflects exactly the records
// before it. No DuckDB write per delivery.

import { mkdir, open as openFile } from 'node:fs/promises';
import { CommitLog, deleteSegmentsThrough, listSegments, readSegment } from '../storage/wal/commit-log.ts';
import type { DeviceEvent } from '../core/device-event.ts';
import { QueueFullError, TimeHeap, type DeadLetter, type DeliveryQueue } from './delivery-queue.ts';
import { decodeQueueRecord, encodeQueueRecord, REC_BATCH, REC_DEAD, REC_DONE, REC_RETRY, type QueueRecord } from './queue-records.ts';
import { QueueState, type LocalDelivery } from './queue-state.ts';

export type { LocalDelivery } from './queue-state.ts';

export interface WalQueueOptions {
  dir: string;
  limit: number;
  /** Stores dead letters for good (DuckDB); they leave the log only after this resolves. */
  fileDeadLetters: (letters: DeadLetter[]) => Promise<void>;
  onError?: (msg: string, e: unknown) => void;
  minCompactBytes?: number;
}

export class WalDeliveryQueue implements DeliveryQueue<LocalDelivery> {
  private readonly state = new QueueState();
  private ready: LocalDelivery[] = [];
  private readyHead = 0;
  private readonly heap = new TimeHeap<LocalDelivery>();
  private deadBatch: LocalDelivery[] = [];
  private filing: NodeJS.Timeout | undefined;
  private inflightCount = 0;
  private log!: CommitLog<null>;
  private compacting = false;
  private batch: QueueRecord[] = [];
  private lastSnapshotBytes = 0;
  private closed = false;
  onWork: () => void = () => undefined;

  private constructor(private readonly opts: WalQueueOptions) {}

  static async open(opts: WalQueueOptions): Promise<WalDeliveryQueue> {
    const q = new WalDeliveryQueue(opts);
    await mkdir(opts.dir, { recursive: true });
    const segments = await listSegments(opts.dir);
    for (const n of segments) {
      const { records, tornAt } = await readSegment(opts.dir, n);
      if (tornAt !== undefined && n !== segments[segments.length - 1]) opts.onError?.(`webhook queue segment ${n} is torn at byte ${tornAt}`, undefined);
      for (const w of records) {
        const r = decodeQueueRecord(w);
        if (r) q.state.replay(r);
      }
    }
    const now = Date.now();
    for (const d of q.state.pending.values()) {
      if (d.state === 'dead') q.deadBatch.push(d);
      else if (d.at > now) {
        d.state = 'waiting';
        q.heap.push(d);
      } else {
        d.state = 'ready';
        q.ready.push(d);
      }
    }
    const last = segments.length ? segments[segments.length - 1] : 0;
    q.log = await CommitLog.open<null>({ dir: opts.dir, segment: last + 1, apply: () => undefined, onRotate: () => undefined });
    await q.log.append(q.snapshot(), null);
    await syncDir(opts.dir);
    if (last > 0) await deleteSegmentsThrough(opts.dir, last);
    if (q.deadBatch.length) q.scheduleFiling(0);
    return q;
  }

  private snapshot(): Buffer[] {
    const bufs = encodeQueueRecord(this.state.snapshot());
    this.lastSnapshotBytes = bufs[0].length + bufs[1].length;
    return bufs;
  }

  /**
   * Outcome records (DONE/RETRY/DEAD) of one event-loop turn go out as one
   * BATCH append. They need not wait: losing them in a crash means another
   * attempt, never a lost delivery. Replaying them is idempotent.
   */
  private write(r: QueueRecord): void {
    this.batch.push(r);
    if (this.batch.length === 1) setImmediate(() => this.flushBatch());
  }

  private flushBatch(): void {
    if (this.batch.length === 0 || this.closed) return;
    const b = this.batch;
    this.batch = [];
    const rec: QueueRecord = b.length === 1 ? b[0] : { kind: REC_BATCH, b };
    this.log.append(encodeQueueRecord(rec), null).catch((e) => this.opts.onError?.('webhook queue write failed', e));
    this.maybeCompact();
  }

  private maybeCompact(): void {
    const threshold = Math.max(this.opts.minCompactBytes ?? 16 * 1024 * 1024, 4 * this.lastSnapshotBytes);
    if (this.compacting || this.closed || this.log.segmentBytes < threshold) return;
    this.compacting = true;
    this.flushBatch();
    // rotate() and the snapshot are queued back to back: nothing can land between them.
    const rotated = this.log.rotate();
    const snap = this.log.append(this.snapshot(), null);
    Promise.all([rotated, snap])
      .then(async ([closedSegment]) => {
        await syncDir(this.opts.dir);
        await deleteSegmentsThrough(this.opts.dir, closedSegment);
      })
      .catch((e) => this.opts.onError?.('webhook queue compaction failed', e))
      .finally(() => (this.compacting = false));
  }

  get depth(): number {
    return this.state.pending.size;
  }
  get waiting(): number {
    return this.heap.size;
  }
  get inFlight(): number {
    return this.inflightCount;
  }

  async enqueue(event: DeviceEvent, integrationIds: string[]): Promise<void> {
    if (this.closed) throw new Error('webhook queue closed');
    const depth = this.state.pending.size;
    if (depth + integrationIds.length > this.opts.limit) throw new QueueFullError(depth, this.opts.limit);
    const { record, deliveries: ds } = this.state.add(event, integrationIds);
    try {
      await this.log.append(encodeQueueRecord(record), null);
    } catch (e) {
      for (const d of ds) this.state.forget(d.seq, d.integrationId);
      throw e;
    }
    for (const d of ds) {
      if (d.state !== 'unsynced') continue;
      d.state = 'ready';
      this.ready.push(d);
    }
    this.maybeCompact();
    this.onWork();
  }

  take(now: number): LocalDelivery | undefined {
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      if (top.state === 'waiting') {
        top.state = 'ready';
        this.ready.push(top);
      }
    }
    while (this.readyHead < this.ready.length) {
      const d = this.ready[this.readyHead++];
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      if (d.state !== 'ready') continue;
      d.state = 'inflight';
      this.inflightCount++;
      return d;
    }
    return undefined;
  }

  nextDueAt(): number | undefined {
    return this.heap.peek()?.at;
  }

  complete(d: LocalDelivery): void {
    if (d.state !== 'inflight') return;
    this.inflightCount--;
    d.state = 'done';
    this.state.forget(d.seq, d.integrationId);
    this.write({ kind: REC_DONE, s: d.seq, i: d.integrationId });
  }

  retry(d: LocalDelivery, nextAt: number): void {
    if (d.state !== 'inflight') return;
    this.inflightCount--;
    d.attempt++;
    d.at = nextAt;
    d.state = 'waiting';
    this.heap.push(d);
    this.write({ kind: REC_RETRY, s: d.seq, i: d.integrationId, a: d.attempt, n: nextAt });
  }

  wake(integrationId: string): number {
    // The earlier time is not logged: after a restart they wait for their old time at worst.
    let n = 0;
    for (const d of this.heap.removeWhere((x) => x.integrationId === integrationId)) {
      if (d.state !== 'waiting') continue;
      d.at = 0;
      d.state = 'ready';
      this.ready.push(d);
      n++;
    }
    if (n) this.onWork();
    return n;
  }

  waitingOf(integrationId: string): number {
    let n = 0;
    for (const d of this.state.pending.values()) if (d.state === 'waiting' && d.integrationId === integrationId) n++;
    return n;
  }

  dead(d: LocalDelivery, reason: string): void {
    if (d.state !== 'inflight') return;
    this.inflightCount--;
    d.attempt++;
    d.state = 'dead';
    d.reason = reason;
    this.write({ kind: REC_DEAD, s: d.seq, i: d.integrationId, a: d.attempt, r: reason });
    this.deadBatch.push(d);
    this.scheduleFiling(200);
  }

  private scheduleFiling(ms: number): void {
    if (this.filing || this.closed) return;
    this.filing = setTimeout(() => {
      this.filing = undefined;
      void this.fileNow();
    }, ms);
    this.filing.unref();
  }

  private async fileNow(): Promise<void> {
    const batch = this.deadBatch.splice(0);
    if (batch.length === 0) return;
    const at = new Date().toISOString();
    try {
      await this.opts.fileDeadLetters(batch.map((d) => ({ integrationId: d.integrationId, event: d.event, attempts: d.attempt, reason: d.reason ?? '', at })));
    } catch (e) {
      this.opts.onError?.('filing dead letters failed; retrying in 5 s', e);
      this.deadBatch.unshift(...batch);
      this.scheduleFiling(5000);
      return;
    }
    for (const d of batch) {
      d.state = 'done';
      this.state.forget(d.seq, d.integrationId);
      if (!this.closed) this.write({ kind: REC_DONE, s: d.seq, i: d.integrationId });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.filing);
    this.filing = undefined;
    await this.fileNow().catch(() => undefined);
    this.flushBatch();
    this.closed = true;
    await this.log.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await openFile(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
