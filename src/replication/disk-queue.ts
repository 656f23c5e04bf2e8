// The durable, bounded queue of one replication: batches of line protocol
// waiting to be sent to the remote, on disk in <dataDir>/replications/<id>/,
// as InfluxDB 2 keeps one durable queue per replication (replications/internal
// queue_management.go, over its durablequeue; maxQueueSizeBytes bounds it).
//
// Layout: segment files `<n>.seg` of records [u32 length][u32 crc32 of the
// rest][f64 enqueue time, ms][payload], appended with group commit (one
// fdatasync for all the records appended meanwhile: an enqueue resolves once
// its record is on disk), rotated at SEGMENT_BYTES; `ack` holds the position
// up to which the remote acknowledged (segment, offset), replaced atomically
// (write, fsync, rename). At open, a torn last record is cut off (it was never
// acknowledged) and reading resumes at `ack`: a batch sent but not yet
// recorded as sent is sent again (at-least-once; InfluxDB's rule is the same,
// and a point written twice is one point).

import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from '../storage/wal/crc32.ts';

const HEADER = 16;
const SEGMENT_BYTES = 8 * 1024 * 1024;

export interface QueuedRecord {
  enqueuedAtMs: number;
  payload: Buffer;
}

export interface Position {
  segment: number;
  offset: number;
}

interface Segment {
  n: number;
  size: number;
}

const segName = (n: number) => `${String(n).padStart(12, '0')}.seg`;

export class DiskQueue {
  private segments: Segment[] = [];
  private read: Position = { segment: 1, offset: 0 };
  private fh: FileHandle | undefined;
  private pending: Array<{ buf: Buffer; done: (e?: unknown) => void }> = [];
  /** Bytes of `pending` and of the batch being written: they count against maxBytes already. */
  private inFlightBytes = 0;
  private writing: Promise<void> | undefined;
  private closed = false;
  /** Called after records were appended (the forwarder wakes). */
  onAppend: () => void = () => undefined;

  private constructor(
    readonly dir: string,
    public maxBytes: number,
  ) {}

  static async open(dir: string, maxBytes: number): Promise<DiskQueue> {
    const q = new DiskQueue(dir, maxBytes);
    await mkdir(dir, { recursive: true });
    const ns = (await readdir(dir)).filter((f) => f.endsWith('.seg')).map((f) => Number(f.slice(0, -4))).filter(Number.isFinite).sort((a, b) => a - b);
    for (const n of ns) q.segments.push({ n, size: await validLength(join(dir, segName(n))) });
    try {
      const a = JSON.parse(await readFile(join(dir, 'ack'), 'utf8')) as Position;
      q.read = a;
    } catch {
      q.read = { segment: ns[0] ?? 1, offset: 0 };
    }
    // Segments wholly before the acknowledged position are gone already or go now.
    for (const s of q.segments.filter((s) => s.n < q.read.segment)) await rm(join(dir, segName(s.n)), { force: true });
    q.segments = q.segments.filter((s) => s.n >= q.read.segment);
    if (q.segments.length === 0) q.segments.push({ n: Math.max(q.read.segment, 1), size: 0 });
    if (q.read.segment < q.segments[0]!.n) q.read = { segment: q.segments[0]!.n, offset: 0 };
    return q;
  }

