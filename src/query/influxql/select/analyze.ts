// SELECT compilation (influxdb 1.x query/compile.go, the rules clients meet):
// wildcard and regex expansion, column names (alias, function name, `_1`
// suffixes), raw vs aggregate, GROUP BY time, and the validation errors.

import type { Expr, Field, SelectStatement } from '../ast.ts';
import { exprString } from '../ast.ts';
import { FieldType } from '../../../ingest/line-protocol/batch.ts';
import { QueryError } from '../condition.ts';
import { toJsRegExp } from '../regex.ts';
import { AGGREGATES, MATH, MULTI_ROW, SELECTORS, TRANSFORMS } from './functions.ts';

export interface Schema {
  /** Field name -> type, over every measurement the statement reads. */
  fields: Map<string, FieldType>;
  tags: Set<string>;
}

export interface Dimensions {
  interval?: { every: bigint; offset: bigint };
  tags: string[];
  /** GROUP BY * */
  all: boolean;
  regexes: string[];
}

export interface Compiled {
  fields: Field[];
  columns: string[];
  dims: Dimensions;
  aggregate: boolean;
  /** One selector and nothing else aggregated: rows carry the selected point's time. */
  pointTime: boolean;
  /** The call that emits several rows per window (top, bottom, sample, distinct). */
  multiRow?: Expr & { kind: 'call' };
  hasTransform: boolean;
}

const NUMERIC = new Set([FieldType.Float, FieldType.Integer, FieldType.Unsigned]);

export function parseDimensions(stmt: SelectStatement): Dimensions {
  const dims: Dimensions = { tags: [], all: false, regexes: [] };
  for (const d of stmt.dimensions) {
    if (d.kind === 'call' && d.name === 'time') {
      if (dims.interval) throw new QueryError('multiple time dimensions not allowed');
      if (d.args.length < 1 || d.args.length > 2) throw new QueryError('time dimension expected 1 or 2 arguments');
      const every = d.args[0];
      if (every.kind !== 'duration') throw new QueryError('time dimension must have duration argument');
      if (every.val <= 0n) throw new QueryError('time dimension must have a positive duration argument');
      let offset = 0n;
      if (d.args.length === 2) {
        const o = d.args[1];
        if (o.kind === 'duration') offset = o.val;
        else if (o.kind === 'call' && o.name === 'now') offset = -1n;
        else throw new QueryError('time dimension offset must be duration or now()');
      }
      dims.interval = { every: every.val, offset };
    } else if (d.kind === 'varref') {
      if (d.name.toLowerCase() === 'time') throw new QueryError('time() is a function and expects at least one argument');
      dims.tags.push(d.name);
    } else if (d.kind === 'wildcard') dims.all = true;
    else if (d.kind === 'regex') dims.regexes.push(d.source);
    else if (d.kind === 'call') throw new QueryError(`only time() calls allowed in dimensions`);
    else throw new QueryError(`only time and tag dimensions allowed`);
  }
  return dims;
}

function typeAllowed(fn: string, t: FieldType | undefined): boolean {
  if (t === undefined) return false;
  switch (fn) {
    case 'count':
    case 'first':
    case 'last':
    case 'distinct':
    case 'elapsed':
    case 'mode':
    case 'sample':
      return true;
    case 'min':
    case 'max':
      return NUMERIC.has(t) || t === FieldType.Boolean;
    default:
      return NUMERIC.has(t);
  }
}

