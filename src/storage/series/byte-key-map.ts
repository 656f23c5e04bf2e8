// A hash map keyed by byte ranges of a buffer, so the write path can find a
// series, field or measurement from the raw bytes of a line without decoding
// a string per point (which at a million points a second is mostly garbage
// collection). Open addressing; keys are copied into an arena.

import { fnv1a } from '../../core/fnv.ts';

export const hashBytes = fnv1a;

export class ByteKeyMap {
  private arena = Buffer.allocUnsafe(4096);
  private arenaUsed = 0;
  private keyOff = new Int32Array(64);
  private keyLen = new Int32Array(64);
  private keyHash = new Int32Array(64);
  private vals = new Int32Array(64);
  private count = 0;
  /** Entry index + 1 per slot; 0 = empty. */
  private table = new Int32Array(128);
  private mask = 127;

  get size(): number {
    return this.count;
  }

  /** The value for the bytes [start, end) with hash `h`, or -1. */
  get(buf: Uint8Array, start: number, end: number, h: number): number {
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const e = this.table[slot];
      if (e === 0) return -1;
      const idx = e - 1;
      if (this.keyHash[idx] === h && this.keyLen[idx] === len && this.equals(idx, buf, start, len)) return this.vals[idx];
      slot = (slot + 1) & this.mask;
    }
  }

  set(buf: Uint8Array, start: number, end: number, h: number, value: number): void {
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const e = this.table[slot];
      if (e === 0) break;
      const idx = e - 1;
      if (this.keyHash[idx] === h && this.keyLen[idx] === len && this.equals(idx, buf, start, len)) {
        this.vals[idx] = value;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    const idx = this.count;
    if (idx >= this.vals.length) this.growEntries();
    if (this.arenaUsed + len > this.arena.length) {
      const a = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + len));
      this.arena.copy(a, 0, 0, this.arenaUsed);
      this.arena = a;
    }
    this.arena.set(buf.subarray(start, end), this.arenaUsed);
    this.keyOff[idx] = this.arenaUsed;
    this.keyLen[idx] = len;
    this.keyHash[idx] = h;
    this.vals[idx] = value;
    this.arenaUsed += len;
    this.count = idx + 1;
    this.table[slot] = idx + 1;
    if (this.count * 2 > this.mask) this.rehash();
  }

  private equals(idx: number, buf: Uint8Array, start: number, len: number): boolean {
    const a = this.arena;
    const off = this.keyOff[idx];
    for (let k = 0; k < len; k++) if (a[off + k] !== buf[start + k]) return false;
    return true;
  }

  private growEntries(): void {
    const n = this.vals.length * 2;
    const g = (x: Int32Array) => {
      const y = new Int32Array(n);
      y.set(x);
      return y;
    };
    this.keyOff = g(this.keyOff);
    this.keyLen = g(this.keyLen);
    this.keyHash = g(this.keyHash);
    this.vals = g(this.vals);
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let idx = 0; idx < this.count; idx++) {
      let slot = this.keyHash[idx] & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = idx + 1;
    }
  }
}
