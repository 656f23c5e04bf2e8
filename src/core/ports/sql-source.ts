// SqlSource: what a query front end (SQL, InfluxQL, OpenTSDB, the explorer)
// asks of storage to read points: for each measurement, a SQL relation and its
// user-visible columns, valid for the lifetime of one query. In the manner of
// InfluxDB 3's `QueryExecutor`/`QueryNamespace` (the query side gets a
// namespace of tables and chunks from the write buffer, never its internals).
//
// Why: the front ends used to take the concrete Store and its Duck, receive
// the internal `Measurement` class and build physical column names
// (`f<ordinal>`, `t<ordinal>`) themselves; a second engine would have meant
// rewriting each of them. With this port only storage knows how a
// measurement is laid out: front ends see user column names.
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
// (read_parquet) and tables of the engine's own database, so `query` and
// `connection` run them where they live. That is why this port names
// DuckDB's connection type: an engine that is not DuckDB underneath still
// hands out a DuckDB that can read its relations (the in-memory store does).
//
// Implementations: storage/parquet-point-store.ts, storage/memory/memory-point-store.ts
// (a VALUES list in a private in-memory DuckDB).

import type { DuckDBConnection } from '@duckdb/node-api';
import type { FieldTypeName } from '../field-type.ts';
import type { RollupReader } from './rollups.ts';

export interface SqlColumn {
  /** The name users see: `time`, each tag and field; a tag that shares a field's name is `<name>::tag`. */
  name: string;
  /** The tag or field key as written (`time` for the time column): differs from `name` only for a `<name>::tag`. */
  key: string;
  kind: 'time' | 'tag' | 'field';
  /** For fields. */
  type?: FieldTypeName;
}

export interface SqlRelation {
  /** A SELECT whose output columns are `columns`, by name; use it as `(<sql>) AS alias`. */
  sql: string;
  /** Ascending by name, as InfluxDB 3 lists a table's columns. */
  columns: SqlColumn[];
  /**
   * The series (tag pairs, ascending by key) in the order the engine first
   * stored them. InfluxQL adds a window's floats series by series in this
   * order, so that sums match InfluxDB's to the last bit.
   */
  seriesOrder(): Array<Array<[string, string]>>;
  /**
   * At most how many points lie between two times (ns, inclusive; absent:
   * unbounded), from what the engine knows without reading them (file
   * statistics): the planners choose a plan by it. An upper bound, not a count.
   */
  rowEstimate(minNs?: bigint, maxNs?: bigint): number;
}

export interface RelationOptions {
  /**
   * Float fields may come as the exact numeric type the engine stores them
   * in (DECIMAL), without a cast back to DOUBLE. For a caller that only
   * averages them: avg() of a DECIMAL is exact and returns a DOUBLE. An engine
   * may ignore it.
   */
  floatsAsStored?: boolean;
}

/** One measurement of one bucket. */
export interface MeasurementRef {
  bucketId: string;
  measurement: string;
}

export interface SqlSnapshot {
  /** The measurement as a relation; undefined when it holds no data or was not named when the snapshot began. */
  relation(bucketId: string, measurement: string, opts?: RelationOptions): SqlRelation | undefined;
  /**
   * The measurement's rollups (rollups.ts), when the engine keeps any: what
   * the InfluxQL planner answers decomposable aggregates from without
   * reading points. Optional: an engine without them reads points.
   */
  rollups?(bucketId: string, measurement: string): RollupReader | undefined;
  /** Runs one statement over the snapshot's relations; rows as objects by column name. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /**
   * A connection of the engine that holds the relations, for front ends that
   * read results chunk by chunk or interrupt a statement at their deadline
   * (InfluxQL, OpenTSDB). Valid until `fn` settles.
   */
  connection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
}

export interface SqlSource {
  /**
   * Runs `fn` over a snapshot of the named measurements (of one bucket or
   * several: an InfluxQL SELECT may read two databases); the snapshot is valid
   * until the promise `fn` returns settles, not after.
   */
  withSnapshot<T>(measurements: readonly MeasurementRef[], fn: (snap: SqlSnapshot) => Promise<T>): Promise<T>;
}
