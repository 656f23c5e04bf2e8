// The fast path of POST /api/put: JSON bytes straight to line-protocol bytes
// (precision ms), with no object, string or number per point, the way
// VictoriaMetrics' parsers work. scan-put.ts finds the points (and declines
// any body that is not plainly valid, leaving it to the general path); this
// file writes the lines, grouped by metric: the store plans consecutive points
// of one measurement much faster, and a stable grouping keeps each series in
// its order, so "last write wins" is unchanged. Both paths store the same
// bytes for the bodies this one accepts (transcode-put.test.ts checks it).
// In the same pass it fills the columns the line-protocol parser would make of
// those bytes (batch.ts's LineBatch: what parseLineProtocol(lp, precision ms)
// returns, column for column), so neither the store nor the pipeline's
// observers parse the lines again: on the benchmark's bodies those two parses
// took a fifth of the main thread (bench/README.md, OpenTSDB, 2026-12-07).
// The data model (docs/opentsdb.md): metric -> measurement, tags -> tags,
// value -> the float field `value`, time -> milliseconds.
// Pure: bytes, mode and clock in; line-protocol bytes (and their batch) out.

import { FieldType } from '../../core/field-type.ts';
import { fnv1a } from '../../core/fnv.ts';
import { createBatch, type LineBatch } from '../line-protocol/batch.ts';
import { compareBytes, MAX_KEY_LENGTH } from '../line-protocol/parse-core.ts';
import { MAX_GROUPS, scanPut } from './scan-put.ts';
import type { OpenTsdbMode } from './validate-point.ts';

export interface Transcoded {
  lp: Buffer;
  points: number;
  /** `pointOf[line]` is the request position of each line; absent when lines are in request order. */
  pointOf?: Int32Array;
  /**
   * `lp` as parseLineProtocol(lp, { precision: 'ms' }) parses it; absent when
   * a line needs the parser's own checks (a key longer than MAX_KEY_LENGTH, a
   * time past MaxNanoTime): the store then parses `lp` as usual.
   */
  batch?: LineBatch;
}

/** Exact powers of ten (a value's fraction digits, at most 15 here; parse-plain.ts's table). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** models/time.go MaxNanoTime in whole seconds: the parser's fast path takes times below it. */
const MAX_SEC = 9223372036;
/** " value=" */
const VALUE_KEY = [0x20, 0x76, 0x61, 0x6c, 0x75, 0x65, 0x3d];

