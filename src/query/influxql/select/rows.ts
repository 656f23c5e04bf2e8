// Rows of one output series before the field expressions: raw rows in
// 1.x's merge order, and the reducers that run over a window's (or a whole
// series') values in JS because their order or streaming matters (float
// sums, integral(), several multi-row calls side by side).

import type { Expr } from '../ast.ts';
import { MIN_TIME } from '../condition.ts';
import type { Compiled } from './analyze.ts';
import type { BuiltSql, Plan } from './build-sql.ts';
import { integralStream, type Pt } from './functions.ts';
import type { Value } from './values.ts';
import { sortedMerge } from './merge.ts';
import type { TimeRange } from '../condition.ts';
import type { Windows } from './zone.ts';
import type { SelectBudget } from './budget.ts';
import { canonicalSeriesKey } from '../../../core/series-key.ts';
import type { Cell } from '../../sql/result-values.ts';
import type { TimeSlicer } from '../../time-slice.ts';

/** How assemble.ts (which calls the reducers here) shapes a series; here so that rows.ts does not import assemble.ts back. */
export interface AssembleOptions {
  range: TimeRange;
  ascending: boolean;
  fill: 'null' | 'none' | 'previous' | 'linear' | 'number';
  fillValue?: number | bigint;
  /** LIMIT/OFFSET still to apply per series (not pushed into SQL). */
  limit: number;
  offset: number;
  /** max-select-* and the deadline (budget.ts). */
  budget: SelectBudget;
  /** GROUP BY time() windows (tz() aware). */
  windows?: Windows;
  /** Rows before this time were only computed to seed transformations (derivative's extra interval). */
  outputMin?: bigint;
}

export interface Row {
  t: bigint;
  leaf: Value[];
  aux: Value[];
}

export function toValue(c: Cell | undefined): Value {
  if (c === undefined || c === null) return null;
  if (typeof c === 'number' || typeof c === 'bigint' || typeof c === 'string' || typeof c === 'boolean') return c;
  return null;
}

export function toPt(c: Cell | undefined, nAux: number): Pt | undefined {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return undefined;
  const o = c as Record<string, Cell>;
  const aux: Value[] = [];
  for (let i = 0; i < nAux; i++) aux.push(toValue(o[`a${i}`]));
  return { t: BigInt(o.t as bigint), v: toValue(o.v), aux };
}

export function toPts(c: Cell | undefined, nAux: number): Pt[] {
  if (!Array.isArray(c)) return [];
  return c.map((x) => toPt(x, nAux)!).filter((p) => p !== undefined);
}

export function numArg(e: Expr | undefined): number {
  if (!e) return 0;
  if (e.kind === 'integer' || e.kind === 'unsigned' || e.kind === 'duration') return Number(e.val);
  if (e.kind === 'number') return e.val;
  return 0;
}

/** Async only to yield between slices of rows (time-slice.ts). */
export async function rawRows(plan: Plan, built: BuiltSql, rows: Cell[][], name: string, ascending: boolean, sl: TimeSlicer): Promise<Row[]> {
  const out: Row[] = new Array(rows.length);
  for (let n = 0; n < rows.length; n++) {
    if (sl.due()) await sl.next();
    const r = rows[n];
    out[n] = {
      t: BigInt(r[0] as bigint),
      leaf: plan.leaves.map((_, i) => (built.leafColumn[i] === undefined ? null : toValue(r[built.leafColumn[i]!]))),
      aux: [] as Value[],
    };
  }
  const st = built.seriesTags;
  if (!st || out.length < 2) return out;
  // Split into series (rows stay in time order), order them by series key
  // (reversed for DESC), and merge as 1.x's sorted merge heap does.
  const bySeries = new Map<string, Array<Row & { aux: Value[] }>>();
  for (let i = 0; i < rows.length; i++) {
    if (sl.due()) await sl.next();
    const r = rows[i];
    const tags: Array<[string, string]> = [];
    st.keys.forEach((k, o) => r[st.start + o] !== null && r[st.start + o] !== undefined && tags.push([k, String(r[st.start + o])]));
    tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const key = canonicalSeriesKey(name, tags);
    let l = bySeries.get(key);
    if (!l) bySeries.set(key, (l = []));
    l.push({ ...out[i], aux: out[i].leaf });
  }
  if (bySeries.size < 2) return out;
  const keys = [...bySeries.keys()].sort();
  if (!ascending) keys.reverse();
  return sortedMerge(
    keys.map((k) => bySeries.get(k)!),
    ascending,
  ).map((r) => ({ ...r, aux: [] }));
}


