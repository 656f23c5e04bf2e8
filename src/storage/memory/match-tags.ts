// Evaluates a DeletePredicate's tag tree against one series' tags, as
// InfluxDB's index does for DELETE / DROP SERIES: a missing tag compares as
// "" (tsdb/index.go matches `tag = ''` against series without the tag), and
// regexes are RE2 (Go's regexp, which InfluxQL uses), unanchored.

import { RE2JS } from 're2js';
import type { TagPredicate } from '../../core/ports/point-store.ts';

const compiled = new Map<string, RE2JS>();

function regex(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = RE2JS.compile(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

export function matchTags(p: TagPredicate, tags: ReadonlyMap<string, string>): boolean {
  switch (p.op) {
    case 'and':
      return p.args.every((a) => matchTags(a, tags));
    case 'or':
      return p.args.some((a) => matchTags(a, tags));
    case '=':
      return (tags.get(p.key) ?? '') === p.value;
    case '!=':
      return (tags.get(p.key) ?? '') !== p.value;
    case '=~':
      return regex(p.value).matcher(tags.get(p.key) ?? '').find();
    case '!~':
      return !regex(p.value).matcher(tags.get(p.key) ?? '').find();
    case 'const':
      return p.value;
    default: {
      // Bytes of UTF-8, as Go's string comparison and DuckDB's VARCHAR order.
      const c = Buffer.compare(Buffer.from(tags.get(p.key) ?? ''), Buffer.from(p.value));
      return p.op === '<' ? c < 0 : p.op === '<=' ? c <= 0 : p.op === '>' ? c > 0 : c >= 0;
    }
  }
}
