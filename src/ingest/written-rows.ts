// The points of a stored write, one row at a time, for observers of the
// pipeline (the last-value cache). A cursor over the parsed batch: the series
// key is one latin1 slice of the line; measurement, tags and field names are
// decoded only when asked, so an observer that already knows the series pays
// for little more than the field values. Line protocol is parsed once more
// here (the store parses its own copy, maybe in a worker).

import type { Point } from '../core/point.ts';
import type { PointData } from '../core/ports/point-store.ts';
import { FieldType } from '../core/field-type.ts';
import type { SecNsec } from '../core/time.ts';
import { fieldKeyOf, measurementOf, stringValueOf, tagsOf } from './line-protocol/decode.ts';
import { parseLineProtocol } from './line-protocol/parse.ts';
import type { LineBatch } from './line-protocol/batch.ts';
import type { WrittenRow } from '../core/written-row.ts';

export type { WrittenRow };

export function forEachRow(data: PointData, now: SecNsec, fn: (r: WrittenRow) => void): void {
  if (data.format === 'points') {
    for (const p of data.points) fn(pointRow(p));
    return;
  }
  // The transport's own parse of the body, when it made one (PointData's `parsed`).
  const b = data.parsed?.buf === data.body ? (data.parsed as LineBatch) : parseLineProtocol(data.body, { precision: data.precision, now });
  let i = 0;
  let lastStart = 0;
  let lastLen = -1;
  let lastName = '';
  const row: WrittenRow = {
    key: '',
    timeMs: 0,
    fieldCount: 0,
    measurement: () => measurementOf(b, i),
    tags: () => tagsOf(b, i),
    fieldName: (j) => {
      // Rows of a write mostly repeat a few field names: the last one decoded
      // is reused while the (unescaped) bytes are the same.
      const f = b.fieldStart[i] + j;
      const a = b.fkStart[f];
      const len = b.fkEnd[f] - a;
      if (b.fkEscaped[f] === 0 && len === lastLen && sameBytes(b.buf, a, lastStart, len)) return lastName;
      const name = fieldKeyOf(b, f);
      if (b.fkEscaped[f] === 0) {
        lastStart = a;
        lastLen = len;
        lastName = name;
      }
      return name;
    },
    fieldValue: (j) => {
      const f = b.fieldStart[i] + j;
      switch (b.ftype[f] as FieldType) {
        case FieldType.String:
          return stringValueOf(b, f);
        case FieldType.Boolean:
          return b.fnum[f] === 1;
        default:
          return b.big.has(f) ? Number(b.big.get(f)) : b.fnum[f];
      }
    },
  };
  // A write usually repeats its series: the key of a series seen before in
  // this write is found by the parser's hash of its bytes and reused, not
  // sliced again (and its string hash stays cached for the observer's maps).
  const seen = new Map<number, SeenKey>();
  for (; i < b.n; i++) {
    if (b.keyCanonical[i] === 1) {
      const a = b.keyStart[i];
      const len = b.keyEnd[i] - a;
      const h = b.keyHash[i];
      const k = h === 0 ? undefined : seen.get(h);
      if (k !== undefined && k.len === len && sameBytes(b.buf, a, k.start, len)) row.key = k.key;
      else {
        row.key = b.buf.toString('latin1', a, a + len);
        if (h !== 0) seen.set(h, { start: a, len, key: row.key });
      }
    } else row.key = canonicalKey(measurementOf(b, i), tagsOf(b, i));
    row.timeMs = b.sec[i] * 1000 + Math.floor(b.nsec[i] / 1e6);
    row.fieldCount = b.fieldStart[i + 1] - b.fieldStart[i];
    fn(row);
  }
}

interface SeenKey {
  start: number;
  len: number;
  key: string;
}

function sameBytes(buf: Buffer, a: number, z: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (buf[a + k] !== buf[z + k]) return false;
  return true;
}

function canonicalKey(measurement: string, tags: Array<[string, string]>): string {
  let k = measurement;
  for (const [a, v] of tags) k += `,${a}=${v}`;
  return k;
}

function pointRow(p: Point): WrittenRow {
  return {
    key: canonicalKey(p.measurement, p.tags),
    timeMs: p.sec * 1000 + Math.floor(p.nsec / 1e6),
    fieldCount: p.fields.length,
    measurement: () => p.measurement,
    tags: () => p.tags,
    fieldName: (j) => p.fields[j][0],
    fieldValue: (j) => {
      const v = p.fields[j][1].value;
      return typeof v === 'bigint' ? Number(v) : v;
    },
  };
}
