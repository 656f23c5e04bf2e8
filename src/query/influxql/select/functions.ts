// InfluxQL functions evaluated in JS: reducers over a window's points that
// SQL has no natural form for (mode, percentile, integral, sample, top,
// bottom, distinct), the transformations that walk a series in time order
// (derivative, difference, moving_average, cumulative_sum, elapsed) and the
// math functions. Semantics follow influxdb 1.x query/functions.go.

import * as goMath from './go-math.ts';
import { arith, compareValues, isNumeric, toNumber, type Value } from './values.ts';

export interface Pt {
  t: bigint;
  v: Value;
  /** Auxiliary values carried with a selected point (tags, other fields). */
  aux?: Value[];
}

export const AGGREGATES = new Set(['count', 'distinct', 'integral', 'mean', 'median', 'mode', 'spread', 'stddev', 'sum']);
export const SELECTORS = new Set(['first', 'last', 'max', 'min', 'percentile', 'sample', 'top', 'bottom']);
export const TRANSFORMS = new Set(['derivative', 'non_negative_derivative', 'difference', 'non_negative_difference', 'moving_average', 'cumulative_sum', 'elapsed']);
export const MATH = new Set(['abs', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'exp', 'ln', 'log', 'log2', 'log10', 'sqrt', 'pow', 'floor', 'ceil', 'round']);
export function isMathFunction(name: string): boolean {
  return MATH.has(name);
}

/** Selectors that emit several rows per window. */
export const MULTI_ROW = new Set(['top', 'bottom', 'sample', 'distinct']);

/**
 * FloatModeReducer (query/functions.go): points sorted by value; the most
 * frequent value wins, on a tie the one whose run starts earliest in time;
 * values seen once never replace the first (smallest) value.
 */
export function mode(points: Pt[]): Value {
  if (points.length === 0) return null;
  const sorted = points.map((p, i) => ({ v: p.v, t: p.t, i })).sort((a, b) => compareValues(a.v, b.v) || a.i - b.i);
  let mostFreq = 0;
  let mostMode = sorted[0].v;
  let mostTime = sorted[0].t;
  let currFreq = 0;
  let currMode = sorted[0].v;
  let currTime = sorted[0].t;
  for (const p of sorted) {
    if (compareValues(p.v, currMode) !== 0 || typeof p.v !== typeof currMode) {
      currFreq = 1;
      currMode = p.v;
      currTime = p.t;
      continue;
    }
    currFreq++;
    if (mostFreq > currFreq || (mostFreq === currFreq && currTime > mostTime)) continue;
    mostFreq = currFreq;
    mostMode = p.v;
    mostTime = currTime;
  }
  return mostMode;
}

/** percentile selector: sorted by value (time breaks ties), index floor(n*p/100 + 0.5) - 1. */
export function percentile(points: Pt[], p: number): Pt | undefined {
  const sorted = [...points].sort((a, b) => compareValues(a.v, b.v) || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const i = Math.floor((sorted.length * p) / 100 + 0.5) - 1;
  if (i < 0 || i >= sorted.length) return undefined;
  return sorted[i];
}

export function median(points: Pt[]): Value {
  if (points.length === 0) return null;
  const v = points.map((p) => toNumber(p.v)!).sort((a, b) => a - b);
  const n = v.length;
  return n % 2 === 1 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** integral: trapezoids between consecutive points, in `unit` (ns). */
/** query/functions.go linearFloat. */
function linearFloat(windowTime: bigint, prevTime: bigint, nextTime: bigint, prev: number, next: number): number {
  const m = (next - prev) / Number(nextTime - prevTime);
  const x = Number(windowTime - prevTime);
  return m * x + prev;
}

/**
 * 1.x's FloatIntegralReducer / IntegerIntegralReducer, fed every point of a
 * series (group) in time order across windows: when a point passes the
 * window's end the area up to the end is interpolated and the window's sum
 * emitted at its start; the next sum starts at the window of that point
 * (windows in between get nothing). The integer reducer keeps the old value
 * as the previous one and uses the interpolated value with the new point.
 * Without GROUP BY time() the float reducer has no window (time 0) and the
 * integer one the query's [start, end] (`start`).
 */
export function integralStream(points: Pt[], unit: bigint, windowOf: ((t: bigint) => [bigint, bigint]) | undefined, integer: boolean, start: bigint): Array<{ t: bigint; v: number }> {
  const out: Array<{ t: bigint; v: number }> = [];
  let prev: { t: bigint; v: number } | undefined;
  let sum = 0;
  let ws = 0n;
  let we = 0n;
  const u = Number(unit);
  for (const p of points) {
    const pv = toNumber(p.v)!;
    if (!prev) {
      prev = { t: p.t, v: pv };
      if (windowOf) [ws, we] = windowOf(p.t);
      else if (integer) ws = start;
      continue;
    }
    if (prev.t === p.t) {
      prev = { t: p.t, v: pv };
      continue;
    }
    let value = pv;
    if (windowOf && p.t >= we) {
      if (prev.t !== we) {
        const iv = linearFloat(we, prev.t, p.t, prev.v, pv);
        sum += 0.5 * (iv + prev.v) * (Number(we - prev.t) / u);
        if (integer) value = iv;
        else prev.v = iv;
        prev.t = we;
      }
      out.push({ t: ws, v: sum });
      [ws, we] = windowOf(p.t);
      sum = 0;
    }
    sum += 0.5 * (value + prev.v) * (Number(p.t - prev.t) / u);
    prev = { t: p.t, v: pv };
  }
  if (prev && prev.t !== ws) out.push({ t: ws, v: sum });
  return out;
}

/** FloatDistinctReducer: each value once, at its first time, ordered by (time, value). */
export function distinct(points: Pt[]): Value[] {
  const seen = new Map<string, Pt>();
  for (const p of points) {
    const k = typeof p.v + ':' + String(p.v);
    const cur = seen.get(k);
    if (!cur || p.t < cur.t) seen.set(k, p);
  }
  return [...seen.values()].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : compareValues(a.v, b.v))).map((p) => p.v);
}

