// Floats from devices are usually decimals with a few digits (21.37). Parquet
// has no delta encoding for doubles, but it has one for integers, so a float
// column whose every value is exactly k-digit decimal is written as
// DECIMAL(18, k) (a scaled integer) and read back as DOUBLE. The conversion is
// lossless by construction: a column is scaled only when every value v
// satisfies round(v * 10^k) / 10^k === v with |v * 10^k| < 2^53, and dividing
// an integer below 2^53 by an exact power of ten is correctly rounded, so the
// double read back is the very double that was written. On the benchmark data
// this halves the bytes of a temperature column (docs/storage.md).

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const MAX_SCALE = 9;
const LIMIT = 2 ** 53;

/** The smallest k in 0..9 for which every value is an exact k-digit decimal, or -1. */
export function decimalScale(values: Float64Array, isSet: (i: number) => boolean, count: number): number {
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (!isSet(i)) continue;
    const v = values[i];
    if (Object.is(v, -0)) return -1; // DECIMAL has no negative zero
    for (;;) {
      const p = POW10[k];
      const scaled = Math.round(v * p);
      if (Math.abs(scaled) < LIMIT && scaled / p === v) break;
      if (++k > MAX_SCALE) return -1;
    }
  }
  return k;
}