/** RewriteFields: expands *, *::field, *::tag, /regex/ and fn(*) / fn(/regex/). */
export function expandFields(fields: Field[], schema: Schema, dims: Dimensions): Field[] {
  const out: Field[] = [];
  const dimSet = new Set(dims.tags);
  const tagNames = dims.all ? [] : [...schema.tags].filter((t) => !dimSet.has(t) && !dims.regexes.some((r) => toJsRegExp(r).test(t)));
  const fieldNames = [...schema.fields.keys()];
  const both = (filter: (n: string) => boolean, wantFields: boolean, wantTags: boolean): Field[] => {
    const items: Array<{ name: string; type: 'field' | 'tag' }> = [];
    if (wantFields) for (const f of fieldNames) if (filter(f)) items.push({ name: f, type: 'field' });
    if (wantTags) for (const t of tagNames) if (filter(t) && !schema.fields.has(t)) items.push({ name: t, type: 'tag' });
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return items.map((i) => ({ expr: { kind: 'varref', name: i.name, type: i.type === 'tag' ? 'tag' : undefined }, alias: '' }));
  };
  for (const f of fields) {
    const e = f.expr;
    if (e.kind === 'wildcard') out.push(...both(() => true, e.type !== 'TAG', e.type !== 'FIELD'));
    else if (e.kind === 'regex') {
      const re = toJsRegExp(e.source);
      out.push(...both((n) => re.test(n), true, true));
    } else if (e.kind === 'call' && e.args.length > 0 && (e.args[0].kind === 'wildcard' || e.args[0].kind === 'regex')) {
      const a = e.args[0];
      const re = a.kind === 'regex' ? toJsRegExp(a.source) : undefined;
      const names = [...fieldNames].sort().filter((n) => (!re || re.test(n)) && typeAllowed(e.name, schema.fields.get(n)));
      for (const n of names) {
        out.push({ expr: { kind: 'call', name: e.name, args: [{ kind: 'varref', name: n }, ...e.args.slice(1)] }, alias: `${f.alias || e.name}_${n}` });
      }
    } else if (e.kind === 'call' && e.args.length > 0 && e.args[0].kind === 'call' && e.args[0].args.length > 0 && (e.args[0].args[0].kind === 'wildcard' || e.args[0].args[0].kind === 'regex')) {
      // derivative(mean(*)) and the like
      const inner = e.args[0];
      const a = inner.args[0];
      const re = a.kind === 'regex' ? toJsRegExp(a.source) : undefined;
      const names = [...fieldNames].sort().filter((n) => (!re || re.test(n)) && typeAllowed(inner.name, schema.fields.get(n)));
      for (const n of names) {
        const innerCall: Expr = { kind: 'call', name: inner.name, args: [{ kind: 'varref', name: n }, ...inner.args.slice(1)] };
        out.push({ expr: { kind: 'call', name: e.name, args: [innerCall, ...e.args.slice(1)] }, alias: `${f.alias || e.name}_${n}` });
      }
    } else out.push(f);
  }
  return out;
}

/** Field.Name(): alias, function name, or the variables of an expression joined by "_". */
export function fieldName(f: Field): string {
  if (f.alias) return f.alias;
  return exprName(f.expr);
}
function exprName(e: Expr): string {
  switch (e.kind) {
    case 'call':
      return e.name;
    case 'varref':
      return e.name;
    case 'paren':
      return exprName(e.expr);
    case 'binary': {
      const names: string[] = [];
      const walk = (x: Expr) => {
        if (x.kind === 'varref') names.push(x.name);
        else if (x.kind === 'call') names.push(x.name);
        else if (x.kind === 'binary') {
          walk(x.lhs);
          walk(x.rhs);
        } else if (x.kind === 'paren') walk(x.expr);
      };
      walk(e);
      return names.join('_');
    }
    default:
      return '';
  }
}

/** SelectStatement.ColumnNames(). */
export function columnNames(fields: Field[], timeName: string): string[] {
  const cols: Field[] = [];
  for (const f of fields) {
    cols.push(f);
    if (f.expr.kind === 'call' && (f.expr.name === 'top' || f.expr.name === 'bottom')) {
      for (const a of f.expr.args.slice(1)) if (a.kind === 'varref') cols.push({ expr: a, alias: '' });
    }
  }
  const names: string[] = new Array(cols.length).fill('');
  const seen = new Map<string, number>();
  cols.forEach((c, i) => {
    if (c.alias) {
      names[i] = c.alias;
      seen.set(c.alias, 1);
    }
  });
  cols.forEach((c, i) => {
    if (names[i]) return;
    let name = fieldName(c);
    let count = seen.get(name);
    if (count !== undefined) {
      for (;;) {
        const resolved = `${name}_${count}`;
        if (!seen.has(resolved)) {
          seen.set(name, count + 1);
          name = resolved;
          break;
        }
        count++;
      }
    }
    seen.set(name, (seen.get(name) ?? 0) + 1);
    names[i] = name;
  });
  return [timeName, ...names];
}

function calls(e: Expr, out: Array<Expr & { kind: 'call' }> = []): Array<Expr & { kind: 'call' }> {
  if (e.kind === 'call') out.push(e);
  else if (e.kind === 'binary') {
    calls(e.lhs, out);
    calls(e.rhs, out);
  } else if (e.kind === 'paren') calls(e.expr, out);
  return out;
}

