// The order rows are written to Parquet: time partition, then series (in the
// memtable's first-seen order), then time. Sorting here, in O(n) with a
// counting sort, costs a fraction of asking DuckDB to sort (measured: 350 ms
// of CPU per million rows for COPY ... ORDER BY with the tag join, 70 ms
// without; docs/storage.md).

import { compareTime } from '../../core/time.ts';
import type { Memtable } from '../memtable/memtable.ts';

export interface SortedPartition {
  /** Partition start, unix seconds. */
  sec: number;
  /** Row numbers of the memtable in write order. */
  rows: Int32Array;
}

/**
 * Rows of `mt` grouped by partition of `partitionSeconds`, each group in
 * series-major, time-minor order. Rows older than `cutoffSec` are left out.
 */
export function sortRows(mt: Memtable, partitionSeconds: number, cutoffSec = -Infinity): SortedPartition[] {
  const n = mt.rows;
  // series rank: position of the series in the memtable's first-seen order
  // (a typed array indexed by series id: series ids are dense)
  let maxSid = 0;
  for (const sid of mt.sids) if (sid > maxSid) maxSid = sid;
  const rankOf = new Int32Array(maxSid + 1);
  mt.sids.forEach((sid, r) => (rankOf[sid] = r));
  const rank = new Int32Array(n);
  const counts = new Int32Array(mt.sids.length + 1);
  for (let r = 0; r < n; r++) {
    const k = rankOf[mt.sid[r]];
    rank[r] = k;
    counts[k + 1]++;
  }
  for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
  const sorted = new Int32Array(n);
  for (let r = 0; r < n; r++) sorted[counts[rank[r]]++] = r;
  // Within a series rows are in arrival order; out-of-order arrivals are rare,
  // so each series' run is checked and sorted only when needed.
  let start = 0;
  for (let k = 0; k < mt.sids.length; k++) {
    const end = counts[k];
    let ordered = true;
    const sec = mt.sec;
    for (let x = start + 1; x < end; x++) {
      const a = sorted[x - 1];
      const b = sorted[x];
      if (sec[a] > sec[b] || (sec[a] === sec[b] && mt.nsec[a] > mt.nsec[b])) {
        ordered = false;
        break;
      }
    }
    if (!ordered) {
      const run = Array.from(sorted.subarray(start, end)).sort((a, b) => compareTime(mt.sec[a], mt.nsec[a], mt.sec[b], mt.nsec[b]));
      sorted.set(run, start);
    }
    start = end;
  }
  // partitions, keeping the order inside each; usually there is only one
  let first = NaN;
  let mixed = false;
  let kept = 0;
  for (let r = 0; r < n; r++) {
    const sec = mt.sec[r];
    if (sec < cutoffSec) continue;
    kept++;
    const p = Math.floor(sec / partitionSeconds) * partitionSeconds;
    if (first !== first) first = p;
    else if (p !== first) mixed = true;
  }
  if (kept === 0) return [];
  if (!mixed && kept === n) return [{ sec: first, rows: sorted }];
  const groups = new Map<number, number[]>();
  for (let x = 0; x < n; x++) {
    const r = sorted[x];
    if (mt.sec[r] < cutoffSec) continue;
    const p = Math.floor(mt.sec[r] / partitionSeconds) * partitionSeconds;
    let g = groups.get(p);
    if (!g) groups.set(p, (g = []));
    g.push(r);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([sec, rows]) => ({ sec, rows: Int32Array.from(rows) }));
}
