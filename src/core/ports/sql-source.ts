// SqlSource: what a query front end (SQL, InfluxQL, OpenTSDB, the explorer)
// asks of storage to read points: for each measurement, a SQL relation and its
// user-visible columns, valid for the lifetime of one query. In the manner of
// InfluxDB 3's `QueryExecutor`/`QueryNamespace` (the query side gets a
// namespace of tables and chunks from the write buffer, never its internals).
//
// Why: today the front ends take the concrete Store and its Duck, receive the
// internal `Measurement` class and build physical column names (`f<ordinal>`,
// `t<ordinal>`) themselves; a second engine would mean rewriting each of them.
// With this port only storage knows how a measurement is laid out.
//
// The snapshot: the relations handed out stay readable until the snapshot
// ends: files a flush or compaction replaces meanwhile are kept (the embedded
// store's FileReclaimer), so a long query never sees a file vanish mid-read,
// and every point acknowledged before the snapshot began is in them. It is
// not (yet) an isolated version: in the embedded store, points written while
// it is open may appear in it, because the in-memory points are one DuckDB
// copy per memtable that the next reader brings up to date. The contract
// suite asserts only the guarantee above.
//
// The SQL dialect is DuckDB's: relations may name DuckDB functions
// (read_parquet) and tables of the engine's own database, so `query` runs
// them where they live.
//
// Implementations: storage/parquet-point-store.ts, storage/memory/memory-point-store.ts
// (a VALUES list in a private in-memory DuckDB).

import type { FieldTypeName } from '../field-type.ts';

export interface SqlColumn {
  /** The name users see: `time`, each tag and field; a tag that shares a field's name is `<name>::tag`. */
  name: string;
  kind: 'time' | 'tag' | 'field';
  /** For fields. */
  type?: FieldTypeName;
}

export interface SqlRelation {
  /** A SELECT whose output columns are `columns`, by name; use it as `(<sql>) AS alias`. */
  sql: string;
  /** Ascending by name, as InfluxDB 3 lists a table's columns. */
  columns: SqlColumn[];
}

export interface SqlSnapshot {
  /** The measurement as a relation; undefined when it holds no data. */
  relation(measurement: string): SqlRelation | undefined;
  /** Runs one statement over the snapshot's relations; rows as objects by column name. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
}

export interface SqlSource {
  /**
   * Runs `fn` over a snapshot of the named measurements of a bucket; the
   * snapshot is valid until the promise `fn` returns settles, not after.
   */
  withSnapshot<T>(bucketId: string, measurements: readonly string[], fn: (snap: SqlSnapshot) => Promise<T>): Promise<T>;
}
