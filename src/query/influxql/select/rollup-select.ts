// GROUP BY time() aggregates answered from the engine's rollups
// (core/ports/rollups.ts) instead of a scan: when every selected value is
// count, sum, mean, min, max, first or last of one numeric field, the WHERE
// clause tests tags only, and the windows are whole minutes without tz(),
// the rows build-sql.ts's statement would return are computed from per
// (series, window) aggregates, and assemble.ts takes them as it takes SQL's.
// This is what makes a dashboard panel (one device per minute, every device
// per hour, the last value of each device) cost a lookup instead of a scan.
//
// The values are those the SQL gives: counts and integer sums exact; float
// sums and means from exact decimal sums when the files store the floats as
// decimals (as avg() over the stored DECIMAL does, build-sql.ts), else from
// float sums in another order than DuckDB's (the last bits may differ, as
// they may between two DuckDB runs); min, max, first and last the very
// stored values, with SQL's ties (greatest value among points at one time).

import { exprString, type Expr } from '../ast.ts';
import { FieldType, NUMERIC_TYPES as NUMERIC } from '../../../core/field-type.ts';
import type { RollupResult } from '../../../core/ports/rollups.ts';
import type { TimeRange } from '../condition.ts';
import type { Cell } from '../../sql/result-values.ts';
import type { Compiled } from './analyze.ts';
import { groupTags, refSql, type BuiltSql, type Plan } from './build-sql.ts';
import type { Rel } from './relation.ts';
import { tagFilter } from './tag-filter.ts';
import { isFieldCol } from '../../store-view.ts';

const CALLS = new Set(['count', 'sum', 'mean', 'min', 'max', 'first', 'last']);
const SAFE = 2 ** 53;

interface LeafSpec {
  call: string;
  field: number;
  type: FieldType;
  point: boolean;
}

export interface RollupOptions {
  range: TimeRange;
  filter?: Expr;
  tz?: string;
  /** Float sums must be added in 1.x's order (small relations, build-sql.ts): rollups cannot. */
  orderedSums: boolean;
}

/** The rows and their layout, or undefined when the rollups cannot answer this statement. */
export async function rollupRows(c: Compiled, plan: Plan, rel: Rel, o: RollupOptions): Promise<{ built: BuiltSql; rows: Cell[][] } | undefined> {
  const reader = rel.rollups?.();
  if (!reader || !c.aggregate || plan.aux.length > 0 || o.tz || rel.fromSubquery) return undefined;
  const iv = c.dims.interval;
  if (iv && (iv.every % 60_000_000_000n !== 0n || iv.offset % 60_000_000_000n !== 0n)) return undefined;
  const fields: string[] = [];
  const leaves: LeafSpec[] = [];
  for (const leaf of plan.leaves) {
    const e = leaf.expr;
    if (e.kind !== 'call' || !CALLS.has(e.name) || e.args.length !== 1 || e.args[0].kind !== 'varref') return undefined;
    // A selector's point: first and last carry their time; min and max only where the time is the
    // window's (GROUP BY time, assemble.ts pointTime), as no rollup keeps when a minimum was reached.
    if (leaf.kind === 'list' || (leaf.kind === 'point' && e.name !== 'first' && e.name !== 'last' && c.pointTime)) return undefined;
    const r = refSql(e.args[0], rel);
    if (r.tag || !isFieldCol(r.sql) || r.type === undefined || !NUMERIC.has(r.type)) return undefined;
    if (o.orderedSums && r.type === FieldType.Float && (e.name === 'mean' || e.name === 'sum')) return undefined;
    const name = rel.fields.find((f) => `field${f.ordinal}` === r.sql)!.name;
    let k = fields.indexOf(name);
    if (k < 0) k = fields.push(name) - 1;
    leaves.push({ call: e.name, field: k, type: r.type, point: leaf.kind === 'point' });
  }
  if (leaves.length === 0) return undefined;
  const keys = groupTags(c, rel);
  // The reader reports tags in this order: the group keys, then whatever the filter reads.
  const tagKeys = [...new Set([...keys, ...rel.tagKeys])];
  const accept = tagFilter(o.filter, rel, tagKeys);
  if (!accept) return undefined;
  const result = await reader.read({
    fields,
    tagKeys,
    accept,
    acceptKey: `${o.filter ? exprString(o.filter) : ''}\u0000${tagKeys.join('\u0000')}`,
    minNs: o.range.min,
    maxNs: o.range.max,
    everyNs: iv?.every,
    offsetNs: iv?.offset,
    points: leaves.some((l) => l.call === 'first' || l.call === 'last'),
    groupBy: keys.length,
  });
  if (!result) return undefined;
  const rows = groupRows(result, keys.length, leaves, fields.length, iv);
  if (!rows) return undefined;
  const base = 1 + keys.length;
  return { built: { sql: '', groupKeys: keys, leafColumn: leaves.map((_, i) => base + i), auxColumns: [] }, rows };
}

