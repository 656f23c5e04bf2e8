// WHERE clauses: the time range is taken out and the rest stays a condition,
// as influxql.ConditionExpr (influxql/ast.go) does it: AND and OR both
// intersect the time ranges of their sides ("there is no such thing as using
// OR with a time range"), time comparisons leave the expression, the rest is
// reduced (literal comparisons folded). The condition becomes SQL in
// filter-sql.ts.

import { QueryError } from '../../core/errors.ts';
import type { Expr } from './ast.ts';
import { exprString } from './ast.ts';
import { parseTimeString } from './time-literal.ts';

// QueryError is the catalogue's (core/errors.ts), shared with OpenTSDB; re-exported
// here because a dozen InfluxQL files import it from this one.
export { QueryError };

/** influxql.MinTime / MaxTime: the extremes a time may take (MinTime is a sentinel, one above int64 min). */
export const MIN_TIME = -(1n << 63n) + 2n;
export const MAX_TIME = (1n << 63n) - 2n;

export interface TimeRange {
  min?: bigint;
  max?: bigint;
}

function isTimeRef(e: Expr): boolean {
  return e.kind === 'varref' && e.name.toLowerCase() === 'time';
}

/** Literal type names as Go's %T prints them in influxql errors. */
export function goLiteralType(e: Expr): string {
  switch (e.kind) {
    case 'string':
      return '*influxql.StringLiteral';
    case 'boolean':
      return '*influxql.BooleanLiteral';
    case 'regex':
      return '*influxql.RegexLiteral';
    case 'number':
      return '*influxql.NumberLiteral';
    case 'integer':
      return '*influxql.IntegerLiteral';
    case 'unsigned':
      return '*influxql.UnsignedLiteral';
    case 'duration':
      return '*influxql.DurationLiteral';
    case 'time':
      return '*influxql.TimeLiteral';
    case 'varref':
      return '*influxql.VarRef';
    case 'call':
      return '*influxql.Call';
    case 'binary':
      return '*influxql.BinaryExpr';
    case 'paren':
      return '*influxql.ParenExpr';
    case 'list':
      return '*influxql.ListLiteral';
    case 'nil':
      return '*influxql.NilLiteral';
    default:
      return '*influxql.Wildcard';
  }
}

/** influxql.Reduce for time expressions: now(), literals, + and - of durations. */
function reduceTime(e: Expr, now: bigint, tzOffsetMinutes: number): Expr {
  switch (e.kind) {
    case 'paren':
      return reduceTime(e.expr, now, tzOffsetMinutes);
    case 'call':
      return e.name.toLowerCase() === 'now' && e.args.length === 0 ? { kind: 'time', val: now } : e;
    case 'string': {
      const t = parseTimeString(e.val, tzOffsetMinutes);
      return t === undefined ? e : { kind: 'time', val: t };
    }
    case 'binary': {
      if (e.op !== '+' && e.op !== '-') return e;
      const l = reduceTime(e.lhs, now, tzOffsetMinutes);
      const r = reduceTime(e.rhs, now, tzOffsetMinutes);
      const v = (x: Expr) => (x.kind === 'time' || x.kind === 'duration' || x.kind === 'integer' ? x.val : x.kind === 'number' ? BigInt(Math.trunc(x.val)) : undefined);
      const a = v(l);
      const b = v(r);
      if (a === undefined || b === undefined) return { ...e, lhs: l, rhs: r };
      const val = e.op === '+' ? a + b : a - b;
      // time +/- duration stays a time; duration +/- duration a duration.
      return l.kind === 'time' || r.kind === 'time' ? { kind: 'time', val } : { kind: 'duration', val };
    }
    default:
      return e;
  }
}

/** getTimeRange (influxql/ast.go): one comparison of time with a value. */
function timeRangeOf(op: string, rhs: Expr, now: bigint, tzOffsetMinutes: number): TimeRange {
  const lit = reduceTime(rhs, now, tzOffsetMinutes);
  let value: bigint;
  switch (lit.kind) {
    case 'time':
      if (lit.val > MAX_TIME) throw new QueryError(`time ${exprString(rhs)} overflows time literal`);
      if (lit.val < MIN_TIME + 1n) throw new QueryError(`time ${exprString(rhs)} underflows time literal`);
      value = lit.val;
      break;
    case 'duration':
    case 'integer':
    case 'unsigned':
      value = lit.val;
      break;
    case 'number':
      value = BigInt(Math.trunc(lit.val));
      break;
    default:
      throw new QueryError(`invalid operation: time and ${goLiteralType(lit)} are not compatible`);
  }
  switch (op) {
    case '>':
      return { min: value + 1n };
    case '>=':
      return { min: value };
    case '<':
      return { max: value - 1n };
    case '<=':
      return { max: value };
    case '=':
      return { min: value, max: value };
    default:
      throw new QueryError(`invalid time comparison operator: ${op}`);
  }
}

