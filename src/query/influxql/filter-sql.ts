// A WHERE condition without its time range (condition.ts) as a DuckDB
// condition over a SELECT relation's positional columns (select/relation.ts):
// tags tagCol(n) (a missing tag compares as ''), fields fieldCol(n). Comparisons of incompatible types are false
// rather than errors, as InfluxDB's condition evaluation (query/select.go
// with influxql.ValuerEval) treats them. Tag regexes run through DuckDB's
// RE2, as Go's regexp does.

import { literalAlternation } from './literal-alternation.ts';
import type { Expr } from './ast.ts';
import { FieldType, NUMERIC_TYPES as NUMERIC } from '../../core/field-type.ts';
import { fieldCol, tagCol, type StoredMeasurement } from '../store-view.ts';

/** What conditions are translated against: a measurement or a subquery's relation. */
export type RelLike = Pick<StoredMeasurement, 'fieldByName' | 'tagOrdinal'>;

export function sqlString(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}


type Operand = {
  sql: string;
  kind: 'tag' | 'string' | 'number' | 'bool' | 'regex' | 'null' | 'field';
  type?: FieldType;
  /** A tag's bare column (tagCol(n)), without the coalesce that makes a missing tag ''. */
  column?: string;
  /** A string literal's value. */
  val?: string;
  /** A regex literal's pattern. */
  source?: string;
};

/** Math functions InfluxQL allows in a condition (compile.go validateCondition) and their SQL. */
const MATH_SQL: Record<string, (a: string[]) => string> = {
  abs: (a) => `abs(${a[0]})`,
  sin: (a) => `sin(${a[0]})`,
  cos: (a) => `cos(${a[0]})`,
  tan: (a) => `tan(${a[0]})`,
  asin: (a) => `CASE WHEN abs(${a[0]}) <= 1 THEN asin(${a[0]}) ELSE 'NaN'::DOUBLE END`,
  acos: (a) => `CASE WHEN abs(${a[0]}) <= 1 THEN acos(${a[0]}) ELSE 'NaN'::DOUBLE END`,
  atan: (a) => `atan(${a[0]})`,
  atan2: (a) => `atan2(${a[0]}, ${a[1]})`,
  exp: (a) => `exp(${a[0]})`,
  ln: (a) => `CASE WHEN ${a[0]} > 0 THEN ln(${a[0]}) ELSE 'NaN'::DOUBLE END`,
  log2: (a) => `CASE WHEN ${a[0]} > 0 THEN log2(${a[0]}) ELSE 'NaN'::DOUBLE END`,
  log10: (a) => `CASE WHEN ${a[0]} > 0 THEN log10(${a[0]}) ELSE 'NaN'::DOUBLE END`,
  sqrt: (a) => `CASE WHEN ${a[0]} >= 0 THEN sqrt(${a[0]}) ELSE 'NaN'::DOUBLE END`,
  pow: (a) => `pow(${a[0]}, ${a[1]})`,
  floor: (a) => `floor(${a[0]})`,
  ceil: (a) => `ceil(${a[0]})`,
  round: (a) => `round(${a[0]})`,
};

