// Internals shared by the two line-protocol paths (parse-exact.ts, the
// InfluxDB-exact scanner, and parse-plain.ts, its fast path for lines without
// escapes or quotes): scratch state, the failure type, tag-key checks,
// timestamps, and the commit of a parsed field.

import { MAX_NANO_TIME, MIN_NANO_TIME, PRECISION_NS, TIME_RANGE_MESSAGE, type Precision } from '../../core/time.ts';
import { type LineBatch, type ParseErrorKind, ensureFieldCapacity } from './batch.ts';
import { FieldType } from '../../core/field-type.ts';
import { NUM_FLOAT, NUM_INT, scanBoolean, scanNumber, type BoolScan, type NumberScan } from './parse-number.ts';

export const MAX_KEY_LENGTH = 65535;

export const CH_NL = 10;
export const CH_CR = 13;
export const CH_SPACE = 32;
export const CH_TAB = 9;
export const CH_NUL = 0;
export const CH_HASH = 35;
export const CH_COMMA = 44;
export const CH_EQ = 61;
export const CH_QUOTE = 34;
export const CH_BACKSLASH = 92;
export const CH_MINUS = 45;
export const CH_0 = 48;
export const CH_9 = 57;

export const MESSAGES: Record<string, string> = {
  'missing-measurement': 'missing measurement',
  'missing-fields': 'missing fields',
  'missing-tag-key': 'missing tag key',
  'missing-tag-value': 'missing tag value',
  'invalid-tag-format': 'invalid tag format',
  'duplicate-tags': 'duplicate tags',
  'missing-field-key': 'missing field key',
  'missing-field-value': 'missing field value',
  'invalid-field-format': 'invalid field format',
  'unbalanced-quotes': 'unbalanced quotes',
  'invalid-number': 'invalid number',
  'invalid-float': 'invalid float',
  'invalid-boolean': 'invalid boolean',
  'bad-timestamp': 'bad timestamp',
  'point-invalid': 'point is invalid',
};

export class LineFailure {
  constructor(
    readonly kind: ParseErrorKind,
    readonly message: string,
  ) {}
}

export function fail(kind: ParseErrorKind, message = MESSAGES[kind]): never {
  throw new LineFailure(kind, message);
}

export const NUMBER_KIND: Record<string, ParseErrorKind> = {
  'invalid number': 'invalid-number',
  'invalid float': 'invalid-float',
};

/** Scratch state reused across lines so parsing allocates per batch, not per point. */
export class Scratch {
  tagStart = new Int32Array(64);
  tagKeyEnd = new Int32Array(64);
  tagEnd = new Int32Array(64);
  order = new Int32Array(64);
  num: NumberScan = { end: 0, kind: 0, value: 0, big: undefined, error: undefined };
  bool: BoolScan = { end: 0, value: false, error: undefined };
  // Values decoded while scanFields validates a line, reused by walkFields
  // instead of scanning each number twice: start offset, kind, value.
  recCount = 0;
  recIdx = 0;
  recStart = new Int32Array(64);
  recKind = new Uint8Array(64); // FieldType
  recNum = new Float64Array(64);
  recBig: Array<bigint | undefined> = [];
  record(start: number, kind: number, num: number, big: bigint | undefined): void {
    const k = this.recCount;
    if (k >= this.recStart.length) {
      const n = k * 2;
      const s = new Int32Array(n);
      s.set(this.recStart);
      this.recStart = s;
      const t = new Uint8Array(n);
      t.set(this.recKind);
      this.recKind = t;
      const v = new Float64Array(n);
      v.set(this.recNum);
      this.recNum = v;
    }
    this.recStart[k] = start;
    this.recKind[k] = kind;
    this.recNum[k] = num;
    if (big !== undefined || this.recBig.length > k) this.recBig[k] = big;
    this.recCount = k + 1;
  }
  growTags(n: number): void {
    if (n <= this.tagStart.length) return;
    const size = Math.max(n, this.tagStart.length * 2);
    const g = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.tagStart = g(this.tagStart);
    this.tagKeyEnd = g(this.tagKeyEnd);
    this.tagEnd = g(this.tagEnd);
    this.order = g(this.order);
  }
}

/**
 * 2.x scanKey's checks on the raw tag keys: reserved keys first, then
 * duplicates (sorting a copy of the order when the keys are out of order).
 * Returns whether the tags were already sorted.
 */