export function intersect(a: TimeRange, b: TimeRange): TimeRange {
  const out: TimeRange = { ...a };
  if (b.min !== undefined && (out.min === undefined || b.min > out.min)) out.min = b.min;
  if (b.max !== undefined && (out.max === undefined || b.max < out.max)) out.max = b.max;
  return out;
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Folds comparisons and arithmetic of literals, as influxql.Reduce does for what stays in a condition. */
export function reduceLiterals(e: Expr): Expr {
  if (e.kind === 'paren') {
    const inner = reduceLiterals(e.expr);
    return inner.kind === 'boolean' || inner.kind === 'number' || inner.kind === 'integer' || inner.kind === 'string' ? inner : { kind: 'paren', expr: inner };
  }
  if (e.kind !== 'binary') return e;
  const lhs = reduceLiterals(e.lhs);
  const rhs = reduceLiterals(e.rhs);
  const num = (x: Expr) => (x.kind === 'number' ? x.val : x.kind === 'integer' ? Number(x.val) : undefined);
  if (e.op === 'AND' || e.op === 'OR') {
    if (lhs.kind === 'boolean' && rhs.kind === 'boolean') return { kind: 'boolean', val: e.op === 'AND' ? lhs.val && rhs.val : lhs.val || rhs.val };
    if (e.op === 'AND' && lhs.kind === 'boolean') return lhs.val ? rhs : lhs;
    if (e.op === 'AND' && rhs.kind === 'boolean') return rhs.val ? lhs : rhs;
    if (e.op === 'OR' && lhs.kind === 'boolean') return lhs.val ? lhs : rhs;
    if (e.op === 'OR' && rhs.kind === 'boolean') return rhs.val ? rhs : lhs;
    return { ...e, lhs, rhs };
  }
  const a = num(lhs);
  const b = num(rhs);
  if (a !== undefined && b !== undefined) {
    switch (e.op) {
      case '=':
        return { kind: 'boolean', val: a === b };
      case '!=':
        return { kind: 'boolean', val: a !== b };
      case '<':
        return { kind: 'boolean', val: a < b };
      case '<=':
        return { kind: 'boolean', val: a <= b };
      case '>':
        return { kind: 'boolean', val: a > b };
      case '>=':
        return { kind: 'boolean', val: a >= b };
      case '+':
      case '-':
      case '*':
      case '/':
        if (lhs.kind === 'integer' && rhs.kind === 'integer' && e.op !== '/') {
          const x = lhs.val;
          const y = rhs.val;
          return { kind: 'integer', val: e.op === '+' ? x + y : e.op === '-' ? x - y : x * y };
        }
        return { kind: 'number', val: e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : b === 0 ? 0 : a / b };
    }
  }
  if (lhs.kind === 'string' && rhs.kind === 'string' && (e.op === '=' || e.op === '!=')) return { kind: 'boolean', val: (lhs.val === rhs.val) === (e.op === '=') };
  return { ...e, lhs, rhs };
}

function conditionExpr(cond: Expr, now: bigint, tz: number): { expr?: Expr; range: TimeRange } {
  switch (cond.kind) {
    case 'binary': {
      if (cond.op === 'AND' || cond.op === 'OR') {
        const l = conditionExpr(cond.lhs, now, tz);
        const r = conditionExpr(cond.rhs, now, tz);
        const range = intersect(l.range, r.range);
        if (!r.expr) return { expr: l.expr, range };
        if (!l.expr) return { expr: r.expr, range };
        return { expr: reduceLiterals({ kind: 'binary', op: cond.op, lhs: l.expr, rhs: r.expr }), range };
      }
      if (isTimeRef(cond.lhs)) return { range: timeRangeOf(cond.op, cond.rhs, now, tz) };
      if (isTimeRef(cond.rhs)) return { range: timeRangeOf(FLIP[cond.op] ?? cond.op, cond.lhs, now, tz) };
      return { expr: reduceLiterals(cond), range: {} };
    }
    case 'paren': {
      const inner = conditionExpr(cond.expr, now, tz);
      if (!inner.expr) return { range: inner.range };
      return { expr: reduceLiterals({ kind: 'paren', expr: inner.expr }), range: inner.range };
    }
    case 'boolean':
      return { expr: cond, range: {} };
    default:
      throw new QueryError(`invalid condition expression: ${exprString(cond)}`);
  }
}

/**
 * Splits a condition into its time range and the remaining filter
 * (influxql.ConditionExpr). tzOffsetMinutes applies to time strings without
 * a zone when the statement has tz().
 */
export function splitCondition(cond: Expr | undefined, now: bigint, tzOffsetMinutes = 0): { range: TimeRange; filter?: Expr } {
  if (!cond) return { range: {} };
  let { expr, range } = conditionExpr(cond, now, tzOffsetMinutes);
  while (expr && expr.kind === 'paren') expr = expr.expr;
  return { range, filter: expr };
}

export function mentionsTime(e: Expr): boolean {
  switch (e.kind) {
    case 'varref':
      return e.name.toLowerCase() === 'time';
    case 'binary':
      return mentionsTime(e.lhs) || mentionsTime(e.rhs);
    case 'paren':
      return mentionsTime(e.expr);
    default:
      return false;
  }
}

/** Tag keys a condition references (for SHOW statements that only allow tags). */
export function referencedKeys(e: Expr | undefined, out = new Set<string>()): Set<string> {
  if (!e) return out;
  if (e.kind === 'varref') out.add(e.name);
  else if (e.kind === 'binary') {
    referencedKeys(e.lhs, out);
    referencedKeys(e.rhs, out);
  } else if (e.kind === 'paren') referencedKeys(e.expr, out);
  return out;
}

export { filterSql, mentionsField, sqlString, type RelLike } from './filter-sql.ts';
