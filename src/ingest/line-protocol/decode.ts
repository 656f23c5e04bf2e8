// Turns rows of a LineBatch into strings and values. Each escape set is the one
// InfluxDB 2 undoes for that part of the line (models/points.go):
//   measurement: \,  \<space>                       (unescapeMeasurement)
//   tag key and value: \,  \<space>  \=             (unescapeTag)
//   field key: \,  \<space>  \=  \"                 (escape.Unescape)
//   string value: \\  \"                            (unescapeStringField)
// Any other backslash is kept as written.

import type { FieldValue, Point } from '../../core/point.ts';
import { type LineBatch } from './batch.ts';
import { FieldType } from '../../core/field-type.ts';

const BACKSLASH = 92;

function utf8(buf: Uint8Array, a: number, z: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + a, z - a).toString('utf8');
}

function unescapeSet(buf: Uint8Array, a: number, z: number, set: string): string {
  let hasEscape = false;
  for (let k = a; k < z; k++) {
    if (buf[k] === BACKSLASH) {
      hasEscape = true;
      break;
    }
  }
  const raw = utf8(buf, a, z);
  if (!hasEscape) return raw;
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k];
    if (c === '\\' && k + 1 < raw.length && set.includes(raw[k + 1])) {
      out += raw[k + 1];
      k++;
    } else {
      out += c;
    }
  }
  return out;
}

export function measurementOf(b: LineBatch, i: number): string {
  return unescapeSet(b.buf, b.keyStart[i], b.measEnd[i], ', ');
}

/** Tags of point i, sorted by their raw (escaped) key bytes as InfluxDB sorts them. */
export function tagsOf(b: LineBatch, i: number): Array<[string, string]> {
  const buf = b.buf;
  const end = b.keyEnd[i];
  let p = b.measEnd[i];
  if (p >= end) return [];
  const raw: Array<[number, number, number, number]> = [];
  p++; // skip the comma after the measurement
  while (p < end) {
    const ks = p;
    while (!(buf[p] === 61 && buf[p - 1] !== BACKSLASH)) p++;
    const ke = p;
    p++;
    const vs = p;
    while (p < end && !(buf[p] === 44 && buf[p - 1] !== BACKSLASH)) p++;
    raw.push([ks, ke, vs, p]);
    p++;
  }
  if (!b.keyCanonical[i]) raw.sort((x, y) => compareRaw(buf, x[0], x[1], y[0], y[1]));
  return raw.map(([ks, ke, vs, ve]) => [unescapeSet(buf, ks, ke, ',= '), unescapeSet(buf, vs, ve, ',= ')]);
}

function compareRaw(buf: Uint8Array, a: number, az: number, b: number, bz: number): number {
  const n = Math.min(az - a, bz - b);
  for (let k = 0; k < n; k++) {
    const d = buf[a + k] - buf[b + k];
    if (d !== 0) return d;
  }
  return az - a - (bz - b);
}

export function fieldKeyOf(b: LineBatch, f: number): string {
  if (!b.fkEscaped[f]) return utf8(b.buf, b.fkStart[f], b.fkEnd[f]);
  return unescapeSet(b.buf, b.fkStart[f], b.fkEnd[f], ',= "');
}

export function stringValueOf(b: LineBatch, f: number): string {
  return unescapeSet(b.buf, b.fvStart[f], b.fvEnd[f], '\\"');
}

export function fieldValueOf(b: LineBatch, f: number): FieldValue {
  switch (b.ftype[f] as FieldType) {
    case FieldType.Float:
      return { type: 'float', value: b.fnum[f] };
    case FieldType.Integer:
      return { type: 'integer', value: b.big.get(f) ?? b.fnum[f] };
    case FieldType.Unsigned:
      return { type: 'unsigned', value: b.big.get(f) ?? b.fnum[f] };
    case FieldType.String:
      return { type: 'string', value: stringValueOf(b, f) };
    default:
      return { type: 'boolean', value: b.fnum[f] === 1 };
  }
}

/** Materialises every point of a batch as objects. For tests and low-rate paths only. */
export function toPoints(b: LineBatch): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < b.n; i++) {
    const fields: Array<[string, FieldValue]> = [];
    for (let f = b.fieldStart[i]; f < b.fieldStart[i + 1]; f++) fields.push([fieldKeyOf(b, f), fieldValueOf(b, f)]);
    out.push({ measurement: measurementOf(b, i), tags: tagsOf(b, i), fields, sec: b.sec[i], nsec: b.nsec[i] });
  }
  return out;
}
