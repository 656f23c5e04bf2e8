// The embedded store's RollupReader (core/ports/rollups.ts) for one
// measurement inside a read snapshot: the files' rollups (rollup-cache.ts,
// at the coarsest level the windows allow: an hour, else a minute) plus the
// memtables' points, added per (series, window).
//
// Exactness, as the port promises, or undefined:
// - a pending delete or overwrite (tombstones) means some stored points are
//   not to be counted: undefined;
// - a bucket the range (or the retention cutoff) cuts through, with points on
//   both sides, at the level tried: the next finer level, then undefined;
// - a field whose sums or integers leave the exact range in some file: undefined.
//
// The memtables are read synchronously before anything is awaited, together
// with the file list: a flush moves points from one to the other in one
// synchronous step (store/flush.ts), so each point is counted once, and a
// series id cannot be reused (series-release.ts) while it is being read.

import { FieldType, NUMERIC_TYPES as NUMERIC } from '../../core/field-type.ts';
import type { RollupFieldStats, RollupQuery, RollupReader, RollupResult } from '../../core/ports/rollups.ts';
import type { FileEntry } from '../catalog.ts';
import type { Measurement } from '../measurement.ts';
import type { Memtable } from '../memtable/memtable.ts';
import { HOUR_NS, MINUTE_NS, type FileRollup } from './file-rollup.ts';
import type { RollupCache } from './rollup-cache.ts';
import { SLOT, STRIDE, WindowAcc, type SeriesAcc } from './window-acc.ts';
import { accumulate, cutBuckets, floorDiv, groupKeyOf, groupKeys, keyOf, seriesKeys } from './file-buckets.ts';

const SAFE = 2 ** 53;
/** Verdicts of a filter on a file's series, remembered for this many filters per file. */
const VERDICTS = new WeakMap<FileRollup, Map<string, Uint8Array>>();
const VERDICTS_PER_FILE = 16;
/** A file too large for its minute level is read per series for at most this many series. */
const MAX_SERIES_ROLLUPS = 32;

export interface RollupSourceEnv {
  cache: RollupCache;
  /** Points before this (ns) are past retention and hidden. */
  cutoffNs: bigint | undefined;
  /** Scans a file for its rollup at a level (of one series only, by tag ordinal, when given). */
  build(file: FileEntry, level: number, series?: Array<string | null>): Promise<FileRollup>;
  /** Path the cache keys a file by. */
  pathOf(file: FileEntry): string;
}

class Abort extends Error {}

export function rollupReader(m: Measurement, env: RollupSourceEnv): RollupReader {
  return { read: (q) => readRollups(m, env, q) };
}

