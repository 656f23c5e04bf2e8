// Bulk appends from memtable columns into DuckDB, 2048 rows per data chunk,
// copying typed arrays straight into the chunk's vectors (no per-value N-API
// call except for strings). This is what makes keeping a queryable copy of the
// memtable in DuckDB cheap.

import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, type DuckDBAppender } from '@duckdb/node-api';
import { writeIntWords, writeNsWords } from '../../core/time.ts';
import { FieldType } from '../../core/field-type.ts';
import type { Memtable } from '../memtable/memtable.ts';
import type { FieldDef } from '../measurement.ts';

const VECTOR = 2048;

const LOGICAL: Record<number, duckdb.LogicalType> = {};
function logical(t: duckdb.Type): duckdb.LogicalType {
  return (LOGICAL[t] ??= duckdb.create_logical_type(t));
}

export function duckTypeOf(t: FieldType): string {
  switch (t) {
    case FieldType.Float:
      return 'DOUBLE';
    case FieldType.Integer:
      return 'BIGINT';
    case FieldType.Unsigned:
      return 'UBIGINT';
    case FieldType.String:
      return 'VARCHAR';
    default:
      return 'BOOLEAN';
  }
}

function bindingTypeOf(t: FieldType): duckdb.Type {
  switch (t) {
    case FieldType.Float:
      return duckdb.Type.DOUBLE;
    case FieldType.Integer:
      return duckdb.Type.BIGINT;
    case FieldType.Unsigned:
      return duckdb.Type.UBIGINT;
    case FieldType.String:
      return duckdb.Type.VARCHAR;
    default:
      return duckdb.Type.BOOLEAN;
  }
}

// Scratch buffers, reused by every append.
const words = new Int32Array(VECTOR * 2);
const f64 = new Float64Array(VECTOR);
const i32 = new Int32Array(VECTOR);
const u8 = new Uint8Array(VECTOR);
const validity = new Uint8Array(VECTOR / 8);

/**
 * Appends rows of `mt` to a hot table whose columns are
 * (time TIMESTAMP_NS, sid INTEGER, rid INTEGER, f0, f1, ... in ordinal order).
 * `rows` lists the row numbers; [from, to) is used when it is undefined.
 */
export function appendMemtableRows(
  appender: DuckDBAppender,
  mt: Memtable,
  fields: readonly FieldDef[],
  rows: readonly number[] | undefined,
  from: number,
  to: number,
): void {
  const types = [logical(duckdb.Type.TIMESTAMP_NS), logical(duckdb.Type.INTEGER), logical(duckdb.Type.INTEGER)];
  for (const f of fields) types.push(logical(bindingTypeOf(f.type)));
  const raw = duckdb.create_data_chunk(types);
  const chunk = new DuckDBDataChunk(raw);
  const total = rows ? rows.length : to - from;
  for (let off = 0; off < total; off += VECTOR) {
    const n = Math.min(VECTOR, total - off);
    const rowAt = rows ? (k: number) => rows[off + k] : (k: number) => from + off + k;
    duckdb.data_chunk_reset(raw);
    // time
    for (let k = 0; k < n; k++) {
      const r = rowAt(k);
      writeNsWords(words, k, mt.sec[r], mt.nsec[r]);
    }
    copy(raw, 0, words, n * 8);
    for (let k = 0; k < n; k++) i32[k] = mt.sid[rowAt(k)];
    copy(raw, 1, i32, n * 4);
    for (let k = 0; k < n; k++) i32[k] = rowAt(k);
    copy(raw, 2, i32, n * 4);
    for (let c = 0; c < fields.length; c++) {
      writeField(duckdb.data_chunk_get_vector(raw, 3 + c), fields[c], mt, rows ?? null, rows ? off : from + off, n);
    }
    duckdb.data_chunk_set_size(raw, n);
    appender.appendDataChunk(chunk);
  }
}

/** Writes n values of one field into a chunk vector: rows[base + k], or base + k when rows is null. */
function writeField(vec: duckdb.Vector, def: FieldDef, mt: Memtable, rows: ArrayLike<number> | null, base: number, n: number): void {
  const col = mt.cols[def.ordinal];
  // row of chunk position k: rows[base + k], or base + k when rows is null
  const idx = rowIndex;
  if (rows !== null) for (let k = 0; k < n; k++) idx[k] = rows[base + k];
  else for (let k = 0; k < n; k++) idx[k] = base + k;
  validity.fill(0);
  if (col !== undefined) {
    const valid = col.valid;
    for (let k = 0; k < n; k++) {
      const r = idx[k];
      if ((valid[r >> 3] & (1 << (r & 7))) !== 0) validity[k >> 3] |= 1 << (k & 7);
    }
  }
  duckdb.vector_ensure_validity_writable(vec);
  duckdb.copy_data_to_vector_validity(vec, 0, validity.buffer, 0, Math.ceil(n / 64) * 8);
  if (col === undefined) return;
  switch (def.type) {
    case FieldType.Float: {
      const num = col.num;
      for (let k = 0; k < n; k++) f64[k] = num[idx[k]];
      duckdb.copy_data_to_vector(vec, 0, f64.buffer, 0, n * 8);
      break;
    }
    case FieldType.Integer:
    case FieldType.Unsigned:
      for (let k = 0; k < n; k++) {
        const r = idx[k];
        const big = col.big?.get(r);
        if (big === undefined) writeIntWords(words, k, col.num[r]);
        else {
          const v = BigInt.asUintN(64, big);
          words[k * 2] = Number(v & 0xffffffffn) | 0;
          words[k * 2 + 1] = Number(v >> 32n) | 0;
        }
      }
      duckdb.copy_data_to_vector(vec, 0, words.buffer, 0, n * 8);
      break;
    case FieldType.Boolean:
      for (let k = 0; k < n; k++) u8[k] = col.num[idx[k]] === 1 ? 1 : 0;
      duckdb.copy_data_to_vector(vec, 0, u8.buffer, 0, n);
      break;
    case FieldType.String:
      for (let k = 0; k < n; k++) {
        const r = idx[k];
        if (col.isSet(r)) duckdb.vector_assign_string_element(vec, k, col.str![r]);
      }
      break;
  }
}

