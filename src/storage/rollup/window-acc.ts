// Aggregates per (series, window) while sources are read: files' rollup
// buckets and memtable points add into one slot of 10 numbers per field, all
// slots in one growing Float64Array (a dashboard query touches thousands of
// slots: one allocation, not one per slot). Times are (seconds, nanoseconds)
// pairs, exact as JS numbers.

/** Per field: count, sum, min, max, first (sec, ns, value), last (sec, ns, value). */
export const STRIDE = 10;
const C = 0, S = 1, MIN = 2, MAX = 3, FS = 4, FN = 5, FV = 6, LS = 7, LN = 8, LV = 9;

export interface SeriesAcc {
  /** Tag values by tag ordinal. */
  tags: Array<string | null>;
  /** Window index -> slot. */
  windows: Map<number, number>;
}

export class WindowAcc {
  readonly series = new Map<string, SeriesAcc>();
  data: Float64Array;
  slots = 0;
  private readonly width: number;

  constructor(readonly fields: number) {
    this.width = fields * STRIDE;
    this.data = new Float64Array(this.width * 64);
  }

  /** The series' accumulator (made on first use). */
  seriesOf(key: string, tags: Array<string | null>): SeriesAcc {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { tags, windows: new Map() }));
    return s;
  }

  /** The slot of one window of a series: the offset of its first number in `data`. */
  slot(s: SeriesAcc, window: number): number {
    let at = s.windows.get(window);
    if (at === undefined) {
      at = this.slots++ * this.width;
      if (at + this.width > this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      s.windows.set(window, at);
    }
    return at;
  }

  /** Adds a run of points of field `f` (count c > 0) to the slot at `at`. */
  add(at: number, f: number, c: number, sum: number, min: number, max: number, fSec: number, fNs: number, fV: number, lSec: number, lNs: number, lV: number): void {
    const w = this.data;
    const o = at + f * STRIDE;
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
    // Series of one group may have points at the same time: the greatest value wins, as in SQL (build-sql.ts first/last).
    if (fSec < w[o + FS] || (fSec === w[o + FS] && (fNs < w[o + FN] || (fNs === w[o + FN] && fV > w[o + FV])))) {
      w[o + FS] = fSec;
      w[o + FN] = fNs;
      w[o + FV] = fV;
    }
    if (lSec > w[o + LS] || (lSec === w[o + LS] && (lNs > w[o + LN] || (lNs === w[o + LN] && lV > w[o + LV])))) {
      w[o + LS] = lSec;
      w[o + LN] = lNs;
      w[o + LV] = lV;
    }
  }

  /** Adds every slot of `other` (the same fields). */
  merge(other: WindowAcc): void {
    const src = other.data;
    for (const [key, s] of other.series) {
      const mine = this.seriesOf(key, s.tags);
      for (const [win, from] of s.windows) {
        const at = this.slot(mine, win);
        for (let f = 0; f < this.fields; f++) {
          const o = from + f * STRIDE;
          if (src[o + C] === 0) continue;
          this.add(at, f, src[o + C], src[o + S], src[o + MIN], src[o + MAX], src[o + FS], src[o + FN], src[o + FV], src[o + LS], src[o + LN], src[o + LV]);
        }
      }
    }
  }
}

export const SLOT = { C, S, MIN, MAX, FS, FN, FV, LS, LN, LV };
