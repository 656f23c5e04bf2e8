// The WHERE of DELETE / DROP SERIES (time range taken out, fields refused
// before) as the PointStore port's TagPredicate, so that the store, not the
// front end, decides how to find the points. It keeps the meaning the
// condition had as SQL over tag columns (filter-sql.ts with tagsOnly): a
// missing tag compares as '', a tag compared with a number or a boolean never
// matches, regexes are RE2 and unanchored (Go's MatchString), AND/OR nest.

import type { TagPredicate } from '../../../core/ports/point-store.ts';
import type { Expr } from '../ast.ts';
import { QueryError } from '../condition.ts';
import { compileRegex } from '../regex.ts';

const FALSE: TagPredicate = { op: 'const', value: false };

type Operand = { kind: 'tag'; key: string } | { kind: 'string'; val: string } | { kind: 'number'; val: number } | { kind: 'bool'; val: boolean } | { kind: 'regex'; source: string } | { kind: 'other' };

function operand(e: Expr): Operand {
  switch (e.kind) {
    case 'paren':
      return operand(e.expr);
    case 'varref':
      return { kind: 'tag', key: e.name };
    case 'string':
      return { kind: 'string', val: e.val };
    case 'integer':
    case 'unsigned':
    case 'duration':
      return { kind: 'number', val: Number(e.val) };
    case 'number':
      return { kind: 'number', val: e.val };
    case 'boolean':
      return { kind: 'bool', val: e.val };
    case 'regex':
      return { kind: 'regex', source: e.source };
    default:
      return { kind: 'other' };
  }
}

/** `a <op> b` with the tag on the left: `'v' < host` is `host > 'v'`. */
const MIRROR: Record<string, '<' | '<=' | '>' | '>=' | '=' | '!='> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' };

function compare<T extends string | number | boolean>(op: string, a: T, b: T): boolean {
  return op === '=' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

export function tagPredicateOf(e: Expr): TagPredicate {
  switch (e.kind) {
    case 'paren':
      return tagPredicateOf(e.expr);
    case 'boolean':
      return { op: 'const', value: e.val };
    case 'binary':
      if (e.op === 'AND' || e.op === 'OR') return { op: e.op === 'AND' ? 'and' : 'or', args: [tagPredicateOf(e.lhs), tagPredicateOf(e.rhs)] };
      return comparison(e.op, operand(e.lhs), operand(e.rhs));
    default:
      return FALSE;
  }
}

function comparison(op: string, a: Operand, b: Operand): TagPredicate {
  if (op === '=~' || op === '!~') {
    if (b.kind !== 'regex') return FALSE;
    if (a.kind === 'tag') return { op, key: a.key, value: b.source };
    if (a.kind === 'string') return { op: 'const', value: compileRegex(b.source).test(a.val) === (op === '=~') };
    return FALSE;
  }
  const norm = op === '<>' ? '!=' : op;
  if (!(norm in MIRROR)) return FALSE;
  if (a.kind === 'tag' && b.kind === 'tag') throw new QueryError('comparing one tag with another is not supported in DELETE or DROP SERIES');
  if (a.kind === 'tag') return b.kind === 'string' ? { op: norm as '=', key: a.key, value: b.val } : FALSE;
  if (b.kind === 'tag') return a.kind === 'string' ? { op: MIRROR[norm] as '=', key: b.key, value: a.val } : FALSE;
  // Two literals: known now, as SQL would have computed them.
  if (a.kind === 'string' && b.kind === 'string') return { op: 'const', value: compare(norm, a.val, b.val) };
  if (a.kind === 'number' && b.kind === 'number') return { op: 'const', value: compare(norm, a.val, b.val) };
  if (a.kind === 'bool' && b.kind === 'bool') return { op: 'const', value: compare(norm, a.val, b.val) };
  if (a.kind === 'other' || b.kind === 'other') throw new QueryError('only tags compared with strings or regexes are supported in DELETE and DROP SERIES');
  return FALSE;
}
