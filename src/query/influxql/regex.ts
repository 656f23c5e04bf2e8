// Regular expressions: InfluxQL uses Go's RE2 syntax. DuckDB's regexp
// functions are RE2 too, so filters pushed into SQL keep the source as is;
// the few matches done in JS (measurement and key names) translate the common
// RE2-only forms ((?i) flags, \z, \A) to JavaScript.

import { messageAt } from './parser.ts';
import type { Pos } from './token.ts';

const cache = new Map<string, RegExp>();

export function toJsRegExp(source: string): RegExp {
  let re = cache.get(source);
  if (re) return re;
  let src = source;
  let flags = '';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    if (m[1].includes('i')) flags += 'i';
    if (m[1].includes('m')) flags += 'm';
    if (m[1].includes('s')) flags += 's';
  }
  src = src.replace(/\\z/g, '$').replace(/\\A/g, '^');
  re = new RegExp(src, flags);
  cache.set(source, re);
  return re;
}

export function checkRegex(source: string, pos: Pos): void {
  try {
    toJsRegExp(source);
  } catch (e) {
    throw messageAt(`error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, pos);
  }
}
