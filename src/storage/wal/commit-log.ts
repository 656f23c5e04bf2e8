// The write-ahead log: append, fdatasync, then apply, strictly in order.
//
// Writers that arrive while a write is in flight are grouped into the next
// synchronous (O_DSYNC) write (group commit), so concurrent requests share one
// sync. After
// a group is durable, `apply` is called synchronously with its entries in
// append order, and only then do their promises resolve: a 2xx can never be
// sent for data that is not on disk, and the memtable sees writes in exactly
// the order the log holds them, which is the order replay will use.
//
// Segments are numbered files `<n>.wal`. `rotate()` is queued like a write, so
// everything appended before it is in the closed segment and applied before
// `onRotate` runs; the store switches memtables there, which makes "segment n
// is fully contained in the flushed memtables" a simple number comparison.

import { constants } from 'node:fs';
import { open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ERRORS, HooklineError } from '../../core/errors.ts';
import { decodeRecord, type WalRecord } from './wal-record.ts';

export interface CommitLogOptions<T> {
  dir: string;
  /** First segment number to write. */
  segment: number;
  apply: (entries: T[]) => void;
  onRotate: (closedSegment: number) => void;
  /**
   * Work an entry needs finished before it can be applied (a lookup of stored
   * values). Awaited after the group is durable, still in order.
   */
  readyOf?: (entry: T) => Promise<unknown> | undefined;
  /** Largest number of bytes written by one writev+fdatasync. */
  maxGroupBytes?: number;
}

interface Append<T> {
  kind: 'append';
  bufs: Uint8Array[];
  bytes: number;
  entry: T;
  resolve: () => void;
  reject: (e: Error) => void;
}
interface Rotate {
  kind: 'rotate';
  resolve: (segment: number) => void;
  reject: (e: Error) => void;
}

/** A coded error (HL_WAL_FAILED, 500), so HTTP renders it without knowing storage. */
export class CommitLogFailedError extends HooklineError {
  constructor(message: string) {
    super(ERRORS.WAL_FAILED, message);
  }
}

export class CommitLog<T> {
  private fh: FileHandle | undefined;
  private segment: number;
  private queue: Array<Append<T> | Rotate> = [];
  private running = false;
  private failed: Error | undefined;
  /** Bytes appended but not yet durable. */
  pendingBytes = 0;
  /** Bytes in the current segment. */
  segmentBytes = 0;
  private readonly maxGroupBytes: number;

  private constructor(private readonly opts: CommitLogOptions<T>) {
    this.segment = opts.segment;
    this.maxGroupBytes = opts.maxGroupBytes ?? 64 * 1024 * 1024;
  }

  static async open<T>(opts: CommitLogOptions<T>): Promise<CommitLog<T>> {
    const log = new CommitLog(opts);
    log.fh = await openSegment(opts.dir, opts.segment);
    return log;
  }

  get currentSegment(): number {
    return this.segment;
  }