async function readRollups(m: Measurement, env: RollupSourceEnv, q: RollupQuery): Promise<RollupResult | undefined> {
  if (!env.cache.enabled) return undefined;
  const defs = q.fields.map((n) => m.fieldByName.get(n));
  if (defs.some((d) => d === undefined || !NUMERIC.has(d.type))) return undefined;
  const fields = defs.map((d) => d!);
  if (m.tombstones.size > 0 || m.active.tombstones.length > 0 || (m.immutable?.tombstones.length ?? 0) > 0) return undefined;
  const MIN = 60_000_000_000n;
  if (q.everyNs !== undefined && (q.everyNs % MIN !== 0n || (q.offsetNs ?? 0n) % MIN !== 0n || q.everyNs <= 0n)) return undefined;
  let min = q.minNs;
  if (env.cutoffNs !== undefined && (min === undefined || min < env.cutoffNs)) min = env.cutoffNs;
  const max = q.maxNs;
  if (min !== undefined && max !== undefined && min > max) return { tags: [], start: new Int32Array(1), windows: new Float64Array(0), fields: [], scales: fields.map(() => -1) };
  const everyS = q.everyNs === undefined ? 0 : Number(q.everyNs / 1_000_000_000n);
  const offS = Number((q.offsetNs ?? 0n) / 1_000_000_000n);
  const windowOf = (sec: number) => (everyS === 0 ? 0 : Math.floor((sec - offS) / everyS));
  const nTags = m.tagKeys.length;
  const queryOrd = q.tagKeys.map((k) => m.tagOrdinal.get(k));
  const verdicts = new Map<string, boolean>();
  const accepted = (key: string, tags: ReadonlyArray<string | null>): boolean => {
    let v = verdicts.get(key);
    if (v === undefined) {
      v = q.accept(queryOrd.map((o) => (o === undefined ? null : (tags[o] ?? null))));
      verdicts.set(key, v);
    }
    return v;
  };
  // What the accumulator adds up per window: each series, or each group of series when the query says how it groups.
  const groupOrd = q.groupBy === undefined ? undefined : queryOrd.slice(0, q.groupBy);
  const accKeyOf = (tags: ReadonlyArray<string | null>) => (groupOrd ? groupKeyOf(tags, groupOrd) : keyOf(tags, nTags));
  const accKeysOf = (r: FileRollup) => (groupOrd ? groupKeys(r, groupOrd) : seriesKeys(r, nTags));
  // Per file, the verdict of each of its series (remembered across queries under acceptKey).
  const verdictsOf = (r: FileRollup): Uint8Array => {
    const id = q.acceptKey === undefined ? undefined : `${nTags}\u0001${q.acceptKey}`;
    let byKey = id === undefined ? undefined : VERDICTS.get(r);
    const hit = id === undefined ? undefined : byKey?.get(id);
    if (hit) return hit;
    const keys = seriesKeys(r, nTags);
    const out = new Uint8Array(r.series.length);
    for (let s = 0; s < out.length; s++) out[s] = accepted(keys[s], r.series[s]) ? 1 : 0;
    if (id !== undefined) {
      if (!byKey) VERDICTS.set(r, (byKey = new Map()));
      if (byKey.size >= VERDICTS_PER_FILE) byKey.delete(byKey.keys().next().value!);
      byKey.set(id, out);
    }
    return out;
  };
  const minSec = min === undefined ? -Infinity : Number(floorDiv(min, 1_000_000_000n));
  const minNs = min === undefined ? 0 : Number(min - floorDiv(min, 1_000_000_000n) * 1_000_000_000n);
  const maxSec = max === undefined ? Infinity : Number(floorDiv(max, 1_000_000_000n));
  const maxNs = max === undefined ? 0 : Number(max - floorDiv(max, 1_000_000_000n) * 1_000_000_000n);

  // Synchronously, before any await: the file list and the memtables' points.
  const files = m.files.filter((f) => (min === undefined || f.maxNs >= min) && (max === undefined || f.minNs <= max));
  const mem = new WindowAcc(fields.length);
  const memHas = fields.map(() => false);
  try {
    for (const mt of [m.immutable, m.active]) if (mt && mt.rows > 0) addMemtable(m, mt, fields, mem, memHas, nTags, accepted, accKeyOf, windowOf, minSec, minNs, maxSec, maxNs);
  } catch (e) {
    if (e instanceof Abort) return undefined;
    throw e;
  }

  // The files' rollups (built on first use).
  const levels = [HOUR_NS, MINUTE_NS].filter((L) => q.everyNs === undefined || (q.everyNs % BigInt(L) === 0n && (q.offsetNs ?? 0n) % BigInt(L) === 0n));
  // What a file's minute level would hold: a slot per series and minute with points, each field 64 bytes.
  const minuteBytes = (f: FileEntry) => {
    const numeric = f.fields.filter((o) => NUMERIC.has(m.fields[o].type)).length;
    return Math.min(f.rows, m.fingerprints.size * (Number((f.maxNs - f.minNs) / BigInt(MINUTE_NS)) + 1)) * (8 + 64 * numeric);
  };
  // Per file, its rollups at a level: the whole file's, or, for a file too
  // large to hold at the minute level, one per series the query reads (a
  // few only; each built by a scan of that series' points, then cached).
  const loadFile = async (f: FileEntry, level: number): Promise<FileRollup[] | undefined> => {
    const path = env.pathOf(f);
    const whole = await env.cache.get(path, level, (l) => env.build(f, l), minuteBytes(f));
    if (whole) return [whole];
    const hours = await env.cache.get(path, HOUR_NS, (l) => env.build(f, l), minuteBytes(f));
    if (!hours) return undefined;
    const keys = seriesKeys(hours, nTags);
    const ok = verdictsOf(hours);
    const picked: number[] = [];
    for (let s = 0; s < hours.series.length; s++) if (ok[s] === 1 && picked.push(s) > MAX_SERIES_ROLLUPS) return undefined;
    const out: FileRollup[] = [];
    for (const s of picked) {
      const r = await env.cache.get(`${path}\u0000${keys[s]}`, MINUTE_NS, () => env.build(f, MINUTE_NS, hours.series[s]), 0);
      if (!r) return undefined;
      out.push(r);
    }
    return out;
  };
  const load = async (level: number): Promise<FileRollup[][] | undefined> => {
    const out: FileRollup[][] = [];
    for (const f of files) {
      const r = await loadFile(f, level);
      if (!r) return undefined;
      out.push(r);
    }
    return out;
  };
  const level = levels[0];
  const perFile = await load(level);
  if (!perFile) return undefined;
  const rollups = perFile.flat();
  for (let i = 0; i < files.length; i++) {
    for (const d of fields) if (files[i].fields.includes(d.ordinal) && perFile[i].some((r) => !r.fields.some((x) => x.ordinal === d.ordinal))) return undefined;
  }
  // One scale per field: the largest decimal scale, or plain floats when any source has them.
  const scales = fields.map((d, k) => {
    if (d.type !== FieldType.Float) return 0;
    if (memHas[k]) return -1;
    let s = 0;
    for (const r of rollups) {
      const fr = r.fields.find((x) => x.ordinal === d.ordinal);
      if (!fr) continue;
      if (fr.scale < 0) return -1;
      s = Math.max(s, fr.scale);
    }
    return s;
  });
  const ordinals = fields.map((d) => d.ordinal);
  let used = rollups;
  let cut = cutBuckets(used, ordinals, verdictsOf, min, max);
  if (cut.length > 0 && level !== MINUTE_NS && levels.includes(MINUTE_NS)) {
    // A cut hour: the minutes, whose cuts are rarer.
    const fine = await load(MINUTE_NS);
    if (fine) {
      used = fine.flat();
      cut = cutBuckets(used, ordinals, verdictsOf, min, max);
    }
  }
  // A bucket with points on both sides of a bound needs those points: a scan
  // answers (measured: reading the cut minute's points costs about as much as
  // the scan itself, files being series-major; bench/README.md).
  if (cut.length > 0) return undefined;
  const acc = accumulate(used, ordinals, scales, accKeysOf, verdictsOf, windowOf, min, max);
  // Memtable sums are plain floats (scale -1 above) or integers (scale 0): no conversion.
  if (memHas.some(Boolean)) acc.merge(mem);
  const result = toResult(acc, fields.length, scales, queryOrd, q.points === true);
  if (result) env.cache.answered++;
  return result;
}

