// Every series the process holds in memory, by dense integer id. Per-series
// state the write path needs on every point lives in typed arrays indexed by
// that id. After a flush, series with no rows left in memory are released
// (series-release.ts): their strings go and their id is reused, so memory
// follows the series written recently, not every series ever seen.

export class SeriesRegistry {
  /** Measurement-local index of the series' owner, and its tag values by tag ordinal. */
  owner: number[] = [];
  tagValues: Array<Array<string | null> | undefined> = [];
  canonicalKey: Array<string | undefined> = [];
  /** Released ids, reused by `add`. */
  private free: number[] = [];
  /** Memtable generation the tail fields refer to; a stale generation means "no rows in the active memtable". */
  gen = new Int32Array(1024).fill(-1);
  tailRow = new Int32Array(1024);
  tailSec = new Float64Array(1024);
  tailNsec = new Int32Array(1024);
  /** Newest time already handed to the flush path (immutable memtables and files). */
  persistedSec = new Float64Array(1024).fill(-Infinity);
  persistedNsec = new Int32Array(1024);

  /** Ids ever handed out (live or free). */
  get size(): number {
    return this.owner.length;
  }

  /** Series held in memory now. */
  get live(): number {
    return this.owner.length - this.free.length;
  }

  add(owner: number, canonicalKey: string, tagValues: Array<string | null>): number {
    let sid = this.free.pop();
    if (sid === undefined) {
      sid = this.owner.length;
      this.owner.push(owner);
      this.canonicalKey.push(canonicalKey);
      this.tagValues.push(tagValues);
    } else {
      this.owner[sid] = owner;
      this.canonicalKey[sid] = canonicalKey;
      this.tagValues[sid] = tagValues;
    }
    if (sid >= this.gen.length) this.growTo(sid * 2);
    this.gen[sid] = -1;
    this.persistedSec[sid] = -Infinity;
    this.persistedNsec[sid] = 0;
    return sid;
  }

  /** Forgets a series that has no rows in any memtable and no tombstone; its id is reused. */
  release(sid: number): void {
    this.canonicalKey[sid] = undefined;
    this.tagValues[sid] = undefined;
    this.owner[sid] = -1;
    this.gen[sid] = -1;
    this.free.push(sid);
  }

  private growTo(n: number): void {
    const g = <T extends Int32Array | Float64Array>(a: T, fill?: number): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      if (fill !== undefined) b.fill(fill);
      b.set(a);
      return b;
    };
    this.gen = g(this.gen, -1);
    this.tailRow = g(this.tailRow);
    this.tailSec = g(this.tailSec);
    this.tailNsec = g(this.tailNsec);
    this.persistedSec = g(this.persistedSec, -Infinity);
    this.persistedNsec = g(this.persistedNsec);
  }

  /** Raises the persisted high-water mark of a series. */
  markPersisted(sid: number, sec: number, nsec: number): void {
    const ps = this.persistedSec[sid];
    if (sec > ps || (sec === ps && nsec > this.persistedNsec[sid])) {
      this.persistedSec[sid] = sec;
      this.persistedNsec[sid] = nsec;
    }
  }

  /** True when a point of `sid` at (sec, nsec) may already exist outside the active memtable. */
  mayBePersisted(sid: number, sec: number, nsec: number): boolean {
    const ps = this.persistedSec[sid];
    return sec < ps || (sec === ps && nsec <= this.persistedNsec[sid]);
  }
}
