// Aggregates per (series, window) while sources are read: files' rollup
// buckets and memtable points add into one slot of 10 numbers per field.
// Times are (seconds, nanoseconds) pairs, exact as JS numbers.

/** Per field: count, sum, min, max, first (sec, ns, value), last (sec, ns, value). */
export const STRIDE = 10;
const C = 0, S = 1, MIN = 2, MAX = 3, FS = 4, FN = 5, FV = 6, LS = 7, LN = 8, LV = 9;

export interface SeriesAcc {
  /** Tag values by tag ordinal. */
  tags: Array<string | null>;
  windows: Map<number, Float64Array>;
}

export class WindowAcc {
  readonly series = new Map<string, SeriesAcc>();

  constructor(readonly fields: number) {}

  slot(key: string, tags: Array<string | null>, window: number): Float64Array {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { tags, windows: new Map() }));
    let w = s.windows.get(window);
    if (!w) s.windows.set(window, (w = new Float64Array(this.fields * STRIDE)));
    return w;
  }

  /** Adds a run of points of field `f` (count c > 0) to slot `w`. */
  static add(w: Float64Array, f: number, c: number, sum: number, min: number, max: number, fSec: number, fNs: number, fV: number, lSec: number, lNs: number, lV: number): void {
    const o = f * STRIDE;
    if (w[o + C] === 0) {
      w[o + C] = c;
      w[o + S] = sum;
      w[o + MIN] = min;
      w[o + MAX] = max;
      w[o + FS] = fSec;
      w[o + FN] = fNs;
      w[o + FV] = fV;
      w[o + LS] = lSec;
      w[o + LN] = lNs;
      w[o + LV] = lV;
      return;
    }
    w[o + C] += c;
    w[o + S] += sum;
    if (min < w[o + MIN]) w[o + MIN] = min;
    if (max > w[o + MAX]) w[o + MAX] = max;
    if (fSec < w[o + FS] || (fSec === w[o + FS] && fNs < w[o + FN])) {
      w[o + FS] = fSec;
      w[o + FN] = fNs;
      w[o + FV] = fV;
    }
    if (lSec > w[o + LS] || (lSec === w[o + LS] && lNs > w[o + LN])) {
      w[o + LS] = lSec;
      w[o + LN] = lNs;
      w[o + LV] = lV;
    }
  }

  /** Adds every slot of `other` (the same fields), its sums converted by `convert[f]` (to another scale). */
  merge(other: WindowAcc, convert: Array<(sum: number) => number>): void {
    for (const [key, s] of other.series) {
      for (const [win, src] of s.windows) {
        const dst = this.slot(key, s.tags, win);
        for (let f = 0; f < this.fields; f++) {
          const o = f * STRIDE;
          if (src[o + C] === 0) continue;
          WindowAcc.add(dst, f, src[o + C], convert[f](src[o + S]), src[o + MIN], src[o + MAX], src[o + FS], src[o + FN], src[o + FV], src[o + LS], src[o + LN], src[o + LV]);
        }
      }
    }
  }
}

export const SLOT = { C, S, MIN, MAX, FS, FN, FV, LS, LN, LV };
