// The scanning half of the /api/put fast path (transcode-put.ts): walks the
// JSON bytes once and records, per point, where its metric, value, timestamp
// and tags are, without creating a string, number or object. It accepts only
// bodies where every point is plainly valid: an array (or one object) of
// {"metric","timestamp","value","tags"} in any key order, strings without
// escapes, a JSON number without exponent as the value, a plain integer
// timestamp, names line protocol needs no escape for. Anything else returns
// undefined and the caller takes the general path (parse-put-json.ts +
// validate-point.ts), which decides exactly what OpenTSDB would.

import type { OpenTsdbMode } from './validate-point.ts';
import { MAX_TAGS } from './validate-point.ts';

/**
 * Per point at rec[recStart[i]]: metricA, metricZ, valueA, valueZ, tsA (-1 =
 * none), tsZ, seconds (1 = append "000"), nTags, group, then keyA, keyZ,
 * valueA, valueZ per tag. Offsets are into the scanned buffer.
 */
export interface Scan {
  points: number;
  rec: Int32Array;
  recStart: Int32Array;
  /** Distinct metrics (groups), counted up to MAX_GROUPS + 1. */
  groups: number;
  /** Bytes of the line-protocol output, not counting "now" timestamps. */
  bytes: number;
  /** Points without a timestamp (lenient: stamped with the server time). */
  untimed: number;
}

export const MAX_GROUPS = 16;
const MAX_TAGS_FAST = 64;
const Q = 0x22;

let rec: Int32Array = new Int32Array(1 << 16);
let recStart: Int32Array = new Int32Array(1 << 12);
const groupMetric = new Int32Array(MAX_GROUPS * 2);

const STRICT_NAME = new Uint8Array(256);
const LENIENT_NAME = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  // Strict: OpenTSDB's ASCII alphabet (Tags.validateString); other letters take the general path.
  STRICT_NAME[c] = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x2f ? 1 : 0;
  // Lenient: printable ASCII except space , = \ and ". Non-ASCII names take the general
  // path, which decodes UTF-8 as the rest of hookline does (invalid bytes -> U+FFFD).
  LENIENT_NAME[c] = c > 0x20 && c < 0x7f && c !== 0x2c && c !== 0x3d && c !== 0x5c && c !== Q ? 1 : 0;
}