/** Per (group, window): the fields' aggregates over the group's series. */
interface Acc {
  count: number;
  sum: number;
  min: number;
  max: number;
  firstT: bigint;
  firstV: number;
  lastT: bigint;
  lastV: number;
}

function groupRows(result: RollupResult, nKeys: number, leaves: LeafSpec[], nFields: number, iv: { every: bigint; offset: bigint } | undefined): Cell[][] | undefined {
  const groups = new Map<string, { tags: string[]; windows: Map<number, Array<Acc | undefined>> }>();
  for (let s = 0; s < result.tags.length; s++) {
    const tags: string[] = new Array(nKeys);
    let gk = '';
    for (let t = 0; t < nKeys; t++) {
      tags[t] = result.tags[s][t] ?? '';
      gk += tags[t] + '\u0000';
    }
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { tags, windows: new Map() }));
    for (let j = result.start[s]; j < result.start[s + 1]; j++) {
      let accs = g.windows.get(result.windows[j]);
      if (!accs) g.windows.set(result.windows[j], (accs = new Array<Acc | undefined>(nFields).fill(undefined)));
      for (let f = 0; f < nFields; f++) {
        const st = result.fields[f];
        const n = st.count[j];
        if (n === 0) continue;
        const a = accs[f];
        const fT = st.firstT?.[j] ?? 0n;
        const lT = st.lastT?.[j] ?? 0n;
        const fV = st.firstV?.[j] ?? 0;
        const lV = st.lastV?.[j] ?? 0;
        if (!a) {
          accs[f] = { count: n, sum: st.sum[j], min: st.min[j], max: st.max[j], firstT: fT, firstV: fV, lastT: lT, lastV: lV };
          continue;
        }
        a.count += n;
        a.sum += st.sum[j];
        if (st.min[j] < a.min) a.min = st.min[j];
        if (st.max[j] > a.max) a.max = st.max[j];
        // Ties between series at one time: the greatest value (build-sql.ts first/last).
        if (fT < a.firstT || (fT === a.firstT && fV > a.firstV)) {
          a.firstT = fT;
          a.firstV = fV;
        }
        if (lT > a.lastT || (lT === a.lastT && lV > a.lastV)) {
          a.lastT = lT;
          a.lastV = lV;
        }
      }
    }
  }
  const rows: Cell[][] = [];
  for (const g of groups.values()) {
    const wins = [...g.windows.keys()].sort((a, b) => a - b);
    for (const w of wins) {
      const accs = g.windows.get(w)!;
      let any = false;
      for (let f = 0; f < nFields; f++) any ||= accs[f] !== undefined;
      if (!any) continue;
      const row: Cell[] = [iv ? iv.offset + BigInt(w) * iv.every : 0n, ...g.tags];
      for (const l of leaves) {
        const v = leafValue(l, accs[l.field], result.scales[l.field]);
        if (v === undefined) return undefined;
        row.push(v);
      }
      rows.push(row);
    }
  }
  return rows;
}

/** A leaf's cell as DuckDB would give it (bigint for integers and counts); undefined: not exact here. */
function leafValue(l: LeafSpec, a: Acc | undefined, scale: number): Cell | undefined {
  if (l.call === 'count') return BigInt(a?.count ?? 0);
  if (!a) return null;
  const int = l.type !== FieldType.Float;
  switch (l.call) {
    case 'sum':
      if (scale >= 0 && Math.abs(a.sum) >= SAFE) return undefined;
      return int ? BigInt(a.sum) : scale > 0 ? a.sum / 10 ** scale : a.sum;
    case 'mean':
      if (scale >= 0 && Math.abs(a.sum) >= SAFE) return undefined;
      return scale > 0 ? a.sum / (a.count * 10 ** scale) : a.sum / a.count;
    // As points (a lone selector under GROUP BY time): the row's time is the window's, the point's unused.
    case 'min':
      return l.point ? { t: 0n, v: typed(a.min, int) } : typed(a.min, int);
    case 'max':
      return l.point ? { t: 0n, v: typed(a.max, int) } : typed(a.max, int);
    case 'first':
      return l.point ? { t: a.firstT, v: typed(a.firstV, int) } : typed(a.firstV, int);
    case 'last':
      return l.point ? { t: a.lastT, v: typed(a.lastV, int) } : typed(a.lastV, int);
  }
  return undefined;
}

function typed(v: number, int: boolean): Cell {
  return int ? BigInt(v) : v;
}
