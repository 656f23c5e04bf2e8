// A PointStore that also queues what was written to a replicated bucket for
// its replications (InfluxDB 2 does the same in its write path: replications
// service WritePoints after the local write). It wraps the store the ingest
// pipeline writes through (server.ts), so every transport (v1/v2/v3 writes,
// OpenTSDB, SELECT INTO, continuous queries) is replicated without a route
// knowing. Order: the local write is durable first, then the points are
// queued (durably, on disk) before the write is acknowledged.
//
// What is queued is what was stored: the batch parsed again, minus the points
// the store dropped, re-encoded at ns precision with every point's time
// (a point written without a timestamp got the server's time here, and must
// not get the remote's later). Only writes of replicated buckets pay for it.

import type { DeletePredicate, PointBatch, PointStore, WriteResult } from '../core/ports/point-store.ts';
import type { Point } from '../core/point.ts';
import { toPoints } from '../ingest/line-protocol/decode.ts';
import { encodePoints } from '../ingest/line-protocol/encode.ts';
import { parseLineProtocol } from '../ingest/line-protocol/parse.ts';

export interface ReplicationSink {
  replicates(bucketId: string): boolean;
  enqueue(bucketId: string, lines: Buffer): Promise<void>;
}

/** The points of a batch the store kept, as ns line protocol. */
export function storedLines(batch: PointBatch, result: WriteResult): Buffer {
  const d = batch.data;
  const points: readonly Point[] = d.format === 'points' ? d.points : toPoints(parseLineProtocol(d.body, { precision: d.precision, now: batch.now }));
  const dropped = new Set(result.drops.map((x) => x.point));
  const kept = dropped.size === 0 ? [...points] : points.filter((_, i) => !dropped.has(i));
  return Buffer.from(encodePoints(kept), 'utf8');
}

export class ReplicatingPointStore implements PointStore {
  constructor(
    private readonly inner: PointStore,
    private readonly sink: ReplicationSink,
  ) {}

  async write(batch: PointBatch): Promise<WriteResult> {
    const r = await this.inner.write(batch);
    if (r.written > 0 && this.sink.replicates(batch.bucketId)) await this.sink.enqueue(batch.bucketId, storedLines(batch, r));
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
