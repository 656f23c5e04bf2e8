// One SQL statement per relation for a compiled SELECT. Raw queries select
// the points (time, group tags, referenced fields/tags); aggregate queries
// group by the GROUP BY tags and the time window, computed with integer
// arithmetic on epoch_ns(time) so windows align exactly as InfluxDB's do:
// start = t - ((t - offset + zone) mod interval).

import type { Expr } from '../ast.ts';
import { exprString } from '../ast.ts';
import { FieldType, NUMERIC_TYPES as NUMERIC } from '../../../core/field-type.ts';
import { filterSql, mentionsField, type TimeRange } from '../condition.ts';
import type { Compiled } from './analyze.ts';
import { AGGREGATES, MATH, SELECTORS, TRANSFORMS } from './functions.ts';
import type { Rel } from './relation.ts';
import { fieldCol, isFieldCol, tagCol } from '../../store-view.ts';
import { compileRegex } from '../regex.ts';
import type { Windows } from './zone.ts';

export type LeafKind = 'scalar' | 'list' | 'point';

export interface Leaf {
  key: string;
  kind: LeafKind;
  /** Aggregate leaves: the call; raw leaves: the varref. */
  expr: Expr;
}

export interface Plan {
  leaves: Leaf[];
  /** Varrefs carried with a selected point (single selector + other columns). */
  aux: Expr[];
}


export function leafKey(e: Expr): string {
  return exprString(e);
}

/** Collects the leaves of the field expressions. */
export function planLeaves(c: Compiled): Plan {
  const leaves = new Map<string, Leaf>();
  const aux: Expr[] = [];
  const visit = (e: Expr, inAgg: boolean): void => {
    switch (e.kind) {
      case 'varref':
        if (!c.aggregate) {
          if (!leaves.has(leafKey(e))) leaves.set(leafKey(e), { key: leafKey(e), kind: 'scalar', expr: e });
        } else if (!inAgg) aux.push(e);
        return;
      case 'binary':
        visit(e.lhs, inAgg);
        visit(e.rhs, inAgg);
        return;
      case 'paren':
        visit(e.expr, inAgg);
        return;
      case 'call': {
        if (MATH.has(e.name) || TRANSFORMS.has(e.name)) {
          for (const a of e.args) visit(a, inAgg);
          return;
        }
        if (AGGREGATES.has(e.name) || SELECTORS.has(e.name)) {
          const listy = ['mode', 'percentile', 'integral', 'sample', 'top', 'bottom', 'distinct'].includes(e.name);
          const kind: LeafKind = listy ? 'list' : c.selectorPoint ? 'point' : 'scalar';
          if (!leaves.has(leafKey(e))) leaves.set(leafKey(e), { key: leafKey(e), kind, expr: e });
          if (e.name === 'top' || e.name === 'bottom') for (const a of e.args.slice(1, -1)) aux.push(a);
        }
        return;
      }
      default:
        return;
    }
  };
  for (const f of c.fields) visit(f.expr, false);
  return { leaves: [...leaves.values()], aux };
}

/** SQL for a varref in a relation: field, tag, or NULL. */
const CAST_TYPES: Record<string, FieldType> = { float: FieldType.Float, integer: FieldType.Integer, unsigned: FieldType.Unsigned, string: FieldType.String, boolean: FieldType.Boolean };

