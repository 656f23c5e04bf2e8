// The order of raw points that share a timestamp within one output series:
// 1.x merges the series' iterators with query/iterator.go's sorted merge
// heap (container/heap, inputs in series key order, reversed for ORDER BY
// time DESC), whose Less compares time, then the auxiliary values while they
// are strings, and otherwise leaves the order to the heap's shape. This
// replays that heap.

import type { Value } from './values.ts';

export interface MergeRow {
  t: bigint;
  /** The selected values (the iterator's Aux), in column order. */
  aux: Value[];
}

function less(x: MergeRow, y: MergeRow, asc: boolean): boolean {
  if (x.t !== y.t) return asc ? x.t < y.t : x.t > y.t;
  if (x.aux.length > 0 && x.aux.length === y.aux.length) {
    for (let i = 0; i < x.aux.length; i++) {
      const a = x.aux[i];
      const b = y.aux[i];
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      if (a === b) continue;
      return asc ? a < b : a > b;
    }
  }
  return false;
}

/** Rows of several series (each already in time order) in the sorted merge's order. */
export function sortedMerge<T extends MergeRow>(series: T[][], asc: boolean): T[] {
  type Item = { rows: T[]; i: number };
  const h: Item[] = series.filter((s) => s.length > 0).map((rows) => ({ rows, i: 0 }));
  const lessAt = (a: number, b: number) => less(h[a].rows[h[a].i], h[b].rows[h[b].i], asc);
  const swap = (a: number, b: number) => ([h[a], h[b]] = [h[b], h[a]]);
  const down = (i0: number, n: number) => {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && lessAt(j2, j1)) j = j2;
      if (!lessAt(j, i)) break;
      swap(i, j);
      i = j;
    }
  };
  const up = (j: number) => {
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !lessAt(j, i)) break;
      swap(i, j);
      j = i;
    }
  };
  for (let i = Math.trunc(h.length / 2) - 1; i >= 0; i--) down(i, h.length);
  const out: T[] = [];
  while (h.length > 0) {
    // heap.Pop: swap the root to the end, restore, take it.
    const n = h.length - 1;
    swap(0, n);
    down(0, n);
    const item = h.pop()!;
    out.push(item.rows[item.i++]);
    // heap.Push of the iterator's next point.
    if (item.i < item.rows.length) {
      h.push(item);
      up(h.length - 1);
    }
  }
  return out;
}
