// The fast path for plain lines: no backslash and no double quote anywhere in
// the line, which is what devices and client libraries send almost always.
// Without escapes or strings, the 2.x scanner's states collapse into a simple
// left-to-right tokenizer; this path accepts exactly the lines the exact path
// (parse-exact.ts) accepts, with the same results, and gives up (returns
// false, having written nothing) on anything else, including every error, so
// the exact path reports it in InfluxDB's words. A differential test checks
// the two paths against each other.

import type { Precision, SecNsec } from '../../core/time.ts';
import { FNV_OFFSET, FNV_PRIME } from '../../core/fnv.ts';
import { type LineBatch, ensureFieldCapacity, ensurePointCapacity } from './batch.ts';
import { FieldType } from '../../core/field-type.ts';
import { NUM_FLOAT, NUM_INT, scanBoolean, scanNumber } from './parse-number.ts';
import { CH_0, CH_9, CH_COMMA, CH_EQ, CH_MINUS, CH_NUL, CH_SPACE, CH_TAB, MAX_KEY_LENGTH, Scratch, checkTagKeys, setTimestamp } from './parse-core.ts';

const CH_DOT = 46;
const CH_i = 105;
const CH_u = 117;
/** Exact powers of ten up to 1e15 (frac digits of a fast-path float are at most 15). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const CH_t = 116;
const CH_f = 102;
const CH_T = 84;
const CH_F = 70;

/**
 * Parses the plain line [s, e) into `b`. Returns false without changing `b`
 * when the line is not plain-valid. May throw a LineFailure from the shared
 * helpers; the caller then rolls back and takes the exact path.
 */
