// Builds a Parquet file's minute rollup (file-rollup.ts) with one DuckDB scan
// of the file: GROUP BY series and minute. Sums are taken over the stored
// integers (a float stored as DECIMAL(18, k), see flush/decimal-scale.ts, is
// summed as its integer of hundredths etc.), so they are exact; min, max,
// first and last are the values cast to DOUBLE, the same cast the relation
// applies (query/relation.ts), so they equal what a scan returns.

import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { FieldType, NUMERIC_TYPES as NUMERIC } from '../../core/field-type.ts';
import { literal } from '../duck/duck.ts';
import { emptyField, MINUTE_NS, type FieldRollup, type FileRollup } from './file-rollup.ts';

/** A stored field the rollup covers: numeric types only. */
export interface RollupFieldSpec {
  ordinal: number;
  type: FieldType;
}

/** Integers beyond this are not exact as JS numbers: such a file's field gets no rollup. */
const SAFE = 2 ** 53;

function rollupFields(fields: RollupFieldSpec[]): RollupFieldSpec[] {
  return fields.filter((f) => NUMERIC.has(f.type));
}

/** What a rollup sums for a column at decimal scale k (-1: a double): the stored integer of a decimal (exact), the integer itself, or the double. */
function summedExpr(c: string, type: FieldType, k: number): string {
  return k > 0 ? `CAST(${c} * ${10 ** k} AS BIGINT)` : k === 0 && type === FieldType.Float ? `CAST(${c} AS BIGINT)` : c;
}

