// JSON from outside, parsed with its nesting bounded (issue 10, finding 8: an
// integration whose `json` nested 5,000 levels ended in a RangeError and a
// 500). V8's JSON.parse copes with deep input, but every walk over the result
// that recurses (templates, validation, JSON.stringify) would not; so depth is
// checked once, at the door, by a linear pre-scan, and everything past the
// door may recurse. 64 levels: Particle integration definitions nest about 5,
// OpenTSDB and InfluxDB API bodies about 3; Go's encoding/json allows 10,000
// but Go does not recurse on a small stack.

import { hooklineError } from './errors.ts';

export const DEFAULT_MAX_JSON_DEPTH = 64;

/** Process-wide, set once from HOOKLINE_MAX_JSON_DEPTH by server.ts (the parsers that need it are pure and take no config). */
export const jsonLimits = { maxDepth: DEFAULT_MAX_JSON_DEPTH };

/** The deepest nesting of arrays and objects in `text`, stopping as soon as it passes `max`. Strings are skipped. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next char is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export function jsonTooDeep(what: string, max: number) {
  return hooklineError('JSON_TOO_DEEP', `${what} nests JSON deeper than ${max} levels (HOOKLINE_MAX_JSON_DEPTH)`);
}

/** JSON.parse with a depth bound; bad JSON and deep JSON are 400 HooklineErrors naming `what`. */
export function parseJsonBounded(text: string, what: string, max = jsonLimits.maxDepth): unknown {
  if (jsonDepthExceeds(text, max)) throw jsonTooDeep(what, max);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw hooklineError('BAD_REQUEST', `invalid JSON in ${what}: ${(e as Error).message}`);
  }
}

/** The nesting depth of an already-parsed value, without recursion; stops past `max`. */
export function valueDepthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}
