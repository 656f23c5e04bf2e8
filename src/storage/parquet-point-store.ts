// The embedded store (store.ts: WAL, memtables, Parquet files, DuckDB) seen
// through the core ports: PointStore, SchemaReader and SqlSource. server.ts
// builds one and hands it to the ingest pipeline, the query front ends and
// http/; nothing outside storage sees the Store class (tests and the CLI
// aside).
//
// What it translates: a PointBatch of objects becomes line protocol at ns
// precision; a DeletePredicate becomes the DuckDB WHERE over physical
// columns that Store.deletePoints takes (so that SQL is built here, inside
// storage, and nowhere else); SchemaReader and SqlSource read the
// MeasurementIndex and the relations of storage/query/relation.ts under
// their user-visible names, with the series order and file statistics the
// planners ask for.

import type { FieldSchema, SchemaReader, SeriesInfo } from '../core/ports/schema-reader.ts';
import type { DeletePredicate, PointBatch, PointStore, TagPredicate, WriteResult } from '../core/ports/point-store.ts';
import type { MeasurementRef, RelationOptions, SqlColumn, SqlRelation, SqlSnapshot, SqlSource } from '../core/ports/sql-source.ts';
import { FIELD_TYPE_NAMES } from '../core/field-type.ts';
import type { LineBatch } from '../ingest/line-protocol/batch.ts';
import { encodePoints } from '../ingest/line-protocol/encode.ts';
import { literal } from './duck/duck.ts';
import { canonicalSeriesKey, type Measurement } from './measurement.ts';
import type { Store } from './store.ts';

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The tag tree as DuckDB SQL over t<ordinal> columns; a missing tag compares as '' (InfluxDB's rule). */
function tagSql(p: TagPredicate, m: Measurement): string {
  switch (p.op) {
    case 'and':
    case 'or':
      if (p.args.length === 0) return p.op === 'and' ? 'true' : 'false';
      return '(' + p.args.map((a) => tagSql(a, m)).join(p.op === 'and' ? ' AND ' : ' OR ') + ')';
    case 'const':
      return p.value ? 'true' : 'false';
    default: {
      const o = m.tagOrdinal.get(p.key);
      const col = o === undefined ? "''" : `coalesce(t${o}, '')`;
      // DuckDB's regexp_matches is RE2 and unanchored, as Go's MatchString.
      if (p.op === '=~') return `coalesce(regexp_matches(${col}, ${literal(p.value)}), false)`;
      if (p.op === '!~') return `coalesce(NOT regexp_matches(${col}, ${literal(p.value)}), false)`;
      // `tag = 'v'` on the bare column for a non-empty v (a missing tag never
      // equals it): DuckDB then skips the row groups of other series by their
      // min/max, as InfluxQL's filter does (query/influxql/filter-sql.ts).
      if (p.op === '=' && p.value !== '' && o !== undefined) return `(t${o} = ${literal(p.value)} AND t${o} IS NOT NULL)`;
      return `coalesce(${col} ${p.op === '!=' ? '<>' : p.op} ${literal(p.value)}, false)`;
    }
  }
}

function deleteWhereSql(p: DeletePredicate, m: Measurement): string | undefined {
  const parts: string[] = [];
  if (p.minNs !== undefined) parts.push(`time >= make_timestamp_ns(${p.minNs})`);
  if (p.maxNs !== undefined) parts.push(`time <= make_timestamp_ns(${p.maxNs})`);
  if (p.tags) parts.push(tagSql(p.tags, m));
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

export class ParquetPointStore implements PointStore, SchemaReader, SqlSource {
  constructor(readonly store: Store) {}

  write(batch: PointBatch): Promise<WriteResult> {
    const { bucketId, now, onParseError, atomic, rejectDuplicateFields } = batch;
    const d = batch.data;
    const body = d.format === 'line-protocol' ? d.body : Buffer.from(encodePoints([...d.points]), 'utf8');
    const precision = d.format === 'line-protocol' ? d.precision : 'ns';
    // `parsed` is parseLineProtocol(body)'s LineBatch by the port's contract (core cannot name the type).
    const parsed = d.format === 'line-protocol' && d.parsed?.buf === body ? (d.parsed as LineBatch) : undefined;
    return this.store.write({ bucketId, body, precision, now, onParseError, atomic, rejectDuplicateFields, ...(parsed ? { parsed } : {}) });
  }

  async deletePoints(bucketId: string, predicate: DeletePredicate): Promise<{ deleted: number }> {
    const m = this.store.measurementOf(bucketId, predicate.measurement);
    if (!m) return { deleted: 0 };
    return this.store.deletePoints(bucketId, predicate.measurement, deleteWhereSql(predicate, m));
  }

  dropMeasurement(bucketId: string, measurement: string): Promise<void> {
    return this.store.dropMeasurement(bucketId, measurement);
  }

  dropBucket(bucketId: string): Promise<void> {
    return this.store.deleteBucket(bucketId);
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Closes the store; its Duck belongs to whoever opened it (server.ts). */
  close(): Promise<void> {
    return this.store.close();
  }

  // ---- SchemaReader

  measurements(bucketId: string): string[] {
    return this.store
      .measurementsOf(bucketId)
      .map((m) => m.name)
      .sort();
  }

  tagKeys(bucketId: string, measurement: string): string[] {
    return [...(this.store.measurementOf(bucketId, measurement)?.tagKeys ?? [])].sort();
  }

  fields(bucketId: string, measurement: string): FieldSchema[] {
    const m = this.store.measurementOf(bucketId, measurement);
    return (m?.fields ?? []).map((f) => ({ name: f.name, type: FIELD_TYPE_NAMES[f.type] })).sort(byName);
  }

  series(bucketId: string, measurement: string): SeriesInfo[] {
    const m = this.store.measurementOf(bucketId, measurement);
    if (!m) return [];
    const out = m.series.map((sid) => {
      const tags: Array<[string, string]> = [];
      m.tagKeys.forEach((k, o) => {
        const v = m.tagValue(sid, o);
        if (v !== null) tags.push([k, v]);
      });
      tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return { key: canonicalSeriesKey(m.name, tags), tags };
    });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // ---- SqlSource

  withSnapshot<T>(refs: readonly MeasurementRef[], fn: (snap: SqlSnapshot) => Promise<T>): Promise<T> {
    const ms = new Map<string, Measurement>();
    for (const r of refs) {
      const m = this.store.measurementOf(r.bucketId, r.measurement);
      if (m) ms.set(refKey(r.bucketId, r.measurement), m);
    }
    const store = this.store;
    // Relations are built once the hot copies are synced and the files pinned
    // (Store.read), so every relation of the snapshot names the same file set.
    return store.read([...ms.values()], () =>
      fn({
        relation(bucketId, measurement, opts) {
          const m = ms.get(refKey(bucketId, measurement));
          return m && relationOf(store, m, opts);
        },
        rollups(bucketId, measurement) {
          const m = ms.get(refKey(bucketId, measurement));
          return m && store.rollups(m);
        },
        query: (sql) => store.duck.pool.use(async (c) => (await c.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>),
        connection: (f) => store.duck.pool.use(f),
      }),
    );
  }
}

function refKey(bucketId: string, measurement: string): string {
  return bucketId + '\0' + measurement;
}

/** A measurement under its user column names (call inside Store.read). */
function relationOf(store: Store, m: Measurement, opts?: RelationOptions): SqlRelation {
  const columns: SqlColumn[] = store
    .columnsOf(m)
    .map((c) => (c.type === undefined ? { name: c.name, key: c.key, kind: c.kind } : { name: c.name, key: c.key, kind: c.kind, type: FIELD_TYPE_NAMES[c.type] }));
  return {
    sql: store.userRelation(m, opts),
    columns,
    seriesOrder: () =>
      m.series.map((sid) => {
        const tags: Array<[string, string]> = [];
        m.tagKeys.forEach((k, o) => {
          const v = m.tagValue(sid, o);
          if (v !== null) tags.push([k, v]);
        });
        return tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      }),
    // Points in memory, plus the rows of each file whose time range meets the bounds.
    rowEstimate: (min, max) => m.memRows + m.files.reduce((n, f) => ((min !== undefined && f.maxNs < min) || (max !== undefined && f.minNs > max) ? n : n + f.rows), 0),
  };
}
