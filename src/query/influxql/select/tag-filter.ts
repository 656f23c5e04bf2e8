// A WHERE condition on tags only, as a JS predicate over a series' tag
// values, with the meaning filter-sql.ts gives it in SQL: a missing tag
// compares as '', `=~` is RE2's unanchored match (re2js here, DuckDB's RE2
// there), AND/OR/parentheses combine. Anything else (fields, numbers,
// functions, ordering comparisons whose byte order SQL and JS strings may
// disagree on) is not translated: undefined, and the caller keeps to SQL.

import type { Expr } from '../ast.ts';
import { compileRegex } from '../regex.ts';
import type { RelLike } from '../filter-sql.ts';

/** Tag values in the order of `keys`; null: the series lacks the key. */
export type TagPredicate = (tags: ReadonlyArray<string | null>) => boolean;

export function tagFilter(e: Expr | undefined, rel: RelLike, keys: string[]): TagPredicate | undefined {
  if (!e) return () => true;
  const index = new Map(keys.map((k, i) => [k, i]));
  return compile(e, rel, index);
}

function compile(e: Expr, rel: RelLike, index: Map<string, number>): TagPredicate | undefined {
  switch (e.kind) {
    case 'paren':
      return compile(e.expr, rel, index);
    case 'boolean': {
      const v = e.val;
      return () => v;
    }
    case 'binary': {
      if (e.op === 'AND' || e.op === 'OR') {
        const a = compile(e.lhs, rel, index);
        const b = compile(e.rhs, rel, index);
        if (!a || !b) return undefined;
        return e.op === 'AND' ? (t) => a(t) && b(t) : (t) => a(t) || b(t);
      }
      return comparison(e.op, e.lhs, e.rhs, rel, index) ?? comparison(flip(e.op), e.rhs, e.lhs, rel, index);
    }
    default:
      return undefined;
  }
}

function flip(op: string): string {
  return op === '=' || op === '!=' || op === '<>' ? op : '';
}

/** The tag a varref names (its position in the predicate's input, -1 when the relation lacks it), or undefined for a field. */
function tagOf(e: Expr, rel: RelLike, index: Map<string, number>): number | undefined {
  while (e.kind === 'paren') e = e.expr;
  if (e.kind !== 'varref') return undefined;
  if (e.type === 'field') return undefined;
  if (e.type !== 'tag' && rel.fieldByName.has(e.name)) return undefined;
  if (e.type !== undefined && e.type !== 'tag') return undefined;
  if (!rel.tagOrdinal.has(e.name)) return -1;
  const i = index.get(e.name);
  return i === undefined ? undefined : i;
}

function comparison(op: string, lhs: Expr, rhs: Expr, rel: RelLike, index: Map<string, number>): TagPredicate | undefined {
  const i = tagOf(lhs, rel, index);
  if (i === undefined) return undefined;
  while (rhs.kind === 'paren') rhs = rhs.expr;
  const value = (t: ReadonlyArray<string | null>) => (i < 0 ? '' : (t[i] ?? ''));
  if ((op === '=~' || op === '!~') && rhs.kind === 'regex') {
    const re = compileRegex(rhs.source);
    return op === '=~' ? (t) => re.test(value(t)) : (t) => !re.test(value(t));
  }
  if (rhs.kind !== 'string') return undefined;
  const v = rhs.val;
  if (op === '=') return (t) => value(t) === v;
  if (op === '!=' || op === '<>') return (t) => value(t) !== v;
  return undefined;
}
