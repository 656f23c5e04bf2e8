// The PointStore of a cluster node (issue 16): a write, delete or measurement
// drop becomes an entry of the cluster's write log (write-log.ts) and is
// answered with this node's result of applying it, once JetStream stored it
// and this node applied it: the same per-line errors and drops a single node
// gives, because every node applies the same bytes with the same `now` in
// the same order. Dropping a whole bucket is not logged: the bucket's
// removal from the shared tenancy reaches every node, and each deletes its
// own data (tenancy.ts onBucketDeleted). Reads stay local.

import type { DeletePredicate, PointBatch, PointStore, WriteResult } from '../core/ports/point-store.ts';
import type { LogEntry } from './log-entry.ts';
import type { WriteLog } from './write-log.ts';

export class ReplicatedPointStore implements PointStore {
  constructor(
    private readonly local: PointStore,
    private readonly log: WriteLog,
  ) {}

  async write(batch: PointBatch): Promise<WriteResult> {
    const { result, position } = await this.log.submit({ kind: 'write', batch });
    return { ...(result as WriteResult), position };
  }

  async deletePoints(bucketId: string, predicate: DeletePredicate): Promise<{ deleted: number }> {
    const { result } = await this.log.submit({ kind: 'delete', bucketId, predicate });
    return result as { deleted: number };
  }

  async dropMeasurement(bucketId: string, measurement: string): Promise<void> {
    await this.log.submit({ kind: 'drop-measurement', bucketId, measurement });
  }

  dropBucket(bucketId: string): Promise<void> {
    return this.local.dropBucket(bucketId);
  }

  flush(): Promise<void> {
    return this.local.flush();
  }

  close(): Promise<void> {
    return this.local.close();
  }
}

/** How a node applies an entry read from the log: to its own store. */
export function applyTo(local: PointStore): (e: LogEntry) => Promise<unknown> {
  return (e) => {
    switch (e.kind) {
      case 'write':
        return local.write(e.batch);
      case 'delete':
        return local.deletePoints(e.bucketId, e.predicate);
      case 'drop-measurement':
        return local.dropMeasurement(e.bucketId, e.measurement);
    }
  };
}
