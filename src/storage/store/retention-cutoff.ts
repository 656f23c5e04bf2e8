// The one place the retention cutoff is computed: writes refuse points
// before it (InfluxDB 1.x's "points beyond retention policy" drop), reads hide
// them, flushes leave them out of new files, and maintenance deletes files
// entirely before it. It used to be computed in four places, two of them
// reading the wall clock directly; now every caller passes the time it means
// (a write its own `now`, everything else the store's injected clock).

import type { BucketInfo } from '../store-types.ts';

const NS_PER_SEC = 1_000_000_000n;

/** Unix seconds before which a bucket keeps nothing at `nowSec`; undefined when it keeps everything (retention 0 = forever). */
export function retentionCutoffSec(info: BucketInfo | undefined, nowSec: number): number | undefined {
  return info && info.retentionSeconds > 0 ? nowSec - info.retentionSeconds : undefined;
}

/** The same cutoff in nanoseconds since the epoch, for SQL over `time`. */
export function retentionCutoffNs(info: BucketInfo | undefined, nowSec: number): bigint | undefined {
  const sec = retentionCutoffSec(info, nowSec);
  return sec === undefined ? undefined : BigInt(sec) * NS_PER_SEC;
}