const rowIndex = new Int32Array(VECTOR);

/** Tag values of a flush as ENUM indexes: per series, 1 + index into `values`, 0 = no value. */
export interface TagEnum {
  values: string[];
  /** By series id: 1 + index into `values`, 0 when the series has no value for the key. */
  indexOfSeries: Int32Array;
}

const u16 = new Uint16Array(VECTOR);
const u32 = new Uint32Array(VECTOR);

/**
 * Appends rows to a staging table (time TIMESTAMP_NS, t0 ENUM, ..., f0, ...):
 * the tags travel as ENUM indexes, so no string is copied per row.
 */
export function appendStagedRows(appender: DuckDBAppender, mt: Memtable, rows: Int32Array, tags: TagEnum[], fields: readonly FieldDef[]): void {
  if (rows.length === 0) return;
  const types = [logical(duckdb.Type.TIMESTAMP_NS)];
  for (let t = 0; t < tags.length; t++) types.push(duckdb.appender_column_type((appender as unknown as { appender: duckdb.Appender }).appender, 1 + t));
  for (const f of fields) types.push(logical(bindingTypeOf(f.type)));
  const raw = duckdb.create_data_chunk(types);
  const chunk = new DuckDBDataChunk(raw);
  const widths = tags.map((t) => (t.values.length <= 255 ? 1 : t.values.length <= 65535 ? 2 : 4));
  for (let off = 0; off < rows.length; off += VECTOR) {
    const n = Math.min(VECTOR, rows.length - off);
    duckdb.data_chunk_reset(raw);
    for (let k = 0; k < n; k++) {
      const r = rows[off + k];
      writeNsWords(words, k, mt.sec[r], mt.nsec[r]);
    }
    copy(raw, 0, words, n * 8);
    for (let t = 0; t < tags.length; t++) {
      const vec = duckdb.data_chunk_get_vector(raw, 1 + t);
      const map = tags[t].indexOfSeries;
      const w = widths[t];
      const dst = w === 1 ? u8 : w === 2 ? u16 : u32;
      validity.fill(0);
      for (let k = 0; k < n; k++) {
        const idx = map[mt.sid[rows[off + k]]];
        dst[k] = idx === 0 ? 0 : idx - 1;
        if (idx !== 0) validity[k >> 3] |= 1 << (k & 7);
      }
      duckdb.copy_data_to_vector(vec, 0, dst.buffer, 0, n * w);
      duckdb.vector_ensure_validity_writable(vec);
      duckdb.copy_data_to_vector_validity(vec, 0, validity.buffer, 0, Math.ceil(n / 64) * 8);
    }
    for (let c = 0; c < fields.length; c++) writeField(duckdb.data_chunk_get_vector(raw, 1 + tags.length + c), fields[c], mt, rows, off, n);
    duckdb.data_chunk_set_size(raw, n);
    appender.appendDataChunk(chunk);
  }
}

function copy(raw: duckdb.DataChunk, column: number, src: ArrayBufferView, bytes: number): void {
  const vec = duckdb.data_chunk_get_vector(raw, column);
  duckdb.copy_data_to_vector(vec, 0, src.buffer as ArrayBuffer, src.byteOffset, bytes);
}

/** Appends series rows (sid INTEGER, t0 VARCHAR, ..., tK VARCHAR). */
export function appendSeriesRows(
  appender: DuckDBAppender,
  sids: readonly number[],
  tagCount: number,
  tagValue: (sid: number, ordinal: number) => string | null,
): void {
  const types = [logical(duckdb.Type.INTEGER)];
  for (let t = 0; t < tagCount; t++) types.push(logical(duckdb.Type.VARCHAR));
  const raw = duckdb.create_data_chunk(types);
  const chunk = new DuckDBDataChunk(raw);
  for (let off = 0; off < sids.length; off += VECTOR) {
    const n = Math.min(VECTOR, sids.length - off);
    duckdb.data_chunk_reset(raw);
    for (let k = 0; k < n; k++) i32[k] = sids[off + k];
    copy(raw, 0, i32, n * 4);
    for (let t = 0; t < tagCount; t++) {
      const vec = duckdb.data_chunk_get_vector(raw, 1 + t);
      validity.fill(0);
      for (let k = 0; k < n; k++) {
        const v = tagValue(sids[off + k], t);
        if (v !== null) {
          validity[k >> 3] |= 1 << (k & 7);
          duckdb.vector_assign_string_element(vec, k, v);
        }
      }
      duckdb.vector_ensure_validity_writable(vec);
      duckdb.copy_data_to_vector_validity(vec, 0, validity.buffer, 0, Math.ceil(n / 64) * 8);
    }
    duckdb.data_chunk_set_size(raw, n);
    appender.appendDataChunk(chunk);
  }
}
