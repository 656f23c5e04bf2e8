// The order rows are written to Parquet: time partition, then series (in the
// memtable's first-seen order), then time, newest first. Newest first because
// DuckDB's DELTA_BINARY_PACKED encoder takes one minimum delta per block of
// 2048 values (parquet_dbp_encoder.hpp) and packs every miniblock relative to
// it: where one series ends and the next starts, an ascending counter drops
// (the next series' oldest value is below the previous one's newest) and that
// one negative delta widens its whole block, nearly every block when series
// hold ~2000 rows. Newest first, the counter falls inside a series and jumps
// up between series, which widens only the miniblock holding the jump
// (parquet-format Encodings.md, "Delta Encoding"). On the ingest benchmark's
// data: counter column 1.84 -> 0.96 MB, time 9.4 -> 6.5 KB (docs/storage.md).
// Sorting here, in O(n) with a
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
 * series-major order, each series newest first. Rows older than `cutoffSec`
 * are left out.
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
  // so each series' run is reversed when it is in order and sorted only when not.
  let start = 0;
  const sec = mt.sec;
  const nsec = mt.nsec;
  for (let k = 0; k < mt.sids.length; k++) {
    const end = counts[k];
    let ordered = true;
    for (let x = start + 1; x < end; x++) {
      const a = sorted[x - 1];
      const b = sorted[x];
      if (sec[a] > sec[b] || (sec[a] === sec[b] && nsec[a] > nsec[b])) {
        ordered = false;
        break;
      }
    }
    if (ordered) sorted.subarray(start, end).reverse();
    else {
      const run = Array.from(sorted.subarray(start, end)).sort((a, b) => compareTime(sec[b], nsec[b], sec[a], nsec[a]));
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