export function refSql(e: Expr, rel: Rel): { sql: string; type?: FieldType; tag: boolean } {
  if (e.kind !== 'varref') return { sql: 'NULL', tag: false };
  if (e.type !== 'tag') {
    const f = rel.fieldByName.get(e.name);
    if (f) {
      const want = e.type === undefined || e.type === 'field' ? undefined : CAST_TYPES[e.type];
      if (want === undefined || want === f.type) return { sql: fieldCol(f.ordinal), type: f.type, tag: false };
      // tsm1 buildCursor: numeric fields cast between float, integer and
      // unsigned (Go conversions truncate); any other cast reads nothing.
      const numeric = (t: FieldType) => t === FieldType.Float || t === FieldType.Integer || t === FieldType.Unsigned;
      if (!numeric(want) || !numeric(f.type)) return { sql: 'NULL', tag: false };
      const duck = want === FieldType.Float ? 'DOUBLE' : want === FieldType.Integer ? 'BIGINT' : 'UBIGINT';
      return { sql: `CAST(${f.type === FieldType.Float ? `trunc(${fieldCol(f.ordinal)})` : fieldCol(f.ordinal)} AS ${duck})`, type: want, tag: false };
    }
    if (e.type && e.type !== 'field') return { sql: 'NULL', tag: false };
  }
  const o = rel.tagOrdinal.get(e.name);
  if (o !== undefined && e.type !== 'field') return { sql: tagCol(o), tag: true };
  return { sql: 'NULL', tag: false };
}

/** Tag keys a relation is grouped by. */
export function groupTags(c: Compiled, rel: Rel): string[] {
  if (c.dims.all) return [...rel.tagKeys].sort();
  const keys = new Set(c.dims.tags);
  for (const r of c.dims.regexes) {
    const re = compileRegex(r);
    for (const k of rel.tagKeys) if (re.test(k)) keys.add(k);
  }
  return [...keys].sort();
}

function groupSql(key: string, rel: Rel): string {
  const o = rel.tagOrdinal.get(key);
  return o === undefined ? `''` : `coalesce(${tagCol(o)}, '')`;
}

function auxStruct(aux: Expr[], rel: Rel): string {
  return aux.map((a, i) => `'a${i}': ${refSql(a, rel).sql}`).join(', ');
}

/** Aggregate SQL for one leaf, or undefined when the field cannot take it (it then yields no data). */
function aggSql(leaf: Leaf, rel: Rel, aux: Expr[]): string | undefined {
  const call = leaf.expr as Expr & { kind: 'call' };
  let arg = call.args[0];
  let distinct = false;
  if (call.name === 'count' && arg.kind === 'call' && arg.name === 'distinct') {
    arg = arg.args[0];
    distinct = true;
  } else if (call.name === 'count' && arg.kind === 'distinct') {
    arg = { kind: 'varref', name: arg.val };
    distinct = true;
  }
  const ref = refSql(arg, rel);
  // Functions read field values only: over a tag they yield nothing (1.x streams no tag values into calls).
  if (ref.sql === 'NULL' || ref.tag) return undefined;
  const F = ref.sql;
  const t = ref.type;
  const numeric = ref.tag ? false : t !== undefined && NUMERIC.has(t);
  const nn = `FILTER (WHERE ${F} IS NOT NULL)`;
  const a = aux.length > 0 ? `, ${auxStruct(aux, rel)}` : '';
  if (leaf.kind === 'list') {
    if (call.name !== 'distinct' && call.name !== 'sample' && call.name !== 'mode' && !numeric) {
      if (!(call.name === 'top' || call.name === 'bottom' || call.name === 'percentile' || call.name === 'integral') || !numeric) return undefined;
    }
    return `list({'t': __t, 'v': ${F}${a}} ORDER BY __t) ${nn}`;
  }
  if (leaf.kind === 'point') {
    const s = `{'t': __t, 'v': ${F}${a}}`;
    switch (call.name) {
      // Among points at the same time, first() and last() keep the greatest value (1.x FloatFirstReducer/FloatLastReducer).
      case 'first':
        return `first(${s} ORDER BY __t ASC, ${F} DESC) ${nn}`;
      case 'last':
        return `arg_max(${s}, {'t': __t, 'v': ${F}}) ${nn}`;
      case 'min':
        if (!numeric && t !== FieldType.Boolean) return undefined;
        return `arg_min(${s}, {'v': ${F}, 't': __t}) ${nn}`;
      case 'max':
        if (!numeric && t !== FieldType.Boolean) return undefined;
        return `arg_max(${s}, {'v': ${F}, 't': -__t}) ${nn}`;
    }
  }
  switch (call.name) {
    case 'count':
      return distinct ? `count(DISTINCT ${F})` : `count(${F})`;
    case 'sum':
      if (!numeric) return undefined;
      return t === FieldType.Integer ? `sum(${F})::BIGINT` : t === FieldType.Unsigned ? `sum(${F})::UBIGINT` : `sum(${F})`;
    case 'mean':
      return numeric ? `avg(${F})::DOUBLE` : undefined;
    case 'median':
      return numeric ? `quantile_cont(${F}, 0.5)::DOUBLE` : undefined;
    case 'spread':
      return numeric ? `max(${F}) - min(${F})` : undefined;
    case 'stddev':
      return numeric ? `stddev_samp(${F})::DOUBLE` : undefined;
    case 'min':
      return numeric || t === FieldType.Boolean ? `min(${F})` : undefined;
    case 'max':
      return numeric || t === FieldType.Boolean ? `max(${F})` : undefined;
    case 'first':
      return `first(${F} ORDER BY __t ASC, ${F} DESC) ${nn}`;
    case 'last':
      return `arg_max(${F}, {'t': __t, 'v': ${F}}) ${nn}`;
  }
  return undefined;
}

