// Decides, before anything is logged, what a parsed batch does to a bucket:
// which measurement and series each point belongs to, which field ordinal each
// value goes to, and which points InfluxDB would drop at the storage layer
// (field type conflict, a point whose only field is `time`, a point older than
// the retention period). The messages are InfluxDB 1.x/2.x's
// (tsdb/shard.go validateSeriesAndFields, coordinator/points_writer.go).

import { FIELD_TYPE_NAMES, FieldType, type LineBatch } from '../../ingest/line-protocol/batch.ts';
import { fieldKeyOf, measurementOf, tagsOf } from '../../ingest/line-protocol/decode.ts';
import { canonicalSeriesKey, type FieldDef, type Measurement } from '../measurement.ts';

export type DropReason = 'type-conflict' | 'time-field' | 'retention' | 'duplicate-field';

export interface Drop {
  /** Index of the point in the batch. */
  point: number;
  line: number;
  /** Position among non-blank, non-comment lines. */
  ordinal: number;
  measurement: string;
  reason: DropReason;
  /** InfluxDB 1.x/2.x wording, without the "partial write: " prefix. */
  message: string;
  /** For retention drops: the series key and time of the point. */
  key?: string;
  sec?: number;
  nsec?: number;
  /** For type conflicts: the field, the offered and the stored type. */
  field?: string;
  offered?: string;
  stored?: string;
}

export interface WritePlan {
  batch: LineBatch;
  /** Measurement of each point, undefined when dropped. */
  measurement: Array<Measurement | undefined>;
  sid: Int32Array;
  /** Field ordinal of each field row; -1 when the value is not stored (`time`). */
  fieldOrdinal: Int32Array;
  /** Field definition per row, parallel to fieldOrdinal. */
  fieldDef: Array<FieldDef | undefined>;
  drops: Drop[];
  /** Points that may overwrite a point stored outside the active memtable. */
  late: number[];
  written: number;
}

export interface BucketSchema {
  measurement(name: string): Measurement;
  /** Raw measurement bytes (latin1) -> measurement, for names without escapes. */
  rawMeasurementCache: Map<string, Measurement>;
}

export interface PlanOptions {
  /** Unix seconds; points older are dropped. -Infinity when the bucket keeps everything. */
  retentionCutoffSec: number;
  /** InfluxDB 3 refuses a line naming the same field twice. */
  rejectDuplicateFields: boolean;
  isLate: (m: Measurement, sid: number, sec: number, nsec: number) => boolean;
}

