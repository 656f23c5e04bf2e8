// SELECT validation as influxdb 1.x query/compile.go does it, on the
// statement as written (before wildcards are expanded): the dimensions, each
// field (compileExpr and the per-function checks), then validateFields. The
// error texts are compile.go's, so clients see the same messages.

import type { Expr, Field, SelectStatement } from '../ast.ts';
import { exprString, formatDuration } from '../ast.ts';
import { goLiteralType, QueryError } from '../condition.ts';
import { isMathFunction, math } from './functions.ts';

export interface Validated {
  /** The GROUP BY interval, when there is one (inherited ones included). */
  interval: boolean;
  /** Calls that are not math functions, in the order met. */
  calls: Array<Expr & { kind: 'call' }>;
  onlySelectors: boolean;
  hasDistinct: boolean;
  topBottom: string;
  hasAux: boolean;
  /** Extra GROUP BY windows read before the range for transformations. */
  extraIntervals: number;
}

interface State extends Validated {
  inherited: boolean;
  limit: number;
  hasTarget: boolean;
  fields: number;
}

const isLiteral = (e: Expr) => ['number', 'integer', 'unsigned', 'string', 'boolean', 'duration', 'time', 'regex', 'nil', 'list'].includes(e.kind);

function compileSymbol(s: State, name: string, arg: Expr, allowWildcard: boolean): void {
  if (arg.kind === 'varref') return;
  if (arg.kind === 'wildcard') {
    if (!allowWildcard) throw new QueryError(`unsupported expression with wildcard: ${name}()`);
    s.onlySelectors = false;
    return;
  }
  if (arg.kind === 'regex') {
    if (!allowWildcard) throw new QueryError(`unsupported expression with regex field: ${name}()`);
    s.onlySelectors = false;
    return;
  }
  throw new QueryError(`expected field argument in ${name}()`);
}

function compileDistinct(s: State, args: Expr[], nested: boolean): void {
  if (args.length === 0) throw new QueryError('distinct function requires at least one argument');
  if (args.length !== 1) throw new QueryError('distinct function can only have one argument');
  if (args[0].kind !== 'varref') throw new QueryError('expected field argument in distinct()');
  if (!nested) s.hasDistinct = true;
  s.onlySelectors = false;
}

function durationArg(name: string, arg: Expr, wrongType: string): void {
  if (arg.kind !== 'duration') throw new QueryError(wrongType);
  if (arg.val <= 0n) throw new QueryError(`duration argument must be positive, got ${formatDuration(arg.val)}`);
  void name;
}

/** derivative, non_negative_derivative, difference, ..., cumulative_sum, moving_average, elapsed: the argument. */
function compileTransformArg(s: State, name: string, arg0: Expr, allowWildcard: boolean): void {
  if (arg0.kind === 'call') {
    if (!s.interval) throw new QueryError(`${name} aggregate requires a GROUP BY interval`);
    compileNested(s, arg0, allowWildcard);
    return;
  }
  if (s.interval && !s.inherited) throw new QueryError(`aggregate function required inside the call to ${name}`);
  compileSymbol(s, name, arg0, allowWildcard);
}

function compileNested(s: State, e: Expr, allowWildcard: boolean): void {
  if (e.kind === 'call' && e.name === 'distinct') return compileDistinct(s, e.args, true);
  if (e.kind === 'distinct') return compileDistinct(s, [{ kind: 'varref', name: e.val }], true);
  compileExpr(s, e, allowWildcard);
}

