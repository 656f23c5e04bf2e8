// WHERE clauses of SHOW statements, rewritten as 1.x's influxql/rewrite.go
// and tsdb/store.go do and evaluated against series (tag sets) the ways
// InfluxDB 1.6 does: the series index (tsdb/index.go
// IndexSet.seriesByExprIterator: a missing tag is "", a field comparison
// keeps every series) and the inmem select path (tsdb/index/inmem/meta.go
// idsForExpr: field comparisons end up false, tag = tag compares values).
// influxql.Eval and the measurement-name filter are in tag-eval.ts.

import type { Expr, Source } from '../ast.ts';
import { QueryError } from '../condition.ts';
import { compileRegex } from '../regex.ts';

export const COMPARE = new Set(['=', '!=', '=~', '!~']);
export const isRegexOp = (op: string) => op === '=~' || op === '!~';

/** influxql.RewriteExpr: fn may drop a node (undefined); a binary expression with one side dropped becomes the other side. */
export function rewriteExpr(e: Expr | undefined, fn: (e: Expr) => Expr | undefined): Expr | undefined {
  if (!e) return undefined;
  if (e.kind === 'binary') {
    const lhs = rewriteExpr(e.lhs, fn);
    const rhs = rewriteExpr(e.rhs, fn);
    if (!lhs && !rhs) return undefined;
    if (!rhs) return fn(lhs!);
    if (!lhs) return fn(rhs);
    return fn({ ...e, lhs, rhs });
  }
  if (e.kind === 'paren') {
    const inner = rewriteExpr(e.expr, fn);
    return inner ? fn({ kind: 'paren', expr: inner }) : undefined;
  }
  return fn(e);
}

const isRef = (e: Expr, name: string) => e.kind === 'varref' && e.name === name;

/** influxql.HasTimeExpr: a comparison with `time` on its left, under AND/OR and parentheses. */
export function hasTimeExpr(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.kind === 'paren') return hasTimeExpr(e.expr);
  if (e.kind !== 'binary') return false;
  if (e.op === 'AND' || e.op === 'OR') return hasTimeExpr(e.lhs) || hasTimeExpr(e.rhs);
  return e.lhs.kind === 'varref' && e.lhs.name.toLowerCase() === 'time';
}

/** The condition without its time comparisons (SHOW TAG KEYS/VALUES ignore time in 1.6). */
export function withoutTime(e: Expr | undefined): Expr | undefined {
  return rewriteExpr(e, (x) =>
    x.kind === 'binary' && x.op !== 'AND' && x.op !== 'OR' && ((x.lhs.kind === 'varref' && x.lhs.name.toLowerCase() === 'time') || (x.rhs.kind === 'varref' && x.rhs.name.toLowerCase() === 'time'))
      ? undefined
      : x,
  );
}

/** influxql rewriteSourcesCondition: FROM becomes `_name` comparisons ANDed to the condition. */
export function sourcesCondition(sources: Source[] | undefined, cond: Expr | undefined): Expr | undefined {
  if (!sources || sources.length === 0) return cond;
  let expr: Expr | undefined;
  for (const s of sources) {
    if (s.kind !== 'measurement') continue;
    const name: Expr = { kind: 'varref', name: '_name' };
    const e: Expr | undefined =
      s.regex !== undefined ? { kind: 'binary', op: '=~', lhs: name, rhs: { kind: 'regex', source: s.regex } } : s.name ? { kind: 'binary', op: '=', lhs: name, rhs: { kind: 'string', val: s.name } } : undefined;
    if (!e) continue;
    expr = expr ? { kind: 'binary', op: 'OR', lhs: expr, rhs: e } : e;
  }
  if (!expr) return cond;
  return cond ? { kind: 'binary', op: 'AND', lhs: { kind: 'paren', expr: cond }, rhs: { kind: 'paren', expr } } : expr;
}

/** tsdb.Store.TagKeys/TagValues: the part of the condition that picks measurements (`_name` and non-tag operators). */
export function measurementPart(cond: Expr | undefined): Expr | undefined {
  return rewriteExpr(cond, (e) => (e.kind === 'binary' && COMPARE.has(e.op) && !isRef(e.lhs, '_name') ? undefined : e));
}

/** influxql.IsSystemName. */
export const SYSTEM_NAMES = new Set(['_fieldKeys', '_measurements', '_name', '_series', '_tagKey', '_tagKeys', '_tags']);

/** ... and the part that filters series: tag comparisons, system names (`_name`, `_tagKey`) dropped. */
export function seriesPart(cond: Expr | undefined): Expr | undefined {
  return rewriteExpr(cond, (e) => (e.kind === 'binary' && COMPARE.has(e.op) && (e.lhs.kind !== 'varref' || SYSTEM_NAMES.has(e.lhs.name)) ? undefined : e));
}

