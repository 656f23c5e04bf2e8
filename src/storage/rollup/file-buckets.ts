// The files' part of a rollup read (read-rollups.ts): which buckets at the
// range's two ends are cut (points on both sides of a bound), and adding
// every other bucket in range into the per-window accumulator, sums
// converted to the read's one scale per field.

import type { FileRollup } from './file-rollup.ts';
import { WindowAcc } from './window-acc.ts';

const POW10 = (k: number) => 10 ** k;

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function keyOf(tags: ReadonlyArray<string | null>, n: number): string {
  let k = '';
  for (let i = 0; i < n; i++) {
    const v = tags[i] ?? null;
    k += v === null ? '\u0001' : '\u0002' + v;
    k += '\u0000';
  }
  return k;
}

/** The first index in [lo, hi) whose bucket is >= b (buckets ascend within a series). */
export function lowerBound(a: Float64Array, lo: number, hi: number, b: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < b) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A sum at a file's scale `from` converted to the read's scale `to` (-1: plain floats). */
function convertSum(sum: number, from: number, to: number): number {
  if (to < 0) return from < 0 ? sum : sum / POW10(from);
  return sum * POW10(to - from);
}

/** The range's first and last bucket, where they are cut: some accepted series has points of a read field on both sides of the bound. */
export function cutBuckets(
  rollups: FileRollup[],
  ordinals: number[],
  verdictsOf: (r: FileRollup) => Uint8Array,
  min: bigint | undefined,
  max: bigint | undefined,
): bigint[] {
  if (rollups.length === 0) return [];
  const Lb = BigInt(rollups[0].level);
  const cut = new Set<bigint>();
  for (const bound of [min, max]) {
    if (bound === undefined) continue;
    const b = floorDiv(bound, Lb);
    const o = Number(bound - b * Lb);
    const isMin = bound === min;
    // A bound on a bucket's edge cuts nothing.
    if ((isMin && o === 0) || (!isMin && o === Number(Lb) - 1)) continue;
    const bn = Number(b);
    search: for (const r of rollups) {
      const ok = verdictsOf(r);
      const frs = ordinals.map((x) => r.fields.find((f) => f.ordinal === x)).filter((f) => f !== undefined);
      for (let s = 0; s < r.series.length; s++) {
        if (ok[s] === 0) continue;
        const i = lowerBound(r.bucket, r.start[s], r.start[s + 1], bn);
        if (i < r.start[s + 1] && r.bucket[i] === bn) {
          for (const fr of frs) {
            if (fr.count[i] === 0) continue;
            const straddles = isMin ? fr.firstO[i] < o && fr.lastO[i] >= o : fr.lastO[i] > o && fr.firstO[i] <= o;
            if (straddles) {
              cut.add(b);
              break search;
            }
          }
        }
      }
    }
  }
  return [...cut];
}

/** The files' rollups in range into one accumulator, sums at `scales` (no bucket is cut: cutBuckets). */
export function accumulate(
  rollups: FileRollup[],
  ordinals: number[],
  scales: number[],
  /** The accumulator key of each of a rollup's series: the series itself, or its group. */
  keysOf: (r: FileRollup) => string[],
  verdictsOf: (r: FileRollup) => Uint8Array,
  windowOf: (sec: number) => number,
  min: bigint | undefined,
  max: bigint | undefined,
): WindowAcc {
  const acc = new WindowAcc(ordinals.length);
  for (const r of rollups) {
    const L = r.level;
    const Ls = L / 1e9;
    const Lb = BigInt(L);
    // Buckets below minB or above maxB are out; minB and maxB may be cut.
    const minB = min === undefined ? -Infinity : Number(floorDiv(min, Lb));
    const minO = min === undefined ? 0 : Number(min - floorDiv(min, Lb) * Lb);
    const maxB = max === undefined ? Infinity : Number(floorDiv(max, Lb));
    const maxO = max === undefined ? 0 : Number(max - floorDiv(max, Lb) * Lb);
    const frs = ordinals.map((o) => r.fields.find((x) => x.ordinal === o));
    const convert = frs.map((fr, k) => (s: number) => (fr ? convertSum(s, fr.scale, scales[k]) : s));
    const keys = keysOf(r);
    const ok = verdictsOf(r);
    for (let s = 0; s < r.series.length; s++) {
      if (ok[s] === 0) continue;
      const tags = r.series[s];
      const key = keys[s];
      const sa = acc.seriesOf(key, tags);
      const end = r.start[s + 1];
      for (let i = minB === -Infinity ? r.start[s] : lowerBound(r.bucket, r.start[s], end, minB); i < end; i++) {
        const b = r.bucket[i];
        if (b > maxB) break;
        const startSec = b * Ls;
        let slot = -1;
        for (let k = 0; k < frs.length; k++) {
          const fr = frs[k];
          if (!fr || fr.count[i] === 0) continue;
          const fo = fr.firstO[i];
          const lo = fr.lastO[i];
          // Not cut (cutBuckets): all of a field's points in the bucket are on one side of a bound.
          if (b === minB && fo < minO) continue;
          if (b === maxB && lo > maxO) continue;
          if (slot < 0) slot = acc.slot(sa, windowOf(startSec));
          const fSec = startSec + Math.floor(fo / 1e9);
          const lSec = startSec + Math.floor(lo / 1e9);
          acc.add(slot, k, fr.count[i], convert[k](fr.sum[i]), fr.min[i], fr.max[i], fSec, fo % 1e9, fr.firstV[i], lSec, lo % 1e9, fr.lastV[i]);
        }
      }
    }
  }
  return acc;
}

/** Series keys of a rollup's series (memoised on it: every query over the file needs them). */
const KEYS = new WeakMap<FileRollup, { n: number; keys: string[] }>();
export function seriesKeys(r: FileRollup, nTags: number): string[] {
  const hit = KEYS.get(r);
  if (hit && hit.n === nTags) return hit.keys;
  const keys = r.series.map((t) => keyOf(t, nTags));
  KEYS.set(r, { n: nTags, keys });
  return keys;
}

/** A series' group under GROUP BY tags: its values of the group's tag ordinals (a missing tag is '', as SQL's coalesce makes it). */
export function groupKeyOf(tags: ReadonlyArray<string | null>, ord: ReadonlyArray<number | undefined>): string {
  let k = '';
  for (const o of ord) k += (o === undefined ? '' : (tags[o] ?? '')) + '\u0000';
  return k;
}

/** Group keys of a rollup's series (memoised on it per grouping). */
const GROUPS = new WeakMap<FileRollup, Map<string, string[]>>();
export function groupKeys(r: FileRollup, ord: ReadonlyArray<number | undefined>): string[] {
  const id = ord.join(',');
  let byOrd = GROUPS.get(r);
  const hit = byOrd?.get(id);
  if (hit) return hit;
  const keys = r.series.map((t) => groupKeyOf(t, ord));
  if (!byOrd) GROUPS.set(r, (byOrd = new Map()));
  if (byOrd.size >= 8) byOrd.delete(byOrd.keys().next().value!);
  byOrd.set(id, keys);
  return keys;
}