export function scanPut(buf: Uint8Array, mode: OpenTsdbMode): Scan | undefined {
  const n = buf.length;
  const strict = mode === 'strict';
  const names = strict ? STRICT_NAME : LENIENT_NAME;
  let p = skipWs(buf, 0);
  const array = buf[p] === 0x5b;
  if (array) p = skipWs(buf, p + 1);
  let points = 0;
  let groups = 0;
  let bytes = 0;
  let untimed = 0;
  let r = 0;
  for (;;) {
    if (buf[p] !== 0x7b) return undefined;
    p = skipWs(buf, p + 1);
    if (points === recStart.length) recStart = grow(recStart, points * 2);
    if (r + 9 + MAX_TAGS_FAST * 4 > rec.length) rec = grow(rec, rec.length * 2);
    recStart[points] = r;
    rec[r] = -1;
    rec[r + 2] = -1;
    rec[r + 4] = -1;
    rec[r + 7] = -1;
    // ---- one object: its four keys, in any order
    for (;;) {
      if (buf[p] !== Q) return undefined;
      const k = p + 1;
      const c0 = buf[k];
      if (c0 === 0x6d && buf[k + 6] === Q && buf[k + 1] === 0x65 && buf[k + 2] === 0x74 && buf[k + 3] === 0x72 && buf[k + 4] === 0x69 && buf[k + 5] === 0x63) {
        // "metric": a plain name, not starting with '#' (a line-protocol comment)
        p = colon(buf, k + 7);
        if (p < 0 || rec[r] >= 0 || buf[p] !== Q) return undefined;
        const a = p + 1;
        let z = a;
        while (names[buf[z]] === 1) z++;
        if (buf[z] !== Q || z === a || buf[a] === 0x23) return undefined;
        rec[r] = a;
        rec[r + 1] = z;
        p = z + 1;
      } else if (c0 === 0x76 && buf[k + 5] === Q && buf[k + 1] === 0x61 && buf[k + 2] === 0x6c && buf[k + 3] === 0x75 && buf[k + 4] === 0x65) {
        // "value": a plain JSON number
        p = colon(buf, k + 6);
        if (p < 0 || rec[r + 2] >= 0) return undefined;
        const z = plainNumber(buf, p);
        if (z < 0) return undefined;
        rec[r + 2] = p;
        rec[r + 3] = z;
        p = z;
      } else if (c0 === 0x74 && buf[k + 1] === 0x69 && buf[k + 9] === Q && matches(buf, k + 2, 'mestamp')) {
        // "timestamp": 1..13 digits, no leading zero; below 2^32 seconds, else milliseconds
        p = colon(buf, k + 10);
        if (p < 0 || rec[r + 4] >= 0) return undefined;
        let z = p;
        while (buf[z] >= 0x30 && buf[z] <= 0x39) z++;
        const len = z - p;
        if (len === 0 || len > 13 || buf[p] === 0x30) return undefined;
        rec[r + 4] = p;
        rec[r + 5] = z;
        rec[r + 6] = len < 10 || (len === 10 && lessThan2e32(buf, p)) ? 1 : 0;
        p = z;
      } else if (c0 === 0x74 && buf[k + 4] === Q && buf[k + 1] === 0x61 && buf[k + 2] === 0x67 && buf[k + 3] === 0x73) {
        // "tags": {"k":"v",...} with plain names, no reserved or repeated key
        p = colon(buf, k + 5);
        if (p < 0 || rec[r + 7] >= 0 || buf[p] !== 0x7b) return undefined;
        p = skipWs(buf, p + 1);
        let nt = 0;
        if (buf[p] === 0x7d) p++;
        else {
          for (;;) {
            if (buf[p] !== Q || nt === MAX_TAGS_FAST) return undefined;
            const ka = p + 1;
            let kz = ka;
            while (names[buf[kz]] === 1) kz++;
            if (buf[kz] !== Q || kz === ka || reservedKey(buf, ka, kz)) return undefined;
            p = colon(buf, kz + 1);
            if (p < 0 || buf[p] !== Q) return undefined;
            const va = p + 1;
            let vz = va;
            while (names[buf[vz]] === 1) vz++;
            if (buf[vz] !== Q || vz === va) return undefined;
            const t = r + 9 + nt * 4;
            for (let j = r + 9; j < t; j += 4) if (sameBytes(buf, rec[j], rec[j + 1], ka, kz)) return undefined;
            rec[t] = ka;
            rec[t + 1] = kz;
            rec[t + 2] = va;
            rec[t + 3] = vz;
            nt++;
            p = skipWs(buf, vz + 1);
            if (buf[p] === 0x2c) {
              p = skipWs(buf, p + 1);
              continue;
            }
            if (buf[p] !== 0x7d) return undefined;
            p++;
            break;
          }
        }
        rec[r + 7] = nt;
      } else return undefined;
      p = skipWs(buf, p);
      if (buf[p] === 0x2c) {
        p = skipWs(buf, p + 1);
        continue;
      }
      if (buf[p] !== 0x7d) return undefined;
      p++;
      break;
    }
    // ---- the point as a whole
    if (rec[r] < 0 || rec[r + 2] < 0) return undefined;
    const tagged = rec[r + 7] >= 0;
    const nt = tagged ? rec[r + 7] : 0;
    rec[r + 7] = nt;
    if (strict) {
      if (rec[r + 4] < 0 || !tagged || nt < 1 || nt > MAX_TAGS) return undefined;
      // An integer value is a Java long: "-0" is 0, and more than 15 digits may not be exact.
      const va = rec[r + 2];
      const vz = rec[r + 3];
      if (looksInteger(buf, va, vz) && (vz - va > 15 || (buf[va] === 0x2d && buf[va + 1] === 0x30))) return undefined;
    }
    // group: the index of this metric among the body's metrics
    let g = 0;
    if (groups <= MAX_GROUPS) {
      while (g < groups && !sameBytes(buf, groupMetric[g * 2], groupMetric[g * 2 + 1], rec[r], rec[r + 1])) g++;
      if (g === groups) {
        if (groups < MAX_GROUPS) {
          groupMetric[g * 2] = rec[r];
          groupMetric[g * 2 + 1] = rec[r + 1];
        }
        groups++;
      }
    }
    rec[r + 8] = g;
    // metric[,k=v...] value=<v> <ts>\n
    bytes += rec[r + 1] - rec[r] + 7 + (rec[r + 3] - rec[r + 2]) + 2;
    if (rec[r + 4] < 0) untimed++;
    else bytes += rec[r + 5] - rec[r + 4] + (rec[r + 6] === 1 ? 3 : 0);
    for (let j = 0; j < nt; j++) {
      const t = r + 9 + j * 4;
      bytes += rec[t + 1] - rec[t] + rec[t + 3] - rec[t + 2] + 2;
    }
    r += 9 + nt * 4;
    points++;
    p = skipWs(buf, p);
    if (!array) break;
    if (buf[p] === 0x2c) {
      p = skipWs(buf, p + 1);
      continue;
    }
    if (buf[p] !== 0x5d) return undefined;
    break;
  }
  // Jackson ignores what follows the first value; so does this path.
  return { points, rec, recStart, groups, bytes, untimed };
}

