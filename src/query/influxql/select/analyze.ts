// SELECT compilation (influxdb 1.x query/compile.go, the rules clients meet):
// wildcard and regex expansion, column names (alias, function name, `_1`
// suffixes), raw vs aggregate, GROUP BY time, and the validation errors.

import { validateTypes, type Schema } from './types.ts';
import type { Expr, Field, SelectStatement } from '../ast.ts';
import { FieldType, NUMERIC_TYPES as NUMERIC } from '../../../core/field-type.ts';
import { QueryError } from '../condition.ts';
import { compileRegex } from '../regex.ts';
import { parseTimeString } from '../time-literal.ts';
import { AGGREGATES, MATH, MULTI_ROW, SELECTORS, TRANSFORMS } from './functions.ts';
import { reduceField, validateSelect } from './validate.ts';

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
  /** One selector and nothing else aggregated: rows carry the selected point (and its auxiliary fields). */
  selectorPoint: boolean;
  /** selectorPoint without GROUP BY time: the row's time is the selected point's. */
  pointTime: boolean;
  /** The call that emits several rows per window (top, bottom, sample, distinct). */
  multiRow?: Expr & { kind: 'call' };
  hasTransform: boolean;
  /** Windows read before the range so transformations have a previous value (compile.go ExtraIntervals). */
  extraIntervals: number;
  /** Nothing to select (wildcards matched no field): the statement answers no series. */
  empty: boolean;
}