export interface BuiltSql {
  sql: string;
  groupKeys: string[];
  /** Leaf index -> column index in the result (undefined: no data for that leaf here). */
  leafColumn: Array<number | undefined>;
  auxColumns: number[];
  /** Leaves delivered as ordered value lists, to be summed in 1.x's order (float mean/sum/stddev). */
  ordered?: Set<number>;
  /** Raw rows: where the series' tag columns start, and their keys. */
  seriesTags?: { start: number; keys: string[] };
  /**
   * Aggregates whose leaves come to JS as lists of points (percentile, mode,
   * distinct, top, integral, ordered sums...): counts those points, so
   * max-select-point can bound them before they are materialised.
   */
  listPointsSql?: string;
}

export interface SqlOptions {
  range: TimeRange;
  filter?: Expr;
  /** GROUP BY time() windows (tz() aware). */
  windows?: Windows;
  ascending: boolean;
  /** Per-series LIMIT/OFFSET pushed into SQL (raw queries without transformations). */
  limit?: number;
  offset?: number;
  /** Raw queries: keep rows whose selected fields are all null (rows of a subquery). */
  keepNullRows?: boolean;
  /**
   * Tag values of every series in creation order: float mean/sum then add
   * up series by series (creation order), each in time order, as 1.x's merge
   * iterator feeds its reducers, stddev in time order, so the last bits agree.
   */
  seriesOrder?: Array<Array<string | null>>;
}

const ORDERED_CALLS = new Set(['mean', 'sum', 'stddev']);

function sqlValue(v: string | null): string {
  return v === null ? 'NULL::VARCHAR' : `'${v.replace(/'/g, "''")}'::VARCHAR`;
}

/** The relation with each row's series ordinal (__o) joined on its tags. */
function orderedInner(rel: Rel, order: Array<Array<string | null>>, where: string[]): string {
  const n = rel.tagKeys.length;
  const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  if (n === 0 || order.length === 0) return `SELECT *, epoch_ns(time) AS __t, 0 AS __o FROM (${rel.sql()}) r${w}`;
  const rows = order.map((tags, i) => `(${Array.from({ length: n }, (_, o) => sqlValue(tags[o] ?? null)).join(', ')}, ${i})`).join(', ');
  const cols = Array.from({ length: n }, (_, o) => `k${o}`);
  const on = cols.map((k, o) => `r.${tagCol(o)} IS NOT DISTINCT FROM so.${k}`).join(' AND ');
  return `SELECT r.*, epoch_ns(r.time) AS __t, coalesce(so.__o, ${order.length}) AS __o FROM (${rel.sql()}) r LEFT JOIN (VALUES ${rows}) so(${cols.join(', ')}, __o) ON ${on}${w}`;
}

