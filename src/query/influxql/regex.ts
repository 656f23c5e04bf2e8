// Regular expressions: InfluxQL is Go's RE2 syntax (influxql parser.go
// compiles every /.../ literal with regexp.Compile). Filters pushed into SQL
// keep the source as is (DuckDB's regexp functions are RE2 too); the matches
// done in JS (measurement, tag key, field key and tag value names) use re2js,
// a port of RE2/Go's regexp: linear in the input's length whatever the
// pattern, so /^(.+)+#$/ cannot make one query block the event loop, and
// (?i), \z, \A and Go's error texts ("error parsing regexp: missing closing
// ): `(a`") come as Go gives them.

import { RE2JS } from 're2js';
import { messageAt } from './parse-error.ts';
import type { Pos } from './token.ts';

/** A compiled pattern; `test` is Go's MatchString (a match anywhere in s). */
export class Regex {
  constructor(
    readonly source: string,
    private readonly re: RE2JS,
  ) {}

  test(s: string): boolean {
    return this.re.matcher(s).find();
  }
}

/**
 * Compiled patterns by source, least recently used dropped first: queries
 * repeat the same few patterns, and a bound keeps user input from growing it.
 */
const CACHE_MAX = 256;
const cache = new Map<string, Regex>();

/** Go's syntax.Error text always ends in ": `expr`", even with an empty expr (ErrTrailingBackslash). */
function goMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (!msg.startsWith('error parsing regexp: ')) return `error parsing regexp: ${msg}`;
  return msg.includes(': `') ? msg : `${msg}: \`\``;
}

/** Compiles an RE2 pattern (throws Error with Go's message when invalid). */
export function compileRegex(source: string): Regex {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (e) {
    throw new Error(goMessage(e));
  }
  const out = new Regex(source, re);
  cache.set(source, out);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  return out;
}

/** Patterns cached now (tests check the bound). */
export function regexCacheSize(): number {
  return cache.size;
}

/** parser.go parseRegex: an invalid literal is a ParseError at the literal's position. */
export function checkRegex(source: string, pos: Pos): void {
  try {
    compileRegex(source);
  } catch (e) {
    throw messageAt((e as Error).message, pos);
  }
}
