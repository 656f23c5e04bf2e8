// What OpenTSDB does to series after they are read (and, with a downsampler,
// after DuckDB has bucketed each one): fill empty buckets (FillingDownsampler),
// turn values into rates (RateSpan), then aggregate the series of each group
// across time (AggregationIterator: at every timestamp any series has, each
// series contributes its value, an interpolated one, or nothing, per the
// aggregator's interpolation), and finally fold sub-second points into
// seconds unless the query asked for millisecond resolution.
// Pure: series in, result series out.

import type { Aggregator } from './aggregators.ts';
import type { Downsample, RateOptions } from './parse-query.ts';

export interface Series {
  tags: Record<string, string>;
  ts: number[];
  /** NaN marks a filled gap (fill policy nan or null). */
  values: number[];
}

export interface ResultSeries {
  tags: Record<string, string>;
  aggregateTags: string[];
  ts: number[];
  values: number[];
}

/** FillingDownsampler: every bucket from the range's first to its last, gaps filled with NaN or 0. */
export function fillBuckets(s: Series, ds: Downsample, startMs: number, endMs: number): Series {
  if (ds.fill === 'none' || ds.intervalMs === 'all') return s;
  const iv = ds.intervalMs;
  const fillValue = ds.fill === 'zero' ? 0 : NaN;
  const first = startMs - (((startMs % iv) + iv) % iv);
  const ts: number[] = [];
  const values: number[] = [];
  let j = 0;
  for (let t = first; t <= endMs; t += iv) {
    while (j < s.ts.length && s.ts[j] < t) j++;
    ts.push(t);
    values.push(j < s.ts.length && s.ts[j] === t ? s.values[j] : fillValue);
  }
  return { tags: s.tags, ts, values };
}

/** RateSpan: per-second change between consecutive points, with OpenTSDB's counter options. */
export function toRate(s: Series, o: RateOptions): Series {
  const ts: number[] = [];
  const values: number[] = [];
  let prevT = NaN;
  let prevV = NaN;
  for (let i = 0; i < s.ts.length; i++) {
    const t = s.ts[i];
    const v = s.values[i];
    if (Number.isNaN(v)) {
      ts.push(t);
      values.push(NaN);
      continue;
    }
    if (!Number.isNaN(prevV)) {
      const dt = (t - prevT) / 1000;
      let r: number;
      if (o.counter && v < prevV) {
        if (o.dropResets) {
          prevT = t;
          prevV = v;
          continue;
        }
        r = (o.counterMax - prevV + v) / dt;
        if (o.resetValue > 0 && r > o.resetValue) r = 0;
      } else r = (v - prevV) / dt;
      ts.push(t);
      values.push(r);
    }
    prevT = t;
    prevV = v;
  }
  return { tags: s.tags, ts, values };
}

/** The value series `s` offers at time t under an interpolation, or undefined. */
function valueAt(s: Series, idx: number, t: number, agg: Aggregator): number | undefined {
  // idx: first position with s.ts[idx] >= t
  if (idx < s.ts.length && s.ts[idx] === t) return s.values[idx];
  switch (agg.interpolation) {
    case 'zim':
      return 0;
    case 'max':
    case 'min':
      return undefined;
    case 'prev':
      return idx > 0 ? s.values[idx - 1] : undefined;
    case 'lerp': {
      if (idx === 0 || idx >= s.ts.length) return undefined; // outside the series: no extrapolation
      const t0 = s.ts[idx - 1];
      const v0 = s.values[idx - 1];
      const t1 = s.ts[idx];
      const v1 = s.values[idx];
      return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
    }
  }
}

/** Aggregates the series of one group into one (AggregationIterator). */
export function aggregateGroup(group: Series[], agg: Aggregator): { ts: number[]; values: number[] } {
  if (group.length === 1) return { ts: group[0].ts, values: group[0].values };
  const all = new Set<number>();
  for (const s of group) for (const t of s.ts) all.add(t);
  const times = [...all].sort((a, b) => a - b);
  const pos = new Array<number>(group.length).fill(0);
  const ts: number[] = [];
  const values: number[] = [];
  const buf: number[] = [];
  for (const t of times) {
    buf.length = 0;
    for (let k = 0; k < group.length; k++) {
      const s = group[k];
      while (pos[k] < s.ts.length && s.ts[pos[k]] < t) pos[k]++;
      const v = valueAt(s, pos[k], t, agg);
      // A filled gap (NaN) takes no part; a timestamp where every series is a gap stays a gap.
      if (v !== undefined && !Number.isNaN(v)) buf.push(v);
    }
    ts.push(t);
    values.push(buf.length > 0 ? agg.combine(buf) : NaN);
  }
  return { ts, values };
}

/** Without msResolution, points within one second are folded with the query's aggregator. */
export function toSeconds(ts: number[], values: number[], agg: Aggregator): { ts: number[]; values: number[] } {
  const outT: number[] = [];
  const outV: number[] = [];
  let i = 0;
  while (i < ts.length) {
    const sec = Math.floor(ts[i] / 1000);
    const bucket: number[] = [];
    while (i < ts.length && Math.floor(ts[i] / 1000) === sec) {
      if (!Number.isNaN(values[i])) bucket.push(values[i]);
      i++;
    }
    outT.push(sec * 1000);
    outV.push(bucket.length === 0 ? NaN : bucket.length === 1 ? bucket[0] : agg.combine(bucket));
  }
  return { ts: outT, values: outV };
}

/**
 * Splits series into groups by the values of the group-by tag keys (one group
 * per series with the `none` aggregator) and reports, per group, the tags all
 * its series share and the keys that vary (aggregateTags, sorted).
 */
export function groupSeries(series: Series[], groupBy: string[], none: boolean): Array<{ series: Series[]; tags: Record<string, string>; aggregateTags: string[] }> {
  const groups = new Map<string, Series[]>();
  series.forEach((s, i) => {
    const key = none ? String(i) : JSON.stringify(groupBy.map((k) => s.tags[k] ?? null));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(s);
  });
  return [...groups.values()].map((g) => {
    const keys = new Set<string>();
    for (const s of g) for (const k of Object.keys(s.tags)) keys.add(k);
    const tags: Record<string, string> = {};
    const aggregateTags: string[] = [];
    for (const k of [...keys].sort()) {
      const v = g[0].tags[k];
      if (v !== undefined && g.every((s) => s.tags[k] === v)) tags[k] = v;
      else aggregateTags.push(k);
    }
    return { series: g, tags, aggregateTags };
  });
}
