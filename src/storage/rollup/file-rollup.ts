// One Parquet file's rollup at one level (a bucket length: a minute or an
// hour): per series, per bucket holding points, per numeric field the count,
// sum, min, max and the first and last point. Flat typed arrays, series after
// series, buckets ascending within a series: a file of 2 M points over 1000
// series at one point per 10 s holds 334 k minute buckets or 6 k hour buckets.
//
// Times inside a bucket are offsets from its start in ns (below 2^53 for any
// level up to a day), so every figure is an exact JS number.

export const MINUTE_NS = 60_000_000_000;
export const HOUR_NS = 3_600_000_000_000;

/** Per field, one entry per bucket slot. */
export interface FieldRollup {
  /** Ordinal of the field in its measurement. */
  ordinal: number;
  /** Sums are integers scaled by 10^scale; -1: plain float sums. */
  scale: number;
  count: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  firstO: Float64Array;
  firstV: Float64Array;
  lastO: Float64Array;
  lastV: Float64Array;
}

export interface FileRollup {
  /** Bucket length, ns. */
  level: number;
  /** Per series: tag values by tag ordinal (null: the series lacks the key). */
  series: Array<Array<string | null>>;
  /** Series s holds slots [start[s], start[s + 1]). */
  start: Int32Array;
  /** Bucket index (floor(t / level)) of each slot. */
  bucket: Float64Array;
  fields: FieldRollup[];
}

const ARRAYS = ['count', 'sum', 'min', 'max', 'firstO', 'firstV', 'lastO', 'lastV'] as const;

export function emptyField(ordinal: number, scale: number, slots: number): FieldRollup {
  const f = { ordinal, scale } as FieldRollup;
  for (const k of ARRAYS) f[k] = new Float64Array(slots);
  return f;
}

/** Bytes a rollup holds (what the cache budget counts). */
export function rollupBytes(r: FileRollup): number {
  let n = r.start.byteLength + r.bucket.byteLength + r.series.length * 64;
  for (const f of r.fields) for (const k of ARRAYS) n += f[k].byteLength;
  return n;
}

/**
 * The same rollup at a coarser level (a multiple of `r.level`): buckets
 * merged, offsets moved to the coarser bucket's start.
 */
export function coarsen(r: FileRollup, level: number): FileRollup {
  const ratio = level / r.level;
  if (!Number.isInteger(ratio) || ratio < 1) throw new Error(`rollup level ${level} is not a multiple of ${r.level}`);
  // First pass: how many coarse slots.
  let slots = 0;
  const nSeries = r.series.length;
  for (let s = 0; s < nSeries; s++) {
    let prev = NaN;
    for (let i = r.start[s]; i < r.start[s + 1]; i++) {
      const b = Math.floor(r.bucket[i] / ratio);
      if (b !== prev) slots++;
      prev = b;
    }
  }
  const start = new Int32Array(nSeries + 1);
  const bucket = new Float64Array(slots);
  const fields = r.fields.map((f) => emptyField(f.ordinal, f.scale, slots));
  let j = -1;
  for (let s = 0; s < nSeries; s++) {
    start[s] = j + 1;
    let prev = NaN;
    for (let i = r.start[s]; i < r.start[s + 1]; i++) {
      const b = Math.floor(r.bucket[i] / ratio);
      const shift = (r.bucket[i] - b * ratio) * r.level;
      if (b !== prev) {
        j++;
        bucket[j] = b;
        for (const f of fields) f.count[j] = 0;
      }
      prev = b;
      for (let k = 0; k < fields.length; k++) mergeSlot(fields[k], j, r.fields[k], i, shift);
    }
  }
  start[nSeries] = j + 1;
  return { level, series: r.series, start, bucket, fields };
}

/** Adds slot `i` of `src` (offsets shifted by `shift` ns) into slot `j` of `dst`. */
function mergeSlot(dst: FieldRollup, j: number, src: FieldRollup, i: number, shift: number): void {
  const c = src.count[i];
  if (c === 0) return;
  if (dst.count[j] === 0) {
    dst.count[j] = c;
    dst.sum[j] = src.sum[i];
    dst.min[j] = src.min[i];
    dst.max[j] = src.max[i];
    dst.firstO[j] = src.firstO[i] + shift;
    dst.firstV[j] = src.firstV[i];
    dst.lastO[j] = src.lastO[i] + shift;
    dst.lastV[j] = src.lastV[i];
    return;
  }
  dst.count[j] += c;
  dst.sum[j] += src.sum[i];
  if (src.min[i] < dst.min[j]) dst.min[j] = src.min[i];
  if (src.max[i] > dst.max[j]) dst.max[j] = src.max[i];
  // One series has one point per time: no ties inside a file's series.
  if (src.firstO[i] + shift < dst.firstO[j]) {
    dst.firstO[j] = src.firstO[i] + shift;
    dst.firstV[j] = src.firstV[i];
  }
  if (src.lastO[i] + shift > dst.lastO[j]) {
    dst.lastO[j] = src.lastO[i] + shift;
    dst.lastV[j] = src.lastV[i];
  }
}