export function parsePlain(
  b: LineBatch,
  sc: Scratch,
  s: number,
  e: number,
  line: number,
  precision: Precision | 'auto',
  nowDefault: SecNsec,
  rejectReserved: boolean,
): boolean {
  const buf = b.buf;
  // measurement: up to the first ',' or ' ' (hashing the key bytes on the way,
  // FNV-1a, core/fnv.ts, so the store need not read them again)
  let h = FNV_OFFSET;
  let i = s;
  for (; i < e; i++) {
    const c = buf[i];
    if (c === CH_COMMA || c === CH_SPACE) break;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  if (i === s || i >= e) return false;
  const measEnd = i;
  // tags: k=v pairs separated by ',' up to a ' '
  let ntags = 0;
  if (buf[i] === CH_COMMA) {
    for (;;) {
      h = Math.imul(h ^ CH_COMMA, FNV_PRIME);
      i++;
      const ks = i;
      for (; i < e; i++) {
        const c = buf[i];
        if (c === CH_EQ || c === CH_COMMA || c === CH_SPACE) break;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      if (i === ks || i >= e || buf[i] !== CH_EQ) return false;
      const ke = i;
      h = Math.imul(h ^ CH_EQ, FNV_PRIME);
      i++;
      const vs = i;
      for (; i < e; i++) {
        const c = buf[i];
        if (c === CH_COMMA || c === CH_SPACE) break;
        if (c === CH_EQ) return false;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      if (i === vs || i >= e) return false;
      sc.growTags(ntags + 1);
      sc.tagStart[ntags] = ks;
      sc.tagKeyEnd[ntags] = ke;
      sc.tagEnd[ntags] = i;
      ntags++;
      if (buf[i] === CH_SPACE) break;
    }
  }
  const keyEnd = i;
  const keyLen = keyEnd - s;
  if (keyLen > MAX_KEY_LENGTH) return false;
  const sorted = checkTagKeys(buf, sc, ntags, rejectReserved);

  // fields: after spaces (and tabs/NULs, as scanFields skips them), k=v pairs separated by ','
  while (i < e && (buf[i] === CH_SPACE || buf[i] === CH_TAB || buf[i] === CH_NUL)) i++;
  if (i >= e) return false;
  const firstField = b.fieldCount;
  let f = firstField;
  for (;;) {
    const ks = i;
    while (i < e && buf[i] !== CH_EQ && buf[i] !== CH_COMMA && buf[i] !== CH_SPACE) i++;
    if (i === ks || i >= e || buf[i] !== CH_EQ || keyLen + 4 + (i - ks) > MAX_KEY_LENGTH) return rollback(b, firstField);
    const ke = i;
    const vs = i + 1;
    if (vs >= e) return rollback(b, firstField);
    const c = buf[vs];
    let type: FieldType;
    let value: number;
    let end: number;
    if ((c >= CH_0 && c <= CH_9) || c === CH_DOT || c === CH_MINUS) {
      // One pass for the usual shapes, [-]digits[.digits] and [-]digits(i|u),
      // up to 15 digits (exact in a double; a mantissa below 2^53 divided by
      // an exact power of ten is correctly rounded, as strconv.ParseFloat
      // rounds: Clinger's fast path). Anything else (exponents, more digits,
      // errors) goes to scanNumber, which decides as InfluxDB's scanner does.
      let k = vs;
      const neg = c === CH_MINUS;
      if (neg) k++;
      let mant = 0;
      let digits = 0;
      let frac = -1;
      for (; k < e; k++) {
        const d = buf[k] - CH_0;
        if (d >= 0 && d <= 9) {
          mant = mant * 10 + d;
          digits++;
          if (frac >= 0) frac++;
        } else if (buf[k] === CH_DOT && frac < 0) frac = 0;
        else break;
      }
      const stop = k < e ? buf[k] : CH_SPACE;
      const suffix = stop === CH_i || stop === CH_u;
      const after = suffix ? (k + 1 < e ? buf[k + 1] : CH_SPACE) : stop;
      if (digits > 0 && digits <= 15 && (after === CH_COMMA || after === CH_SPACE) && !(suffix && (frac >= 0 || (neg && stop === CH_u)))) {
        if (stop === CH_i) {
          type = FieldType.Integer;
          value = neg ? (mant === 0 ? 0 : -mant) : mant;
          end = k + 1;
        } else if (stop === CH_u) {
          type = FieldType.Unsigned;
          value = mant;
          end = k + 1;
        } else {
          type = FieldType.Float;
          const v = frac <= 0 ? mant : mant / POW10[frac];
          value = neg ? -v : v;
          end = k;
        }
        ensureFieldCapacity(b, f + 1);
        b.fkStart[f] = ks;
        b.fkEnd[f] = ke;
        b.fkEscaped[f] = 0;
        b.ftype[f] = type;
        b.fnum[f] = value;
        b.fvStart[f] = vs;
        b.fvEnd[f] = end;
        f++;
        b.fieldCount = f;
        i = end;
        if (i >= e || buf[i] === CH_SPACE) break;
        i++; // ','
        if (i >= e) return rollback(b, firstField);
        continue;
      }
      scanNumber(buf, vs, e, sc.num);
      if (sc.num.error !== undefined) return rollback(b, firstField);
      type = sc.num.kind === NUM_FLOAT ? FieldType.Float : sc.num.kind === NUM_INT ? FieldType.Integer : FieldType.Unsigned;
      value = sc.num.value;
      end = sc.num.end;
    } else if (c === CH_t || c === CH_f || c === CH_T || c === CH_F) {
      scanBoolean(buf, vs, e, sc.bool);
      if (sc.bool.error !== undefined) return rollback(b, firstField);
      type = FieldType.Boolean;
      value = sc.bool.value ? 1 : 0;
      end = sc.bool.end;
    } else return rollback(b, firstField);
    ensureFieldCapacity(b, f + 1);
    b.fkStart[f] = ks;
    b.fkEnd[f] = ke;
    b.fkEscaped[f] = 0;
    b.ftype[f] = type;
    b.fnum[f] = value;
    if (type !== FieldType.Float && type !== FieldType.Boolean && sc.num.big !== undefined) b.big.set(f, sc.num.big);
    b.fvStart[f] = vs;
    b.fvEnd[f] = end;
    f++;
    b.fieldCount = f;
    i = end;
    if (i >= e || buf[i] === CH_SPACE) break;
    i++; // ','
    if (i >= e) return rollback(b, firstField);
  }

  // timestamp: optional, after spaces (and tabs/NULs); then only spaces
  while (i < e && (buf[i] === CH_SPACE || buf[i] === CH_TAB || buf[i] === CH_NUL)) i++;
  const n = b.n;
  ensurePointCapacity(b, n + 1);
  if (i >= e) {
    b.sec[n] = nowDefault.sec;
    b.nsec[n] = nowDefault.nsec;
  } else {
    const ts = i;
    if (buf[i] === CH_MINUS) i++;
    const digits = i;
    while (i < e && buf[i] >= CH_0 && buf[i] <= CH_9) i++;
    if (i === digits) return rollback(b, firstField);
    const tsEnd = i;
    while (i < e && buf[i] === CH_SPACE) i++;
    if (i < e) return rollback(b, firstField);
    // Usual case in one pass: a non-negative s/ms/us/ns timestamp whose whole
    // seconds have at most 10 digits and are below MaxNanoTime's 9223372036 s
    // (models/time.go); the rest (signs, 'auto', m/h, range errors) is setTimestamp's.
    const split = precision === 'ns' ? 9 : precision === 'us' ? 6 : precision === 'ms' ? 3 : precision === 's' ? 0 : -1;
    let sec = Infinity;
    let frac = 0;
    if (split >= 0 && ts === digits && tsEnd - digits <= split + 10) {
      const cut = tsEnd - split > digits ? tsEnd - split : digits;
      let k = digits;
      sec = 0;
      for (; k < cut; k++) sec = sec * 10 + (buf[k] - CH_0);
      for (; k < tsEnd; k++) frac = frac * 10 + (buf[k] - CH_0);
    }
    if (sec < 9223372036) {
      b.sec[n] = sec;
      b.nsec[n] = frac * POW10[9 - split];
    } else {
      try {
        setTimestamp(b, n, buf, ts, tsEnd, precision);
      } catch {
        return rollback(b, firstField);
      }
    }
  }
  b.lineNo[n] = line;
  b.ordinal[n] = b.lines;
  b.keyStart[n] = s;
  b.keyEnd[n] = keyEnd;
  b.measEnd[n] = measEnd;
  b.keyCanonical[n] = sorted ? 1 : 0;
  b.keyHash[n] = h; // 0 reads as "not computed"; recomputing a real 0 gives 0 again
  b.n = n + 1;
  b.fieldStart[n + 1] = b.fieldCount;
  return true;
}

function rollback(b: LineBatch, fieldCount: number): false {
  for (let f = fieldCount; f < b.fieldCount; f++) b.big.delete(f);
  b.fieldCount = fieldCount;
  return false;
}