/** Varrefs outside any call. */
function bareRefs(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'varref') out.push(e);
  else if (e.kind === 'binary') {
    bareRefs(e.lhs, out);
    bareRefs(e.rhs, out);
  } else if (e.kind === 'paren') bareRefs(e.expr, out);
  else if (e.kind === 'call' && MATH.has(e.name)) for (const a of e.args) bareRefs(a, out);
  return out;
}

function argCount(c: Expr & { kind: 'call' }, min: number, max = min): void {
  const n = c.args.length;
  if (n < min || n > max) {
    const exp = min === max ? `${min}` : `${min}`;
    throw new QueryError(`invalid number of arguments for ${c.name}, expected ${exp}, got ${n}`);
  }
}

/** Validates one call and returns whether it is an aggregate-level (non-transform) call. */
function checkCall(c: Expr & { kind: 'call' }, interval: boolean, state: { aggs: string[]; selectors: number; transforms: number }): void {
  const name = c.name;
  if (MATH.has(name)) {
    argCount(c, name === 'atan2' || name === 'pow' || name === 'log' ? 2 : 1);
    for (const a of c.args) for (const inner of calls(a)) checkCall(inner, interval, state);
    return;
  }
  if (TRANSFORMS.has(name)) {
    state.transforms++;
    if (name === 'moving_average') {
      argCount(c, 2);
      const n = c.args[1];
      if (n.kind !== 'integer') throw new QueryError(`second argument for moving_average must be an integer, got ${n.kind === 'number' ? '*influxql.NumberLiteral' : n.kind}`);
      if (n.val <= 1n) throw new QueryError(`moving_average window must be greater than 1, got ${n.val}`);
    } else if (name === 'cumulative_sum' || name === 'difference' || name === 'non_negative_difference') argCount(c, 1);
    else {
      if (c.args.length < 1 || c.args.length > 2) throw new QueryError(`invalid number of arguments for ${name}, expected at least 1 but no more than 2, got ${c.args.length}`);
      if (c.args.length === 2 && c.args[1].kind !== 'duration') throw new QueryError(`second argument to ${name} must be a duration, got ${c.args[1].kind === 'integer' ? '*influxql.IntegerLiteral' : '*influxql.' + c.args[1].kind}`);
    }
    const inner = c.args[0];
    if (interval) {
      if (inner.kind !== 'call' || !(AGGREGATES.has(inner.name) || SELECTORS.has(inner.name))) throw new QueryError(`aggregate function required inside the call to ${name}`);
      checkCall(inner, interval, state);
    } else {
      if (inner.kind === 'call') throw new QueryError(`${name} aggregate requires a GROUP BY interval`);
      if (inner.kind !== 'varref') throw new QueryError(`expected field argument in ${name}()`);
    }
    return;
  }
  if (!AGGREGATES.has(name) && !SELECTORS.has(name)) throw new QueryError(`undefined function ${name}()`);
  if (SELECTORS.has(name)) state.selectors++;
  state.aggs.push(name);
  switch (name) {
    case 'percentile': {
      argCount(c, 2);
      const p = c.args[1];
      if (p.kind !== 'integer' && p.kind !== 'number') throw new QueryError(`expected float argument in percentile()`);
      break;
    }
    case 'sample': {
      argCount(c, 2);
      const n = c.args[1];
      if (n.kind !== 'integer') throw new QueryError(`expected integer argument in sample()`);
      if (n.val <= 0n) throw new QueryError(`sample window must be greater than 1, got ${n.val}`);
      break;
    }
    case 'top':
    case 'bottom': {
      if (c.args.length < 2) throw new QueryError(`invalid number of arguments for ${name}, expected at least 2, got ${c.args.length}`);
      const last = c.args[c.args.length - 1];
      if (last.kind !== 'integer') throw new QueryError(`expected integer as last argument in ${name}(), found ${exprString(last)}`);
      if (last.val <= 0n) throw new QueryError(`limit (${last.val}) in ${name} function must be at least 1`);
      for (const a of c.args.slice(1, -1)) if (a.kind !== 'varref') throw new QueryError(`only fields or tags are allowed in ${name}(), found ${exprString(a)}`);
      break;
    }
    case 'integral':
      if (c.args.length < 1 || c.args.length > 2) throw new QueryError(`invalid number of arguments for integral, expected at least 1 but no more than 2, got ${c.args.length}`);
      if (c.args.length === 2 && c.args[1].kind !== 'duration') throw new QueryError('second argument must be a duration');
      break;
    case 'count':
      argCount(c, 1);
      if (c.args[0].kind === 'call') {
        if (c.args[0].name !== 'distinct') throw new QueryError(`expected field argument in count()`);
        argCount(c.args[0], 1);
        if (c.args[0].args[0].kind !== 'varref') throw new QueryError(`expected field argument in distinct()`);
        return;
      }
      if (c.args[0].kind === 'distinct') return;
      break;
    default:
      argCount(c, 1);
  }
  const a = c.args[0];
  if (a.kind !== 'varref') {
    if (a.kind === 'call') throw new QueryError(`expected field argument in ${name}()`);
    throw new QueryError(`expected field argument in ${name}()`);
  }
}