function colon(b: Uint8Array, p: number): number {
  if (b[p] !== 0x3a) p = skipWs(b, p);
  if (b[p] !== 0x3a) return -1;
  p++;
  return b[p] <= 0x20 ? skipWs(b, p) : p;
}

function skipWs(b: Uint8Array, p: number): number {
  for (;;) {
    const c = b[p];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
    else return p;
  }
}

function matches(b: Uint8Array, p: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (b[p + i] !== s.charCodeAt(i)) return false;
  return true;
}

export function sameBytes(b: Uint8Array, a1: number, z1: number, a2: number, z2: number): boolean {
  if (z1 - a1 !== z2 - a2) return false;
  for (let i = 0; i < z1 - a1; i++) if (b[a1 + i] !== b[a2 + i]) return false;
  return true;
}

/** `-?(0|[1-9][0-9]*)(\.[0-9]+)?` followed by a delimiter; returns its end or -1. */
function plainNumber(b: Uint8Array, p: number): number {
  let i = p;
  if (b[i] === 0x2d) i++;
  const d = i;
  while (b[i] >= 0x30 && b[i] <= 0x39) i++;
  if (i === d || (b[d] === 0x30 && i - d > 1)) return -1;
  if (b[i] === 0x2e) {
    i++;
    const f = i;
    while (b[i] >= 0x30 && b[i] <= 0x39) i++;
    if (i === f) return -1;
  }
  const c = b[i];
  if (c !== 0x2c && c !== 0x7d && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return -1;
  // Long spellings are left to the general path, which parses them as OpenTSDB does.
  return i - p > 17 ? -1 : i;
}

function looksInteger(b: Uint8Array, a: number, z: number): boolean {
  for (let i = a; i < z; i++) if (b[i] === 0x2e) return false;
  return true;
}

// 2^32 = 4294967296: ten-digit timestamps below it are seconds, at or above milliseconds.
const TWO32 = '4294967296';
function lessThan2e32(b: Uint8Array, a: number): boolean {
  for (let i = 0; i < 10; i++) {
    const c = b[a + i];
    const t = TWO32.charCodeAt(i);
    if (c !== t) return c < t;
  }
  return false;
}

/** time, _measurement, _field: tag keys line protocol refuses. */
function reservedKey(b: Uint8Array, a: number, z: number): boolean {
  const len = z - a;
  if (len === 4) return matches(b, a, 'time');
  if (len === 6) return matches(b, a, '_field');
  if (len === 12) return matches(b, a, '_measurement');
  return false;
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