export function transcodePut(buf: Uint8Array, mode: OpenTsdbMode, nowMs: number): Transcoded | undefined {
  const s = scanPut(buf, mode);
  if (!s) return undefined;
  const { rec, recStart, points } = s;
  const now = String(nowMs);
  const nowSec = Math.floor(nowMs / 1000);
  const nowNsec = (nowMs - nowSec * 1000) * 1_000_000;
  const out = Buffer.allocUnsafe(s.bytes + s.untimed * now.length);
  const grouped = s.groups > 1 && s.groups <= MAX_GROUPS;
  const pointOf = grouped ? new Int32Array(points) : undefined;
  const b = createBatch(out, points, points);
  // The columns as locals: room for every line was made above, nothing grows.
  const { lineNo, ordinal, keyStart: keyStarts, keyEnd: keyEnds, measEnd: measEnds, keyCanonical, keyHash, sec: secs, nsec: nsecs, fieldStart } = b;
  const { fkStart, fkEnd, fkEscaped, ftype, fnum, fvStart, fvEnd } = b;
  let batched = true;
  let o = 0;
  let line = 0;
  for (let g = 0; g < (grouped ? s.groups : 1); g++) {
    for (let i = 0; i < points; i++) {
      const r = recStart[i];
      if (grouped && rec[r + 8] !== g) continue;
      if (pointOf) pointOf[line] = i;
      const keyStart = o;
      o = copy(buf, rec[r], rec[r + 1], out, o);
      const measEnd = o;
      const nt = rec[r + 7];
      // Tag keys in ascending byte order: the raw key is the canonical one
      // (parse-core.ts checkTagKeys; scan-put.ts refused repeated keys).
      let sorted = 1;
      for (let j = 0; j < nt; j++) {
        const t = r + 9 + j * 4;
        if (j > 0 && sorted === 1 && compareBytes(buf, rec[t - 4], rec[t - 3], rec[t], rec[t + 1]) > 0) sorted = 0;
        out[o++] = 0x2c; // ,
        o = copy(buf, rec[t], rec[t + 1], out, o);
        out[o++] = 0x3d; // =
        o = copy(buf, rec[t + 2], rec[t + 3], out, o);
      }
      const keyEnd = o;
      for (let k = 0; k < 7; k++) out[o++] = VALUE_KEY[k];
      const valueStart = o;
      o = copy(buf, rec[r + 2], rec[r + 3], out, o);
      const valueEnd = o;
      out[o++] = 0x20;
      let sec: number;
      let nsec: number;
      if (rec[r + 4] < 0) {
        o += out.write(now, o, 'latin1'); // lenient: no timestamp = now
        sec = nowSec;
        nsec = nowNsec;
      } else {
        o = copy(buf, rec[r + 4], rec[r + 5], out, o);
        const t = digitsValue(buf, rec[r + 4], rec[r + 5]); // at most 13 digits: exact
        if (rec[r + 6] === 1) {
          out[o++] = 0x30; // seconds -> milliseconds
          out[o++] = 0x30;
          out[o++] = 0x30;
          sec = t;
          nsec = 0;
        } else {
          sec = Math.floor(t / 1000);
          nsec = (t - sec * 1000) * 1_000_000;
        }
      }
      out[o++] = 0x0a;
      if (batched) {
        if (keyEnd - keyStart + 4 + 5 > MAX_KEY_LENGTH || sec >= MAX_SEC) batched = false;
        else {
          lineNo[line] = line + 1;
          ordinal[line] = line + 1;
          keyStarts[line] = keyStart;
          keyEnds[line] = keyEnd;
          measEnds[line] = measEnd;
          keyCanonical[line] = sorted;
          keyHash[line] = fnv1a(out, keyStart, keyEnd);
          secs[line] = sec;
          nsecs[line] = nsec;
          fieldStart[line + 1] = line + 1;
          fkStart[line] = keyEnd + 1;
          fkEnd[line] = keyEnd + 6;
          fkEscaped[line] = 0;
          ftype[line] = FieldType.Float;
          fnum[line] = floatValue(out, valueStart, valueEnd);
          fvStart[line] = valueStart;
          fvEnd[line] = valueEnd;
        }
      }
      line++;
    }
  }
  const t: Transcoded = { lp: out, points };
  if (pointOf) t.pointOf = pointOf;
  if (batched) {
    b.n = points;
    b.lines = points;
    b.fieldCount = points;
    t.batch = b;
  }
  return t;
}

function copy(src: Uint8Array, a: number, z: number, dst: Uint8Array, o: number): number {
  for (let i = a; i < z; i++) dst[o++] = src[i];
  return o;
}

function digitsValue(b: Uint8Array, a: number, z: number): number {
  let v = 0;
  for (let i = a; i < z; i++) v = v * 10 + (b[i] - 0x30);
  return v;
}

/**
 * A scan-put.ts plain number, `-?digits(.digits)?` (at most 17 bytes), valued
 * as the parser values it: up to 15 digits, the mantissa divided by an exact
 * power of ten (Clinger's fast path, parse-plain.ts); more, correctly rounded
 * as strconv.ParseFloat (parse-number.ts) and Number both round.
 */
function floatValue(b: Buffer, a: number, z: number): number {
  const neg = b[a] === 0x2d;
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (let i = neg ? a + 1 : a; i < z; i++) {
    const c = b[i];
    if (c === 0x2e) frac = 0;
    else {
      mant = mant * 10 + (c - 0x30);
      digits++;
      if (frac >= 0) frac++;
    }
  }
  if (digits > 15) return Number(b.toString('latin1', a, z));
  const v = frac <= 0 ? mant : mant / POW10[frac];
  return neg ? -v : v;
}

/** The lines in request order again (for tests, and anyone reading `lp` line by line). */
export function inRequestOrder(t: Transcoded): Buffer {
  if (!t.pointOf) return t.lp;
  const lines = t.lp.toString('latin1').split('\n');
  const out: string[] = new Array(t.points);
  for (let i = 0; i < t.points; i++) out[t.pointOf[i]] = lines[i];
  return Buffer.from(out.join('\n') + '\n', 'latin1');
}
