// The SQL that reads one measurement as a table: its Parquet files, then the
// flushing (immutable) memtable, then the active one, with tombstoned keys
// removed and the bucket's retention applied. Physical columns are `time`,
// `t<ordinal>` per tag key and `f<ordinal>` per field; `userRelationSql` names
// them as InfluxDB 3 does (one column per tag and per field, plus `time`).

import { join } from 'node:path';
import { FieldType } from '../../core/field-type.ts';
import { duckTypeOf } from '../hot/chunk-writer.ts';
import type { HotTables } from '../hot/hot-tables.ts';
import type { Measurement } from '../measurement.ts';
import { ident, literal } from '../duck/duck.ts';
import type { RelationOptions } from '../../core/ports/sql-source.ts';

export type { RelationOptions };

export interface RelationColumn {
  /** Name users see. */
  name: string;
  /** The tag or field key (`name` without the `::tag` a tag gets beside a field of its name). */
  key: string;
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
  const cols: RelationColumn[] = [{ name: 'time', key: 'time', physical: 'time', kind: 'time', ordinal: -1 }];
  m.tagKeys.forEach((k, o) => cols.push({ name: k, key: k, physical: `t${o}`, kind: 'tag', ordinal: o }));
  m.fields.forEach((f) => cols.push({ name: f.name, key: f.name, physical: `f${f.ordinal}`, kind: 'field', type: f.type, ordinal: f.ordinal }));
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

/** SELECT of the physical columns over everything stored for `m`. */
export function relationSql(m: Measurement, ctx: RelationContext, opts: RelationOptions = {}): string {
  const branches: string[] = [];
  if (m.files.length > 0) {
    const tomb = m.tombstones.size > 0 ? ctx.hot.tombTable(m) : undefined;
    branches.push(parquetBranch(m, m.files.map((f) => join(ctx.dataDir, f.path)), tomb, opts));
  }
  branches.push(...hotBranches(m, ctx));
  return assemble(m, branches, ctx.cutoffNs);
}

/**
 * The Parquet files of `m` (at `paths`, in `m.files` order) as physical
 * columns, tombstoned keys removed; `tomb` is a relation of (time, t0..tK).
 */
function parquetBranch(m: Measurement, paths: string[], tomb: string | undefined, opts: RelationOptions): string {
  const cols = physicalColumns(m);
  const present = new Set<string>(['time']);
  for (const f of m.files) {
    for (const o of f.tags) present.add(`t${o}`);
    for (const o of f.fields) present.add(`f${o}`);
  }
  // Files may store a float as DECIMAL (see decimal-scale.ts): every field is
  // cast back to its type, which is exact for those decimals.
  const cast = (c: RelationColumn) => c.kind === 'field' && !(opts.floatsAsStored && c.type === FieldType.Float);
  const proj = cols
    .map((c) => (!present.has(c.physical) ? nullOf(c) : cast(c) ? `p.${c.physical}::${duckTypeOf(c.type!)} AS ${c.physical}` : `p.${c.physical}`))
    .join(', ');
  let sql = `SELECT ${proj} FROM read_parquet([${paths.map(literal).join(', ')}], union_by_name = true) p`;
  if (tomb !== undefined) {
    // A tag key newer than every file is NULL there (the file has no such column).
    const match = m.tagKeys.map((_, o) => ` AND ${present.has(`t${o}`) ? `p.t${o}` : 'NULL'} IS NOT DISTINCT FROM x.t${o}`).join('');
    sql += ` ANTI JOIN ${tomb} x ON p.time = x.time${match}`;
  }
  return sql;
}

/** The flushing (immutable) and active memtables of `m` as physical columns, with their tombstones applied. */
function hotBranches(m: Measurement, ctx: RelationContext): string[] {
  const cols = physicalColumns(m);
  const branches: string[] = [];
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
  return branches;
}

function assemble(m: Measurement, branches: string[], cutoffNs: bigint | undefined): string {
  const cols = physicalColumns(m);
  const list = cols.map((c) => c.physical).join(', ');
  if (branches.length === 0) return `SELECT ${cols.map(nullOf).join(', ')} WHERE false`;
  let union = branches.map((b) => `(${b})`).join(' UNION ALL ');
  if (cutoffNs !== undefined) union = `SELECT ${list} FROM (${union}) WHERE time >= make_timestamp_ns(${cutoffNs})`;
  return union;
}

/**
 * The unflushed points of `m` as physical columns (tombstones applied), for a
 * snapshot to copy out; undefined when there are none.
 */
export function hotRelationSql(m: Measurement, ctx: RelationContext): string | undefined {
  const branches = hotBranches(m, ctx);
  return branches.length === 0 ? undefined : branches.map((b) => `(${b})`).join(' UNION ALL ');
}

/** Where a snapshot of one measurement lies (sql-snapshot.ts): every path absolute. */
export interface SnapshotFiles {
  /** Links of `m.files`, same order. */
  parquet: string[];
  /** Parquet copy of the tombstone table (time, t0..tK), when `m` has tombstones. */
  tombstones?: string;
  /** Parquet copy of `hotRelationSql`, when there are unflushed points. */
  hot?: string;
}

/** `userRelationSql` over a snapshot's files only: what a sandboxed engine with nothing else can run. */
export function snapshotUserRelationSql(m: Measurement, files: SnapshotFiles, cutoffNs: bigint | undefined): string {
  const branches: string[] = [];
  if (files.parquet.length > 0) {
    const tomb = files.tombstones !== undefined ? `read_parquet(${literal(files.tombstones)})` : undefined;
    branches.push(parquetBranch(m, files.parquet, tomb, {}));
  }
  if (files.hot !== undefined) {
    // Types spelled out so the view has the same shape whatever Parquet kept.
    const proj = physicalColumns(m)
      .map((c) => `${c.physical}::${c.kind === 'tag' ? 'VARCHAR' : c.kind === 'time' ? 'TIMESTAMP_NS' : duckTypeOf(c.type!)} AS ${c.physical}`)
      .join(', ');
    branches.push(`SELECT ${proj} FROM read_parquet(${literal(files.hot)})`);
  }
  return userProjection(m, assemble(m, branches, cutoffNs));
}

function userProjection(m: Measurement, physical: string): string {
  const proj = userColumns(m)
    .map((c) => `${c.physical} AS ${ident(c.name)}`)
    .join(', ');
  return `SELECT ${proj} FROM (${physical})`;
}

/** The measurement as InfluxDB 3 shows it: `time`, then each tag and field under its own name. */
export function userRelationSql(m: Measurement, ctx: RelationContext, opts: RelationOptions = {}): string {
  return userProjection(m, relationSql(m, ctx, opts));
}
