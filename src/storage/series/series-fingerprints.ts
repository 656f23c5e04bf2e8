// The set of every series a measurement has, in memory or only in Parquet
// files, kept as 64-bit fingerprints of the canonical series key (16 bytes a
// series at most, against ~600 for a series held in the registry). It is what
// the per-bucket series limit counts, so that a series whose strings were
// released after a flush, or that exists only in files after a restart, is
// recognised as existing and not counted twice.
//
// Two independent 32-bit hashes: with a million series the chance that a new
// series collides with a known one is about 1e-7, and a collision only means
// that series is not counted (and its first point is looked up as possibly
// stored), never a lost point.

export class SeriesFingerprints {
  private hi = new Int32Array(64);
  private lo = new Int32Array(64);
  private mask = 63;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Hashes of the key last passed to `has`, so `addLast` need not hash it again. */
  private lastA = 0;
  private lastB = 0;

  has(key: string): boolean {
    const a = (this.lastA = hashA(key));
    const b = (this.lastB = hashB(key));
    let slot = a & this.mask;
    for (;;) {
      const l = this.lo[slot];
      if (l === 0) return false;
      if (l === b && this.hi[slot] === a) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds the key; true when it was not there. */
  add(key: string): boolean {
    return this.insert(hashA(key), hashB(key));
  }

  /** Adds the key last passed to `has` (which answered false). */
  addLast(): void {
    this.insert(this.lastA, this.lastB);
  }

  private insert(a: number, b: number): boolean {
    let slot = a & this.mask;
    for (;;) {
      const l = this.lo[slot];
      if (l === 0) break;
      if (l === b && this.hi[slot] === a) return false;
      slot = (slot + 1) & this.mask;
    }
    this.hi[slot] = a;
    this.lo[slot] = b;
    this.count++;
    if (this.count * 2 > this.mask) this.grow();
    return true;
  }

  private grow(): void {
    const { hi, lo } = this;
    const size = (this.mask + 1) * 2;
    this.hi = new Int32Array(size);
    this.lo = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
    for (let s = 0; s < hi.length; s++) if (lo[s] !== 0) this.insert(hi[s], lo[s]);
  }

  /** Bytes held (the two slot tables). */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength;
  }
}

/** FNV-1a over UTF-16 code units. */
function hashA(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** A multiply-rotate hash with another seed; never 0 (0 marks an empty slot). */
function hashB(s: string): number {
  let h = 0x9e3779b9 | 0;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}
