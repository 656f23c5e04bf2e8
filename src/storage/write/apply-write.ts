// Applies a logged write to the active memtables. Runs synchronously, in log
// order, right after the record is durable (see commit-log.ts).
//
// A point whose series+time may already be stored outside the active memtable
// (it is older than what was flushed) starts from the stored fields, then its
// own fields overwrite them; the stored copy is tombstoned and disappears from
// files when this memtable is flushed. That keeps "one row per series and
// time, last write wins" across flushes.

import { FieldType } from '../../core/field-type.ts';
import { stringValueOf } from '../../ingest/line-protocol/decode.ts';
import type { Measurement } from '../measurement.ts';
import { tombstoneKey } from '../measurement.ts';
import type { SeriesRegistry } from '../series/series-registry.ts';
import type { WritePlan } from './plan-write.ts';

export type StoredValue = number | bigint | boolean | string;
/** Stored fields of a late point, by field ordinal, keyed by point index. */
export type LateValues = Map<number, Array<[number, StoredValue]>>;

export function applyWrite(plan: WritePlan, registry: SeriesRegistry, late: LateValues | undefined): void {
  const b = plan.batch;
  for (let i = 0; i < b.n; i++) {
    const m = plan.measurement[i];
    if (m === undefined) continue;
    const sid = plan.sid[i];
    const sec = b.sec[i];
    const nsec = b.nsec[i];
    const mt = m.active;
    const r = mt.locate(sid, sec, nsec);
    let row: number;
    if (r < 0) {
      row = -r - 1;
      if (sec < m.horizonSec || registry.mayBePersisted(sid, sec, nsec)) carryStored(m, row, sid, sec, nsec, late?.get(i));
    } else {
      row = r;
      mt.touch(row);
    }
    for (let f = b.fieldStart[i]; f < b.fieldStart[i + 1]; f++) {
      const def = plan.fieldDef[f];
      if (def === undefined) continue;
      const col = mt.column(def.ordinal, def.type);
      switch (def.type) {
        case FieldType.String:
          col.setString(row, stringValueOf(b, f));
          break;
        case FieldType.Integer:
        case FieldType.Unsigned: {
          const big = b.big.get(f);
          if (big === undefined) col.setNumber(row, b.fnum[f]);
          else col.setBig(row, big);
          break;
        }
        default:
          col.setNumber(row, b.fnum[f]);
      }
    }
  }
}

/** Copies the stored fields of (sid, time) into a new row and tombstones the stored copy. */
function carryStored(m: Measurement, row: number, sid: number, sec: number, nsec: number, fromFiles: Array<[number, StoredValue]> | undefined): void {
  let values: Array<[number, StoredValue]> | undefined;
  const im = m.immutable;
  if (im) {
    const r = im.find(sid, sec, nsec);
    if (r >= 0) {
      values = [];
      for (let o = 0; o < im.cols.length; o++) {
        const v = im.cols[o]?.get(r);
        if (v !== undefined) values.push([o, v]);
      }
    }
  }
  values ??= fromFiles;
  if (values === undefined) return;
  const mt = m.active;
  for (const [o, v] of values) mt.column(o, m.fields[o].type).setValue(row, v);
  const key = tombstoneKey(sid, sec, nsec);
  const t = { sid, sec, nsec };
  m.tombstones.set(key, t);
  mt.tombstones.push(t);
  m.tombstoneVersion++;
}
