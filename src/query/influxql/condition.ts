// WHERE clauses: the time range is taken out of the top-level AND chain (as
// influxql.ConditionExpr does) and the rest becomes a DuckDB condition over a
// measurement's physical columns: tags t<n> (a missing tag compares as ''),
// fields f<n>. Tag regexes run through DuckDB's RE2, as Go's regexp does.

import type { Expr } from './ast.ts';
import { FieldType } from '../../ingest/line-protocol/batch.ts';
import type { Measurement } from '../../storage/measurement.ts';

/** What conditions are translated against: a measurement or a subquery's relation. */
export type RelLike = Pick<Measurement, 'fieldByName' | 'tagOrdinal'>;
import { parseTimeString } from './time-literal.ts';

export class QueryError extends Error {}

export const MIN_TIME = -(1n << 63n) + 2n;
export const MAX_TIME = (1n << 63n) - 2n;

export interface TimeRange {
  min?: bigint;
  max?: bigint;
}

function isTimeRef(e: Expr): boolean {
  return e.kind === 'varref' && e.name.toLowerCase() === 'time';
}

/** Evaluates a time expression (now(), literals, +/- durations) to ns. */
export function evalTime(e: Expr, now: bigint, tzOffsetMinutes = 0): bigint {
  switch (e.kind) {
    case 'paren':
      return evalTime(e.expr, now, tzOffsetMinutes);
    case 'call':
      if (e.name === 'now' && e.args.length === 0) return now;
      throw new QueryError(`invalid function call in time condition: ${e.name}()`);
    case 'integer':
    case 'unsigned':
    case 'duration':
    case 'time':
      return e.val;
    case 'number':
      return BigInt(Math.trunc(e.val));
    case 'string': {
      const t = parseTimeString(e.val, tzOffsetMinutes);
      if (t === undefined) throw new QueryError(`invalid operation: time and *influxql.StringLiteral are not compatible`);
      return t;
    }
    case 'binary': {
      if (e.op === '+' || e.op === '-') {
        const a = evalTime(e.lhs, now, tzOffsetMinutes);
        const b = evalTime(e.rhs, now, tzOffsetMinutes);
        return e.op === '+' ? a + b : a - b;
      }
      break;
    }
  }
  throw new QueryError(`invalid time comparison: ${e.kind}`);
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' };

/**
 * Splits a condition into its time range and the remaining filter. Time
 * comparisons must sit in the top-level AND chain; elsewhere they are an error.
 */
export function splitCondition(cond: Expr | undefined, now: bigint, tzOffsetMinutes = 0): { range: TimeRange; filter?: Expr } {
  const range: TimeRange = {};
  const apply = (op: string, t: bigint) => {
    switch (op) {
      case '>':
        range.min = max(range.min, t + 1n);
        break;
      case '>=':
        range.min = max(range.min, t);
        break;
      case '<':
        range.max = min(range.max, t - 1n);
        break;
      case '<=':
        range.max = min(range.max, t);
        break;
      case '=':
        range.min = max(range.min, t);
        range.max = min(range.max, t);
        break;
      default:
        throw new QueryError('invalid time comparison operator: ' + op);
    }
  };
  const walk = (e: Expr): Expr | undefined => {
    if (e.kind === 'paren') {
      const inner = walk(e.expr);
      return inner && { kind: 'paren', expr: inner };
    }
    if (e.kind === 'binary' && e.op === 'AND') {
      const l = walk(e.lhs);
      const r = walk(e.rhs);
      if (l && r) return { kind: 'binary', op: 'AND', lhs: l, rhs: r };
      return l ?? r;
    }
    if (e.kind === 'binary' && FLIP[e.op] !== undefined) {
      if (isTimeRef(e.lhs)) {
        apply(e.op, evalTime(e.rhs, now, tzOffsetMinutes));
        return undefined;
      }
      if (isTimeRef(e.rhs)) {
        apply(FLIP[e.op], evalTime(e.lhs, now, tzOffsetMinutes));
        return undefined;
      }
    }
    if (mentionsTime(e)) throw new QueryError('invalid time condition: time must be compared in the top-level AND of the WHERE clause');
    return e;
  };
  const filter = cond ? walk(cond) : undefined;
  return { range, filter };
}

function max(a: bigint | undefined, b: bigint): bigint {
  return a === undefined || b > a ? b : a;
}
function min(a: bigint | undefined, b: bigint): bigint {
  return a === undefined || b < a ? b : a;
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

export function mentionsField(e: Expr, m: RelLike): boolean {
  switch (e.kind) {
    case 'varref':
      return e.type === 'field' || (e.type !== 'tag' && m.fieldByName.has(e.name));
    case 'binary':
      return mentionsField(e.lhs, m) || mentionsField(e.rhs, m);
    case 'paren':
      return mentionsField(e.expr, m);
    default:
      return false;
  }
}

export function sqlString(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

const NUMERIC = new Set([FieldType.Float, FieldType.Integer, FieldType.Unsigned]);

type Operand = { sql: string; kind: 'tag' | 'string' | 'number' | 'bool' | 'regex' | 'null' | 'field'; type?: FieldType };

/** DuckDB condition for a (time-free) InfluxQL filter over `m`'s physical columns. */
export function filterSql(e: Expr, m: RelLike, tagsOnly = false): string {
  switch (e.kind) {
    case 'paren':
      return `(${filterSql(e.expr, m, tagsOnly)})`;
    case 'boolean':
      return e.val ? 'TRUE' : 'FALSE';
    case 'binary':
      if (e.op === 'AND' || e.op === 'OR') return `(${filterSql(e.lhs, m, tagsOnly)} ${e.op} ${filterSql(e.rhs, m, tagsOnly)})`;
      return comparisonSql(e.op, e.lhs, e.rhs, m, tagsOnly);
    case 'varref': {
      const f = !tagsOnly && e.type !== 'tag' ? m.fieldByName.get(e.name) : undefined;
      if (f && f.type === FieldType.Boolean) return `coalesce(f${f.ordinal}, FALSE)`;
      return 'FALSE';
    }
    default:
      return 'FALSE';
  }
}

function operand(e: Expr, m: RelLike, tagsOnly: boolean): Operand {
  switch (e.kind) {
    case 'paren':
      return operand(e.expr, m, tagsOnly);
    case 'varref': {
      if (e.type !== 'tag' && !tagsOnly) {
        const f = m.fieldByName.get(e.name);
        if (f) return { sql: `f${f.ordinal}`, kind: 'field', type: f.type };
        if (e.type === 'field') return { sql: 'NULL', kind: 'null' };
      }
      const o = m.tagOrdinal.get(e.name);
      return { sql: o === undefined ? "''" : `coalesce(t${o}, '')`, kind: 'tag' };
    }
    case 'string':
      return { sql: sqlString(e.val), kind: 'string' };
    case 'integer':
    case 'unsigned':
      return { sql: `${e.val}`, kind: 'number' };
    case 'number':
      return { sql: Number.isFinite(e.val) ? `${e.val}::DOUBLE` : 'NULL', kind: 'number' };
    case 'duration':
      return { sql: `${e.val}`, kind: 'number' };
    case 'boolean':
      return { sql: e.val ? 'TRUE' : 'FALSE', kind: 'bool' };
    case 'regex':
      return { sql: sqlString(e.source), kind: 'regex' };
    case 'binary': {
      if (['+', '-', '*', '/', '%'].includes(e.op)) {
        const a = operand(e.lhs, m, tagsOnly);
        const b = operand(e.rhs, m, tagsOnly);
        if ((a.kind === 'field' || a.kind === 'number') && (b.kind === 'field' || b.kind === 'number')) {
          const op = e.op === '/' ? '/' : e.op;
          return { sql: `(${a.sql} ${op} ${b.sql})`, kind: 'number' };
        }
      }
      return { sql: 'NULL', kind: 'null' };
    }
    default:
      return { sql: 'NULL', kind: 'null' };
  }
}

function isNumericOperand(o: Operand): boolean {
  return o.kind === 'number' || (o.kind === 'field' && NUMERIC.has(o.type!));
}
function isStringOperand(o: Operand): boolean {
  return o.kind === 'string' || o.kind === 'tag' || (o.kind === 'field' && o.type === FieldType.String);
}
function isBoolOperand(o: Operand): boolean {
  return o.kind === 'bool' || (o.kind === 'field' && o.type === FieldType.Boolean);
}

function comparisonSql(op: string, lhs: Expr, rhs: Expr, m: RelLike, tagsOnly: boolean): string {
  const a = operand(lhs, m, tagsOnly);
  const b = operand(rhs, m, tagsOnly);
  if (op === '=~' || op === '!~') {
    if (b.kind !== 'regex' || !isStringOperand(a)) return 'FALSE';
    const match = `regexp_matches(${a.sql}, ${b.sql})`;
    return op === '=~' ? `coalesce(${match}, FALSE)` : `coalesce(NOT ${match}, FALSE)`;
  }
  const sqlOp = op === '!=' ? '<>' : op;
  if (!['=', '<>', '<', '<=', '>', '>='].includes(sqlOp)) return 'FALSE';
  const compatible =
    (isNumericOperand(a) && isNumericOperand(b)) || (isStringOperand(a) && isStringOperand(b)) || (isBoolOperand(a) && isBoolOperand(b));
  if (!compatible) {
    // A tag compared with a number never matches; a field of another type neither.
    return 'FALSE';
  }
  return `coalesce(${a.sql} ${sqlOp} ${b.sql}, FALSE)`;
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