export function checkTagKeys(buf: Uint8Array, sc: Scratch, ntags: number, rejectReserved: boolean): boolean {
  if (rejectReserved) {
    for (let j = 0; j < ntags; j++) {
      const reserved = reservedTagKey(buf, sc.tagStart[j], sc.tagKeyEnd[j]);
      if (reserved) fail('reserved-tag-key', `cannot use reserved tag key ${reserved}`);
    }
  }
  let sorted = true;
  for (let j = 0; j < ntags; j++) sc.order[j] = j;
  for (let j = 0; j < ntags - 1; j++) {
    const c = compareBytes(buf, sc.tagStart[j], sc.tagKeyEnd[j], sc.tagStart[j + 1], sc.tagKeyEnd[j + 1]);
    if (c > 0) {
      sorted = false;
      break;
    }
    if (c === 0) fail('duplicate-tags');
  }
  if (!sorted) {
    // insertion sort of tag indexes by key, then check neighbours for duplicates
    for (let a = 1; a < ntags; a++) {
      for (let k = a; k > 0; k--) {
        const x = sc.order[k];
        const y = sc.order[k - 1];
        if (compareBytes(buf, sc.tagStart[x], sc.tagKeyEnd[x], sc.tagStart[y], sc.tagKeyEnd[y]) >= 0) break;
        sc.order[k] = y;
        sc.order[k - 1] = x;
      }
    }
    for (let j = 0; j < ntags - 1; j++) {
      const x = sc.order[j];
      const y = sc.order[j + 1];
      if (compareBytes(buf, sc.tagStart[x], sc.tagKeyEnd[x], sc.tagStart[y], sc.tagKeyEnd[y]) === 0) fail('duplicate-tags');
    }
  }
  return sorted;
}

/** InfluxDB 2's reserved tag keys (models.reservedTagKeys), quoted as Go's %q prints them. */
function reservedTagKey(buf: Uint8Array, a: number, z: number): string | undefined {
  const n = z - a;
  if (n === 1) {
    if (buf[a] === 0) return '"\\x00"';
    if (buf[a] === 0xff) return '"\\xff"';
    return undefined;
  }
  if (n === 4 && buf[a] === 116 && buf[a + 1] === 105 && buf[a + 2] === 109 && buf[a + 3] === 101) return '"time"';
  if (buf[a] !== 95) return undefined; // '_'
  if (n === 12 && bytesEqual(buf, a, RESERVED_MEASUREMENT)) return '"_measurement"';
  if (n === 6 && bytesEqual(buf, a, RESERVED_FIELD)) return '"_field"';
  return undefined;
}

const RESERVED_MEASUREMENT = Buffer.from('_measurement');
const RESERVED_FIELD = Buffer.from('_field');

function bytesEqual(buf: Uint8Array, a: number, word: Uint8Array): boolean {
  for (let k = 0; k < word.length; k++) if (buf[a + k] !== word[k]) return false;
  return true;
}

export function compareBytes(buf: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const la = aEnd - a;
  const lb = bEnd - b;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = buf[a + k] - buf[b + k];
    if (d !== 0) return d;
  }
  return la - lb;
}

export function addField(b: LineBatch, sc: Scratch, ks: number, ke: number, vs: number, ve: number): void {
  const buf = b.buf;
  const f = b.fieldCount;
  ensureFieldCapacity(b, f + 1);
  b.fkStart[f] = ks;
  b.fkEnd[f] = ke;
  let esc = 0;
  for (let k = ks; k < ke; k++) {
    if (buf[k] === CH_BACKSLASH) {
      esc = 1;
      break;
    }
  }
  b.fkEscaped[f] = esc;
  const c = buf[vs];
  // The value was decoded by scanFields when its start matches the next record.
  while (sc.recIdx < sc.recCount && sc.recStart[sc.recIdx] < vs) sc.recIdx++;
  if (c !== CH_QUOTE && sc.recIdx < sc.recCount && sc.recStart[sc.recIdx] === vs) {
    const k = sc.recIdx++;
    b.ftype[f] = sc.recKind[k];
    b.fnum[f] = sc.recNum[k];
    const big = sc.recBig[k];
    if (big !== undefined) b.big.set(f, big);
    b.fvStart[f] = vs;
    b.fvEnd[f] = ve;
  } else if (c === CH_QUOTE) {
    b.ftype[f] = FieldType.String;
    // Go takes the bytes between the first and the last byte of the value.
    b.fvStart[f] = vs + 1;
    b.fvEnd[f] = ve - 1 > vs ? ve - 1 : vs + 1;
    b.fnum[f] = 0;
  } else if ((c >= CH_0 && c <= CH_9) || c === 46 || c === CH_MINUS) {
    scanNumber(buf, vs, ve, sc.num);
    b.ftype[f] = sc.num.kind === NUM_FLOAT ? FieldType.Float : sc.num.kind === NUM_INT ? FieldType.Integer : FieldType.Unsigned;
    b.fnum[f] = sc.num.value;
    if (sc.num.big !== undefined) b.big.set(f, sc.num.big);
    b.fvStart[f] = vs;
    b.fvEnd[f] = ve;
  } else {
    scanBoolean(buf, vs, ve, sc.bool);
    b.ftype[f] = FieldType.Boolean;
    b.fnum[f] = sc.bool.value ? 1 : 0;
    b.fvStart[f] = vs;
    b.fvEnd[f] = ve;
  }
  b.fieldCount = f + 1;
}

