// OpenTSDB 2.4's aggregators (core/Aggregators.java; OTDOC user_guide/query/
// aggregators): the names /api/aggregators lists, each with
//   - `sql(v)`: the DuckDB aggregate used when downsampling one series;
//   - `combine(values)`: the value across series at one timestamp (group by);
//   - `interpolation`: what a series contributes at a timestamp where it has no
//     point: LERP (linear between its neighbours), ZIM (zero), MAX/MIN (the
//     type's extreme, i.e. nothing for min/max), PREV (previous value).
// Percentiles use the nearest-rank-with-interpolation estimate (R7) for
// pNN and epNNr7, R3 for epNNr3 (Apache commons-math Percentile EstimationType).

export type Interpolation = 'lerp' | 'zim' | 'max' | 'min' | 'prev';

export interface Aggregator {
  name: string;
  interpolation: Interpolation;
  sql(v: string): string;
  combine(values: number[]): number;
}

const sum = (xs: number[]) => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};
const avg = (xs: number[]) => sum(xs) / xs.length;
const dev = (xs: number[]) => {
  if (xs.length < 2) return 0;
  const m = avg(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / xs.length);
};
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** Percentile q (0..1) with linear interpolation between closest ranks (R7 / DuckDB quantile_cont). */
function r7(xs: number[], q: number): number {
  const s = sorted(xs);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

/** R3: nearest even rank (commons-math EstimationType.R_3). */
function r3(xs: number[], q: number): number {
  const s = sorted(xs);
  const h = s.length * q - 0.5;
  let k = Math.round(h);
  if (Math.abs(h - Math.trunc(h)) === 0.5) k = Math.trunc(h) % 2 === 0 ? Math.trunc(h) : Math.trunc(h) + 1;
  return s[Math.min(Math.max(k, 1), s.length) - 1];
}

const list: Aggregator[] = [
  { name: 'sum', interpolation: 'lerp', sql: (v) => `sum(${v})`, combine: sum },
  { name: 'min', interpolation: 'lerp', sql: (v) => `min(${v})`, combine: (xs) => Math.min(...xs) },
  { name: 'max', interpolation: 'lerp', sql: (v) => `max(${v})`, combine: (xs) => Math.max(...xs) },
  { name: 'avg', interpolation: 'lerp', sql: (v) => `avg(${v})`, combine: avg },
  { name: 'median', interpolation: 'lerp', sql: (v) => `quantile_cont(${v}, 0.5)`, combine: (xs) => r7(xs, 0.5) },
  { name: 'dev', interpolation: 'lerp', sql: (v) => `coalesce(stddev_pop(${v}), 0)`, combine: dev },
  { name: 'count', interpolation: 'zim', sql: (v) => `count(${v})::DOUBLE`, combine: (xs) => xs.length },
  { name: 'zimsum', interpolation: 'zim', sql: (v) => `sum(${v})`, combine: sum },
  { name: 'mimmin', interpolation: 'max', sql: (v) => `min(${v})`, combine: (xs) => Math.min(...xs) },
  { name: 'mimmax', interpolation: 'min', sql: (v) => `max(${v})`, combine: (xs) => Math.max(...xs) },
  { name: 'first', interpolation: 'zim', sql: (v) => `arg_min(${v}, time)`, combine: (xs) => xs[0] },
  { name: 'last', interpolation: 'zim', sql: (v) => `arg_max(${v}, time)`, combine: (xs) => xs[xs.length - 1] },
  { name: 'mult', interpolation: 'lerp', sql: (v) => `product(${v})`, combine: (xs) => xs.reduce((a, b) => a * b, 1) },
  // Aggregators.Diff: the difference between the largest and smallest value.
  { name: 'diff', interpolation: 'lerp', sql: (v) => `max(${v}) - min(${v})`, combine: (xs) => Math.max(...xs) - Math.min(...xs) },
  { name: 'squareSum', interpolation: 'zim', sql: (v) => `sum(${v} * ${v})`, combine: (xs) => sum(xs.map((x) => x * x)) },
  // pfsum across series is a plain sum at each timestamp; hookline sums within a bucket too.
  { name: 'pfsum', interpolation: 'zim', sql: (v) => `sum(${v})`, combine: sum },
  // `none` returns every series as it is (no aggregation); as a downsampler it keeps the last value.
  { name: 'none', interpolation: 'zim', sql: (v) => `arg_max(${v}, time)`, combine: (xs) => xs[xs.length - 1] },
];

for (const p of [999, 99, 95, 90, 75, 50]) {
  const q = p === 999 ? 0.999 : p / 100;
  list.push({ name: `p${p}`, interpolation: 'lerp', sql: (v) => `quantile_cont(${v}, ${q})`, combine: (xs) => r7(xs, q) });
  list.push({ name: `ep${p}r3`, interpolation: 'lerp', sql: (v) => `quantile_disc(${v}, ${q})`, combine: (xs) => r3(xs, q) });
  list.push({ name: `ep${p}r7`, interpolation: 'lerp', sql: (v) => `quantile_cont(${v}, ${q})`, combine: (xs) => r7(xs, q) });
}

const byName = new Map(list.map((a) => [a.name, a]));

/** Every aggregator name, as /api/aggregators answers (a JSON array; OpenTSDB's is an unordered set). */
export const AGGREGATOR_NAMES: readonly string[] = list.map((a) => a.name);

/** Aggregators.get: case-sensitive lookup. */
export function aggregator(name: string): Aggregator | undefined {
  return byName.get(name);
}