/** The scale of each column stored as DECIMAL, from the file's schema. */
async function decimalScales(conn: DuckDBConnection, path: string): Promise<Map<string, number>> {
  const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`);
  const out = new Map<string, number>();
  for (const row of r.getRowObjectsJS()) {
    const m = /^DECIMAL\(\d+,\s*(\d+)\)$/.exec(String(row.column_type));
    if (m) out.set(String(row.column_name), Number(m[1]));
  }
  return out;
}

/**
 * The file's rollup at `level` (a minute by default). `tags` and `fields`
 * are the ordinals the file holds (catalog FileEntry); fields not numeric
 * are left out.
 */
export async function buildFileRollup(
  conn: DuckDBConnection,
  path: string,
  tags: number[],
  fields: RollupFieldSpec[],
  tagCount: number,
  level = MINUTE_NS,
  /** Only this series (tag values by ordinal): its points are found by the row groups' statistics and bloom filters. */
  only?: Array<string | null>,
): Promise<FileRollup> {
  const numeric = rollupFields(fields);
  const scales = await decimalScales(conn, path);
  const L = level;
  const b = `((__t - (((__t % ${L}) + ${L}) % ${L})) // ${L})`;
  const cols: string[] = [];
  const fieldScale: number[] = [];
  for (const f of numeric) {
    const c = `f${f.ordinal}`;
    const k = f.type === FieldType.Float ? (scales.get(c) ?? -1) : 0;
    fieldScale.push(k);
    const summed = summedExpr(c, f.type, k);
    const nn = `FILTER (WHERE ${c} IS NOT NULL)`;
    cols.push(
      `count(${c})::DOUBLE`,
      `sum(${summed})::DOUBLE`,
      `min(${c})::DOUBLE`,
      `max(${c})::DOUBLE`,
      `(min(__t) ${nn} - __b * ${L})::DOUBLE`,
      `arg_min(${c}::DOUBLE, __t) ${nn}`,
      `(max(__t) ${nn} - __b * ${L})::DOUBLE`,
      `arg_max(${c}::DOUBLE, __t) ${nn}`,
    );
  }
  const tagCols = tags.map((o) => `t${o}::VARCHAR AS t${o}`);
  const where = only ? ` WHERE ${tags.map((o) => (only[o] == null ? `t${o} IS NULL` : `t${o} = ${literal(only[o]!)}`)).join(' AND ') || 'true'}` : '';
  const keys = tags.map((o) => `t${o}`);
  const sql =
    `SELECT ${[...keys, '__b::DOUBLE', ...cols].join(', ')} FROM (` +
    `SELECT ${[...tagCols, ...numeric.map((f) => `f${f.ordinal}`), 'epoch_ns(time) AS __t', `${b} AS __b`].join(', ')} FROM read_parquet(${literal(path)})${where}` +
    `) GROUP BY ${[...keys, '__b'].join(', ')} ORDER BY ${[...keys.map((k) => `${k} NULLS FIRST`), '__b'].join(', ')}`;
  const result = await conn.run(sql);
  const rows = await collect(result, keys.length + 1 + numeric.length * 8);
  const n = rows.slots;
  const out: FieldRollup[] = numeric.map((f, i) => emptyField(f.ordinal, fieldScale[i], n));
  const series: Array<Array<string | null>> = [];
  const starts: number[] = [];
  const bucket = new Float64Array(n);
  const nk = keys.length;
  const current: Array<string | null | undefined> = new Array(nk).fill(undefined);
  for (let i = 0; i < n; i++) {
    if ((i & YIELD_ROWS) === YIELD_ROWS) await turn();
    // Rows come ordered by series: a new series where any tag value differs from the row before.
    let changed = i === 0;
    for (let t = 0; t < nk; t++) {
      const v = rows.tag(t, i);
      if (v !== current[t]) changed = true;
      current[t] = v;
    }
    if (changed) {
      const full: Array<string | null> = new Array(tagCount).fill(null);
      for (let t = 0; t < nk; t++) full[tags[t]] = current[t] ?? null;
      series.push(full);
      starts.push(i);
    }
    bucket[i] = rows.num(nk, i);
    for (let k = 0; k < numeric.length; k++) {
      const base = nk + 1 + k * 8;
      const dst = out[k];
      dst.count[i] = rows.num(base, i) ?? 0;
      if (dst.count[i] === 0) continue;
      dst.sum[i] = rows.num(base + 1, i);
      dst.min[i] = rows.num(base + 2, i);
      dst.max[i] = rows.num(base + 3, i);
      dst.firstO[i] = rows.num(base + 4, i);
      dst.firstV[i] = rows.num(base + 5, i);
      dst.lastO[i] = rows.num(base + 6, i);
      dst.lastV[i] = rows.num(base + 7, i);
    }
  }
  starts.push(n);
  // A field whose values or sums leave the exact range is not rolled up.
  const exact = out.filter((f, k) => {
    if (fieldScale[k] < 0) return true;
    for (let i = 0; i < n; i++) if (Math.abs(f.sum[i]) >= SAFE || (numeric[k].type !== FieldType.Float && (Math.abs(f.min[i]) >= SAFE || Math.abs(f.max[i]) >= SAFE))) return false;
    return true;
  });
  return { level: L, series, start: Int32Array.from(starts), bucket, fields: exact };
}

interface Columns {
  slots: number;
  tag(col: number, row: number): string | null;
  num(col: number, row: number): number;
}

/** Rows between turns of the event loop (a mask: 16384): a file's rollup may have hundreds of thousands. */
const YIELD_ROWS = 16383;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The result's columns, chunk by chunk into plain arrays (no per-cell value
 * objects), letting the event loop in every few chunks: no request waits
 * behind a large file's rollup.
 */
async function collect(result: Awaited<ReturnType<DuckDBConnection['run']>>, width: number): Promise<Columns> {
  const cols: Array<Array<string | number | null>> = Array.from({ length: width }, () => []);
  for (let i = 0; i < result.chunkCount; i++) {
    if (i % 8 === 7) await turn();
    const chunk = result.getChunk(i);
    const rows = chunk.rowCount;
    for (let c = 0; c < width; c++) {
      const v: DuckDBVector = chunk.getColumnVector(c);
      const dst = cols[c];
      for (let r = 0; r < rows; r++) dst.push(v.getItem(r) as string | number | null);
    }
  }
  return {
    slots: cols[0]?.length ?? 0,
    tag: (c, r) => (cols[c][r] as string | null) ?? null,
    num: (c, r) => cols[c][r] as number,
  };
}
