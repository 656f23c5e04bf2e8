// Line protocol parser. Pure: bytes in, a columnar LineBatch out; the clock is
// passed in. Acceptance and error words follow the InfluxDB 2.x server parser
// (models/points.go, ParsePointsWithPrecision), see
// ../shared/reference/influxdb-write-and-query.md §1, with two deliberate
// extensions documented in docs/line-protocol.md: a "\r" before "\n" (or at the
// end of the body) ends the line, as the lp2 grammar allows, and unsigned `u`
// integers are always accepted (as InfluxDB 2 and 3 do).

import { MAX_NANO_TIME, MIN_NANO_TIME, PRECISION_NS, TIME_RANGE_MESSAGE, truncateTo, type Precision, type SecNsec } from '../../core/time.ts';
import {
  type LineBatch,
  type LineError,
  type ParseErrorKind,
  FieldType,
  createBatch,
  ensureFieldCapacity,
  ensurePointCapacity,
} from './batch.ts';
import { NUM_FLOAT, NUM_INT, scanBoolean, scanNumber, type BoolScan, type NumberScan } from './parse-number.ts';

export interface ParseOptions {
  /** Unit of the timestamps in the body; `auto` guesses per value as InfluxDB 3 does. */
  precision: Precision | 'auto';
  /** Time given to points without a timestamp (truncated to the precision). */
  now: SecNsec;
  /** InfluxDB 2 refuses the tag keys `_measurement`, `_field` and `time`. Default true. */
  rejectReservedTags?: boolean;
}

const MAX_KEY_LENGTH = 65535;

const CH_NL = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_TAB = 9;
const CH_NUL = 0;
const CH_HASH = 35;
const CH_COMMA = 44;
const CH_EQ = 61;
const CH_QUOTE = 34;
const CH_BACKSLASH = 92;
const CH_MINUS = 45;
const CH_0 = 48;
const CH_9 = 57;