function compileCall(s: State, c: Expr & { kind: 'call' }, allowWildcard: boolean): void {
  const n = c.args.length;
  const name = c.name;
  switch (name) {
    case 'percentile':
      if (n !== 2) throw new QueryError(`invalid number of arguments for percentile, expected 2, got ${n}`);
      if (c.args[1].kind !== 'integer' && c.args[1].kind !== 'number') throw new QueryError('expected float argument in percentile()');
      return compileSymbol(s, 'percentile', c.args[0], allowWildcard);
    case 'sample': {
      if (n !== 2) throw new QueryError(`invalid number of arguments for sample, expected 2, got ${n}`);
      const a = c.args[1];
      if (a.kind !== 'integer') throw new QueryError('expected integer argument in sample()');
      if (a.val <= 0n) throw new QueryError(`sample window must be greater than 1, got ${a.val}`);
      return compileSymbol(s, 'sample', c.args[0], allowWildcard);
    }
    case 'distinct':
      return compileDistinct(s, c.args, false);
    case 'top':
    case 'bottom':
      return compileTopBottom(s, c, allowWildcard);
    case 'derivative':
    case 'non_negative_derivative':
    case 'elapsed': {
      if (n < 1 || n > 2) throw new QueryError(`invalid number of arguments for ${name}, expected at least 1 but no more than 2, got ${n}`);
      if (n === 2) durationArg(name, c.args[1], `second argument to ${name} must be a duration, got ${goLiteralType(c.args[1])}`);
      s.onlySelectors = false;
      s.extraIntervals = Math.max(s.extraIntervals, 1);
      return compileTransformArg(s, name, c.args[0], allowWildcard);
    }
    case 'difference':
    case 'non_negative_difference':
    case 'cumulative_sum':
      if (n !== 1) throw new QueryError(`invalid number of arguments for ${name}, expected 1, got ${n}`);
      s.onlySelectors = false;
      s.extraIntervals = Math.max(s.extraIntervals, 1);
      return compileTransformArg(s, name, c.args[0], allowWildcard);
    case 'moving_average': {
      if (n !== 2) throw new QueryError(`invalid number of arguments for moving_average, expected 2, got ${n}`);
      const w = c.args[1];
      if (w.kind !== 'integer') throw new QueryError(`second argument for moving_average must be an integer, got ${goLiteralType(w)}`);
      if (w.val <= 1n) throw new QueryError(`moving_average window must be greater than 1, got ${w.val}`);
      s.onlySelectors = false;
      s.extraIntervals = Math.max(s.extraIntervals, Number(w.val));
      return compileTransformArg(s, name, c.args[0], allowWildcard);
    }
    case 'integral':
      if (n < 1 || n > 2) throw new QueryError(`invalid number of arguments for integral, expected at least 1 but no more than 2, got ${n}`);
      if (n === 2) durationArg(name, c.args[1], 'second argument must be a duration');
      s.onlySelectors = false;
      return compileSymbol(s, 'integral', c.args[0], allowWildcard);
    case 'holt_winters':
    case 'holt_winters_with_fit': {
      if (n !== 3) throw new QueryError(`invalid number of arguments for ${name}, expected 3, got ${n}`);
      const a1 = c.args[1];
      if (a1.kind !== 'integer') throw new QueryError(`expected integer argument as second arg in ${name}`);
      if (a1.val <= 0n) throw new QueryError(`second arg to ${name} must be greater than 0, got ${a1.val}`);
      const a2 = c.args[2];
      if (a2.kind !== 'integer') throw new QueryError(`expected integer argument as third arg in ${name}`);
      if (a2.val < 0n) throw new QueryError(`third arg to ${name} cannot be negative, got ${a2.val}`);
      s.onlySelectors = false;
      if (c.args[0].kind !== 'call') throw new QueryError(`must use aggregate function with ${name}`);
      if (!s.interval) throw new QueryError(`${name} aggregate requires a GROUP BY interval`);
      return compileNested(s, c.args[0], allowWildcard);
    }
  }
  switch (name) {
    case 'max':
    case 'min':
    case 'first':
    case 'last':
      break;
    case 'count':
    case 'sum':
    case 'mean':
    case 'median':
    case 'mode':
    case 'stddev':
    case 'spread':
      s.onlySelectors = false;
      break;
    default:
      throw new QueryError(`undefined function ${name}()`);
  }
  if (n !== 1) throw new QueryError(`invalid number of arguments for ${name}, expected 1, got ${n}`);
  if (name === 'count') {
    const a = c.args[0];
    if (a.kind === 'call' && a.name === 'distinct') return compileDistinct(s, a.args, true);
    if (a.kind === 'distinct') return compileDistinct(s, [{ kind: 'varref', name: a.val }], true);
  }
  compileSymbol(s, name, c.args[0], allowWildcard);
}