/** newSeriesPointIterator (tsdb/index.go): only tag comparisons, AND and OR. */
export function checkTagOperators(cond: Expr | undefined): void {
  const walk = (e: Expr): void => {
    if (e.kind === 'paren') return walk(e.expr);
    if (e.kind === 'binary') {
      if (!COMPARE.has(e.op) && e.op !== 'AND' && e.op !== 'OR') throw new QueryError('invalid tag comparison operator');
      walk(e.lhs);
      walk(e.rhs);
    }
  };
  if (cond) walk(cond);
}

export interface SeriesTags {
  /** Measurement name. */
  name: string;
  tags: Map<string, string>;
}

export type MatchMode = 'index' | 'select';

/**
 * Whether a series matches a tag condition. 'index' = IndexSet.seriesByExprIterator
 * (SHOW SERIES, TAG KEYS, TAG VALUES); 'select' = the select path's inmem
 * idsForExpr plus per-point filter (the SHOW ... CARDINALITY rewrites and
 * SHOW SERIES with a time range), where points carry no field values.
 */
export function seriesMatches(e: Expr | undefined, s: SeriesTags, isField: (k: string) => boolean, mode: MatchMode): boolean {
  if (!e) return true;
  switch (e.kind) {
    case 'paren':
      return seriesMatches(e.expr, s, isField, mode);
    case 'boolean':
      return e.val;
    case 'binary':
      break;
    default:
      return false;
  }
  if (e.op === 'AND') return seriesMatches(e.lhs, s, isField, mode) && seriesMatches(e.rhs, s, isField, mode);
  if (e.op === 'OR') return seriesMatches(e.lhs, s, isField, mode) || seriesMatches(e.rhs, s, isField, mode);
  // Expression math: every series, the expression left to the points (no field values there).
  if (e.lhs.kind === 'binary' || e.rhs.kind === 'binary') return mode === 'index';
  let key = e.lhs;
  let value = e.rhs;
  if (key.kind !== 'varref') {
    if (value.kind !== 'varref') return false;
    [key, value] = [value, key];
  }
  const k = key.kind === 'varref' ? key : undefined;
  if (!k) return false;
  if (mode === 'select' && (value.kind === 'time' || k.name.toLowerCase() === 'time')) return true;
  const fieldRef = (r: Expr) => r.kind === 'varref' && r.name !== '_name' && (r.type === 'field' || r.type === 'float' || r.type === 'integer' || r.type === 'string' || r.type === 'boolean' || (r.type === undefined && isField(r.name)));
  if (fieldRef(k) || fieldRef(value)) return mode === 'index';
  const op = e.op;
  if (!COMPARE.has(op)) return false;
  if (value.kind === 'string') {
    if (k.name === '_name') return op === '=' ? s.name === value.val : op === '!=' ? s.name !== value.val : false;
    const v = s.tags.get(k.name) ?? '';
    return op === '=' ? v === value.val : op === '!=' ? v !== value.val : false;
  }
  if (value.kind === 'regex') {
    const re = compileRegex(value.source);
    const v = k.name === '_name' ? s.name : (s.tags.get(k.name) ?? '');
    return op === '=~' ? re.test(v) : op === '!~' ? !re.test(v) : false;
  }
  if (value.kind === 'varref') {
    const a = s.tags.get(k.name);
    const b = s.tags.get(value.name);
    if (mode === 'index') return op === '=' ? a !== undefined && b !== undefined : a !== undefined && b === undefined;
    const same = a !== undefined && a === b;
    return op === '=' ? same : op === '!=' ? !same : false;
  }
  // Other literals: influxd 1.6 keeps every series here (checked: `value = 1`
  // on a measurement without that field); the select path keeps none.
  return mode === 'index';
}

/** The WITH KEY clause as a `_tagKey` condition (rewriteShowTagValuesStatement). */
export function tagKeyCondition(op: string, keyExpr: Expr): Expr {
  const ref: Expr = { kind: 'varref', name: '_tagKey' };
  if (keyExpr.kind === 'list') {
    let out: Expr | undefined;
    for (const k of keyExpr.vals) {
      const eq: Expr = { kind: 'binary', op: '=', lhs: ref, rhs: { kind: 'string', val: k } };
      out = out ? { kind: 'binary', op: 'OR', lhs: out, rhs: eq } : eq;
    }
    return out ?? { kind: 'boolean', val: false };
  }
  return { kind: 'binary', op, lhs: ref, rhs: keyExpr };
}

/** cond AND (extra), parenthesised as the 1.x rewrites do. */
export function andExpr(cond: Expr | undefined, extra: Expr): Expr {
  return cond ? { kind: 'binary', op: 'AND', lhs: { kind: 'paren', expr: cond }, rhs: { kind: 'paren', expr: extra } } : extra;
}