  append(bufs: Uint8Array[], entry: T): Promise<void> {
    if (this.failed) return Promise.reject(new CommitLogFailedError(`write-ahead log unavailable: ${this.failed.message}`));
    let bytes = 0;
    for (const b of bufs) bytes += b.length;
    this.pendingBytes += bytes;
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'append', bufs, bytes, entry, resolve, reject });
      this.kick();
    });
  }

  rotate(): Promise<number> {
    if (this.failed) return Promise.reject(new CommitLogFailedError(`write-ahead log unavailable: ${this.failed.message}`));
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'rotate', resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0];
        if (head.kind === 'rotate') {
          this.queue.shift();
          await this.doRotate(head);
          continue;
        }
        const group: Append<T>[] = [];
        let bytes = 0;
        while (this.queue.length > 0) {
          const item = this.queue[0];
          if (item.kind !== 'append' || (group.length > 0 && bytes + item.bytes > this.maxGroupBytes)) break;
          this.queue.shift();
          group.push(item);
          bytes += item.bytes;
        }
        await this.commit(group, bytes);
      }
    } finally {
      this.running = false;
    }
  }

  private async commit(group: Append<T>[], bytes: number): Promise<void> {
    const fh = this.fh!;
    try {
      const bufs: Uint8Array[] = [];
      for (const g of group) for (const b of g.bufs) bufs.push(b);
      // The segment is opened O_DSYNC: the write returns once the data is on
      // disk, one thread-pool round trip instead of writev + fdatasync.
      await writeAll(fh, bufs, bytes);
    } catch (e) {
      // After a failed write or fsync the file's state is unknown (fsyncgate):
      // refuse everything from now on rather than acknowledge on top of it.
      this.fail(e as Error, group);
      return;
    } finally {
      this.pendingBytes -= bytes;
    }
    this.segmentBytes += bytes;
    const entries = group.map((g) => g.entry);
    if (this.opts.readyOf) {
      try {
        await Promise.all(entries.map((e) => this.opts.readyOf!(e)));
      } catch (e) {
        // Durable but not appliable: stop here; a restart replays the log.
        this.fail(e as Error, group);
        return;
      }
    }
    try {
      this.opts.apply(entries);
    } catch (e) {
      for (const g of group) g.reject(e as Error);
      return;
    }
    for (const g of group) g.resolve();
  }

  private async doRotate(r: Rotate): Promise<void> {
    const closed = this.segment;
    try {
      await this.fh!.close();
      this.segment = closed + 1;
      this.segmentBytes = 0;
      this.fh = await openSegment(this.opts.dir, this.segment);
      // Make the new file's directory entry durable before anything is acknowledged from it.
      const dir = await open(this.opts.dir, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (e) {
      this.fail(e as Error, []);
      r.reject(e as Error);
      return;
    }
    this.opts.onRotate(closed);
    r.resolve(closed);
  }

  private fail(e: Error, group: Append<T>[]): void {
    this.failed = e;
    const err = new CommitLogFailedError(`write-ahead log failed: ${e.message}`);
    for (const g of group) g.reject(err);
    for (const q of this.queue.splice(0)) q.reject(err);
  }

  async close(): Promise<void> {
    while (this.running || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.fh?.close();
    this.fh = undefined;
  }
}

async function writeAll(fh: FileHandle, bufs: Uint8Array[], total: number): Promise<void> {
  let written = 0;
  let pending = bufs;
  while (written < total) {
    const { bytesWritten } = await fh.writev(pending);
    written += bytesWritten;
    if (written >= total) break;
    // Partial write: drop what was written and continue with the rest.
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const b of pending) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      rest.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
    pending = rest;
  }
}

/** O_DSYNC: every write is durable when it returns, as if followed by fdatasync. */
function openSegment(dir: string, n: number): Promise<FileHandle> {
  return open(segmentPath(dir, n), constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC, 0o644);
}

export function segmentPath(dir: string, n: number): string {
  return join(dir, `${String(n).padStart(10, '0')}.wal`);
}

/** Segment numbers present in `dir`, ascending. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => /^\d{10}\.wal$/.test(n))
    .map((n) => Number(n.slice(0, 10)))
    .sort((a, b) => a - b);
}

/**
 * Reads every whole, valid record of a segment. Stops at the first record that
 * is torn or fails its checksum: that is where a crash cut the last write, and
 * nothing after it was ever acknowledged.
 */
export async function readSegment(dir: string, n: number): Promise<{ records: WalRecord[]; bytes: number; tornAt?: number }> {
  const buf = await readFile(segmentPath(dir, n));
  const records: WalRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const r = decodeRecord(buf, offset);
    if (!r) return { records, bytes: buf.length, tornAt: offset };
    records.push(r.record);
    offset = r.next;
  }
  return { records, bytes: buf.length };
}

export async function deleteSegmentsThrough(dir: string, n: number): Promise<void> {
  for (const s of await listSegments(dir)) if (s <= n) await unlink(segmentPath(dir, s)).catch(() => undefined);
}