export function compileSelect(stmt: SelectStatement, schema: Schema): Compiled {
  const dims = parseDimensions(stmt);
  // `SELECT DISTINCT value` is distinct(value).
  const undistinct = (e: Expr): Expr =>
    e.kind === 'distinct'
      ? { kind: 'call', name: 'distinct', args: [{ kind: 'varref', name: e.val }] }
      : e.kind === 'call' && e.name !== 'count'
        ? { ...e, args: e.args.map(undistinct) }
        : e.kind === 'binary'
          ? { ...e, lhs: undistinct(e.lhs), rhs: undistinct(e.rhs) }
          : e.kind === 'paren'
            ? { ...e, expr: undistinct(e.expr) }
            : e;
  let fields = expandFields(
    stmt.fields.map((f) => ({ ...f, expr: undistinct(f.expr) })),
    schema,
    dims,
  );
  // `time` in the field list is the implicit time column (its alias renames it).
  let timeName = 'time';
  fields = fields.filter((f) => {
    if (f.expr.kind === 'varref' && f.expr.name.toLowerCase() === 'time' && f.expr.type !== 'tag') {
      if (f.alias) timeName = f.alias;
      return false;
    }
    return true;
  });
  if (fields.length === 0) throw new QueryError('statement must have at least one field in select clause');
  const state = { aggs: [] as string[], selectors: 0, transforms: 0 };
  let bare = 0;
  let bareFields = 0;
  let multiRow: (Expr & { kind: 'call' }) | undefined;
  for (const f of fields) {
    for (const c of calls(f.expr)) {
      checkCall(c, dims.interval !== undefined, state);
      if (MULTI_ROW.has(c.name)) multiRow = c;
    }
    for (const r of bareRefs(f.expr)) {
      bare++;
      if (r.kind === 'varref' && r.type !== 'tag' && !(schema.tags.has(r.name) && !schema.fields.has(r.name))) bareFields++;
    }
  }
  const aggregate = state.aggs.length > 0;
  if (aggregate && bare > 0) {
    const onlySelector = state.aggs.length === 1 && state.selectors === 1 && state.transforms === 0 && !dims.interval;
    if (!onlySelector) throw new QueryError('mixing aggregate and non-aggregate queries is not supported');
  }
  if (!aggregate && state.transforms === 0 && bareFields === 0) {
    const anyField = fields.some((f) => calls(f.expr).length > 0);
    if (!anyField) throw new QueryError('statement must have at least one field in select clause');
  }
  if (!aggregate && state.transforms > 0 && bare > 0) throw new QueryError('mixing aggregate and non-aggregate queries is not supported');
  if (dims.interval && !aggregate) throw new QueryError('GROUP BY requires at least one aggregate function');
  if (multiRow && (state.aggs.length > 1 || state.transforms > 0)) {
    if (multiRow.name === 'distinct') throw new QueryError('aggregate function distinct() cannot be combined with other functions or fields');
    throw new QueryError(`selector function ${multiRow.name}() cannot be combined with other functions`);
  }
  if (multiRow && multiRow.name === 'distinct' && bare > 0) throw new QueryError('aggregate function distinct() cannot be combined with other functions or fields');
  const pointTime = aggregate && !dims.interval && state.aggs.length === 1 && state.selectors === 1 && state.transforms === 0;
  return { fields, columns: columnNames(fields, timeName), dims, aggregate, pointTime, multiRow, hasTransform: state.transforms > 0 };
}