/** compileDimensions (compile.go): GROUP BY time(interval[, offset]), tags, *, /regex/. */
export function parseDimensions(stmt: SelectStatement, now = 0n): Dimensions {
  const dims: Dimensions = { tags: [], all: false, regexes: [] };
  let seen = false;
  for (const d of stmt.dimensions) {
    if (d.kind === 'varref') {
      if (d.name.toLowerCase() === 'time') throw new QueryError('time() is a function and expects at least one argument');
      dims.tags.push(d.name);
    } else if (d.kind === 'call') {
      if (d.name !== 'time') throw new QueryError('only time() calls allowed in dimensions');
      if (d.args.length < 1 || d.args.length > 2) throw new QueryError('time dimension expected 1 or 2 arguments');
      const every = d.args[0];
      if (every.kind !== 'duration') throw new QueryError('time dimension must have duration argument');
      if (seen) throw new QueryError('multiple time dimensions not allowed');
      seen = every.val !== 0n;
      let offset = 0n;
      if (d.args.length === 2 && every.val > 0n) {
        const o = d.args[1];
        const mod = (x: bigint) => x % every.val;
        if (o.kind === 'duration') offset = mod(o.val);
        else if (o.kind === 'time') offset = ((o.val % every.val) + every.val) % every.val;
        else if (o.kind === 'call') {
          if (o.name.toLowerCase() !== 'now') throw new QueryError('time dimension offset function must be now()');
          if (o.args.length !== 0) throw new QueryError('time dimension offset now() function requires no arguments');
          offset = ((now % every.val) + every.val) % every.val;
        } else if (o.kind === 'string') {
          const t = parseTimeString(o.val, 0);
          if (t === undefined) throw new QueryError('time dimension offset must be duration or now()');
          offset = ((t % every.val) + every.val) % every.val;
        } else throw new QueryError('time dimension offset must be duration or now()');
      }
      // A zero or negative interval is no interval (1.6 answers as without GROUP BY time).
      if (every.val > 0n) dims.interval = { every: every.val, offset };
    } else if (d.kind === 'wildcard') dims.all = true;
    else if (d.kind === 'regex') dims.regexes.push(d.source);
    else throw new QueryError('only time and tag dimensions allowed');
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

/**
 * RewriteFields (influxql ast.go): expands *, *::field, *::tag, /regex/ and
 * fn(*) / fn(/regex/). Fields and tags are sorted by name, a field before a
 * tag of the same name; tags are not columns when GROUP BY has * or a regex,
 * nor when the measurements have no fields at all.
 */
export function expandFields(fields: Field[], schema: Schema, dims: Dimensions): Field[] {
  const out: Field[] = [];
  const dimWildcard = dims.all || dims.regexes.length > 0;
  const dimSet = new Set(dims.tags);
  type Ref = { name: string; tag: boolean; type?: FieldType };
  const refs: Ref[] = [];
  if (schema.fields.size > 0) {
    for (const [name, type] of schema.fields) refs.push({ name, tag: false, type });
    if (!dimWildcard) for (const t of schema.tags) if (!dimSet.has(t)) refs.push({ name: t, tag: true });
    refs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Number(a.tag) - Number(b.tag)));
  }
  const asField = (r: Ref): Field => ({ expr: { kind: 'varref', name: r.name, type: r.tag ? 'tag' : undefined }, alias: '' });
  for (const f of fields) {
    const e = f.expr;
    if (e.kind === 'wildcard') {
      for (const r of refs) if (!(e.type === 'FIELD' && r.tag) && !(e.type === 'TAG' && !r.tag)) out.push(asField(r));
      continue;
    }
    if (e.kind === 'regex') {
      const re = compileRegex(e.source);
      for (const r of refs) if (re.test(r.name)) out.push(asField(r));
      continue;
    }
    if (e.kind !== 'call') {
      out.push(f);
      continue;
    }
    // Descend to the innermost call (derivative(mean(*))) and expand its first argument.
    const path: Array<Expr & { kind: 'call' }> = [e];
    while (path[path.length - 1].args[0]?.kind === 'call') path.push(path[path.length - 1].args[0] as Expr & { kind: 'call' });
    const call = path[path.length - 1];
    const a = call.args[0];
    if (!a || (a.kind !== 'wildcard' && a.kind !== 'regex')) {
      out.push(f);
      continue;
    }
    if (a.kind === 'wildcard' && a.type === 'TAG') throw new QueryError(`unable to use tag wildcard in ${call.name}()`);
    const re = a.kind === 'regex' ? compileRegex(a.source) : undefined;
    for (const r of refs) {
      if (r.tag || !typeAllowed(call.name, r.type) || (re && !re.test(r.name))) continue;
      const rebuild = (i: number): Expr & { kind: 'call' } =>
        i === path.length - 1
          ? { ...call, args: [{ kind: 'varref', name: r.name }, ...call.args.slice(1)] }
          : { ...path[i], args: [rebuild(i + 1), ...path[i].args.slice(1)] };
      out.push({ expr: rebuild(0), alias: `${fieldName(f)}_${r.name}` });
    }
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
  if (e.kind === 'call') {
    out.push(e);
    if (MATH.has(e.name) || TRANSFORMS.has(e.name)) for (const a of e.args) calls(a, out);
  } else if (e.kind === 'binary') {
    calls(e.lhs, out);
    calls(e.rhs, out);
  } else if (e.kind === 'paren') calls(e.expr, out);
  return out;
}

/** `SELECT DISTINCT value` is distinct(value), also inside calls other than count. */
function undistinct(e: Expr): Expr {
  if (e.kind === 'distinct') return { kind: 'call', name: 'distinct', args: [{ kind: 'varref', name: e.val }] };
  if (e.kind === 'call' && e.name !== 'count') return { ...e, args: e.args.map(undistinct) };
  if (e.kind === 'binary') return { ...e, lhs: undistinct(e.lhs), rhs: undistinct(e.rhs) };
  if (e.kind === 'paren') return { ...e, expr: undistinct(e.expr) };
  return e;
}

/**
 * Compiles a SELECT: dimensions and field validation as compile.go (on the
 * statement as written), then wildcard expansion against the schema.
 * `inheritedInterval`: a subquery without GROUP BY time under a parent that has one.
 */
export function compileSelect(stmt: SelectStatement, schema: Schema, now = 0n, inheritedInterval?: { every: bigint; offset: bigint }): Compiled {
  const dims = parseDimensions(stmt, now);
  const inherited = !dims.interval && inheritedInterval !== undefined;
  const v = validateSelect(stmt, dims.interval !== undefined || inherited, inherited);
  if (inherited) dims.interval = inheritedInterval;
  let fields = expandFields(
    stmt.fields.map((f) => ({ ...f, expr: undistinct(reduceField(f.expr)) })),
    schema,
    dims,
  );
  validateTypes(fields, schema);
  // `time` in the field list is the implicit time column (its alias renames it).
  let timeName = 'time';
  fields = fields.filter((f) => {
    if (f.expr.kind === 'varref' && f.expr.name === 'time' && f.expr.type === undefined) {
      if (f.alias) timeName = f.alias;
      return false;
    }
    return true;
  });
  let aggs = 0;
  let selectors = 0;
  let transforms = 0;
  let multiRow: (Expr & { kind: 'call' }) | undefined;
  for (const f of fields) {
    for (const c of calls(f.expr)) {
      if (TRANSFORMS.has(c.name)) transforms++;
      else if (AGGREGATES.has(c.name) || SELECTORS.has(c.name)) {
        aggs++;
        if (SELECTORS.has(c.name)) selectors++;
        if (MULTI_ROW.has(c.name)) multiRow = c;
      }
    }
  }
  const aggregate = aggs > 0;
  // One selector (and transformations of nothing else): rows carry the selected point and its auxiliary fields.
  const selectorPoint = aggregate && aggs === 1 && selectors === 1 && transforms === 0 && !multiRow;
  return {
    fields,
    columns: columnNames(fields, timeName),
    dims,
    aggregate,
    selectorPoint,
    pointTime: selectorPoint && !dims.interval,
    multiRow,
    hasTransform: transforms > 0,
    extraIntervals: v.extraIntervals,
    empty: fields.length === 0,
  };
}