/** DuckDB condition for a (time-free) InfluxQL filter over `m`'s positional columns. */
export function filterSql(e: Expr, m: RelLike, tagsOnly = false): string {
  switch (e.kind) {
    case 'paren':
      return `(${filterSql(e.expr, m, tagsOnly)})`;
    case 'boolean':
      return e.val ? 'TRUE' : 'FALSE';
    case 'binary':
      if (e.op === 'AND' || e.op === 'OR') return `(${filterSql(e.lhs, m, tagsOnly)} ${e.op} ${filterSql(e.rhs, m, tagsOnly)})`;
      return comparisonSql(e.op, e.lhs, e.rhs, m, tagsOnly);
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
        if (f) return { sql: fieldCol(f.ordinal), kind: 'field', type: f.type };
        if (e.type === 'field') return { sql: 'NULL', kind: 'null' };
      }
      const o = m.tagOrdinal.get(e.name);
      return o === undefined ? { sql: "''", kind: 'tag' } : { sql: `coalesce(${tagCol(o)}, '')`, kind: 'tag', column: tagCol(o) };
    }
    case 'string':
      return { sql: sqlString(e.val), kind: 'string', val: e.val };
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
      return { sql: sqlString(e.source), kind: 'regex', source: e.source };
    case 'call': {
      const fn = MATH_SQL[e.name];
      if (!fn) return { sql: 'NULL', kind: 'null' };
      const args = e.args.map((a) => operand(a, m, tagsOnly));
      if (!args.every(isNumericOperand)) return { sql: 'NULL', kind: 'null' };
      return { sql: fn(args.map((a) => `(${a.sql})::DOUBLE`)), kind: 'number' };
    }
    case 'binary': {
      if (['+', '-', '*', '/', '%'].includes(e.op)) {
        const a = operand(e.lhs, m, tagsOnly);
        const b = operand(e.rhs, m, tagsOnly);
        if (isNumericOperand(a) && isNumericOperand(b)) {
          // InfluxQL: x / 0 is 0, as is x % 0 (query/math.go).
          if (e.op === '/') return { sql: `CASE WHEN (${b.sql}) = 0 THEN 0::DOUBLE ELSE (${a.sql})::DOUBLE / (${b.sql}) END`, kind: 'number' };
          if (e.op === '%') return { sql: `CASE WHEN (${b.sql}) = 0 THEN 0 ELSE fmod((${a.sql})::DOUBLE, (${b.sql})::DOUBLE) END`, kind: 'number' };
          return { sql: `(${a.sql} ${e.op} ${b.sql})`, kind: 'number' };
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
    const values = a.kind === 'tag' && a.column !== undefined && b.source !== undefined ? literalAlternation(b.source) : undefined;
    if (values) {
      // An exact list of values: an IN the scan can check against row-group statistics (literal-alternation.ts).
      const inList = `(${a.column} IN (${values.map(sqlString).join(', ')}) AND ${a.column} IS NOT NULL)`;
      return op === '=~' ? inList : `(NOT ${inList})`;
    }
    const match = `regexp_matches(${a.sql}, ${b.sql})`;
    return op === '=~' ? `coalesce(${match}, FALSE)` : `coalesce(NOT ${match}, FALSE)`;
  }
  const sqlOp = op === '!=' || op === '<>' ? '<>' : op;
  if (!['=', '<>', '<', '<=', '>', '>='].includes(sqlOp)) return 'FALSE';
  if (sqlOp === '=') {
    const eq = tagEqualsSql(a, b) ?? tagEqualsSql(b, a);
    if (eq !== undefined) return eq;
  }
  const compatible =
    (isNumericOperand(a) && isNumericOperand(b)) || (isStringOperand(a) && isStringOperand(b)) || (isBoolOperand(a) && isBoolOperand(b));
  // A tag compared with a number never matches; a field of another type neither.
  if (!compatible) return 'FALSE';
  return `coalesce(${a.sql} ${sqlOp} ${b.sql}, FALSE)`;
}

/**
 * `tag = 'v'` for a non-empty v, on the bare column: a missing tag ('') can
 * never equal v, so the coalesce is not needed, and DuckDB can then compare
 * the literal with each Parquet row group's min/max of the column and skip
 * the row groups of other series (files are sorted by series, docs/storage.md).
 * `IS NOT NULL` keeps the result FALSE rather than NULL for a missing tag,
 * as the coalesced form gives, for callers that negate it (DELETE).
 */
function tagEqualsSql(tag: Operand, lit: Operand): string | undefined {
  if (tag.kind !== 'tag' || tag.column === undefined || lit.kind !== 'string' || !lit.val) return undefined;
  return `(${tag.column} = ${lit.sql} AND ${tag.column} IS NOT NULL)`;
}

export function mentionsField(e: Expr, m: RelLike): boolean {
  switch (e.kind) {
    case 'varref':
      return e.type === 'field' || (e.type !== 'tag' && m.fieldByName.has(e.name));
    case 'binary':
      return mentionsField(e.lhs, m) || mentionsField(e.rhs, m);
    case 'paren':
      return mentionsField(e.expr, m);
    case 'call':
      return e.args.some((a) => mentionsField(a, m));
    default:
      return false;
  }
}