function compileTopBottom(s: State, c: Expr & { kind: 'call' }, allowWildcard: boolean): void {
  void allowWildcard;
  if (s.topBottom) throw new QueryError(`selector function ${s.topBottom}() cannot be combined with other functions`);
  if (c.args.length < 2) throw new QueryError(`invalid number of arguments for ${c.name}, expected at least 2, got ${c.args.length}`);
  const last = c.args[c.args.length - 1];
  if (last.kind !== 'integer') throw new QueryError(`expected integer as last argument in ${c.name}(), found ${goExprString(last)}`);
  if (last.val <= 0n) throw new QueryError(`limit (${last.val}) in ${c.name} function must be at least 1`);
  if (s.limit > 0 && last.val > BigInt(s.limit)) {
    throw new QueryError(`limit (${last.val}) in ${c.name} function can not be larger than the LIMIT (${s.limit}) in the select statement`);
  }
  if (c.args[0].kind !== 'varref') throw new QueryError(`expected first argument to be a field in ${c.name}(), found ${goExprString(c.args[0])}`);
  for (const a of c.args.slice(1, -1)) {
    if (a.kind !== 'varref') throw new QueryError(`only fields or tags are allowed in ${c.name}(), found ${goExprString(a)}`);
    // The tag or field arguments are columns too, unless written INTO a measurement.
    if (!s.hasTarget) {
      s.fields++;
      s.hasAux = true;
    }
  }
  s.topBottom = c.name;
}

/** Expressions as influxql prints them in these messages (numbers with %.3f, as NumberLiteral.String()). */
export function goExprString(e: Expr): string {
  if (e.kind === 'number') return e.val.toFixed(3);
  return exprString(e);
}

function compileExpr(s: State, e: Expr, allowWildcard: boolean): void {
  switch (e.kind) {
    case 'varref':
      s.hasAux = true;
      return;
    case 'wildcard':
      s.hasAux = true;
      if (!allowWildcard) throw new QueryError('unable to use wildcard in a binary expression');
      return;
    case 'regex':
      if (!allowWildcard) throw new QueryError('unable to use regex in a binary expression');
      s.hasAux = true;
      return;
    case 'call': {
      if (isMathFunction(e.name)) {
        const want = e.name === 'atan2' || e.name === 'pow' || e.name === 'log' ? 2 : 1;
        if (e.args.length !== want) throw new QueryError(`invalid number of arguments for ${e.name}, expected ${want}, got ${e.args.length}`);
        for (const a of e.args) if (!isLiteral(a)) compileExpr(s, a, allowWildcard);
        return;
      }
      s.calls.push(e);
      return compileCall(s, e, allowWildcard);
    }
    case 'distinct': {
      const call: Expr & { kind: 'call' } = { kind: 'call', name: 'distinct', args: [{ kind: 'varref', name: e.val }] };
      s.calls.push(call);
      return compileDistinct(s, call.args, false);
    }
    case 'binary': {
      // Wildcards are not allowed in binary expressions (RewriteFields could not expand them).
      if (isLiteral(e.lhs)) {
        if (isLiteral(e.rhs)) throw new QueryError('cannot perform a binary expression on two literals');
        return compileExpr(s, e.rhs, false);
      }
      if (isLiteral(e.rhs)) return compileExpr(s, e.lhs, false);
      compileExpr(s, e.lhs, false);
      compileExpr(s, e.rhs, false);
      return;
    }
    case 'paren':
      return compileExpr(s, e.expr, allowWildcard);
    default:
      if (isLiteral(e)) throw new QueryError('field must contain at least one variable');
      throw new QueryError('unimplemented');
  }
}