export function planWrite(bucket: BucketSchema, batch: LineBatch, opts: PlanOptions): WritePlan {
  const n = batch.n;
  const plan: WritePlan = {
    batch,
    measurement: new Array(n),
    sid: new Int32Array(n),
    fieldOrdinal: new Int32Array(batch.fieldCount).fill(-1),
    fieldDef: new Array(batch.fieldCount),
    drops: [],
    late: [],
    written: 0,
  };
  const buf = batch.buf;
  const pending: Array<[string, FieldType]> = [];
  for (let i = 0; i < n; i++) {
    // measurement
    const ks = batch.keyStart[i];
    const me = batch.measEnd[i];
    const rawMeas = latin1(buf, ks, me);
    let m = bucket.rawMeasurementCache.get(rawMeas);
    if (m === undefined) {
      m = bucket.measurement(measurementOf(batch, i));
      if (!hasBackslash(buf, ks, me)) bucket.rawMeasurementCache.set(rawMeas, m);
    }
    const f0 = batch.fieldStart[i];
    const f1 = batch.fieldStart[i + 1];

    // fields, pass 1: resolve and check types without changing the schema
    let conflict: Drop | undefined;
    let stored = 0;
    pending.length = 0;
    for (let f = f0; f < f1; f++) {
      const type = batch.ftype[f] as FieldType;
      let def: FieldDef | undefined;
      let name: string | undefined;
      if (!batch.fkEscaped[f]) {
        const raw = latin1(buf, batch.fkStart[f], batch.fkEnd[f]);
        def = m.rawFieldCache.get(raw);
        if (def === undefined) {
          name = fieldKeyOf(batch, f);
          def = m.fieldByName.get(name);
          if (def !== undefined) m.rawFieldCache.set(raw, def);
        }
      } else {
        name = fieldKeyOf(batch, f);
        def = m.fieldByName.get(name);
      }
      if (def === undefined && name === 'time') {
        // InfluxDB skips a field named "time" (tsdb/shard.go).
        plan.fieldOrdinal[f] = -1;
        continue;
      }
      stored++;
      if (opts.rejectDuplicateFields) {
        const key = name ?? def!.name;
        for (let g = f0; g < f; g++) {
          if (fieldKeyOf(batch, g) === key) {
            conflict ??= drop(i, batch, m, 'duplicate-field', `invalid line protocol - multiple instances of '${key}' field found`);
          }
        }
      }
      if (def !== undefined) {
        if (def.type !== type) {
          conflict ??= typeConflict(i, batch, m, def.name, type, def.type);
        }
        plan.fieldDef[f] = def;
        plan.fieldOrdinal[f] = def.ordinal;
      } else {
        const key = name!;
        const p = pending.find((x) => x[0] === key);
        if (p && p[1] !== type) conflict ??= typeConflict(i, batch, m, key, type, p[1]);
        else if (!p) pending.push([key, type]);
      }
    }
    if (conflict) {
      plan.drops.push(conflict);
      continue;
    }
    if (stored === 0) {
      plan.drops.push(
        drop(i, batch, m, 'time-field', `invalid field name: input field "time" on measurement "${m.name}" is invalid`),
      );
      continue;
    }
    const sec = batch.sec[i];
    if (sec < opts.retentionCutoffSec) {
      const d = drop(i, batch, m, 'retention', 'points beyond retention policy');
      d.key = canonicalSeriesKey(m.name, tagsOf(batch, i));
      d.sec = sec;
      d.nsec = batch.nsec[i];
      plan.drops.push(d);
      continue;
    }
    // pass 2: the point is kept; create its new fields
    for (let f = f0; f < f1; f++) {
      if (plan.fieldDef[f] !== undefined) continue;
      const name = fieldKeyOf(batch, f);
      if (name === 'time' && !m.fieldByName.has('time')) continue;
      const def = m.fieldByName.get(name) ?? m.addField(name, batch.ftype[f] as FieldType);
      plan.fieldDef[f] = def;
      plan.fieldOrdinal[f] = def.ordinal;
    }

    // series
    const ke = batch.keyEnd[i];
    const rawKey = latin1(buf, ks, ke);
    let sid = m.rawSeriesCache.get(rawKey);
    if (sid === undefined) {
      sid = m.seriesFor(tagsOf(batch, i));
      m.rawSeriesCache.set(rawKey, sid);
    }
    plan.sid[i] = sid;
    plan.measurement[i] = m;
    plan.written++;
    if (opts.isLate(m, sid, sec, batch.nsec[i])) plan.late.push(i);
  }
  return plan;
}

function typeConflict(i: number, batch: LineBatch, m: Measurement, field: string, offered: FieldType, stored: FieldType): Drop {
  const d = drop(
    i,
    batch,
    m,
    'type-conflict',
    `field type conflict: input field "${field}" on measurement "${m.name}" is type ${FIELD_TYPE_NAMES[offered]}, already exists as type ${FIELD_TYPE_NAMES[stored]}`,
  );
  d.field = field;
  d.offered = FIELD_TYPE_NAMES[offered];
  d.stored = FIELD_TYPE_NAMES[stored];
  return d;
}

function drop(i: number, batch: LineBatch, m: Measurement, reason: DropReason, message: string): Drop {
  return { point: i, line: batch.lineNo[i], ordinal: batch.ordinal[i], measurement: m.name, reason, message };
}

function latin1(buf: Uint8Array, a: number, z: number): string {
  return Buffer.prototype.latin1Slice.call(buf, a, z) as string;
}

function hasBackslash(buf: Uint8Array, a: number, z: number): boolean {
  for (let k = a; k < z; k++) if (buf[k] === 92) return true;
  return false;
}