const MESSAGES: Record<string, string> = {
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

class LineFailure {
  constructor(
    readonly kind: ParseErrorKind,
    readonly message: string,
  ) {}
}

function fail(kind: ParseErrorKind, message = MESSAGES[kind]): never {
  throw new LineFailure(kind, message);
}

const NUMBER_KIND: Record<string, ParseErrorKind> = {
  'invalid number': 'invalid-number',
  'invalid float': 'invalid-float',
};

/** Scratch state reused across lines so parsing allocates per batch, not per point. */
class Scratch {
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

export function parseLineProtocol(input: Uint8Array, options: ParseOptions): LineBatch {
  // A Buffer view (no copy) so consumers can use Buffer's fast latin1/utf8 slicing.
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  // Capacity from the number of newlines (a fast native scan) and a generous
  // fields-per-point guess; the arrays grow if a body has more.
  let newlines = 0;
  for (let p = buf.indexOf(CH_NL); p >= 0; p = buf.indexOf(CH_NL, p + 1)) newlines++;
  const estimate = newlines + 2;
  const batch = createBatch(buf, estimate, estimate * 4);
  const scratch = new Scratch();
  const rejectReserved = options.rejectReservedTags !== false;
  const nowDefault =
    options.precision === 'auto' ? options.now : truncateTo(options.now, options.precision);
  const len = buf.length;
  let pos = 0;
  let lineNo = 1;
  let nextQuote = -2; // position of the next '"' at or after pos; -1 when none is left
  while (pos < len) {
    const blockStart = pos;
    swallowedNewline = false;
    // Fast path: the newline found natively ends the line unless a quote in
    // the line could hide it or a backslash right before it escapes it; then
    // Go's exact scanLine decides.
    let nl = buf.indexOf(CH_NL, pos);
    if (nl < 0) nl = len;
    if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf(CH_QUOTE, pos);
    const blockEnd = (nextQuote === -1 || nextQuote >= nl) && (nl === pos || buf[nl - 1] !== CH_BACKSLASH) ? nl : scanLine(buf, pos, len);
    const startLine = lineNo;
    if (swallowedNewline) for (let k = blockStart; k < blockEnd && k < len; k++) if (buf[k] === CH_NL) lineNo++;
    pos = blockEnd + 1;
    if (blockEnd < len) lineNo++;

    let s = blockStart;
    let e = blockEnd;
    // A block closed by EOF inside a quote may end in the newline; Go strips one.
    if (e > s && buf[e - 1] === CH_NL) e--;
    // lp2 grammar: lines = line { [ "\r" ] "\n" line } [ "\r" ].
    if (e > s && buf[e - 1] === CH_CR) e--;
    while (s < e && (buf[s] === CH_SPACE || buf[s] === CH_TAB || buf[s] === CH_NUL)) s++;
    if (s >= e || buf[s] === CH_HASH) continue;
    batch.lines++;
    try {
      parsePoint(batch, scratch, s, e, startLine, options.precision, nowDefault, rejectReserved);
    } catch (err) {
      if (!(err instanceof LineFailure)) throw err;
      rollbackFields(batch);
      batch.errors.push(lineError(buf, s, e, startLine, batch.lines, err));
    }
  }
  return batch;
}

function rollbackFields(b: LineBatch): void {
  const keep = b.fieldStart[b.n];
  for (let f = keep; f < b.fieldCount; f++) b.big.delete(f);
  b.fieldCount = keep;
}

function lineError(buf: Uint8Array, s: number, e: number, line: number, ordinal: number, f: LineFailure): LineError {
  const text = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8');
  return { line, ordinal, text, kind: f.kind, reason: f.message, message: `unable to parse '${text}': ${f.message}` };
}

/** Set by scanLine when a block holds a newline (quoted or escaped), so line numbers must be recounted. */
let swallowedNewline = false;

/** Go scanLine: a line ends at a '\n' that is not inside a quoted field value. */
function scanLine(buf: Uint8Array, i: number, len: number): number {
  let quoted = false;
  let fields = false;
  let equals = 0;
  let commas = 0;
  while (i < len) {
    const c = buf[i];
    if (c === CH_BACKSLASH) {
      if (buf[i + 1] === CH_NL) swallowedNewline = true;
      i += 2;
      continue;
    }
    if (c === CH_SPACE) fields = true;
    if (fields) {
      if (!quoted && c === CH_EQ) {
        i++;
        equals++;
        continue;
      } else if (!quoted && c === CH_COMMA) {
        i++;
        commas++;
        continue;
      } else if (c === CH_QUOTE && equals > commas) {
        i++;
        quoted = !quoted;
        continue;
      }
    }
    if (c === CH_NL) {
      if (!quoted) break;
      swallowedNewline = true;
    }
    i++;
  }
  return i < len ? i : len;
}

function parsePoint(
  b: LineBatch,
  sc: Scratch,
  s: number,
  e: number,
  line: number,
  precision: Precision | 'auto',
  nowDefault: SecNsec,
  rejectReserved: boolean,
): void {
  const buf = b.buf;
  // ---- measurement (scanMeasurement)
  if (s >= e || buf[s] === CH_COMMA) fail('missing-measurement');
  let i = s;
  let measEnd = -1;
  let hasTags = false;
  let escaped = false;
  for (;;) {
    i++;
    if (i >= e) fail('missing-fields');
    if (buf[i - 1] === CH_BACKSLASH) {
      escaped = true;
      continue;
    }
    if (buf[i] === CH_COMMA) {
      measEnd = i;
      hasTags = true;
      i++;
      break;
    }
    if (buf[i] === CH_SPACE) {
      measEnd = i;
      break;
    }
  }

  // ---- tags (scanTags, scanTagsKey, scanTagsValue)
  let ntags = 0;
  if (hasTags) {
    for (;;) {
      sc.growTags(ntags + 1);
      sc.tagStart[ntags] = i;
      if (i >= e || buf[i] === CH_SPACE || buf[i] === CH_COMMA || buf[i] === CH_EQ) fail('missing-tag-key');
      for (;;) {
        i++;
        if (i >= e || ((buf[i] === CH_SPACE || buf[i] === CH_COMMA) && buf[i - 1] !== CH_BACKSLASH)) fail('missing-tag-value');
        if (buf[i] === CH_EQ && buf[i - 1] !== CH_BACKSLASH) break;
      }
      sc.tagKeyEnd[ntags] = i;
      i++;
      if (i >= e || buf[i] === CH_COMMA || buf[i] === CH_SPACE) fail('missing-tag-value');
      let next = 0; // 1 = another tag, 2 = fields
      for (;;) {
        i++;
        if (i >= e) fail('missing-fields');
        if (buf[i] === CH_EQ && buf[i - 1] !== CH_BACKSLASH) fail('invalid-tag-format');
        if (buf[i] === CH_COMMA && buf[i - 1] !== CH_BACKSLASH) {
          next = 1;
          break;
        }
        if (buf[i] === CH_SPACE && buf[i - 1] !== CH_BACKSLASH) {
          next = 2;
          break;
        }
      }
      sc.tagEnd[ntags] = i;
      ntags++;
      if (next === 2) break;
      i++;
    }
  }
  const keyEnd = i;

  // ---- reserved keys, then duplicates and order, on raw tag keys (2.x scanKey)
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
  const keyLen = keyEnd - s;
  if (keyLen > MAX_KEY_LENGTH) fail('max-key-length', `max key length exceeded: ${keyLen} > ${MAX_KEY_LENGTH}`);
  if (!escaped) {
    for (let k = s; k < keyEnd; k++) {
      if (buf[k] === CH_BACKSLASH) {
        escaped = true;
        break;
      }
    }
  }

  // ---- fields (scanFields, then walkFields)
  const fieldsEnd = scanFields(b, sc, keyEnd, e, keyLen);

  // ---- timestamp (scanTime)
  let t = fieldsEnd;
  while (t < e && (buf[t] === CH_SPACE || buf[t] === CH_TAB || buf[t] === CH_NUL)) t++;
  const tsStart = t;
  while (t < e) {
    const c = buf[t];
    if (c === CH_NL || c === CH_SPACE) break;
    if (t === tsStart && c === CH_MINUS) {
      t++;
      continue;
    }
    if (c < CH_0 || c > CH_9) fail('bad-timestamp');
    t++;
  }
  const n = b.n;
  ensurePointCapacity(b, n + 1);
  if (t === tsStart) {
    b.sec[n] = nowDefault.sec;
    b.nsec[n] = nowDefault.nsec;
  } else {
    setTimestamp(b, n, buf, tsStart, t, precision);
    for (let k = t; k < e; k++) if (buf[k] !== CH_SPACE) fail('point-invalid');
  }

  b.lineNo[n] = line;
  b.ordinal[n] = b.lines;
  b.keyStart[n] = s;
  b.keyEnd[n] = keyEnd;
  b.measEnd[n] = measEnd;
  b.keyCanonical[n] = sorted && !escaped ? 1 : 0;
  b.n = n + 1;
  b.fieldStart[n + 1] = b.fieldCount;
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

function compareBytes(buf: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const la = aEnd - a;
  const lb = bEnd - b;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = buf[a + k] - buf[b + k];
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * Go scanFields validates the whole field set (counting '=' and ','), then
 * walkFields splits it; both are reproduced so the same errors come out in the
 * same order. Returns the end of the field set.
 */
function scanFields(b: LineBatch, sc: Scratch, from: number, e: number, keyLen: number): number {
  const buf = b.buf;
  let i = from;
  while (i < e && (buf[i] === CH_SPACE || buf[i] === CH_TAB || buf[i] === CH_NUL)) i++;
  const start = i;
  let quoted = false;
  let equals = 0;
  let commas = 0;
  sc.recCount = 0;
  sc.recIdx = 0;
  for (;;) {
    if (i >= e) break;
    const c = buf[i];
    if (c === CH_BACKSLASH && i + 1 < e) {
      i += 2;
      continue;
    }
    if (c === CH_QUOTE && equals > commas) {
      quoted = !quoted;
      i++;
      continue;
    }
    if (c === CH_EQ && !quoted) {
      equals++;
      if (buf[i - 1] === CH_SPACE && buf[i - 2] !== CH_BACKSLASH) fail('missing-field-key');
      if (buf[i - 1] === CH_COMMA && buf[i - 2] !== CH_BACKSLASH) fail('missing-field-key');
      if (i + 1 >= e) fail('missing-field-value');
      const v = buf[i + 1];
      if (v === CH_COMMA || v === CH_SPACE) fail('missing-field-value');
      if ((v >= CH_0 && v <= CH_9) || v === 46 || v === CH_MINUS || v === 78 || v === 110) {
        scanNumber(buf, i + 1, e, sc.num);
        if (sc.num.error) fail(NUMBER_KIND[sc.num.error] ?? (sc.num.kind === NUM_INT ? 'integer-range' : 'unsigned-range'), sc.num.error);
        const kind = sc.num.kind === NUM_FLOAT ? FieldType.Float : sc.num.kind === NUM_INT ? FieldType.Integer : FieldType.Unsigned;
        sc.record(i + 1, kind, sc.num.value, sc.num.big);
        i = sc.num.end;
        continue;
      }
      if (v !== CH_QUOTE) {
        scanBoolean(buf, i + 1, e, sc.bool);
        if (sc.bool.error) fail('invalid-boolean');
        sc.record(i + 1, FieldType.Boolean, sc.bool.value ? 1 : 0, undefined);
        i = sc.bool.end;
        continue;
      }
    }
    if (c === CH_COMMA && !quoted) commas++;
    if (c === CH_SPACE && !quoted) break;
    i++;
  }
  if (quoted) fail('unbalanced-quotes');
  if (equals === 0 || commas !== equals - 1) fail('invalid-field-format');
  if (i === start) fail('missing-fields');
  walkFields(b, sc, start, i, keyLen);
  return i;
}

/** Splits a validated field set into rows, typing and decoding each value. */
function walkFields(b: LineBatch, sc: Scratch, start: number, end: number, keyLen: number): void {
  const buf = b.buf;
  let p = start;
  while (p < end) {
    // key: up to an '=' not preceded by a backslash (Go scanTo)
    const ks = p;
    let k = p;
    while (k < end && !(buf[k] === CH_EQ && (k === ks || buf[k - 1] !== CH_BACKSLASH))) k++;
    if (k > end - 2) {
      const key = Buffer.from(buf.buffer, buf.byteOffset + ks, end - ks).toString('utf8');
      fail('invalid-field-format', `invalid value: field-key=${key}`);
    }
    const ke = k;
    if (keyLen + 4 + (ke - ks) > MAX_KEY_LENGTH) {
      fail('max-key-length', `max key length exceeded: ${keyLen + 4 + (ke - ks)} > ${MAX_KEY_LENGTH}`);
    }
    // value: up to an unquoted ',' (Go scanFieldValue)
    const vs = ke + 1;
    let v = vs;
    let quoted = false;
    while (v < end) {
      const c = buf[v];
      if (c === CH_BACKSLASH && v + 1 < end && (buf[v + 1] === CH_QUOTE || buf[v + 1] === CH_BACKSLASH)) {
        v += 2;
        continue;
      }
      if (c === CH_QUOTE) {
        v++;
        quoted = !quoted;
        continue;
      }
      if (c === CH_COMMA && !quoted) break;
      v++;
    }
    addField(b, sc, ks, ke, vs, v);
    p = v + 1;
  }
}

function addField(b: LineBatch, sc: Scratch, ks: number, ke: number, vs: number, ve: number): void {
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
function setTimestamp(b: LineBatch, n: number, buf: Uint8Array, a: number, z: number, precision: Precision | 'auto'): void {
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

