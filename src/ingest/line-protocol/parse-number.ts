// Field-value scanners for line protocol. They follow the scanner of InfluxDB
// 1.x/2.x (models/points.go: scanNumber, scanBoolean) so the same bytes are
// accepted and refused with the same words.

const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_MINUS = 45;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_SPACE = 32;
const CH_i = 105;
const CH_u = 117;
const CH_e = 101;
const CH_E = 69;
const CH_N = 78;
const CH_n = 110;

export const NUM_FLOAT = 0;
export const NUM_INT = 1;
export const NUM_UINT = 2;

/** Result slots of scanNumber, reused to avoid an object per value. */
export interface NumberScan {
  end: number;
  kind: number; // NUM_FLOAT | NUM_INT | NUM_UINT
  /** The value when exactly representable; NaN when `big` holds it. */
  value: number;
  big: bigint | undefined;
  error: string | undefined;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function isNumeric(c: number): boolean {
  return (c >= CH_0 && c <= CH_9) || c === CH_DOT;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const UINT64_MAX = 18446744073709551615n;

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/**
 * Scans a numeric field value starting at `start` and ending before `limit`.
 * Mirrors Go's scanNumber: the value ends at an unquoted ',' or ' '.
 */
export function scanNumber(buf: Uint8Array, start: number, limit: number, out: NumberScan): void {
  out.error = undefined;
  out.big = undefined;
  let i = start;
  let isInt = false;
  let isUnsigned = false;
  if (i < limit && buf[i] === CH_MINUS) {
    i++;
    if (i === limit) {
      out.end = i;
      out.error = 'invalid number';
      return;
    }
  }
  let decimal = false;
  let scientific = false;
  for (;;) {
    if (i >= limit) break;
    const c = buf[i];
    if (c === CH_COMMA || c === CH_SPACE) break;
    if (c === CH_i && i > start && !(isInt || isUnsigned)) {
      isInt = true;
      i++;
      continue;
    } else if (c === CH_u && i > start && !(isInt || isUnsigned)) {
      isUnsigned = true;
      i++;
      continue;
    }
    if (c === CH_DOT) {
      if (decimal) {
        out.end = i;
        out.error = 'invalid number';
        return;
      }
      decimal = true;
    }
    if (i > start && (c === CH_e || c === CH_E)) {
      scientific = true;
      i++;
      continue;
    }
    if ((c === CH_PLUS || c === CH_MINUS) && (buf[i - 1] === CH_e || buf[i - 1] === CH_E)) {
      i++;
      continue;
    }
    if (i + 2 < limit && (c === CH_N || c === CH_n)) {
      out.end = i;
      out.error = 'invalid number';
      return;
    }
    if (!isNumeric(c)) {
      out.end = i;
      out.error = 'invalid number';
      return;
    }
    i++;
  }
  out.end = i;
  if ((isInt || isUnsigned) && (decimal || scientific)) {
    out.error = 'invalid number';
    return;
  }
  let numericDigits = i - start;
  if (isInt) numericDigits--;
  if (decimal) numericDigits--;
  if (buf[start] === CH_MINUS) numericDigits--;
  if (numericDigits === 0) {
    out.error = 'invalid number';
    return;
  }
  if (isInt) {
    // the last byte must be the suffix ("9i10" is invalid)
    if (buf[i - 1] !== CH_i) {
      out.error = 'invalid number';
      return;
    }
    out.kind = NUM_INT;
    parseInteger(buf, start, i - 1, out, false);
    return;
  }
  if (isUnsigned) {
    if (buf[i - 1] !== CH_u || buf[start] === CH_MINUS) {
      out.error = 'invalid number';
      return;
    }
    out.kind = NUM_UINT;
    parseInteger(buf, start, i - 1, out, true);
    return;
  }
  out.kind = NUM_FLOAT;
  parseFloatValue(buf, start, i, scientific, out);
}

function parseInteger(buf: Uint8Array, start: number, end: number, out: NumberScan, unsigned: boolean): void {
  const neg = buf[start] === CH_MINUS;
  const digitsStart = neg ? start + 1 : start;
  // 15 digits always fit in a double exactly.
  if (end - digitsStart <= 15) {
    let v = 0;
    for (let k = digitsStart; k < end; k++) v = v * 10 + (buf[k] - CH_0);
    out.value = neg ? (v === 0 ? 0 : -v) : v;
    return;
  }
  const text = latin1(buf, start, end);
  const v = BigInt(text);
  if (unsigned ? v > UINT64_MAX : v > INT64_MAX || v < INT64_MIN) {
    out.error = unsigned
      ? `unable to parse unsigned ${text}: strconv.ParseUint: parsing "${text}": value out of range`
      : `unable to parse integer ${text}: strconv.ParseInt: parsing "${text}": value out of range`;
    return;
  }
  if (v <= 9007199254740991n && v >= -9007199254740991n) {
    out.value = Number(v);
  } else {
    out.value = NaN;
    out.big = v;
  }
}

function parseFloatValue(buf: Uint8Array, start: number, end: number, scientific: boolean, out: NumberScan): void {
  // Fast path (Clinger): a mantissa below 2^53 divided by an exact power of ten
  // is correctly rounded, so it equals what strconv.ParseFloat returns.
  if (!scientific && end - start <= 17) {
    let k = start;
    const neg = buf[k] === CH_MINUS;
    if (neg) k++;
    let mant = 0;
    let fracDigits = 0;
    let seenDot = false;
    let digits = 0;
    for (; k < end; k++) {
      const c = buf[k];
      if (c === CH_DOT) {
        seenDot = true;
        continue;
      }
      mant = mant * 10 + (c - CH_0);
      digits++;
      if (seenDot) fracDigits++;
    }
    if (digits <= 15) {
      const v = fracDigits === 0 ? mant : mant / POW10[fracDigits];
      out.value = neg ? -v : v;
      return;
    }
  }
  const v = Number(latin1(buf, start, end));
  // Go's ParseFloat reports overflow (±Inf) as a range error: "invalid float".
  if (!Number.isFinite(v)) {
    out.error = 'invalid float';
    return;
  }
  out.value = v;
}

/** Result of scanBoolean: end position and value, or an error. */
export interface BoolScan {
  end: number;
  value: boolean;
  error: string | undefined;
}

const TRUE_LOWER = Buffer.from('true');
const TRUE_UPPER = Buffer.from('TRUE');
const TRUE_TITLE = Buffer.from('True');
const FALSE_LOWER = Buffer.from('false');
const FALSE_UPPER = Buffer.from('FALSE');
const FALSE_TITLE = Buffer.from('False');

function matches(buf: Uint8Array, start: number, len: number, word: Uint8Array): boolean {
  if (len !== word.length) return false;
  for (let k = 0; k < len; k++) if (buf[start + k] !== word[k]) return false;
  return true;
}

const CH_t = 116;
const CH_f = 102;
const CH_T = 84;
const CH_F = 70;

/** The ten spellings InfluxDB accepts: t T true True TRUE f F false False FALSE. */
export function scanBoolean(buf: Uint8Array, start: number, limit: number, out: BoolScan): void {
  out.error = undefined;
  let i = start;
  const c0 = buf[i];
  if (i < limit && c0 !== CH_t && c0 !== CH_f && c0 !== CH_T && c0 !== CH_F) {
    out.end = i;
    out.error = 'invalid boolean';
    return;
  }
  i++;
  while (i < limit && buf[i] !== CH_COMMA && buf[i] !== CH_SPACE) i++;
  out.end = i;
  const len = i - start;
  out.value = c0 === CH_t || c0 === CH_T;
  if (len === 1) return;
  // Compare bytes rather than decode a string per value.
  const ok =
    c0 === CH_t
      ? matches(buf, start, len, TRUE_LOWER)
      : c0 === CH_f
        ? matches(buf, start, len, FALSE_LOWER)
        : c0 === CH_T
          ? matches(buf, start, len, TRUE_UPPER) || matches(buf, start, len, TRUE_TITLE)
          : matches(buf, start, len, FALSE_UPPER) || matches(buf, start, len, FALSE_TITLE);
  if (!ok) out.error = 'invalid boolean';
}
