// Decides, before anything is logged, what a parsed batch does to a bucket:
// which measurement and series each point belongs to, which field ordinal each
// value goes to, and which points InfluxDB would drop at the storage layer
// (field type conflict, a point whose only field is `time`, a point older than
// the retention period). The messages are InfluxDB 1.x/2.x's
// (tsdb/shard.go validateSeriesAndFields, coordinator/points_writer.go).

import type { DroppedPoint, DropReason } from '../../core/ports/point-store.ts';
import type { LineBatch } from '../../ingest/line-protocol/batch.ts';
import { FIELD_TYPE_NAMES, FieldType } from '../../core/field-type.ts';
import { fieldKeyOf, measurementOf, tagsOf } from '../../ingest/line-protocol/decode.ts';
import { canonicalSeriesKey, type FieldDef, type Measurement } from '../measurement.ts';
import { hashBytes, type ByteKeyMap } from '../series/byte-key-map.ts';

// A refused point is the port's DroppedPoint (core/ports/point-store.ts), one definition.
export type { DropReason } from '../../core/ports/point-store.ts';
export type Drop = DroppedPoint;

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
  /** Raw measurement bytes -> index in `list` (raw bytes always decode to the same name). */
  rawMeasurements: ByteKeyMap;
  list: Measurement[];
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
  const cutoff = opts.retentionCutoffSec;
  // Consecutive points usually share the measurement and the field keys: the
  // previous point's are compared byte for byte before any hashing.
  let prevM: Measurement | undefined;
  let prevKs = 0;
  let prevMe = 0;
  let prevF0 = 0;
  let prevF1 = 0;
  for (let i = 0; i < n; i++) {
    // measurement, by its raw bytes
    const ks = batch.keyStart[i];
    const me = batch.measEnd[i];
    let m: Measurement;
    if (prevM !== undefined && sameBytes(buf, ks, me, prevKs, prevMe)) m = prevM;
    else {
      const mh = hashBytes(buf, ks, me);
      const mi = bucket.rawMeasurements.get(buf, ks, me, mh);
      if (mi >= 0) m = bucket.list[mi];
      else {
        m = bucket.measurement(measurementOf(batch, i));
        let idx = bucket.list.indexOf(m);
        if (idx < 0) idx = bucket.list.push(m) - 1;
        bucket.rawMeasurements.set(buf, ks, me, mh, idx);
      }
    }
    const f0 = batch.fieldStart[i];
    const f1 = batch.fieldStart[i + 1];
    const sameShape = m === prevM && f1 - f0 === prevF1 - prevF0;

    // fields, pass 1: resolve and check types without changing the schema
    let conflict: Drop | undefined;
    let stored = 0;
    let hasNew = false;
    for (let f = f0; f < f1; f++) {
      const type = batch.ftype[f] as FieldType;
      const a = batch.fkStart[f];
      const z = batch.fkEnd[f];
      let def: FieldDef | undefined;
      let name: string | undefined;
      const pf = prevF0 + (f - f0);
      if (sameShape && plan.fieldDef[pf] !== undefined && sameBytes(buf, a, z, batch.fkStart[pf], batch.fkEnd[pf])) {
        def = plan.fieldDef[pf];
        if (def!.type !== type) conflict ??= typeConflict(i, batch, m, def!.name, type, def!.type);
        plan.fieldDef[f] = def;
        plan.fieldOrdinal[f] = def!.ordinal;
        stored++;
        if (opts.rejectDuplicateFields) conflict ??= duplicateField(batch, i, m, f0, f);
        continue;
      }
      const fh = hashBytes(buf, a, z);
      const ord = m.rawFields.get(buf, a, z, fh);
      if (ord >= 0) def = m.fields[ord];
      else {
        name = fieldKeyOf(batch, f);
        def = m.fieldByName.get(name);
        if (def !== undefined) m.rawFields.set(buf, a, z, fh, def.ordinal);
      }
      if (def === undefined && name === 'time') {
        // InfluxDB skips a field named "time" (tsdb/shard.go).
        plan.fieldOrdinal[f] = -1;
        continue;
      }
      stored++;
      if (opts.rejectDuplicateFields) conflict ??= duplicateField(batch, i, m, f0, f);
      if (def !== undefined) {
        if (def.type !== type) conflict ??= typeConflict(i, batch, m, def.name, type, def.type);
        plan.fieldDef[f] = def;
        plan.fieldOrdinal[f] = def.ordinal;
      } else {
        if (!hasNew) pending.length = 0;
        hasNew = true;
        const key = name!;
        const p = pending.find((x) => x[0] === key);
        if (p && p[1] !== type) conflict ??= typeConflict(i, batch, m, key, type, p[1]);
        else if (!p) pending.push([key, type]);
      }
    }
    prevM = m;
    prevKs = ks;
    prevMe = me;
    prevF0 = f0;
    prevF1 = f1;
    if (conflict) {
      plan.drops.push(conflict);
      continue;
    }
    if (stored === 0) {
      plan.drops.push(drop(i, batch, m, 'time-field', `invalid field name: input field "time" on measurement "${m.name}" is invalid`));
      continue;
    }
    const sec = batch.sec[i];
    if (sec < cutoff) {
      const d = drop(i, batch, m, 'retention', 'points beyond retention policy');
      d.key = canonicalSeriesKey(m.name, tagsOf(batch, i));
      d.sec = sec;
      d.nsec = batch.nsec[i];
      plan.drops.push(d);
      continue;
    }
    // series, by the raw bytes of measurement and tags
    const ke = batch.keyEnd[i];
    // The fast parser hashed the key while scanning it (0 = not computed).
    let sh = batch.keyHash[i];
    if (sh === 0) sh = hashBytes(buf, ks, ke);
    let sid = m.rawSeries.get(buf, ks, ke, sh);
    if (sid < 0) {
      // Only a series not yet seen under these bytes gets here, so the limit
      // costs nothing on the path of known series.
      sid = m.seriesFor(tagsOf(batch, i));
      if (sid < 0) {
        plan.drops.push(drop(i, batch, m, 'series-limit', m.budget.message()));
        continue;
      }
      m.rawSeries.set(buf, ks, ke, sh, sid);
    }
    // pass 2: the point is kept; create its new fields
    if (hasNew) {
      for (let f = f0; f < f1; f++) {
        if (plan.fieldDef[f] !== undefined) continue;
        const name = fieldKeyOf(batch, f);
        if (name === 'time' && !m.fieldByName.has('time')) continue;
        const def = m.fieldByName.get(name) ?? m.addField(name, batch.ftype[f] as FieldType);
        plan.fieldDef[f] = def;
        plan.fieldOrdinal[f] = def.ordinal;
        m.rawFields.set(buf, batch.fkStart[f], batch.fkEnd[f], hashBytes(buf, batch.fkStart[f], batch.fkEnd[f]), def.ordinal);
      }
    }

    plan.sid[i] = sid;
    plan.measurement[i] = m;
    plan.written++;
    if (opts.isLate(m, sid, sec, batch.nsec[i])) plan.late.push(i);
  }
  return plan;
}

/** InfluxDB 3 refuses a line naming the same field twice (only checked for /api/v3). */
function duplicateField(batch: LineBatch, i: number, m: Measurement, f0: number, f: number): Drop | undefined {
  const key = fieldKeyOf(batch, f);
  for (let g = f0; g < f; g++) {
    if (fieldKeyOf(batch, g) === key) return drop(i, batch, m, 'duplicate-field', `invalid line protocol - multiple instances of '${key}' field found`);
  }
  return undefined;
}

function sameBytes(buf: Uint8Array, a: number, z: number, b: number, y: number): boolean {
  if (z - a !== y - b) return false;
  for (let k = 0; k < z - a; k++) if (buf[a + k] !== buf[b + k]) return false;
  return true;
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

