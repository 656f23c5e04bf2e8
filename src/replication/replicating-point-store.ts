// A PointStore that also queues what was written to a replicated bucket for
// its replications (InfluxDB 2 does the same in its write path: replications
// service WritePoints after the local write). It wraps the store the ingest
// pipeline writes through (server.ts), so every transport (v1/v2/v3 writes,
// OpenTSDB, SELECT INTO, continuous queries) is replicated without a route
// knowing. Order: the local write is durable first, then the points are
// queued (durably, on disk) before the write is acknowledged.
//
// What is queued is the write as it came (body, precision, the server time
// it was made at, the points the store dropped): appending it is all the write
// path pays. The forwarder turns it into what was stored (queuedLines) when it
// sends: the body parsed again with the same precision and time (the parser is
// pure, so the same points), minus the dropped ones, at ns precision with every
// point's time (a point written without a timestamp got this server's time and
// must not get the remote's later one). Only writes of replicated buckets pay.

import type { DeletePredicate, PointBatch, PointStore, WriteResult } from '../core/ports/point-store.ts';
import { FieldType } from '../core/field-type.ts';
import { encodePoints, nsString } from '../ingest/line-protocol/encode.ts';
import { parseLineProtocol } from '../ingest/line-protocol/parse.ts';

const PRECISIONS = ['ns', 'us', 'ms', 's', 'm', 'h', 'auto'] as const;
type QueuedPrecision = (typeof PRECISIONS)[number];

/**
 * A stored write as a queue record: [u8 precision][f64 now sec][u32 now nsec]
 * [u32 dropped count][u32 dropped point...][body]. Object points are encoded
 * to ns line protocol here (they are off the hot path).
 */
export function encodeQueued(batch: PointBatch, result: WriteResult): Buffer {
  const d = batch.data;
  const dropped = result.drops.map((x) => x.point);
  const body = d.format === 'points' ? Buffer.from(encodePoints(d.points.filter((_, i) => !dropped.includes(i))), 'utf8') : d.body;
  const drops = d.format === 'points' ? [] : dropped;
  const head = Buffer.alloc(17 + 4 * drops.length);
  head.writeUInt8(PRECISIONS.indexOf(d.format === 'points' ? 'ns' : d.precision), 0);
  head.writeDoubleLE(batch.now.sec, 1);
  head.writeUInt32LE(batch.now.nsec, 9);
  head.writeUInt32LE(drops.length, 13);
  drops.forEach((p, i) => head.writeUInt32LE(p, 17 + 4 * i));
  return Buffer.concat([head, body]);
}

/** A queue record back to the ns line protocol of the points that were stored. */
export function queuedLines(rec: Buffer): Buffer {
  const precision = PRECISIONS[rec.readUInt8(0)] as QueuedPrecision;
  const now = { sec: rec.readDoubleLE(1), nsec: rec.readUInt32LE(9) };
  const n = rec.readUInt32LE(13);
  const drops = Array.from({ length: n }, (_, i) => rec.readUInt32LE(17 + 4 * i));
  const body = rec.subarray(17 + 4 * n);
  return storedLines({ bucketId: '', data: { format: 'line-protocol', body, precision }, now, onParseError: 'skip' }, { written: 0, parseErrors: [], drops: drops.map((point) => ({ point }) as never), lines: 0 });
}

export interface ReplicationSink {
  replicates(bucketId: string): boolean;
  enqueue(bucketId: string, lines: Buffer): Promise<void>;
}

/**
 * The points of a batch the store kept, as ns line protocol. For line
 * protocol the bytes of each point's key and field section are copied as the
 * client sent them (valid line protocol, escapes and all: the parser accepted
 * them) and only the timestamp is written anew, without materialising points
 * as objects (about 3x cheaper than decode + encode on the benchmark dataset).
 */
export function storedLines(batch: PointBatch, result: WriteResult): Buffer {
  const d = batch.data;
  const dropped = new Set(result.drops.map((x) => x.point));
  if (d.format === 'points') return Buffer.from(encodePoints(d.points.filter((_, i) => !dropped.has(i))), 'utf8');
  const b = parseLineProtocol(d.body, { precision: d.precision, now: batch.now });
  const parts: Buffer[] = [];
  const SP = Buffer.from(' ');
  const NL = Buffer.from('\n');
  for (let i = 0; i < b.n; i++) {
    if (dropped.has(i)) continue;
    const f0 = b.fieldStart[i]!;
    const f1 = b.fieldStart[i + 1]! - 1;
    // A string value's bytes stop before its closing quote.
    const fieldsEnd = b.ftype[f1] === FieldType.String ? b.fvEnd[f1]! + 1 : b.fvEnd[f1]!;
    if (parts.length > 0) parts.push(NL);
    parts.push(b.buf.subarray(b.keyStart[i]!, b.keyEnd[i]!), SP, b.buf.subarray(b.fkStart[f0]!, fieldsEnd), Buffer.from(' ' + nsString(b.sec[i]!, b.nsec[i]!)));
  }
  return Buffer.concat(parts);
}

export class ReplicatingPointStore implements PointStore {
  constructor(
    private readonly inner: PointStore,
    private readonly sink: ReplicationSink,
  ) {}

  async write(batch: PointBatch): Promise<WriteResult> {
    const r = await this.inner.write(batch);
    if (r.written > 0 && this.sink.replicates(batch.bucketId)) await this.sink.enqueue(batch.bucketId, encodeQueued(batch, r));
    return r;
  }

  deletePoints(bucketId: string, predicate: DeletePredicate): Promise<{ deleted: number }> {
    return this.inner.deletePoints(bucketId, predicate);
  }

  dropMeasurement(bucketId: string, measurement: string): Promise<void> {
    return this.inner.dropMeasurement(bucketId, measurement);
  }

  dropBucket(bucketId: string): Promise<void> {
    return this.inner.dropBucket(bucketId);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
