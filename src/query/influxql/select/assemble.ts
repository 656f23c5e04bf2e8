// From SQL rows to InfluxQL series: rows are split by GROUP BY tags, windows
// are filled (null, none, previous, linear, a number; count fills 0),
// selectors' points and multi-row functions are expanded, and the field
// expressions (arithmetic, math, transformations) are evaluated per series.

import type { Expr } from '../ast.ts';
import { exprString } from '../ast.ts';
import { QueryError } from '../condition.ts';
import type { Compiled } from './analyze.ts';
import type { BuiltSql, Plan } from './build-sql.ts';
import { distinct, math, median, mode, percentile, sample, topBottom, transform, MATH, TRANSFORMS, type Pt } from './functions.ts';
import { floatReduce, integralValues, mergeMulti, numArg, rawRows, toPt, toPts, toValue, type AssembleOptions, type MultiRow, type Row } from './rows.ts';
import { arith, type Value } from './values.ts';
import type { Windows } from './zone.ts';
import type { Cell } from '../../sql/result-values.ts';

/** Windows one series may fill at most (about 1 GB of rows). */
export const HARD_MAX_WINDOWS = 10_000_000n;

export interface OutSeries {
  name: string;
  tags?: Record<string, string>;
  /** [time ns, ...column values] */
  rows: Array<[bigint, ...Value[]]>;
  sortKey: string;
}

/** The columns' expressions: fields, plus the tag arguments of top()/bottom(). */
export function outputExprs(c: Compiled): Expr[] {
  const out: Expr[] = [];
  for (const f of c.fields) {
    out.push(f.expr);
    if (f.expr.kind === 'call' && (f.expr.name === 'top' || f.expr.name === 'bottom')) for (const a of f.expr.args.slice(1, -1)) out.push(a);
  }
  return out;
}

/**
 * Async only to yield: every loop over rows or windows ends its slice after a
 * few ms (budget.slicer, time-slice.ts) so a 100 000-window statement never
 * holds the event loop in one piece, and the deadline is checked between.
 */
export async function assemble(c: Compiled, plan: Plan, built: BuiltSql, name: string, sqlRows: Cell[][], o: AssembleOptions): Promise<OutSeries[]> {
  const sl = o.budget.slicer;
  const nKeys = built.groupKeys.length;
  const groups = new Map<string, { tags: string[]; rows: Cell[][] }>();
  const keyBase = c.aggregate ? 1 : 1;
  for (const r of sqlRows) {
    if (sl.due()) await sl.next();
    const tags = r.slice(keyBase, keyBase + nKeys).map((x) => String(x ?? ''));
    const k = tags.join('\u0000');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { tags, rows: [] }));
    g.rows.push(r);
  }
  const auxIndex = new Map<string, number>();
  plan.aux.forEach((a, i) => auxIndex.has(exprString(a)) || auxIndex.set(exprString(a), i));
  const leafIndex = new Map(plan.leaves.map((l, i) => [l.key, i]));
  const exprs = outputExprs(c);
  const out: OutSeries[] = [];
  o.budget.addSeries(groups.size);
  for (const g of groups.values()) {
    o.budget.checkDeadline();
    let rows = c.aggregate ? await aggregateRows(c, plan, built, g.rows, o) : await rawRows(plan, built, g.rows, name, o.ascending, sl);
    const cols = exprs.map((e) => evalColumn(e, rows, leafIndex, auxIndex, c, o.ascending));
    let emit = rows.map((_, i) => i);
    if (c.hasTransform) {
      // A row exists where a plain (untransformed) aggregate has a window, or a transformation yields a value.
      const tcols = exprs.map((e, j) => (hasTransform(e) ? j : -1)).filter((j) => j >= 0);
      const plain = exprs.some((e) => hasPlainLeaf(e, false));
      if (!plain) emit = emit.filter((i) => tcols.some((j) => cols[j][i] !== null));
    }
    if (o.outputMin !== undefined) emit = emit.filter((i) => rows[i].t >= o.outputMin!);
    if (o.offset > 0 || o.limit > 0) emit = emit.slice(o.offset, o.limit > 0 ? o.offset + o.limit : undefined);
    if (emit.length === 0) continue;
    const tags: Record<string, string> = {};
    built.groupKeys.forEach((k, i) => (tags[k] = g.tags[i]));
    const outRows: Array<[bigint, ...Value[]]> = new Array(emit.length);
    for (let n = 0; n < emit.length; n++) {
      if (sl.due()) await sl.next();
      const i = emit[n];
      // query/cursor.go scannerCursor.Scan: a NaN field value is emitted as null.
      outRows[n] = [rows[i].t, ...cols.map((col) => (typeof col[i] === 'number' && Number.isNaN(col[i]) ? null : col[i]))];
    }
    out.push({
      name,
      tags: nKeys > 0 ? tags : undefined,
      rows: outRows,
      sortKey: built.groupKeys.map((k, i) => `${k}\u0000${g.tags[i]}`).join('\u0000'),
    });
    rows = [];
  }
  return out;
}

