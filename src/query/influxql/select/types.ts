// Type checking of the select's fields once wildcards are expanded and
// fields have their types: query/select.go validateTypes with
// influxql.TypeValuerEval, the FunctionTypeMapper (query/functions.go) and
// MathTypeMapper (query/math.go). A binary expression is typed by
// evaluating it on the zero values of its operand types; no result means
// "incompatible types".

import type { Expr } from '../ast.ts';
import { exprString } from '../ast.ts';
import { QueryError } from '../condition.ts';
import { FieldType } from '../../../core/field-type.ts';
import type { Field } from '../ast.ts';

/** What a SELECT reads: the fields' types and the tag keys (analyze.ts builds it; here so types.ts does not import analyze.ts back). */
export interface Schema {
  /** Field name -> type, over every measurement the statement reads. */
  fields: Map<string, FieldType>;
  tags: Set<string>;
}

type DT = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean' | 'tag' | 'time' | 'duration' | 'unknown';

const FIELD_TYPES: Record<number, DT> = {
  [FieldType.Float]: 'float',
  [FieldType.Integer]: 'integer',
  [FieldType.Unsigned]: 'unsigned',
  [FieldType.String]: 'string',
  [FieldType.Boolean]: 'boolean',
};

const FLOAT_RESULT = new Set([
  'median',
  'integral',
  'stddev',
  'derivative',
  'non_negative_derivative',
  'moving_average',
  'exponential_moving_average',
  'double_exponential_moving_average',
  'triple_exponential_moving_average',
  'relative_strength_index',
  'triple_exponential_derivative',
  'kaufmans_efficiency_ratio',
  'kaufmans_adaptive_moving_average',
  'chande_momentum_oscillator',
  'holt_winters',
  'holt_winters_with_fit',
]);

function refType(e: Expr & { kind: 'varref' }, schema: Schema): DT {
  if (e.type && e.type !== 'field') return e.type as DT;
  const f = schema.fields.get(e.name);
  if (f !== undefined) return FIELD_TYPES[f] ?? 'unknown';
  if (schema.tags.has(e.name)) return 'tag';
  return 'unknown';
}

/** The expression with every typed variable showing its type (as the rewritten statement prints). */
function annotate(e: Expr, schema: Schema): Expr {
  switch (e.kind) {
    case 'varref': {
      const t = refType(e, schema);
      return t === 'unknown' ? e : { ...e, type: t as never };
    }
    case 'call':
      return { ...e, args: e.args.map((a) => annotate(a, schema)) };
    case 'binary':
      return { ...e, lhs: annotate(e.lhs, schema), rhs: annotate(e.rhs, schema) };
    case 'paren':
      return { ...e, expr: annotate(e.expr, schema) };
    default:
      return e;
  }
}

/**
 * 1.6's MathTypeMapper does not check argument types (sin() of a string is
 * null, not an error); later versions do. Results: float, or the argument's
 * type for abs/floor/ceil/round.
 */
function mathCallType(name: string, args: DT[]): DT | undefined {
  const a0 = args[0] ?? 'unknown';
  switch (name) {
    case 'sin':
    case 'cos':
    case 'tan':
    case 'atan':
    case 'exp':
    case 'log':
    case 'ln':
    case 'log2':
    case 'log10':
    case 'sqrt':
    case 'asin':
    case 'acos':
    case 'atan2':
    case 'pow':
      return 'float';
    case 'abs':
    case 'floor':
    case 'ceil':
    case 'round':
      return a0;
  }
  return undefined;
}

function callType(name: string, args: DT[]): DT {
  const m = mathCallType(name, args);
  if (m !== undefined) return m;
  if (name === 'mean') return 'float';
  if (name === 'count') return 'integer';
  if (FLOAT_RESULT.has(name)) return 'float';
  if (name === 'elapsed') return 'integer';
  return args[0] ?? 'unknown';
}

// query/select.go builds these iterators over a raw field only for the
// types it has them for; any other type fails with Go's iterator type in
// the message (1.6: `SELECT mean(s) FROM m` on a string field). Wildcards
// and regexes skip such fields instead.
const NUMERIC_ONLY = ['string', 'boolean'];
const UNSUPPORTED_RAW: Record<string, { what: string; types: string[] }> = {
  derivative: { what: 'derivative', types: NUMERIC_ONLY },
  non_negative_derivative: { what: 'derivative', types: NUMERIC_ONLY },
  difference: { what: 'difference', types: NUMERIC_ONLY },
  non_negative_difference: { what: 'difference', types: NUMERIC_ONLY },
  moving_average: { what: 'moving average', types: NUMERIC_ONLY },
  cumulative_sum: { what: 'cumulative sum', types: NUMERIC_ONLY },
  mean: { what: 'mean', types: NUMERIC_ONLY },
  median: { what: 'median', types: NUMERIC_ONLY },
  stddev: { what: 'stddev', types: NUMERIC_ONLY },
  sum: { what: 'sum', types: NUMERIC_ONLY },
  spread: { what: 'spread', types: NUMERIC_ONLY },
  integral: { what: 'integral', types: NUMERIC_ONLY },
  percentile: { what: 'percentile', types: NUMERIC_ONLY },
  top: { what: 'top', types: NUMERIC_ONLY },
  bottom: { what: 'bottom', types: NUMERIC_ONLY },
  // min/max keep booleans (false < true) but have no string iterator.
  min: { what: 'min', types: ['string'] },
  max: { what: 'max', types: ['string'] },
};

