// One SQL statement per relation for a compiled SELECT. Raw queries select
// the points (time, group tags, referenced fields/tags); aggregate queries
// group by the GROUP BY tags and the time window, computed with integer
// arithmetic on epoch_ns(time) so windows align exactly as InfluxDB's do:
// start = t - ((t - offset + zone) mod interval).

import type { Expr } from '../ast.ts';
import { exprString } from '../ast.ts';
import { FieldType } from '../../../ingest/line-protocol/batch.ts';
import { filterSql, type TimeRange } from '../condition.ts';
import type { Compiled } from './analyze.ts';
import { AGGREGATES, MATH, SELECTORS, TRANSFORMS } from './functions.ts';
import type { Rel } from './relation.ts';
import { toJsRegExp } from '../regex.ts';

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

const NUMERIC = new Set([FieldType.Float, FieldType.Integer, FieldType.Unsigned]);

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
          const kind: LeafKind = listy ? 'list' : c.pointTime ? 'point' : 'scalar';
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
export function refSql(e: Expr, rel: Rel): { sql: string; type?: FieldType; tag: boolean } {
  if (e.kind !== 'varref') return { sql: 'NULL', tag: false };
  if (e.type !== 'tag') {
    const f = rel.fieldByName.get(e.name);
    if (f) return { sql: `f${f.ordinal}`, type: f.type, tag: false };
    if (e.type && e.type !== 'field') return { sql: 'NULL', tag: false };
  }
  const o = rel.tagOrdinal.get(e.name);
  if (o !== undefined && e.type !== 'field') return { sql: `t${o}`, tag: true };
  return { sql: 'NULL', tag: false };
}

/** Tag keys a relation is grouped by. */
export function groupTags(c: Compiled, rel: Rel): string[] {
  if (c.dims.all) return [...rel.tagKeys].sort();
  const keys = new Set(c.dims.tags);
  for (const r of c.dims.regexes) {
    const re = toJsRegExp(r);
    for (const k of rel.tagKeys) if (re.test(k)) keys.add(k);
  }
  return [...keys].sort();
}

function groupSql(key: string, rel: Rel): string {
  const o = rel.tagOrdinal.get(key);
  return o === undefined ? `''` : `coalesce(t${o}, '')`;
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
  if (ref.sql === 'NULL') return undefined;
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
      case 'first':
        return `arg_min(${s}, __t) ${nn}`;
      case 'last':
        return `arg_max(${s}, __t) ${nn}`;
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
      return `arg_min(${F}, __t) ${nn}`;
    case 'last':
      return `arg_max(${F}, __t) ${nn}`;
  }
  return undefined;
}

export interface BuiltSql {
  sql: string;
  groupKeys: string[];
  /** Leaf index -> column index in the result (undefined: no data for that leaf here). */
  leafColumn: Array<number | undefined>;
  auxColumns: number[];
}

export interface SqlOptions {
  range: TimeRange;
  filter?: Expr;
  /** Zone offset (ns) applied to window boundaries (tz()). */
  zoneNs: bigint;
  ascending: boolean;
  /** Per-series LIMIT/OFFSET pushed into SQL (raw queries without transformations). */
  limit?: number;
  offset?: number;
}

function rangeSql(range: TimeRange): string[] {
  const w: string[] = [];
  if (range.min !== undefined) w.push(`time >= make_timestamp_ns(${range.min})`);
  if (range.max !== undefined) w.push(`time <= make_timestamp_ns(${range.max})`);
  return w;
}

export function buildSql(c: Compiled, plan: Plan, rel: Rel, o: SqlOptions): BuiltSql {
  const keys = groupTags(c, rel);
  const gcols = keys.map((k, i) => `${groupSql(k, rel)} AS g${i}`);
  const where = [...rangeSql(o.range)];
  if (o.filter) where.push(filterSql(o.filter, rel));
  const inner = `SELECT *, epoch_ns(time) AS __t FROM (${rel.sql()}) r${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
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
    if (fieldRefs.length === 0) return { sql: '', groupKeys: keys, leafColumn, auxColumns: [] };
    const dir = o.ascending ? 'ASC' : 'DESC';
    const ties = rel.tagKeys.map((_, i) => `t${i} ASC NULLS FIRST`);
    let sql = `SELECT __t, ${[...gcols, ...sel].join(', ')} FROM (${inner}) WHERE (${fieldRefs.map((f) => `${f} IS NOT NULL`).join(' OR ')})`;
    if (o.limit || o.offset) {
      const part = gnames.length ? `PARTITION BY ${keys.map((k) => groupSql(k, rel)).join(', ')} ` : '';
      const rn = `row_number() OVER (${part}ORDER BY __t ${dir}${ties.length ? ', ' + ties.join(', ') : ''})`;
      const lo = o.offset ?? 0;
      sql += ` QUALIFY ${rn} > ${lo}${o.limit ? ` AND ${rn} <= ${lo + o.limit}` : ''}`;
    }
    sql += ` ORDER BY ${[...gnames.map((g) => `${g} ASC`), `__t ${dir}`, ...ties].join(', ')}`;
    return { sql, groupKeys: keys, leafColumn, auxColumns: [] };
  }
  const iv = c.dims.interval;
  let wexpr = '0::BIGINT';
  if (iv) {
    const every = iv.every;
    const shift = iv.offset - o.zoneNs;
    wexpr = `(__t - ((((__t - (${shift})) % ${every}) + ${every}) % ${every}))`;
  }
  const sel: string[] = [];
  const used = new Set<string>();
  for (const leaf of plan.leaves) {
    const call = leaf.expr as Expr & { kind: 'call' };
    let arg = call.args[0];
    if (arg && arg.kind === 'call') arg = arg.args[0];
    if (arg && arg.kind === 'distinct') arg = { kind: 'varref', name: arg.val };
    const r = arg ? refSql(arg, rel) : undefined;
    if (r && r.sql !== 'NULL') used.add(r.sql);
    const s = aggSql(leaf, rel, plan.aux);
    if (s === undefined) leafColumn.push(undefined);
    else {
      leafColumn.push(base + sel.length);
      sel.push(`${s} AS l${sel.length}`);
    }
  }
  if (sel.length === 0) return { sql: '', groupKeys: keys, leafColumn, auxColumns: [] };
  const groupBy = [...keys.map((k) => groupSql(k, rel)), ...(iv ? [wexpr] : [])];
  const nonNull = used.size > 0 ? ` WHERE (${[...used].map((f) => `${f} IS NOT NULL`).join(' OR ')})` : '';
  const sql =
    `SELECT ${wexpr} AS __w, ${[...gcols, ...sel].join(', ')} FROM (${inner})${nonNull}` +
    (groupBy.length ? ` GROUP BY ${groupBy.join(', ')}` : '') +
    ` HAVING count(*) > 0 ORDER BY ${[...gnames, '__w'].join(', ')}`;
  return { sql, groupKeys: keys, leafColumn, auxColumns: [] };
}