/** The memtable's accepted points in range into `acc` (scale 0 for integers, plain floats); `has[k]` set for each field added to. */
function addMemtable(
  m: Measurement,
  mt: Memtable,
  fields: Array<{ ordinal: number; type: FieldType }>,
  acc: WindowAcc,
  has: boolean[],
  nTags: number,
  accepted: (key: string, tags: ReadonlyArray<string | null>) => boolean,
  accKeyOf: (tags: ReadonlyArray<string | null>) => string,
  windowOf: (sec: number) => number,
  minSec: number,
  minNs: number,
  maxSec: number,
  maxNs: number,
): void {
  const seriesOf = new Map<number, SeriesAcc | null>();
  for (const sid of mt.sids) {
    const tags: Array<string | null> = [];
    for (let o = 0; o < nTags; o++) tags.push(m.tagValue(sid, o));
    const key = keyOf(tags, nTags);
    seriesOf.set(sid, accepted(key, tags) ? acc.seriesOf(accKeyOf(tags), tags) : null);
  }
  const cols = fields.map((f) => mt.cols[f.ordinal]);
  for (let r = 0; r < mt.rows; r++) {
    const s = seriesOf.get(mt.sid[r]);
    if (!s) continue;
    const sec = mt.sec[r];
    const ns = mt.nsec[r];
    if (sec < minSec || (sec === minSec && ns < minNs) || sec > maxSec || (sec === maxSec && ns > maxNs)) continue;
    let slot = -1;
    for (let k = 0; k < cols.length; k++) {
      const col = cols[k];
      if (!col || !col.isSet(r)) continue;
      if (col.big?.has(r)) throw new Abort();
      const v = col.num[r];
      if (slot < 0) slot = acc.slot(s, windowOf(sec));
      acc.add(slot, k, 1, v, v, v, sec, ns, v, sec, ns, v);
      has[k] = true;
    }
  }
}

function toResult(acc: WindowAcc, nFields: number, scales: number[], queryOrd: Array<number | undefined>, points: boolean): RollupResult | undefined {
  const n = acc.slots;
  const fields: RollupFieldStats[] = Array.from({ length: nFields }, () => ({
    count: new Float64Array(n),
    sum: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    ...(points ? { firstT: new BigInt64Array(n), firstV: new Float64Array(n), lastT: new BigInt64Array(n), lastV: new Float64Array(n) } : {}),
  }));
  const tags: Array<Array<string | null>> = [];
  const start = new Int32Array(acc.series.size + 1);
  const windows = new Float64Array(n);
  const d = acc.data;
  let j = 0;
  for (const s of acc.series.values()) {
    start[tags.length] = j;
    const t: Array<string | null> = new Array(queryOrd.length);
    for (let k = 0; k < queryOrd.length; k++) {
      const o = queryOrd[k];
      t[k] = o === undefined ? null : (s.tags[o] ?? null);
    }
    tags.push(t);
    const wins = [...s.windows.keys()].sort((a, b) => a - b);
    for (const win of wins) {
      const at = s.windows.get(win)!;
      windows[j] = win;
      for (let f = 0; f < nFields; f++) {
        const o = at + f * STRIDE;
        const out = fields[f];
        const c = d[o + SLOT.C];
        out.count[j] = c;
        if (c === 0) continue;
        const sum = d[o + SLOT.S];
        if (scales[f] >= 0 && Math.abs(sum) >= SAFE) return undefined;
        out.sum[j] = sum;
        out.min[j] = d[o + SLOT.MIN];
        out.max[j] = d[o + SLOT.MAX];
        if (points) {
          out.firstT![j] = BigInt(d[o + SLOT.FS]) * 1_000_000_000n + BigInt(d[o + SLOT.FN]);
          out.firstV![j] = d[o + SLOT.FV];
          out.lastT![j] = BigInt(d[o + SLOT.LS]) * 1_000_000_000n + BigInt(d[o + SLOT.LN]);
          out.lastV![j] = d[o + SLOT.LV];
        }
      }
      j++;
    }
  }
  start[tags.length] = j;
  return { tags, start, windows, fields, scales };
}
