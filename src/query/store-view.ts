// What the query front ends (InfluxQL, OpenTSDB) read and change of the
// store: three core ports, handed over as one object by server.ts. Schema
// questions go to SchemaReader, points are read through SqlSource snapshots
// under user column names, and DELETE / DROP go through PointStore, so a
// second engine (the in-memory store today, a replica later) serves every
// front end unchanged (docs/architecture.md).

import { FieldType, fieldTypeName, fieldTypeOf } from '../core/field-type.ts';
import type { PointStore } from '../core/ports/point-store.ts';
import type { SchemaReader } from '../core/ports/schema-reader.ts';
import type { SqlColumn, SqlRelation, SqlSource } from '../core/ports/sql-source.ts';

export type StoreView = SchemaReader & SqlSource & Pick<PointStore, 'deletePoints' | 'dropMeasurement'>;

/**
 * A StoreView from the store that answers reads (this node's) and the one
 * that takes deletions (the same store, or in a cluster the write log that
 * replicates them: cluster/replicated-point-store.ts).
 */
export function storeView(reads: SchemaReader & SqlSource, changes: Pick<PointStore, 'deletePoints' | 'dropMeasurement'>): StoreView {
  return {
    measurements: (bucketId) => reads.measurements(bucketId),
    tagKeys: (bucketId, m) => reads.tagKeys(bucketId, m),
    fields: (bucketId, m) => reads.fields(bucketId, m),
    series: (bucketId, m) => reads.series(bucketId, m),
    withSnapshot: (refs, fn) => reads.withSnapshot(refs, fn),
    deletePoints: (bucketId, predicate) => changes.deletePoints(bucketId, predicate),
    dropMeasurement: (bucketId, m) => changes.dropMeasurement(bucketId, m),
  };
}

/** A field as the planners index it: `ordinal` is its position in StoredMeasurement.fields. */
export interface FieldDef {
  name: string;
  type: FieldType;
  ordinal: number;
}

/** One measurement of one bucket as the planners see it: names and types, read once per statement. */
export interface StoredMeasurement {
  bucketId: string;
  name: string;
  /** Ascending. */
  tagKeys: string[];
  tagOrdinal: Map<string, number>;
  /** Ascending by name. */
  fields: FieldDef[];
  fieldByName: Map<string, FieldDef>;
}

/** The measurement, or undefined when it holds no data (a measurement with data has a field). */
export function storedMeasurement(store: SchemaReader, bucketId: string, name: string): StoredMeasurement | undefined {
  const fields = store.fields(bucketId, name).map((f, ordinal) => ({ name: f.name, type: fieldTypeOf(f.type), ordinal }));
  if (fields.length === 0) return undefined;
  const tagKeys = store.tagKeys(bucketId, name);
  return {
    bucketId,
    name,
    tagKeys,
    tagOrdinal: new Map(tagKeys.map((k, i) => [k, i])),
    fields,
    fieldByName: new Map(fields.map((f) => [f.name, f])),
  };
}

/** Every measurement of a bucket that holds data, ascending by name. */
export function storedMeasurements(store: SchemaReader, bucketId: string): StoredMeasurement[] {
  return store.measurements(bucketId).flatMap((name) => storedMeasurement(store, bucketId, name) ?? []);
}

export function sameMeasurement(a: StoredMeasurement, b: StoredMeasurement): boolean {
  return a.bucketId === b.bucketId && a.name === b.name;
}

export function refOf(m: StoredMeasurement): { bucketId: string; measurement: string } {
  return { bucketId: m.bucketId, measurement: m.name };
}

/**
 * The front ends' positional column names: the i-th tag key and the field of
 * ordinal i of a relation they read (positionalSql below, InfluxQL's
 * subquery relations). Theirs, not storage's: storage's physical layout
 * never leaves storage/.
 */
export function tagCol(i: number): string {
  return `tag${i}`;
}

export function fieldCol(i: number): string {
  return `field${i}`;
}

/** Whether SQL is a bare positional field column (no cast, no expression). */
export function isFieldCol(sql: string): boolean {
  return /^field\d+$/.test(sql);
}

/** A DuckDB identifier: user names may hold any character. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A DuckDB string literal. */
export function quoteLiteral(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

/** The relation's column for a tag or field key, quoted; undefined when it has none. */
export function columnOf(rel: SqlRelation, kind: SqlColumn['kind'], key: string): string | undefined {
  const c = rel.columns.find((col) => col.kind === kind && col.key === key);
  return c && quoteIdent(c.name);
}

const DUCK_TYPES: Record<FieldType, string> = {
  [FieldType.Float]: 'DOUBLE',
  [FieldType.Integer]: 'BIGINT',
  [FieldType.Unsigned]: 'UBIGINT',
  [FieldType.String]: 'VARCHAR',
  [FieldType.Boolean]: 'BOOLEAN',
};

/**
 * `rel` (a snapshot's relation of `m`, or undefined when it holds no data)
 * renamed to positional names: `time`, tagCol(i) for the i-th of
 * `m.tagKeys`, fieldCol(i) for the field of ordinal i. The front ends' own names, assigned
 * here from user column names: SQL built over them cannot collide with a tag
 * called `ts` or `v`, and a subquery's rows (InfluxQL) take the same shape.
 * A key the snapshot lacks, or a field whose type changed since `m` was read
 * (dropped and written again), reads as NULL.
 */
export function positionalSql(m: StoredMeasurement, rel: SqlRelation | undefined): string {
  const cols: string[] = [];
  m.tagKeys.forEach((k, i) => {
    const c = rel && columnOf(rel, 'tag', k);
    cols.push(`${c ?? 'NULL::VARCHAR'} AS ${tagCol(i)}`);
  });
  for (const f of m.fields) {
    const same = rel?.columns.some((c) => c.kind === 'field' && c.key === f.name && c.type === fieldTypeName(f.type));
    const c = same ? columnOf(rel!, 'field', f.name) : undefined;
    cols.push(`${c ?? `NULL::${DUCK_TYPES[f.type]}`} AS ${fieldCol(f.ordinal)}`);
  }
  if (!rel) return `SELECT ${['NULL::TIMESTAMP_NS AS time', ...cols].join(', ')} WHERE false`;
  return `SELECT ${['time', ...cols].join(', ')} FROM (${rel.sql})`;
}
