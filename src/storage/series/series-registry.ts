// Every series the process knows, by dense integer id. Per-series state the
// write path needs on every point lives in typed arrays indexed by that id.

export class SeriesRegistry {
  /** Measurement-local index of the series' owner, and its tag values by tag ordinal. */
  owner: number[] = [];
  tagValues: Array<Array<string | null>> = [];
  canonicalKey: string[] = [];
  /** Memtable generation the tail fields refer to; a stale generation means "no rows in the active memtable". */
  gen = new Int32Array(1024).fill(-1);
  tailRow = new Int32Array(1024);
  tailSec = new Float64Array(1024);
  tailNsec = new Int32Array(1024);
  /** Newest time already handed to the flush path (immutable memtables and files). */
  persistedSec = new Float64Array(1024).fill(-Infinity);
  persistedNsec = new Int32Array(1024);

  get size(): number {
    return this.owner.length;
  }

  add(owner: number, canonicalKey: string, tagValues: Array<string | null>): number {
    const sid = this.owner.length;
    this.owner.push(owner);
    this.canonicalKey.push(canonicalKey);
    this.tagValues.push(tagValues);
    if (sid >= this.gen.length) this.growTo(sid * 2);
    this.gen[sid] = -1;
    this.persistedSec[sid] = -Infinity;
    this.persistedNsec[sid] = 0;
    return sid;
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