async function aggregateRows(c: Compiled, plan: Plan, built: BuiltSql, rows: Cell[][], o: AssembleOptions): Promise<Row[]> {
  const sl = o.budget.slicer;
  const nAux = plan.aux.length;
  const iv = c.dims.interval;
  // Per window: leaf values (points for selectors and multi-row functions).
  const windows = new Map<bigint, { leaf: Value[]; pts: Array<Pt | undefined>; multi?: MultiRow[] }>();
  const integralInput: Array<{ leaf: number; w: bigint; list: Pt[] }> = [];
  for (const r of rows) {
    if (sl.due()) await sl.next();
    const w = BigInt(r[0] as bigint);
    const leaf: Value[] = [];
    const pts: Array<Pt | undefined> = [];
    const multis: Array<Pt[] | undefined> = [];
    plan.leaves.forEach((l, i) => {
      let multi: Pt[] | undefined;
      const col = built.leafColumn[i];
      const cell = col === undefined ? undefined : r[col];
      const call = l.expr as Expr & { kind: 'call' };
      if (l.kind === 'scalar' && built.ordered?.has(i)) {
        leaf.push(floatReduce(call.name, toPts(cell, 0).map((p) => p.v as number)));
        pts.push(undefined);
      } else if (l.kind === 'scalar') {
        leaf.push(toValue(cell));
        pts.push(undefined);
      } else if (l.kind === 'point') {
        const p = toPt(cell, nAux);
        leaf.push(p ? p.v : null);
        pts.push(p);
      } else {
        const list = toPts(cell, nAux);
        let v: Value = null;
        let p: Pt | undefined;
        switch (call.name) {
          case 'mode':
            v = mode(list);
            break;
          case 'median':
            v = median(list);
            break;
          case 'integral':
            // Streams across windows: computed below from every window's points.
            integralInput.push({ leaf: i, w, list });
            break;
          case 'percentile':
            p = percentile(list, numArg(call.args[1]));
            v = p ? p.v : null;
            break;
          case 'distinct':
            multi = distinct(list).map((x) => ({ t: w, v: x, aux: [] }));
            break;
          case 'sample':
            multi = sample(list, numArg(call.args[1]));
            break;
          case 'top':
          case 'bottom': {
            const tagArgs = call.args.slice(1, -1).map((a) => plan.aux.findIndex((x) => exprString(x) === exprString(a)));
            const key = tagArgs.length ? (pt: Pt) => tagArgs.map((j) => String(pt.aux?.[j] ?? '')).join('\u0000') : undefined;
            multi = topBottom(list, numArg(call.args[call.args.length - 1]), call.name === 'top', key);
            break;
          }
        }
        leaf.push(v);
        pts.push(p);
      }
      multis.push(multi);
    });
    windows.set(w, { leaf, pts, multi: multis.some((m) => m !== undefined) ? mergeMulti(multis) : undefined });
  }
  const integralTime = integralValues(c, plan, integralInput, windows, o);
  const pointOf = (win: { pts: Array<Pt | undefined> }) => win.pts.find((p) => p !== undefined);
  const out: Row[] = [];
  if (!iv) {
    const win = windows.get(0n) ?? windows.values().next().value;
    if (!win) return [];
    const t0 = integralTime ?? o.range.min ?? 0n;
    if (plan.leaves.every((l) => (l.expr as Expr & { kind: 'call' }).name === 'integral') && win.leaf.every((v) => v === null)) return [];
    if (win.multi) {
      return win.multi.map((p) => ({ t: c.multiRow?.name === 'distinct' ? t0 : p.t, leaf: win.leaf.map((v, i) => (p.vals[i] !== undefined ? p.vals[i]! : v)), aux: p.aux }));
    }
    const p = c.pointTime ? pointOf(win) : undefined;
    if (c.pointTime && !p) return [];
    return [{ t: p ? p.t : t0, leaf: win.leaf, aux: p?.aux ?? new Array(plan.aux.length).fill(null) }];
  }
  // GROUP BY time: every window from the start to the end of the range, then fill.
  const keys = [...windows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return [];
  const every = iv.every;
  const win = o.windows!;
  const start = o.range.min !== undefined ? win.start(o.range.min) : keys[0];
  const end = o.range.max !== undefined ? win.start(o.range.max) : keys[keys.length - 1];
  const count = end >= start ? (end - start) / every + 1n : 0n;
  // The integral iterator is not filled: only the windows it emitted.
  const integralOnly = plan.leaves.every((l) => (l.expr as Expr & { kind: 'call' }).name === 'integral');
  const filled = o.fill !== 'none' && !integralOnly;
  // Windows x series against max-select-buckets, before a window is built.
  o.budget.addWindows(filled ? count : BigInt(keys.length));
  // InfluxDB streams its windows; hookline builds them, so even with the
  // budget off (0) an absurd number (GROUP BY time(1s) over decades) is refused.
  if (filled && count > HARD_MAX_WINDOWS) throw new QueryError(`max-select-buckets limit exceeded: (${count}/${HARD_MAX_WINDOWS})`);
  const isCount = plan.leaves.map((l) => (l.expr as Expr & { kind: 'call' }).name === 'count');
  const seq: Array<{ t: bigint; win?: { leaf: Value[]; pts: Array<Pt | undefined>; multi?: MultiRow[] } }> = [];
  if (integralOnly) {
    for (const k of keys) if (windows.get(k)!.leaf.some((v) => v !== null)) seq.push({ t: k, win: windows.get(k) });
  } else if (o.fill === 'none') for (const k of keys) seq.push({ t: k, win: windows.get(k) });
  else {
    for (let t = start; t <= end; t = win.next(t)) {
      if (sl.due()) await sl.next();
      seq.push({ t, win: windows.get(t) });
    }
  }
  if (!o.ascending) seq.reverse();
  const nLeaves = plan.leaves.length;
  for (const s of seq) {
    if (sl.due()) await sl.next();
    if (s.win?.multi) {
      for (const p of s.win.multi) out.push({ t: c.multiRow?.name === 'distinct' ? s.t : p.t, leaf: s.win.leaf.map((v, i) => (p.vals[i] !== undefined ? p.vals[i]! : v)), aux: p.aux });
      continue;
    }
    if (c.multiRow && !s.win) continue;
    const leaf = s.win ? [...s.win.leaf] : new Array<Value>(nLeaves).fill(null);
    const missing = s.win ? leaf.map((v) => v === null) : new Array<boolean>(nLeaves).fill(true);
    // A lone selector's auxiliary fields come from the point it selected in the window.
    const p = c.selectorPoint && s.win ? pointOf(s.win) : undefined;
    out.push({ t: s.t, leaf, aux: p?.aux ?? new Array(plan.aux.length).fill(null), ...({ missing } as object) });
  }
  await applyFill(out as Array<Row & { missing?: boolean[] }>, isCount, o);
  return out;
}

async function applyFill(rows: Array<Row & { missing?: boolean[] }>, isCount: boolean[], o: AssembleOptions): Promise<void> {
  const n = isCount.length;
  const sl = o.budget.slicer;
  for (let j = 0; j < n; j++) {
    let prev: Value = null;
    for (let i = 0; i < rows.length; i++) {
      if (sl.due()) await sl.next();
      const r = rows[i];
      if (!r.missing || !r.missing[j]) {
        if (r.leaf[j] !== null) prev = r.leaf[j];
        continue;
      }
      switch (o.fill) {
        case 'null':
          if (isCount[j]) r.leaf[j] = 0n;
          break;
        case 'number':
          r.leaf[j] = isCount[j] && typeof o.fillValue === 'number' ? BigInt(Math.trunc(o.fillValue)) : (o.fillValue ?? null);
          break;
        case 'previous':
          r.leaf[j] = prev;
          break;
        case 'linear': {
          let k = i + 1;
          while (k < rows.length && (rows[k].missing?.[j] || rows[k].leaf[j] === null)) k++;
          let p = i - 1;
          while (p >= 0 && rows[p].leaf[j] === null) p--;
          if (p >= 0 && k < rows.length) {
            const y1 = rows[p].leaf[j];
            const y2 = rows[k].leaf[j];
            // query/linear.go: the slope in float64, integers truncated (int64(m*x + b)).
            if (typeof y1 === 'bigint' && typeof y2 === 'bigint') r.leaf[j] = BigInt(Math.trunc((Number(y2 - y1) / (k - p)) * (i - p) + Number(y1)));
            else if (y1 !== null && y2 !== null) r.leaf[j] = Number(y1) + ((Number(y2) - Number(y1)) * (i - p)) / (k - p);
          }
          break;
        }
      }
    }
  }
}

function hasPlainLeaf(e: Expr, underTransform: boolean): boolean {
  if (e.kind === 'call') {
    if (TRANSFORMS.has(e.name)) return e.args.some((a) => hasPlainLeaf(a, true));
    if (MATH.has(e.name)) return e.args.some((a) => hasPlainLeaf(a, underTransform));
    return !underTransform;
  }
  if (e.kind === 'varref') return !underTransform;
  if (e.kind === 'binary') return hasPlainLeaf(e.lhs, underTransform) || hasPlainLeaf(e.rhs, underTransform);
  if (e.kind === 'paren') return hasPlainLeaf(e.expr, underTransform);
  return false;
}

function hasTransform(e: Expr): boolean {
  if (e.kind === 'call') return TRANSFORMS.has(e.name) || e.args.some(hasTransform);
  if (e.kind === 'binary') return hasTransform(e.lhs) || hasTransform(e.rhs);
  if (e.kind === 'paren') return hasTransform(e.expr);
  return false;
}

function evalColumn(e: Expr, rows: Row[], leafIndex: Map<string, number>, auxIndex: Map<string, number>, c: Compiled, ascending: boolean): Value[] {
  const key = exprString(e);
  const li = leafIndex.get(key);
  if (li !== undefined) return rows.map((r) => r.leaf[li]);
  switch (e.kind) {
    case 'varref': {
      const ai = auxIndex.get(key);
      if (ai !== undefined) return rows.map((r) => r.aux[ai] ?? null);
      return rows.map(() => null);
    }
    case 'paren':
      return evalColumn(e.expr, rows, leafIndex, auxIndex, c, ascending);
    case 'binary': {
      const a = evalColumn(e.lhs, rows, leafIndex, auxIndex, c, ascending);
      const b = evalColumn(e.rhs, rows, leafIndex, auxIndex, c, ascending);
      return a.map((x, i) => arith(e.op, x, b[i]));
    }
    case 'integer':
    case 'unsigned':
      return rows.map(() => e.val);
    case 'number':
      return rows.map(() => e.val);
    case 'string':
      return rows.map(() => e.val);
    case 'boolean':
      return rows.map(() => e.val);
    case 'duration':
      return rows.map(() => e.val);
    case 'call': {
      if (MATH.has(e.name)) {
        const args = e.args.map((a) => evalColumn(a, rows, leafIndex, auxIndex, c, ascending));
        return rows.map((_, i) => math(e.name, args.map((a) => a[i])));
      }
      if (TRANSFORMS.has(e.name)) {
        const inner = evalColumn(e.args[0], rows, leafIndex, auxIndex, c, ascending);
        const iv = c.dims.interval?.every;
        let unit = 1_000_000_000n;
        if (e.name === 'elapsed') unit = 1n;
        if ((e.name === 'derivative' || e.name === 'non_negative_derivative') && iv && !e.args[1]) unit = iv;
        if (e.args[1] && e.args[1].kind === 'duration') unit = e.args[1].val;
        const n = e.name === 'moving_average' ? numArg(e.args[1]) : 0;
        return transform({ name: e.name, unit, n }, rows.map((r) => r.t), inner, ascending);
      }
      return rows.map(() => null);
    }
    default:
      return rows.map(() => null);
  }
}
