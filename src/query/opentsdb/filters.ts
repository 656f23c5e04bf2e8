// OpenTSDB 2.2+ tag value filters (query/filter/TagV*Filter.java) and the
// 2.1 `tags` shortcut (TagVFilter.getFilter / mapToFilters):
//   host=*          -> wildcard(*), group by
//   host=web*       -> wildcard, case-insensitive (the shortcut's flag), group by
//   host=a|b        -> literal_or(a|b), group by
//   host=regexp(x)  -> the named filter, group by
// Each filter becomes a SQL predicate on the tag's column; a series must carry
// the tag key, except for not_key and not_literal_or (whose match() accepts a
// missing key) when they do not group by.

import { RE2JS } from 're2js';
import { QueryError } from '../../core/errors.ts';

export interface TagFilter {
  type: string;
  tagk: string;
  filter: string;
  groupBy: boolean;
}

/** /api/config/filters: TagVFilter.loadedFilters(), descriptions and examples as OpenTSDB 2.4 prints them. */
export const FILTER_DOCS: Record<string, { examples: string; description: string }> = {
  literal_or: {
    examples: 'host=literal_or(web01),  host=literal_or(web01|web02|web03)  {"type":"literal_or","tagk":"host","filter":"web01|web02|web03","groupBy":false}',
    description: 'Accepts one or more exact values and matches if the series contains any of them. Multiple values can be included and must be seperated by the | (pipe) character. The filter is case sensitive and will not allow characters that TSDB does not allow at write time.',
  },
  iliteral_or: {
    examples: 'host=iliteral_or(web01),  host=iliteral_or(web01|web02|web03)  {"type":"iliteral_or","tagk":"host","filter":"web01|web02|web03","groupBy":false}',
    description: 'Accepts one or more exact values and matches if the series contains any of them. Multiple values can be included and must be seperated by the | (pipe) character. The filter is case insensitive and will not allow characters that TSDB does not allow at write time.',
  },
  not_literal_or: {
    examples: 'host=not_literal_or(web01),  host=not_literal_or(web01|web02|web03)  {"type":"not_literal_or","tagk":"host","filter":"web01|web02|web03","groupBy":false}',
    description: 'Accepts one or more exact values and matches if the series does NOT contain any of them. Multiple values can be included and must be seperated by the | (pipe) character. The filter is case sensitive and will not allow characters that TSDB does not allow at write time.',
  },
  not_iliteral_or: {
    examples: 'host=not_iliteral_or(web01),  host=not_iliteral_or(web01|web02|web03)  {"type":"not_iliteral_or","tagk":"host","filter":"web01|web02|web03","groupBy":false}',
    description: 'Accepts one or more exact values and matches if the series does NOT contain any of them. Multiple values can be included and must be seperated by the | (pipe) character. The filter is case insensitive and will not allow characters that TSDB does not allow at write time.',
  },
  wildcard: {
    examples: 'host=wildcard(web*),  host=wildcard(web*.tsdb.net)  {"type":"wildcard","tagk":"host","filter":"web*.tsdb.net","groupBy":false}',
    description: 'Performs pre, post and in-fix glob matching of values. The globs are case sensitive and multiple wildcards can be used. The wildcard character is the * (asterisk). At least one wildcard must be present in the filter value. A wildcard by itself can be used as well to match on any value for the tag key.',
  },
  iwildcard: {
    examples: 'host=iwildcard(web*),  host=iwildcard(web*.tsdb.net)  {"type":"iwildcard","tagk":"host","filter":"web*.tsdb.net","groupBy":false}',
    description: 'Performs pre, post and in-fix glob matching of values. The globs are case insensitive and multiple wildcards can be used. The wildcard character is the * (asterisk). Case insensitivity is achieved by dropping all values to lower case. At least one wildcard must be present in the filter value. A wildcard by itself can be used as well to match on any value for the tag key.',
  },
  regexp: {
    examples: 'host=regexp(.*)  {"type":"regexp","tagk":"host","filter":".*","groupBy":false}',
    description: 'Provides full, POSIX compliant regular expression using the built in Java Pattern class. Note that an expression containing curly braces {} will not parse properly in URLs. If the pattern is not a valid regular expression then an exception will be raised.',
  },
  not_key: {
    examples: 'host=not_key()  {"type":"not_key","tagk":"host","filter":"","groupBy":false}',
    description: 'Skips any time series with the given tag key, regardless of the value. This can be useful for situations where a metric has inconsistent tag sets. NOTE: The filter value must be null or an empty string.',
  },
};