function rangeSql(range: TimeRange): string[] {
  const w: string[] = [];
  if (range.min !== undefined) w.push(`time >= make_timestamp_ns(${range.min})`);
  if (range.max !== undefined) w.push(`time <= make_timestamp_ns(${range.max})`);
  return w;
}

/**
 * Whether every value the SQL reads is a plain float field under mean(): it
 * may then read floats as the files store them (RelationOptions), as avg()
 * is the only thing that sees them. Any other aggregate, a cast, a selected
 * tag or field, or a field in WHERE would see a DECIMAL instead of a DOUBLE.
 */
function averagesOnly(plan: Plan, rel: Rel, filter: Expr | undefined): boolean {
  if (plan.aux.length > 0 || (filter && mentionsField(filter, rel))) return false;
  return plan.leaves.every((leaf) => {
    const e = leaf.expr;
    if (leaf.kind !== 'scalar' || e.kind !== 'call' || e.name !== 'mean' || e.args.length !== 1) return false;
    const arg = e.args[0];
    if (arg.kind !== 'varref') return false;
    const r = refSql(arg, rel);
    return r.type === FieldType.Float && isFieldCol(r.sql);
  });
}

export function buildSql(c: Compiled, plan: Plan, rel: Rel, o: SqlOptions): BuiltSql {
  const keys = groupTags(c, rel);
  const gcols = keys.map((k, i) => `${groupSql(k, rel)} AS g${i}`);
  const where = [...rangeSql(o.range)];
  if (o.filter) where.push(filterSql(o.filter, rel));
  const innerOf = (relSql: string) => `SELECT *, epoch_ns(time) AS __t FROM (${relSql}) r${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const inner = innerOf(rel.sql());
  const gnames = keys.map((_, i) => `g${i}`);
  const leafColumn: Array<number | undefined> = [];
  const base = 1 + keys.length;
  if (!c.aggregate) {
    const sel: string[] = [];
    const fieldRefs: string[] = [];
    for (const leaf of plan.leaves) {
      const r = refSql(leaf.expr, rel);
      leafColumn.push(base + sel.length);
      sel.push(`${r.sql} AS l${sel.length}`);
      if (!r.tag && r.sql !== 'NULL') fieldRefs.push(r.sql);
    }
    if (fieldRefs.length === 0 && !o.keepNullRows) return { sql: '', groupKeys: keys, leafColumn, auxColumns: [] };
    const dir = o.ascending ? 'ASC' : 'DESC';
    // Points at the same time come series by series, in the query's direction.
    const ties = rel.tagKeys.map((_, i) => `${tagCol(i)} ${dir} NULLS ${o.ascending ? 'FIRST' : 'LAST'}`);
    const present = o.keepNullRows ? 'TRUE' : fieldRefs.map((f) => `${f} IS NOT NULL`).join(' OR ');
    // Every tag of the row's series, to order equal times as 1.x's merge does (merge.ts).
    const seriesTags = rel.tagKeys.length > 0 ? { start: base + sel.length, keys: rel.tagKeys } : undefined;
    const scols = rel.tagKeys.map((_, i) => `${tagCol(i)} AS s${i}`);
    let sql = `SELECT __t, ${[...gcols, ...sel, ...scols].join(', ')} FROM (${inner}) WHERE (${present})`;
    if (o.limit || o.offset) {
      const part = gnames.length ? `PARTITION BY ${keys.map((k) => groupSql(k, rel)).join(', ')} ` : '';
      const rn = `row_number() OVER (${part}ORDER BY __t ${dir}${ties.length ? ', ' + ties.join(', ') : ''})`;
      const lo = o.offset ?? 0;
      sql += ` QUALIFY ${rn} > ${lo}${o.limit ? ` AND ${rn} <= ${lo + o.limit}` : ''}`;
    }
    sql += ` ORDER BY ${[...gnames.map((g) => `${g} ASC`), `__t ${dir}`, ...ties].join(', ')}`;
    return { sql, groupKeys: keys, leafColumn, auxColumns: [], seriesTags };
  }
  const iv = c.dims.interval;
  // Every row is at or after range.min (the WHERE above), which lets the
  // window be one division: rows are then grouped by the window's index, and
  // its start is computed once per group, outside (zone.ts sqlIndex).
  const split = iv && o.windows?.sqlIndex ? o.windows.sqlIndex('__t', o.range.min) : undefined;
  const wexpr = split ? split.index : iv && o.windows ? o.windows.sql('__t', o.range.min) : '0::BIGINT';
  const sel: string[] = [];
  const used = new Set<string>();
  const ordered = new Set<number>();
  let needOrdinal = false;
  for (const leaf of plan.leaves) {
    const call = leaf.expr as Expr & { kind: 'call' };
    let arg = call.args[0];
    if (arg && arg.kind === 'call') arg = arg.args[0];
    if (arg && arg.kind === 'distinct') arg = { kind: 'varref', name: arg.val };
    const r = arg ? refSql(arg, rel) : undefined;
    if (r && r.sql !== 'NULL') used.add(r.sql);
    let s = aggSql(leaf, rel, plan.aux);
    if (s !== undefined && o.seriesOrder && call.name === 'integral') {
      // integral() streams the merged points: time order, series order among equal times.
      needOrdinal = true;
      s = s.replace(' ORDER BY __t)', ` ORDER BY __t, __o)`);
    } else if (s !== undefined && o.seriesOrder && leaf.kind === 'scalar' && ORDERED_CALLS.has(call.name) && r?.type === FieldType.Float) {
      needOrdinal = true;
      ordered.add(leafColumn.length);
      // mean and sum run per series below the merge (series by series);
      // stddev collects the merged points, which come in time order.
      const dir = o.ascending ? 'ASC' : 'DESC';
      const by = call.name === 'stddev' ? `__t ${dir}, __o` : `__o, __t ${dir}`;
      s = `list({'t': __t, 'v': ${r.sql}} ORDER BY ${by}) FILTER (WHERE ${r.sql} IS NOT NULL)`;
    }
    if (s === undefined) leafColumn.push(undefined);
    else {
      leafColumn.push(base + sel.length);
      sel.push(`${s} AS l${sel.length}`);
    }
  }
  if (sel.length === 0) return { sql: '', groupKeys: keys, leafColumn, auxColumns: [] };
  const groupBy = [...keys.map((k) => groupSql(k, rel)), ...(iv ? [wexpr] : [])];
  const nonNull = used.size > 0 ? ` WHERE (${[...used].map((f) => `${f} IS NOT NULL`).join(' OR ')})` : '';
  const asStored = !needOrdinal && averagesOnly(plan, rel, o.filter);
  const from = needOrdinal ? orderedInner(rel, o.seriesOrder!, where) : asStored ? innerOf(rel.sql({ floatsAsStored: true })) : inner;
  const grouped =
    `SELECT ${wexpr} AS __w, ${[...gcols, ...sel].join(', ')} FROM (${from})${nonNull}` +
    // Without GROUP BY, aggregates over no rows still give one row, which
    // means no data here; with it, every group has a row already.
    (groupBy.length ? ` GROUP BY ${groupBy.join(', ')}` : ' HAVING count(*) > 0');
  const order = ` ORDER BY ${[...gnames, '__w'].join(', ')}`;
  const sql = split
    ? `SELECT ${split.start('__w')} AS __w, ${[...gnames, ...sel.map((_, i) => `l${i}`)].join(', ')} FROM (${grouped})${order}`
    : grouped + order;
  const lists = ordered.size > 0 || plan.leaves.some((l) => l.kind === 'list');
  const listPointsSql = lists ? `SELECT count(*) FROM (${from})${nonNull}` : undefined;
  return { sql, groupKeys: keys, leafColumn, auxColumns: [], ordered, listPointsSql };
}