type Zero = number | bigint | string | boolean | { u: bigint } | null;

function zero(t: DT): Zero {
  switch (t) {
    case 'float':
      return 0;
    case 'integer':
      return 0n;
    case 'unsigned':
      return { u: 0n };
    case 'string':
    case 'tag':
      return '';
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** The type influxql.Eval gives `lhs op rhs` on zero values (undefined: nil). */
function evalType(op: string, l: Zero, r: Zero): DT | undefined {
  const arith = ['+', '-', '*', '/', '%'];
  const cmp = ['=', '!=', '<', '<=', '>', '>='];
  const bits = ['&', '|', '^'];
  const isF = (v: Zero) => typeof v === 'number';
  const isI = (v: Zero) => typeof v === 'bigint';
  const isU = (v: Zero) => typeof v === 'object' && v !== null;
  if (isF(l) && (isF(r) || isI(r) || isU(r))) {
    if (arith.includes(op)) return 'float';
    if (cmp.includes(op)) return 'boolean';
  } else if (isI(l) && isF(r)) {
    if (arith.includes(op)) return 'float';
    if (cmp.includes(op)) return 'boolean';
  } else if ((isI(l) || isU(l)) && (isI(r) || isU(r))) {
    if (op === '/') return 'float';
    if (arith.includes(op) || bits.includes(op)) return isU(l) || isU(r) ? 'unsigned' : 'integer';
    if (cmp.includes(op)) return 'boolean';
  } else if (isU(l) && isF(r)) {
    if (arith.includes(op)) return 'float';
    if (cmp.includes(op)) return 'boolean';
  } else if (typeof l === 'boolean' && typeof r === 'boolean') {
    if (op === 'AND' || op === 'OR' || bits.includes(op) || op === '=' || op === '!=') return 'boolean';
  } else if (typeof l === 'string' && typeof r === 'string') {
    if (cmp.includes(op)) return 'boolean';
  }
  // Not comparable: equality and ordering are false (a boolean), the rest nil.
  return cmp.includes(op) ? 'boolean' : undefined;
}

/** Type errors throw at once; an unsupported iterator is only noted (1.6 finds it later, when it builds iterators). */
function typeOf(e: Expr, schema: Schema, late: QueryError[] = []): DT {
  switch (e.kind) {
    case 'varref':
      return refType(e, schema);
    case 'number':
      return 'float';
    case 'integer':
      return 'integer';
    case 'unsigned':
      return 'unsigned';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'duration':
      return 'duration';
    case 'time':
      return 'time';
    case 'paren':
      return typeOf(e.expr, schema, late);
    case 'distinct':
      return refType({ kind: 'varref', name: e.val }, schema);
    case 'call': {
      const args = e.args.map((a) => typeOf(a, schema, late));
      const u = UNSUPPORTED_RAW[e.name];
      if (u && e.args[0]?.kind === 'varref' && u.types.includes(args[0])) {
        // top/bottom with tag arguments first reduce with max/min per tag set:
        // over a string that fails as max/min does; over a boolean it passes
        // and top/bottom fails on the reduced iterator.
        if (e.args.length > 2 && (e.name === 'top' || e.name === 'bottom')) {
          if (args[0] === 'string') late.push(new QueryError(`unsupported ${e.name === 'top' ? 'max' : 'min'} iterator type: *query.stringInterruptIterator`));
          else late.push(new QueryError(`unsupported ${e.name} iterator type: *query.booleanReduceBooleanIterator`));
        } else late.push(new QueryError(`unsupported ${u.what} iterator type: *query.${args[0]}InterruptIterator`));
      }
      return callType(e.name, args);
    }
    case 'binary': {
      const l = typeOf(e.lhs, schema, late);
      const r = typeOf(e.rhs, schema, late);
      if (l === 'unknown') return r;
      if (r === 'unknown') return l;
      const t = evalType(e.op, zero(l), zero(r));
      if (t === undefined) throw new QueryError(`type error: ${exprString(annotate(e, schema))}: incompatible types: ${l} and ${r}`);
      return t;
    }
    default:
      return 'unknown';
  }
}

export function validateTypes(fields: Field[], schema: Schema): void {
  const late: QueryError[] = [];
  for (const f of fields) typeOf(f.expr, schema, late);
  if (late.length) throw late[0];
}