/** TagVFilter.getFilter + mapToFilters: one `tagk=value` of the tags shortcut or an m= brace group. */
export function filterFromShortcut(tagk: string, value: string, groupBy: boolean): TagFilter {
  if (!tagk) throw new QueryError('Tagk cannot be null or empty');
  if (value === undefined || value === null || value === '') throw new QueryError('Filter cannot be null or empty');
  const paren = value.indexOf('(');
  if (paren > -1) {
    if (!value.endsWith(')')) throw new QueryError(`Filter must end with a ')': ${value}`);
    return checkFilter({ type: value.slice(0, paren).toLowerCase(), tagk, filter: value.slice(paren + 1, -1), groupBy });
  }
  if (value.includes('*')) return { type: value === '*' ? 'wildcard' : 'iwildcard', tagk, filter: value, groupBy };
  return checkFilter({ type: 'literal_or', tagk, filter: value, groupBy });
}

/** Validates a filter object as TagVFilter.Builder.build() does. */
export function checkFilter(f: TagFilter): TagFilter {
  if (!f.tagk) throw new QueryError('Filter must have a tagk');
  if (!FILTER_DOCS[f.type]) throw new QueryError(`Could not find a filter of type: ${f.type}`);
  const filter = f.filter ?? '';
  if (f.type === 'not_key') {
    if (filter.length > 0) throw new QueryError('The filter must be empty for the not_key filter');
  } else if (filter === '') throw new QueryError('Filter cannot be null or empty');
  if (f.type.endsWith('literal_or') && filter === '|') throw new QueryError('Filter must contain more than just a pipe');
  if (f.type.endsWith('wildcard') && !filter.includes('*')) throw new QueryError('Filter must contain an asterisk');
  if (f.type === 'regexp') {
    // The pattern runs in DuckDB's regexp_matches, which is RE2: check it
    // with RE2's own parser (re2js), never a backtracking engine.
    try {
      RE2JS.compile(filter);
    } catch (e) {
      throw new QueryError(`Invalid regular expression: ${(e as Error).message}`);
    }
  }
  return { ...f, filter };
}

function lit(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

/** LIKE pattern for a glob: '*' -> '%', with % _ and \ escaped. */
function likePattern(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => '\\' + c).replace(/\*+/g, '%');
}

/** SQL predicate for `f` on column `col` (a VARCHAR, NULL when the series lacks the tag). */
export function filterSql(f: TagFilter, col: string | undefined): string {
  // A tag key the measurement has never seen: every series lacks it.
  if (col === undefined) return f.type === 'not_key' || (!f.groupBy && f.type.startsWith('not_')) ? 'true' : 'false';
  const values = f.filter.split('|');
  switch (f.type) {
    case 'literal_or':
      return `${col} IN (${values.map(lit).join(', ')})`;
    case 'iliteral_or':
      return `lower(${col}) IN (${values.map((v) => lit(v.toLowerCase())).join(', ')})`;
    case 'not_literal_or':
    case 'not_iliteral_or': {
      const ci = f.type === 'not_iliteral_or';
      const inList = `${ci ? `lower(${col})` : col} IN (${values.map((v) => lit(ci ? v.toLowerCase() : v)).join(', ')})`;
      return f.groupBy ? `(${col} IS NOT NULL AND NOT ${inList})` : `(${col} IS NULL OR NOT ${inList})`;
    }
    case 'wildcard':
    case 'iwildcard':
      if (/^\*+$/.test(f.filter)) return `${col} IS NOT NULL`;
      return `${col} ${f.type === 'iwildcard' ? 'ILIKE' : 'LIKE'} ${lit(likePattern(f.filter))} ESCAPE '\\'`;
    case 'regexp':
      // Java's Matcher.find(): the pattern may match anywhere in the value.
      return `regexp_matches(${col}, ${lit(f.filter)})`;
    case 'not_key':
      return `${col} IS NULL`;
    default:
      throw new QueryError(`Could not find a filter of type: ${f.type}`);
  }
}
