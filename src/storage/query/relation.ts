// The SQL that reads one measurement as a table: its Parquet files, then the
// flushing (immutable) memtable, then the active one, with tombstoned keys
// removed and the bucket's retention applied. Physical columns are `time`,
// `t<ordinal>` per tag key and `f<ordinal>` per field; `userRelationSql` names
// them as InfluxDB 3 does (one column per tag and per field, plus `time`).

import { join } from 'node:path';
import { FieldType } from '../../ingest/line-protocol/batch.ts';
import { duckTypeOf } from '../hot/chunk-writer.ts';
import type { HotTables } from '../hot/hot-tables.ts';
import type { Measurement } from '../measurement.ts';
import { ident, literal } from '../duck/duck.ts';

export interface RelationColumn {
  /** Name users see. */
  name: string;
  physical: string;
  kind: 'time' | 'tag' | 'field';
  type?: FieldType;
  ordinal: number;
}

export interface RelationContext {
  dataDir: string;
  hot: HotTables;
  /** Points before this (ns) are past retention and hidden. */
  cutoffNs?: bigint;
}

export function physicalColumns(m: Measurement): RelationColumn[] {
  const cols: RelationColumn[] = [{ name: 'time', physical: 'time', kind: 'time', ordinal: -1 }];
  m.tagKeys.forEach((k, o) => cols.push({ name: k, physical: `t${o}`, kind: 'tag', ordinal: o }));
  m.fields.forEach((f) => cols.push({ name: f.name, physical: `f${f.ordinal}`, kind: 'field', type: f.type, ordinal: f.ordinal }));
  return cols;
}

/**
 * Columns with the names users see, in InfluxDB 3's order (by name). A tag and
 * a field may share a name in line protocol; the field keeps it and the tag is
 * shown as `<name>::tag`, mirroring InfluxQL's `::tag` selector.
 */
export function userColumns(m: Measurement): RelationColumn[] {
  const fieldNames = new Set(m.fields.map((f) => f.name));
  const cols = physicalColumns(m).map((c) => {
    if (c.kind === 'tag' && (fieldNames.has(c.name) || c.name === 'time')) return { ...c, name: `${c.name}::tag` };
    return c;
  });
  return cols.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function nullOf(c: RelationColumn): string {
  return `NULL::${c.kind === 'tag' ? 'VARCHAR' : c.kind === 'time' ? 'TIMESTAMP_NS' : duckTypeOf(c.type!)} AS ${c.physical}`;
}

function tagMatch(m: Measurement, a: string, b: string): string {
  return m.tagKeys.map((_, o) => ` AND ${a}.t${o} IS NOT DISTINCT FROM ${b}.t${o}`).join('');
}

export interface RelationOptions {
  /**
   * Float fields of Parquet files as stored: DECIMAL where a file scaled
   * them (decimal-scale.ts), without the cast back to DOUBLE. For a caller
   * that only averages them: avg() of a DECIMAL adds scaled integers (exact)
   * and returns a DOUBLE, and skips a per-row cast. Where any file or a
   * memtable holds the field as DOUBLE, the union is DOUBLE anyway.
   */
  floatsAsStored?: boolean;
}

/** SELECT of the physical columns over everything stored for `m`. */
export function relationSql(m: Measurement, ctx: RelationContext, opts: RelationOptions = {}): string {
  const cols = physicalColumns(m);
  const list = cols.map((c) => c.physical).join(', ');
  const branches: string[] = [];
  if (m.files.length > 0) {
    const present = new Set<string>(['time']);
    for (const f of m.files) {
      for (const o of f.tags) present.add(`t${o}`);
      for (const o of f.fields) present.add(`f${o}`);
    }
    const paths = m.files.map((f) => literal(join(ctx.dataDir, f.path))).join(', ');
    // Files may store a float as DECIMAL (see decimal-scale.ts): every field is
    // cast back to its type, which is exact for those decimals.
    const cast = (c: RelationColumn) => c.kind === 'field' && !(opts.floatsAsStored && c.type === FieldType.Float);
    const proj = cols
      .map((c) => (!present.has(c.physical) ? nullOf(c) : cast(c) ? `p.${c.physical}::${duckTypeOf(c.type!)} AS ${c.physical}` : `p.${c.physical}`))
      .join(', ');
    let sql = `SELECT ${proj} FROM read_parquet([${paths}], union_by_name = true) p`;
    if (m.tombstones.size > 0) sql += ` ANTI JOIN ${ctx.hot.tombTable(m)} x ON p.time = x.time${tagMatch(m, 'p', 'x')}`;
    branches.push(sql);
  }
  for (const mt of [m.immutable, m.active]) {
    if (!mt || mt.rows === 0 || !ctx.hot.hasTable(mt)) continue;
    const proj = cols
      .map((c) => (c.kind === 'tag' ? `s.${c.physical}` : `h.${c.physical}`))
      .join(', ');
    let sql = `SELECT ${proj} FROM ${ctx.hot.memtableTable(m, mt)} h JOIN ${ctx.hot.seriesTable(m)} s ON h.sid = s.sid`;
    if (mt === m.immutable && m.active.tombstones.length > 0) {
      sql += ` ANTI JOIN (SELECT * FROM ${ctx.hot.tombTable(m)} WHERE gen = ${m.active.gen}) x ON h.time = x.time${tagMatch(m, 's', 'x')}`;
    }
    branches.push(sql);
  }
  if (branches.length === 0) return `SELECT ${cols.map(nullOf).join(', ')} WHERE false`;
  let union = branches.map((b) => `(${b})`).join(' UNION ALL ');
  if (ctx.cutoffNs !== undefined) union = `SELECT ${list} FROM (${union}) WHERE time >= make_timestamp_ns(${ctx.cutoffNs})`;
  return union;
}

/** The measurement as InfluxDB 3 shows it: `time`, then each tag and field under its own name. */
export function userRelationSql(m: Measurement, ctx: RelationContext): string {
  const proj = userColumns(m)
    .map((c) => `${c.physical} AS ${ident(c.name)}`)
    .join(', ');
  return `SELECT ${proj} FROM (${relationSql(m, ctx)})`;
}