export function sample(points: Pt[], n: number): Pt[] {
  if (points.length <= n) return points;
  const idx = points.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => points[i]);
}

/**
 * top/bottom: the n largest (smallest) values, earlier points first on ties;
 * with tag arguments at most one point per tag combination. Output sorted by time.
 */
export function topBottom(points: Pt[], n: number, top: boolean, groupKey?: (p: Pt) => string): Pt[] {
  const better = (a: Pt, b: Pt) => {
    const c = compareValues(a.v, b.v) * (top ? 1 : -1);
    if (c !== 0) return c > 0;
    return a.t < b.t;
  };
  let cands = points;
  if (groupKey) {
    const best = new Map<string, Pt>();
    for (const p of points) {
      const k = groupKey(p);
      const cur = best.get(k);
      if (!cur || better(p, cur)) best.set(k, p);
    }
    cands = [...best.values()];
  }
  const sorted = [...cands].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  return sorted.slice(0, n).sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

// ---------------------------------------------------------------- transformations

export interface TransformSpec {
  name: string;
  /** derivative / elapsed unit in ns, moving_average window. */
  unit: bigint;
  n: number;
}

/**
 * Applies a transformation to a series' values in row order (already sorted by
 * time, ascending or descending). Returns one output per row (null = no row).
 */
export function transform(spec: TransformSpec, times: bigint[], values: Value[], ascending: boolean): Value[] {
  const out: Value[] = new Array(values.length).fill(null);
  switch (spec.name) {
    case 'derivative':
    case 'non_negative_derivative': {
      let prev = -1;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === null || !isNumeric(values[i])) continue;
        if (prev >= 0 && times[i] !== times[prev]) {
          const dv = toNumber(values[i])! - toNumber(values[prev])!;
          let dt = Number(times[i] - times[prev]) / Number(spec.unit);
          if (!ascending) dt = -dt;
          const d = dv / dt;
          if (!(spec.name === 'non_negative_derivative' && d < 0)) out[i] = d;
        }
        if (prev < 0 || times[i] !== times[prev]) prev = i;
      }
      return out;
    }
    case 'difference':
    case 'non_negative_difference': {
      let prev = -1;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === null || !isNumeric(values[i])) continue;
        if (prev >= 0 && times[i] !== times[prev]) {
          const d = arith('-', values[i], values[prev]);
          const neg = typeof d === 'bigint' ? d < 0n : (d as number) < 0;
          if (!(spec.name === 'non_negative_difference' && neg)) out[i] = d;
        }
        if (prev < 0 || times[i] !== times[prev]) prev = i;
      }
      return out;
    }
    case 'moving_average': {
      const win: number[] = [];
      let sum = 0;
      for (let i = 0; i < values.length; i++) {
        const x = toNumber(values[i]);
        if (x === null) continue;
        win.push(x);
        sum += x;
        if (win.length > spec.n) sum -= win.shift()!;
        if (win.length === spec.n) out[i] = sum / spec.n;
      }
      return out;
    }
    case 'cumulative_sum': {
      let acc: Value = null;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === null || !isNumeric(values[i])) continue;
        acc = acc === null ? values[i] : arith('+', acc, values[i]);
        out[i] = acc;
      }
      return out;
    }
    case 'elapsed': {
      let prev = -1;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === null) continue;
        if (prev >= 0) {
          const dt = ascending ? times[i] - times[prev] : times[prev] - times[i];
          out[i] = dt / spec.unit;
        }
        prev = i;
      }
      return out;
    }
  }
  return out;
}

// ---------------------------------------------------------------- math

export function math(name: string, args: Value[]): Value {
  const x = toNumber(args[0]);
  if (x === null) return null;
  switch (name) {
    case 'abs':
      return typeof args[0] === 'bigint' ? (args[0] < 0n ? -args[0] : args[0]) : Math.abs(x);
    case 'sin':
      return goMath.sin(x);
    case 'cos':
      return goMath.cos(x);
    case 'tan':
      return goMath.tan(x);
    case 'asin':
      return goMath.asin(x);
    case 'acos':
      return goMath.acos(x);
    case 'atan':
      return goMath.atan(x);
    case 'atan2': {
      const y = toNumber(args[1]);
      return y === null ? null : goMath.atan2(x, y);
    }
    case 'exp':
      return Math.exp(x);
    case 'ln':
      return Math.log(x);
    case 'log': {
      const b = toNumber(args[1]);
      return b === null ? null : Math.log(x) / Math.log(b);
    }
    case 'log2':
      return goMath.log2(x);
    case 'log10':
      return goMath.log10(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'pow': {
      const y = toNumber(args[1]);
      return y === null ? null : goMath.pow(x, y);
    }
    case 'floor':
      return typeof args[0] === 'bigint' ? args[0] : Math.floor(x);
    case 'ceil':
      return typeof args[0] === 'bigint' ? args[0] : Math.ceil(x);
    case 'round':
      return typeof args[0] === 'bigint' ? args[0] : goRound(x);
  }
  return null;
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