  /** Bytes waiting to be sent (InfluxDB's currentQueueSizeBytes). */
  get bytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n - (this.segments[0]?.n === this.read.segment ? this.read.offset : 0);
  }

  /**
   * Appends one batch; resolves once it is on disk. Answers false (and
   * stores nothing) when it would take the queue past maxBytes.
   */
  async enqueue(payload: Buffer, nowMs = Date.now()): Promise<boolean> {
    if (this.closed) throw new Error('replication queue closed');
    if (this.bytes + this.inFlightBytes + HEADER + payload.length > this.maxBytes) return false;
    const buf = Buffer.allocUnsafe(HEADER + payload.length);
    buf.writeUInt32LE(payload.length, 0);
    buf.writeDoubleLE(nowMs, 8);
    payload.copy(buf, HEADER);
    buf.writeUInt32LE(recordCrc(buf, 0, buf.length), 4);
    this.inFlightBytes += buf.length;
    await new Promise<void>((resolve, reject) => {
      this.pending.push({
        buf,
        done: (e) => {
          this.inFlightBytes -= buf.length;
          if (e) reject(e);
          else resolve();
        },
      });
      this.writing ??= this.drain();
    });
    return true;
  }

  /** Group commit: everything pending in one write and one fdatasync. */
  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          let last = this.segments[this.segments.length - 1]!;
          if (last.size >= SEGMENT_BYTES) {
            await this.fh?.close();
            this.fh = undefined;
            last = { n: last.n + 1, size: 0 };
            this.segments.push(last);
          }
          this.fh ??= await open(join(this.dir, segName(last.n)), 'a');
          const all = Buffer.concat(batch.map((b) => b.buf));
          await this.fh.write(all);
          await this.fh.datasync();
          last.size += all.length;
          for (const b of batch) b.done();
        } catch (e) {
          for (const b of batch) b.done(e);
        }
        this.onAppend();
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Records from the read position, up to about maxBytes of payload (at least one); and where they end. */
  async peek(maxBytes: number): Promise<{ records: QueuedRecord[]; end: Position }> {
    const records: QueuedRecord[] = [];
    let pos = { ...this.read };
    let total = 0;
    for (const s of this.segments) {
      if (s.n < pos.segment) continue;
      if (s.n > pos.segment) pos = { segment: s.n, offset: 0 };
      if (pos.offset >= s.size) continue;
      const fh = await open(join(this.dir, segName(s.n)), 'r');
      try {
        while (pos.offset + HEADER <= s.size && (records.length === 0 || total < maxBytes)) {
          const head = Buffer.alloc(HEADER);
          await fh.read(head, 0, HEADER, pos.offset);
          const len = head.readUInt32LE(0);
          const payload = Buffer.alloc(len);
          await fh.read(payload, 0, len, pos.offset + HEADER);
          records.push({ enqueuedAtMs: head.readDoubleLE(8), payload });
          pos = { segment: s.n, offset: pos.offset + HEADER + len };
          total += len;
        }
      } finally {
        await fh.close();
      }
      if (records.length > 0 && total >= maxBytes) break;
    }
    return { records, end: pos };
  }

  /** The remote took everything before `end`: record it, and drop the segments wholly sent. */
  async ack(end: Position): Promise<void> {
    this.read = end;
    const tmp = join(this.dir, 'ack.tmp');
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(end));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.dir, 'ack'));
    const last = this.segments[this.segments.length - 1]!;
    while (this.segments.length > 1 && this.segments[0]!.n < end.segment) {
      await rm(join(this.dir, segName(this.segments.shift()!.n)), { force: true });
    }
    // The write segment wholly sent and big: start a new one, so the old can go.
    if (this.segments.length === 1 && last.n === end.segment && end.offset >= last.size && last.size >= SEGMENT_BYTES && !this.writing) {
      await this.fh?.close();
      this.fh = undefined;
      this.segments = [{ n: last.n + 1, size: 0 }];
      await rm(join(this.dir, segName(last.n)), { force: true });
      this.read = { segment: last.n + 1, offset: 0 };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    await this.fh?.close();
    this.fh = undefined;
  }

  /** Removes the queue from disk (the replication was deleted). */
  async destroy(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** CRC-32 of a record's length, time and payload (everything but the CRC field). */
function recordCrc(buf: Buffer, start: number, end: number): number {
  return crc32(buf, crc32(buf, 0, start, start + 4), start + 8, end) >>> 0;
}

/** Length of the segment's whole, intact records; a torn or corrupt tail is cut off. */
async function validLength(path: string): Promise<number> {
  const buf = await readFile(path);
  let off = 0;
  while (off + HEADER <= buf.length) {
    const len = buf.readUInt32LE(off);
    if (off + HEADER + len > buf.length) break;
    if (recordCrc(buf, off, off + HEADER + len) !== buf.readUInt32LE(off + 4)) break;
    off += HEADER + len;
  }
  if (off < buf.length) {
    const fh = await open(path, 'r+');
    try {
      await fh.truncate(off);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  return off;
}
