// The in-memory part of one measurement: points not yet in Parquet, as columns.
//
// A series + timestamp appears at most once: a second write of the same key
// merges into the existing row, later fields winning (InfluxDB's "last write
// wins"; a retried webhook never duplicates a point). To find the row cheaply,
// each series' rows form a chain ordered by time, newest first; in-order
// writes append at the head in O(1), out-of-order writes walk a few links, and
// a series that keeps arriving far out of order gets a hash index instead.

import { compareTime } from '../../core/time.ts';
import { FieldType } from '../../core/field-type.ts';
import type { SeriesRegistry } from '../series/series-registry.ts';
import { FieldColumn } from './field-column.ts';

const MAX_WALK = 64;

export interface Tombstone {
  sid: number;
  sec: number;
  nsec: number;
}

export class Memtable {
  rows = 0;
  private cap: number;
  sec: Float64Array;
  nsec: Int32Array;
  sid: Int32Array;
  /** Previous (older) row of the same series, -1 at the end of the chain. */
  private prev: Int32Array;
  cols: Array<FieldColumn | undefined> = [];
  /** Series with at least one row here, in first-seen order. */
  readonly sids: number[] = [];
  /** Hash index for series that arrive far out of order: sid -> time key -> row. */
  private index: Map<number, Map<string, number>> | undefined;
  /** Rows changed after they were copied to the hot table (see hot-sync.ts). */
  dirty = new Set<number>();
  syncedRows = 0;
  /** Keys whose older copies (in files or an older memtable) this memtable supersedes. */
  readonly tombstones: Tombstone[] = [];
  minSec = Infinity;
  maxSec = -Infinity;

  constructor(
    readonly gen: number,
    private readonly registry: SeriesRegistry,
    capacity = 1024,
  ) {
    this.cap = capacity;
    this.sec = new Float64Array(capacity);
    this.nsec = new Int32Array(capacity);
    this.sid = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
  }

  /**
   * Finds the row of (sid, time) or appends a new one. Returns the row, negated
   * minus one when the row is new (so `r < 0` means "new row at -r-1").
   */
  locate(sid: number, sec: number, nsec: number): number {
    const reg = this.registry;
    if (reg.gen[sid] !== this.gen) {
      const row = this.append(sid, sec, nsec, -1);
      reg.gen[sid] = this.gen;
      reg.tailRow[sid] = row;
      reg.tailSec[sid] = sec;
      reg.tailNsec[sid] = nsec;
      this.sids.push(sid);
      return -row - 1;
    }
    const tail = reg.tailRow[sid];
    const c = compareTime(sec, nsec, reg.tailSec[sid], reg.tailNsec[sid]);
    if (c > 0) {
      const row = this.append(sid, sec, nsec, tail);
      reg.tailRow[sid] = row;
      reg.tailSec[sid] = sec;
      reg.tailNsec[sid] = nsec;
      this.index?.get(sid)?.set(timeKey(sec, nsec), row);
      return -row - 1;
    }
    if (c === 0) return tail;
    return this.locateOld(sid, sec, nsec, tail);
  }

  private locateOld(sid: number, sec: number, nsec: number, tail: number): number {
    const idx = this.index?.get(sid);
    if (idx !== undefined) {
      const key = timeKey(sec, nsec);
      const found = idx.get(key);
      if (found !== undefined) return found;
      const row = this.append(sid, sec, nsec, -1);
      idx.set(key, row);
      return -row - 1;
    }
    let succ = -1;
    let r = tail;
    for (let steps = 0; r >= 0 && steps < MAX_WALK; steps++) {
      const c = compareTime(this.sec[r], this.nsec[r], sec, nsec);
      if (c === 0) return r;
      if (c < 0) {
        // insert between r (older) and succ (newer)
        const row = this.append(sid, sec, nsec, r);
        this.prev[succ] = row;
        return -row - 1;
      }
      succ = r;
      r = this.prev[r];
    }
    if (r < 0) {
      // reached the oldest row: the new one becomes the end of the chain
      const row = this.append(sid, sec, nsec, -1);
      this.prev[succ] = row;
      return -row - 1;
    }
    // Too far out of order: index this series by time from now on.
    const map = new Map<string, number>();
    for (let x = tail; x >= 0; x = this.prev[x]) map.set(timeKey(this.sec[x], this.nsec[x]), x);
    (this.index ??= new Map()).set(sid, map);
    return this.locateOld(sid, sec, nsec, tail);
  }

  private append(sid: number, sec: number, nsec: number, prev: number): number {
    const row = this.rows;
    if (row >= this.cap) this.grow(this.cap * 2);
    this.sec[row] = sec;
    this.nsec[row] = nsec;
    this.sid[row] = sid;
    this.prev[row] = prev;
    this.rows = row + 1;
    if (sec < this.minSec) this.minSec = sec;
    if (sec > this.maxSec) this.maxSec = sec;
    return row;
  }

  private grow(cap: number): void {
    const g = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(cap);
      b.set(a);
      return b;
    };
    this.sec = g(this.sec);
    this.nsec = g(this.nsec);
    this.sid = g(this.sid);
    this.prev = g(this.prev);
    for (const c of this.cols) c?.grow(cap);
    this.cap = cap;
  }

  column(ordinal: number, type: FieldType): FieldColumn {
    let c = this.cols[ordinal];
    if (c === undefined) {
      c = new FieldColumn(type, this.cap);
      this.cols[ordinal] = c;
    }
    return c;
  }

  /** Marks a row changed after it reached the hot table. */
  touch(row: number): void {
    if (row < this.syncedRows) this.dirty.add(row);
  }

  /** Rows of one series, oldest first (used by late-write lookups in an immutable memtable). */
  find(sid: number, sec: number, nsec: number): number {
    const reg = this.registry;
    // The registry's tail is only valid for the active generation; callers
    // holding an older memtable use its own index.
    const idx = this.index?.get(sid);
    if (idx) return idx.get(timeKey(sec, nsec)) ?? -1;
    let r = reg.gen[sid] === this.gen ? reg.tailRow[sid] : (this.frozenTails?.get(sid) ?? -1);
    while (r >= 0) {
      const c = compareTime(this.sec[r], this.nsec[r], sec, nsec);
      if (c === 0) return r;
      if (c < 0) return -1;
      r = this.prev[r];
    }
    return -1;
  }

  /** Tails captured when this memtable stopped being the active one. */
  frozenTails: Map<number, number> | undefined;

  freeze(): void {
    const reg = this.registry;
    const tails = new Map<number, number>();
    for (const sid of this.sids) {
      if (reg.gen[sid] === this.gen) {
        const row = reg.tailRow[sid];
        tails.set(sid, row);
        reg.markPersisted(sid, this.sec[row], this.nsec[row]);
      }
    }
    this.frozenTails = tails;
  }
}

function timeKey(sec: number, nsec: number): string {
  return sec + ':' + nsec;
}