/**
 * 1.x's float reducers over values in their feeding order (query/functions.go):
 * FloatSumReducer adds to the first value, FloatMeanReducer to 0, and
 * FloatStddevReduceSlice takes a running mean, then the squared deviations.
 */
export function floatReduce(name: string, vs: number[]): Value {
  if (vs.length === 0) return null;
  switch (name) {
    case 'sum': {
      let sum = vs[0];
      for (let i = 1; i < vs.length; i++) sum += vs[i];
      return sum;
    }
    case 'mean': {
      let sum = 0;
      for (const v of vs) sum += v;
      return sum / vs.length;
    }
    case 'stddev': {
      if (vs.length < 2) return null;
      let mean = 0;
      let n = 0;
      for (const v of vs) mean += (v - mean) / ++n;
      let variance = 0;
      for (const v of vs) variance += (v - mean) * (v - mean);
      return Math.sqrt(variance / (n - 1));
    }
  }
  return null;
}

/** One output row of multi-row functions: per leaf its value (undefined: not a multi-row leaf). */
export interface MultiRow {
  t: bigint;
  vals: Array<Value | undefined>;
  aux: Value[];
}

/**
 * Several multi-row calls (sample(*, N) expands to one per field) side by
 * side, as query/emitter.go joins iterators: each row takes the earliest
 * time among the calls' next points, and the calls whose next point has that
 * time fill their column (the others are null).
 */
export function mergeMulti(lists: Array<Pt[] | undefined>): MultiRow[] {
  const pos = lists.map(() => 0);
  const out: MultiRow[] = [];
  for (;;) {
    let t: bigint | undefined;
    lists.forEach((l, i) => {
      if (l && pos[i] < l.length && (t === undefined || l[pos[i]].t < t)) t = l[pos[i]].t;
    });
    if (t === undefined) return out;
    const row: MultiRow = { t, vals: lists.map((l) => (l ? null : undefined)), aux: [] };
    lists.forEach((l, i) => {
      if (!l || pos[i] >= l.length || l[pos[i]].t !== t) return;
      const p = l[pos[i]++];
      row.vals[i] = p.v;
      if (row.aux.length === 0 && p.aux) row.aux = p.aux;
    });
    out.push(row);
  }
}

/**
 * integral() leaves from every window's points, streamed in time order (see
 * integralStream). Returns the row time of an integral without GROUP BY
 * time(): 0 for floats, the query's start for integers.
 */
export function integralValues(
  c: Compiled,
  plan: Plan,
  input: Array<{ leaf: number; w: bigint; list: Pt[] }>,
  windows: Map<bigint, { leaf: Value[] }>,
  o: AssembleOptions,
): bigint | undefined {
  if (input.length === 0) return undefined;
  const iv = c.dims.interval;
  let time: bigint | undefined;
  for (const i of new Set(input.map((x) => x.leaf))) {
    const call = plan.leaves[i].expr as Expr & { kind: 'call' };
    const parts = input.filter((x) => x.leaf === i).sort((a, b) => (a.w < b.w ? -1 : a.w > b.w ? 1 : 0));
    const points = parts.flatMap((x) => x.list);
    const integer = points.length > 0 && typeof points[0].v === 'bigint';
    const unit = call.args[1] ? BigInt(numArg(call.args[1])) : 1_000_000_000n;
    const windowOf = iv && o.windows ? (t: bigint): [bigint, bigint] => [o.windows!.start(t), o.windows!.next(o.windows!.start(t))] : undefined;
    const start = o.range.min !== undefined && o.range.min > MIN_TIME ? o.range.min : 0n;
    for (const w of windows.values()) w.leaf[i] = null;
    for (const r of integralStream(points, unit, windowOf, integer, start)) {
      if (!iv) {
        time = r.t;
        const w = windows.get(0n) ?? windows.values().next().value;
        if (w) w.leaf[i] = r.v;
      } else {
        const w = windows.get(r.t);
        if (w) w.leaf[i] = r.v;
      }
    }
  }
  return time;
}
