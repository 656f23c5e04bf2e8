// The fast path of POST /api/put: JSON bytes straight to line-protocol bytes
// (precision ms), with no object, string or number per point, the way
// VictoriaMetrics' parsers work. scan-put.ts finds the points (and declines
// any body that is not plainly valid, leaving it to the general path); this
// file writes the lines, grouped by metric: the store plans consecutive points
// of one measurement much faster, and a stable grouping keeps each series in
// its order, so "last write wins" is unchanged. Both paths store the same
// bytes for the bodies this one accepts (transcode-put.test.ts checks it).
// The data model (docs/opentsdb.md): metric -> measurement, tags -> tags,
// value -> the float field `value`, time -> milliseconds.
// Pure: bytes, mode and clock in; line-protocol bytes out.

import { MAX_GROUPS, scanPut } from './scan-put.ts';
import type { OpenTsdbMode } from './validate-point.ts';

export interface Transcoded {
  lp: Buffer;
  points: number;
  /** `pointOf[line]` is the request position of each line; absent when lines are in request order. */
  pointOf?: Int32Array;
}

export function transcodePut(buf: Uint8Array, mode: OpenTsdbMode, nowMs: number): Transcoded | undefined {
  const s = scanPut(buf, mode);
  if (!s) return undefined;
  const { rec, recStart, points } = s;
  const now = String(nowMs);
  const out = Buffer.allocUnsafe(s.bytes + s.untimed * now.length);
  const grouped = s.groups > 1 && s.groups <= MAX_GROUPS;
  const pointOf = grouped ? new Int32Array(points) : undefined;
  let o = 0;
  let line = 0;
  for (let g = 0; g < (grouped ? s.groups : 1); g++) {
    for (let i = 0; i < points; i++) {
      const r = recStart[i];
      if (grouped && rec[r + 8] !== g) continue;
      if (pointOf) pointOf[line++] = i;
      o = copy(buf, rec[r], rec[r + 1], out, o);
      const nt = rec[r + 7];
      for (let j = 0; j < nt; j++) {
        const t = r + 9 + j * 4;
        out[o++] = 0x2c; // ,
        o = copy(buf, rec[t], rec[t + 1], out, o);
        out[o++] = 0x3d; // =
        o = copy(buf, rec[t + 2], rec[t + 3], out, o);
      }
      out[o++] = 0x20; // " value="
      out[o++] = 0x76;
      out[o++] = 0x61;
      out[o++] = 0x6c;
      out[o++] = 0x75;
      out[o++] = 0x65;
      out[o++] = 0x3d;
      o = copy(buf, rec[r + 2], rec[r + 3], out, o);
      out[o++] = 0x20;
      if (rec[r + 4] < 0) o += out.write(now, o, 'latin1'); // lenient: no timestamp = now
      else {
        o = copy(buf, rec[r + 4], rec[r + 5], out, o);
        if (rec[r + 6] === 1) {
          out[o++] = 0x30; // seconds -> milliseconds
          out[o++] = 0x30;
          out[o++] = 0x30;
        }
      }
      out[o++] = 0x0a;
    }
  }
  return pointOf ? { lp: out, points, pointOf } : { lp: out, points };
}

function copy(src: Uint8Array, a: number, z: number, dst: Uint8Array, o: number): number {
  for (let i = a; i < z; i++) dst[o++] = src[i];
  return o;
}

/** The lines in request order again (for tests, and anyone reading `lp` line by line). */
export function inRequestOrder(t: Transcoded): Buffer {
  if (!t.pointOf) return t.lp;
  const lines = t.lp.toString('latin1').split('\n');
  const out: string[] = new Array(t.points);
  for (let i = 0; i < t.points; i++) out[t.pointOf[i]] = lines[i];
  return Buffer.from(out.join('\n') + '\n', 'latin1');
}
