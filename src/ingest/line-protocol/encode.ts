// Point -> line protocol, escaping each part with the set InfluxDB undoes for it
// (see decode.ts). Used for the WAL of non-line-protocol ingest and in tests.

import type { FieldValue, Point } from '../../core/point.ts';

export function escapeMeasurement(s: string): string {
  return s.replace(/[, ]/g, (c) => '\\' + c);
}

export function escapeTag(s: string): string {
  return s.replace(/[,= ]/g, (c) => '\\' + c);
}

export function escapeFieldKey(s: string): string {
  return s.replace(/[,= ]/g, (c) => '\\' + c);
}

export function escapeStringValue(s: string): string {
  return s.replace(/["\\]/g, (c) => '\\' + c);
}

export function encodeFieldValue(v: FieldValue): string {
  switch (v.type) {
    case 'float': {
      const s = String(v.value);
      // JS writes 1e21 as "1e+21"; both spellings parse back to the same double.
      return Object.is(v.value, -0) ? '-0' : s;
    }
    case 'integer':
      return `${v.value}i`;
    case 'unsigned':
      return `${v.value}u`;
    case 'string':
      return `"${escapeStringValue(v.value)}"`;
    case 'boolean':
      return v.value ? 'true' : 'false';
  }
}

export function nsString(sec: number, nsec: number): string {
  return (BigInt(sec) * 1_000_000_000n + BigInt(nsec)).toString();
}

export function encodePoint(p: Point): string {
  let line = escapeMeasurement(p.measurement);
  for (const [k, v] of p.tags) line += `,${escapeTag(k)}=${escapeTag(v)}`;
  line += ' ';
  line += p.fields.map(([k, v]) => `${escapeFieldKey(k)}=${encodeFieldValue(v)}`).join(',');
  line += ' ' + nsString(p.sec, p.nsec);
  return line;
}

export function encodePoints(points: Point[]): string {
  return points.map(encodePoint).join('\n');
}