/** Parses the timestamp digits and applies the precision; InfluxDB's range rules. */
export function setTimestamp(b: LineBatch, n: number, buf: Uint8Array, a: number, z: number, precision: Precision | 'auto'): void {
  const neg = buf[a] === CH_MINUS;
  const ds = neg ? a + 1 : a;
  const ndigits = z - ds;
  if (ndigits === 0) fail('bad-timestamp', `strconv.ParseInt: parsing "${latin1Text(buf, a, z)}": invalid syntax`);
  // Skip leading zeros for the magnitude checks.
  let first = ds;
  while (first < z - 1 && buf[first] === CH_0) first++;
  const sig = z - first;
  if (sig >= 19) {
    const text = latin1Text(buf, a, z);
    const v = BigInt(text);
    if (v > 9223372036854775807n || v < -9223372036854775808n) {
      fail('bad-timestamp', `strconv.ParseInt: parsing "${text}": value out of range`);
    }
  }
  let mult: number;
  if (precision === 'auto') {
    // InfluxDB 3 Precision::guess_precision: < 5e9 → s, < 5e12 → ms, < 5e15 → µs, else ns.
    const approx = sig > 17 ? Infinity : digitsValue(buf, first, z);
    mult = approx < 5e9 ? 1e9 : approx < 5e12 ? 1e6 : approx < 5e15 ? 1e3 : 1;
  } else {
    mult = PRECISION_NS[precision];
  }
  // Magnitude as (whole seconds, nanoseconds) computed from the digit string.
  let sec: number;
  let nsec: number;
  if (mult === 1 || mult === 1e3 || mult === 1e6) {
    const split = mult === 1 ? 9 : mult === 1e3 ? 6 : 3;
    const cut = z - split;
    sec = cut > first ? digitsValue(buf, first, cut) : 0;
    nsec = digitsValue(buf, Math.max(first, cut), z) * mult;
    if (sig - split >= 16 || sec > 9223372037) return rangeFail();
  } else {
    if (sig >= 17) return rangeFail();
    const v = digitsValue(buf, first, z);
    sec = v * (mult / 1e9);
    nsec = 0;
    if (!Number.isSafeInteger(sec)) return rangeFail();
  }
  if (neg && (sec !== 0 || nsec !== 0)) {
    if (nsec > 0) {
      sec = -sec - 1;
      nsec = 1_000_000_000 - nsec;
    } else {
      sec = -sec;
    }
  }
  // [MinNanoTime, MaxNanoTime] = [MinInt64+2, MaxInt64-1]
  if (sec > 9223372036 || sec < -9223372037 || sec === 9223372036 || sec === -9223372037) {
    const ns = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
    if (ns > MAX_NANO_TIME || ns < MIN_NANO_TIME) return rangeFail();
  }
  b.sec[n] = sec;
  b.nsec[n] = nsec;
}

function latin1Text(buf: Uint8Array, a: number, z: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + a, z - a).toString('latin1');
}

function rangeFail(): never {
  fail('timestamp-range', TIME_RANGE_MESSAGE);
}

function digitsValue(buf: Uint8Array, a: number, z: number): number {
  let v = 0;
  for (let k = a; k < z; k++) v = v * 10 + (buf[k] - CH_0);
  return v;
}

