// Tag conditions evaluated as influxql.Eval does (a missing tag is nil and
// compares false), and the measurement-name and tag-key filters of 1.6's
// inmem index (inmem.go measurementNamesByExpr, TagKeysByExpr). Split from
// tag-expr.ts.

import type { Expr } from '../ast.ts';
import { QueryError } from '../condition.ts';
import { compileRegex, Regex } from '../regex.ts';
import { COMPARE, isRegexOp, SYSTEM_NAMES } from './tag-expr.ts';

type EvalValue = string | number | bigint | boolean | Regex | null;

function evalExpr(e: Expr, data: Map<string, string>): EvalValue {
  switch (e.kind) {
    case 'paren':
      return evalExpr(e.expr, data);
    case 'varref':
      return data.get(e.name) ?? null;
    case 'string':
      return e.val;
    case 'number':
      return e.val;
    case 'integer':
    case 'unsigned':
      return e.val;
    case 'boolean':
      return e.val;
    case 'regex':
      return compileRegex(e.source);
    case 'binary':
      break;
    default:
      return null;
  }
  let l = evalExpr(e.lhs, data);
  let r = evalExpr(e.rhs, data);
  // influxql valuer.evalBinaryExpr: nil next to a boolean is false.
  if (l === null && typeof r === 'boolean') l = false;
  if (r === null && typeof l === 'boolean') r = false;
  if (typeof l === 'boolean') {
    const ok = typeof r === 'boolean';
    if (e.op === 'AND') return ok && l && (r as boolean);
    if (e.op === 'OR') return ok && (l || (r as boolean));
    if (e.op === '=') return ok && l === r;
    if (e.op === '!=') return ok && l !== r;
    return null;
  }
  if (typeof l === 'string') {
    if (r instanceof Regex) return e.op === '=~' ? r.test(l) : e.op === '!~' ? !r.test(l) : null;
    if (typeof r === 'string') {
      switch (e.op) {
        case '=':
          return l === r;
        case '!=':
          return l !== r;
        case '<':
          return l < r;
        case '<=':
          return l <= r;
        case '>':
          return l > r;
        case '>=':
          return l >= r;
      }
      return null;
    }
  }
  // The types were not comparable: equality and ordering operators are false.
  return ['=', '!=', '<', '<=', '>', '>='].includes(e.op) ? false : null;
}

/** influxql.EvalBool over a tag map (matchTagValues for SHOW TAG VALUES CARDINALITY). */
export function evalBool(e: Expr | undefined, data: Map<string, string>): boolean {
  return !e || evalExpr(e, data) === true;
}

export interface MeasurementTags {
  name: string;
  /** Tag key → its values over the measurement's series. */
  values: Map<string, Set<string>>;
}

/** inmem.Index.MeasurementNamesByExpr (SHOW MEASUREMENTS ... WHERE), names sorted. */
export function measurementNamesByExpr(e: Expr | undefined, all: MeasurementTags[]): string[] {
  if (!e) return all.map((m) => m.name).sort();
  return [...namesByExpr(e, all)].sort();
}

function namesByExpr(e: Expr, all: MeasurementTags[]): Set<string> {
  if (e.kind === 'paren') return namesByExpr(e.expr, all);
  if (e.kind !== 'binary') throw new QueryError('invalid tag comparison operator');
  if (e.op === 'AND' || e.op === 'OR') {
    const l = namesByExpr(e.lhs, all);
    const r = namesByExpr(e.rhs, all);
    if (e.op === 'OR') return new Set([...l, ...r]);
    return new Set([...l].filter((n) => r.has(n)));
  }
  if (!COMPARE.has(e.op)) throw new QueryError('invalid tag comparison operator');
  if (e.lhs.kind !== 'varref') throw new QueryError(`left side of '${e.op}' must be a tag key`);
  let match: (v: string) => boolean;
  if (isRegexOp(e.op)) {
    if (e.rhs.kind !== 'regex') throw new QueryError(`right side of '${e.op}' must be a regular expression`);
    const re = compileRegex(e.rhs.source);
    match = (v) => re.test(v);
  } else {
    if (e.rhs.kind !== 'string') throw new QueryError(`right side of '${e.op}' must be a tag value string`);
    const want = e.rhs.val;
    match = (v) => v === want;
  }
  const positive = e.op === '=' || e.op === '=~';
  const key = e.lhs.name;
  const out = new Set<string>();
  if (key === '_name') {
    for (const m of all) if (match(m.name) === positive) out.add(m.name);
    return out;
  }
  if (SYSTEM_NAMES.has(key)) return out;
  for (const m of all) {
    const values = m.values.get(key);
    if (!values) continue;
    let hit = false;
    for (const v of values) if (match(v)) hit = true;
    if (hit === positive) out.add(m.name);
  }
  return out;
}

/** inmem measurement.TagKeysByExpr: the keys picked by `_tagKey` comparisons (undefined = no such comparison). */
export function tagKeysByExpr(e: Expr | undefined, keys: string[]): Set<string> | undefined {
  if (!e) return undefined;
  if (e.kind === 'paren') return tagKeysByExpr(e.expr, keys);
  if (e.kind !== 'binary') return undefined;
  if (e.op === 'AND' || e.op === 'OR') {
    const l = tagKeysByExpr(e.lhs, keys);
    const r = tagKeysByExpr(e.rhs, keys);
    if (l && r) return e.op === 'OR' ? new Set([...l, ...r]) : new Set([...l].filter((k) => r.has(k)));
    return l ?? r;
  }
  if (!COMPARE.has(e.op)) throw new QueryError('invalid operator');
  if (e.lhs.kind !== 'varref') throw new QueryError(`left side of '${e.op}' must be a tag key`);
  if (e.lhs.name !== '_tagKey') return undefined;
  let match: (k: string) => boolean;
  if (isRegexOp(e.op)) {
    if (e.rhs.kind !== 'regex') throw new QueryError(`right side of '${e.op}' must be a regular expression`);
    const re = compileRegex(e.rhs.source);
    match = (k) => re.test(k) === (e.op === '=~');
  } else {
    if (e.rhs.kind !== 'string') throw new QueryError(`right side of '${e.op}' must be a tag value string`);
    const want = e.rhs.val;
    match = (k) => (k === want) === (e.op === '=');
  }
  return new Set(keys.filter(match));
}
