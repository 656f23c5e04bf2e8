// The InfluxDB-exact path: a port of the 2.x server's scanner
// (models/points.go: scanKey, scanFields, walkFields, scanTime), error for
// error. Every line the fast path (parse-plain.ts) does not take comes here.

import type { Precision, SecNsec } from '../../core/time.ts';
import { type LineBatch, ensurePointCapacity } from './batch.ts';
import { FieldType } from '../../core/field-type.ts';
import { NUM_FLOAT, NUM_INT, scanBoolean, scanNumber } from './parse-number.ts';
import {
  CH_BACKSLASH, CH_COMMA, CH_EQ, CH_MINUS, CH_NL, CH_NUL, CH_QUOTE, CH_SPACE, CH_TAB, CH_0, CH_9,
  MAX_KEY_LENGTH, NUMBER_KIND, Scratch, addField, checkTagKeys, fail, setTimestamp,
} from './parse-core.ts';

export function parsePoint(
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

  const sorted = checkTagKeys(buf, sc, ntags, rejectReserved);
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
  b.keyHash[n] = 0;
  b.n = n + 1;
  b.fieldStart[n + 1] = b.fieldCount;
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

