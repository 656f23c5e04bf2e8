// Series measured at different moments share one x axis on a chart: the union
// of their times, sorted, with `undefined` where a series has no point (uPlot
// draws a line across those, and a gap at an explicit null).

import type { Series } from './result-series.ts';

export interface Aligned {
  /** Seconds since the epoch (uPlot's time scale unit). */
  xs: number[];
  ys: Array<Array<number | null | undefined>>;
}

export function alignSeries(series: Series[]): Aligned {
  // Most results (aggregated windows, one device) share their times: skip the join.
  const first = series[0];
  if (first && series.every((s) => s.times.length === first.times.length && s.times.every((t, i) => t === first.times[i])) && isAscending(first.times)) {
    return { xs: first.times.map((t) => t / 1000), ys: series.map((s) => s.values.slice()) };
  }
  const all = new Set<number>();
  for (const s of series) for (const t of s.times) all.add(t);
  const times = Float64Array.from(all).sort();
  const index = new Map<number, number>();
  times.forEach((t, i) => index.set(t, i));
  const ys = series.map((s) => {
    const col: Array<number | null | undefined> = new Array(times.length).fill(undefined);
    for (let i = 0; i < s.times.length; i++) col[index.get(s.times[i])!] = s.values[i];
    return col;
  });
  return { xs: Array.from(times, (t) => t / 1000), ys };
}

function isAscending(a: number[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false;
  return true;
}
