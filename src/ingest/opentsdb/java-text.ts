// OpenTSDB is Java: its error messages print maps with java.util.HashMap's
// toString() ("{host=web01, cpu=0}") in HashMap's iteration order, and parse
// numbers with Tags.parseLong / Double.parseDouble. These helpers reproduce
// both so hookline's messages read the same as a TSD's.

/** java.lang.String.hashCode(): s[0]*31^(n-1) + ... over UTF-16 code units, as int32. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Entries in the order a java.util.HashMap (default capacity 16, load factor
 * 0.75) iterates them after inserting them in this order: by bucket
 * (hash ^ hash >>> 16) & (capacity - 1), then insertion order within a bucket
 * (resizing splits buckets without reordering).
 */
export function javaHashMapOrder<T>(entries: ReadonlyArray<readonly [string, T]>): Array<[string, T]> {
  let cap = 16;
  while (entries.length > cap * 0.75) cap *= 2;
  const keyed = entries.map((e, i) => {
    const h = javaStringHash(e[0]);
    return { e: [e[0], e[1]] as [string, T], b: (h ^ (h >>> 16)) & (cap - 1), i };
  });
  keyed.sort((a, b) => a.b - b.b || a.i - b.i);
  return keyed.map((k) => k.e);
}

/** java.util.AbstractMap.toString() of a HashMap<String, String>: `{k1=v1, k2=v2}`. */
export function javaMapString(entries: ReadonlyArray<readonly [string, string | null]>): string {
  return '{' + javaHashMapOrder(entries).map(([k, v]) => `${k}=${v}`).join(', ') + '}';
}

/** Thrown where Java throws NumberFormatException; the message is Java's. */
export class NumberFormatError extends Error {}

/**
 * net.opentsdb.core.Tags.parseLong: a signed decimal long, no whitespace, no
 * '+' handling beyond a sign; the messages are OpenTSDB's.
 */
export function parseJavaLong(s: string): bigint {
  const n = s.length;
  if (n === 0) throw new NumberFormatError('Empty string');
  let i = 0;
  const first = s[0];
  if (first === '+' || first === '-') {
    if (n === 1) throw new NumberFormatError(`Just a sign, no value: ${s}`);
    if (n > 20) throw new NumberFormatError(`Value too long: ${s}`);
    i = 1;
  } else if (n > 19) {
    throw new NumberFormatError(`Value too long: ${s}`);
  }
  for (let k = i; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) throw new NumberFormatError(`Invalid character '${s[k]}' in ${s}`);
  }
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new NumberFormatError(`Overflow in ${s}`);
  return v;
}

/** net.opentsdb.core.Tags.looksLikeInteger: no '.', 'e' or 'E'. */
export function looksLikeInteger(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) return false;
  }
  return true;
}

// java.lang.Double.parseDouble accepts surrounding whitespace, an optional
// sign, decimal digits with an optional fraction and exponent, a trailing
// f/F/d/D, and the words NaN and Infinity. (Hex floats are left out.)
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** Double.parseDouble, with Java's NumberFormatException message. */
export function parseJavaDouble(s: string): number {
  const t = s.trim();
  const m = JAVA_DOUBLE.exec(t);
  if (!m) throw new NumberFormatError(t.length === 0 ? 'empty String' : `For input string: "${s}"`);
  if (m[1] === 'NaN') return NaN;
  if (m[1] === 'Infinity') return t[0] === '-' ? -Infinity : Infinity;
  return Number(m[2] !== undefined ? t.replace(/[fFdD]$/, '') : t);
}

/** Java's Float.toString/Double.toString for the special values, JS's otherwise. */
export function javaNumberString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}