/** MathValuer reduction of literal arithmetic (2 + 1 -> 3), as compileFields does before compiling a field. */
export function reduceField(e: Expr): Expr {
  if (e.kind === 'paren') {
    const inner = reduceField(e.expr);
    return isLiteral(inner) ? inner : { kind: 'paren', expr: inner };
  }
  if (e.kind === 'call') {
    const args = e.args.map(reduceField);
    // MathValuer.Call folds a math function of literals into a literal (abs(1) -> 1).
    if (isMathFunction(e.name) && args.length > 0 && args.every(isLiteral)) {
      const v = math(e.name, args.map((a) => (a.kind === 'number' || a.kind === 'integer' || a.kind === 'unsigned' ? a.val : null)));
      return typeof v === 'number' ? { kind: 'number', val: v } : typeof v === 'bigint' ? { kind: 'integer', val: v } : { kind: 'nil' };
    }
    return { ...e, args };
  }
  if (e.kind !== 'binary') return e;
  const lhs = reduceField(e.lhs);
  const rhs = reduceField(e.rhs);
  if ((lhs.kind === 'integer' || lhs.kind === 'number') && (rhs.kind === 'integer' || rhs.kind === 'number')) {
    if (lhs.kind === 'integer' && rhs.kind === 'integer' && ['+', '-', '*'].includes(e.op)) {
      const v = e.op === '+' ? lhs.val + rhs.val : e.op === '-' ? lhs.val - rhs.val : lhs.val * rhs.val;
      return { kind: 'integer', val: BigInt.asIntN(64, v) };
    }
    const x = Number(lhs.val);
    const y = Number(rhs.val);
    switch (e.op) {
      case '+':
        return { kind: 'number', val: x + y };
      case '-':
        return { kind: 'number', val: x - y };
      case '*':
        return { kind: 'number', val: x * y };
      case '/':
        return { kind: 'number', val: y === 0 ? 0 : x / y };
    }
  }
  return { ...e, lhs, rhs };
}

/**
 * Validates a SELECT as compile.go does (compileFields + validateFields).
 * `interval`: the statement has (or inherits) a GROUP BY interval.
 */
export function validateSelect(stmt: SelectStatement, interval: boolean, inherited: boolean): Validated {
  const s: State = {
    interval,
    inherited,
    calls: [],
    onlySelectors: true,
    hasDistinct: false,
    topBottom: '',
    hasAux: false,
    extraIntervals: 0,
    limit: stmt.limit,
    hasTarget: stmt.target !== undefined,
    fields: 0,
  };
  for (const f of stmt.fields as Field[]) {
    if (f.expr.kind === 'varref' && f.expr.name === 'time') continue;
    s.fields++;
    compileExpr(s, reduceField(f.expr), true);
  }
  if (s.fields === 0) throw new QueryError('at least 1 non-time field must be queried');
  if (s.calls.length > 1 && s.topBottom) throw new QueryError(`selector function ${s.topBottom}() cannot be combined with other functions`);
  if (s.calls.length === 0) {
    if (stmt.fill === 'none') throw new QueryError('fill(none) must be used with a function');
    if (stmt.fill === 'linear') throw new QueryError('fill(linear) must be used with a function');
    if (interval && !inherited) throw new QueryError('GROUP BY requires at least one aggregate function');
  }
  if (s.hasDistinct && (s.calls.length !== 1 || s.hasAux)) throw new QueryError('aggregate function distinct() cannot be combined with other functions or fields');
  if (s.hasAux) {
    if (!s.onlySelectors) throw new QueryError('mixing aggregate and non-aggregate queries is not supported');
    if (s.calls.length > 1) throw new QueryError('mixing multiple selector functions with tags or fields is not supported');
  }
  return s;
}

/** validateCondition (compile.go): only math functions may be called in WHERE. */
export function validateCondition(e: Expr | undefined): void {
  if (!e) return;
  if (e.kind === 'binary') {
    validateCondition(e.lhs);
    validateCondition(e.rhs);
  } else if (e.kind === 'paren') validateCondition(e.expr);
  else if (e.kind === 'call') {
    if (!isMathFunction(e.name)) throw new QueryError(`invalid function call in condition: ${exprString(e)}`);
    const want = e.name === 'atan2' || e.name === 'pow' ? 2 : 1;
    if (e.args.length !== want) throw new QueryError(`invalid number of arguments for ${e.name}, expected ${want}, got ${e.args.length}`);
    e.args.forEach(validateCondition);
  }
}
