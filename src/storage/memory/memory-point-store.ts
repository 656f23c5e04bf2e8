// The PointStore port kept in memory: what unit tests of the query front
// ends and of ingest use instead of the embedded store (no WAL, no files, no
// background work), and the second implementation that proves the ports are
// real: it passes the same contract suite as the Parquet store
// (test/contracts/point-store.contract.ts). Not durable: a restart loses it.
//
// It follows the embedded store's write rules: a field keeps the type of its
// first value for the life of its measurement (a point offering another type
// is dropped whole, with InfluxDB 1.x's message); a field named `time` is
// skipped, and a point with no other field is dropped; same series and time
// merges fields, the later write winning per field (InfluxDB's rule).
// Retention is not applied here: the store knows no bucket settings.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { FieldTypeName } from '../../core/field-type.ts';
import type { FieldValue, Point } from '../../core/point.ts';
import type { DeletePredicate, DroppedPoint, PointBatch, PointStore, RefusedLine, WriteResult } from '../../core/ports/point-store.ts';
import type { FieldSchema, SchemaReader, SeriesInfo } from '../../core/ports/schema-reader.ts';
import type { MeasurementRef, SqlRelation, SqlSnapshot, SqlSource } from '../../core/ports/sql-source.ts';
import { toPoints } from '../../ingest/line-protocol/decode.ts';
import { parseLineProtocol } from '../../ingest/line-protocol/parse.ts';
import { canonicalSeriesKey } from '../../core/series-key.ts';
import { matchTags } from './match-tags.ts';
import { valuesRelation, type ValuesRow } from './values-relation.ts';

interface MemSeries {
  key: string;
  tags: Map<string, string>;
  /** Time (ns, as a decimal string) -> the merged fields of that point. */
  points: Map<string, Map<string, FieldValue>>;
}

interface MemMeasurement {
  tagKeys: Set<string>;
  fields: Map<string, FieldTypeName>;
  series: Map<string, MemSeries>;
}

function timeNs(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

function pointCount(m: MemMeasurement): number {
  let n = 0;
  for (const s of m.series.values()) n += s.points.size;
  return n;
}

export class MemoryPointStore implements PointStore, SchemaReader, SqlSource {
  private readonly buckets = new Map<string, Map<string, MemMeasurement>>();
  private duck: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> | undefined;
  /** A DuckDB connection runs one statement at a time (as storage/duck/duck.ts's SerialConnection). */
  private queries: Promise<unknown> = Promise.resolve();
  private closed = false;

  async write(batch: PointBatch): Promise<WriteResult> {
    if (this.closed) throw new Error('store is closed');
    let points: readonly Point[];
    let parseErrors: RefusedLine[] = [];
    let lines: number;
    const lineOf: number[] = [];
    const ordinalOf: number[] = [];
    if (batch.data.format === 'line-protocol') {
      const parsed = parseLineProtocol(batch.data.body, { precision: batch.data.precision, now: batch.now });
      points = toPoints(parsed);
      parseErrors = parsed.errors;
      lines = parsed.lines;
      for (let i = 0; i < parsed.n; i++) {
        lineOf.push(parsed.lineNo[i]);
        ordinalOf.push(parsed.ordinal[i]);
      }
      if (parseErrors.length > 0 && (batch.onParseError === 'reject' || batch.atomic)) return { written: 0, parseErrors, drops: [], lines };
    } else {
      points = batch.data.points;
      lines = points.length;
      for (let i = 0; i < points.length; i++) {
        lineOf.push(i + 1);
        ordinalOf.push(i + 1);
      }
    }
    const bucket = this.buckets.get(batch.bucketId) ?? new Map<string, MemMeasurement>();
    // Plan first (types fixed by the first value, in batch order), apply after,
    // so an atomic batch with a drop changes nothing.
    const pendingTypes = new Map<string, FieldTypeName>();
    const drops: DroppedPoint[] = [];
    const accepted: Array<{ p: Point; fields: Array<[string, FieldValue]> }> = [];
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      const known = bucket.get(p.measurement)?.fields;
      const drop = (reason: DroppedPoint['reason'], message: string): DroppedPoint => ({ point: i, line: lineOf[i], ordinal: ordinalOf[i], measurement: p.measurement, reason, message });
      const fields = p.fields.filter(([k]) => k !== 'time');
      if (fields.length === 0) {
        drops.push(drop('time-field', `invalid field name: input field "time" on measurement "${p.measurement}" is invalid`));
        continue;
      }
      let refused: DroppedPoint | undefined;
      const seen = new Set<string>();
      for (const [k, v] of fields) {
        if (batch.rejectDuplicateFields && seen.has(k)) {
          refused ??= drop('duplicate-field', `invalid line protocol - multiple instances of '${k}' field found`);
        }
        seen.add(k);
        const stored = known?.get(k) ?? pendingTypes.get(`${p.measurement}\0${k}`);
        if (stored !== undefined && stored !== v.type && !refused) {
          refused = drop('type-conflict', `field type conflict: input field "${k}" on measurement "${p.measurement}" is type ${v.type}, already exists as type ${stored}`);
          Object.assign(refused, { field: k, offered: v.type, stored });
        }
      }
      if (refused) {
        drops.push(refused);
        continue;
      }
      for (const [k, v] of fields) if (!known?.has(k)) pendingTypes.set(`${p.measurement}\0${k}`, pendingTypes.get(`${p.measurement}\0${k}`) ?? v.type);
      accepted.push({ p, fields });
    }
    if (batch.atomic && drops.length > 0) return { written: 0, parseErrors, drops, lines };
    for (const { p, fields } of accepted) {
      let m = bucket.get(p.measurement);
      if (!m) {
        m = { tagKeys: new Set(), fields: new Map(), series: new Map() };
        bucket.set(p.measurement, m);
      }
      const tags = [...p.tags].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const key = canonicalSeriesKey(p.measurement, tags);
      let s = m.series.get(key);
      if (!s) {
        s = { key, tags: new Map(tags), points: new Map() };
        m.series.set(key, s);
        for (const [k] of tags) m.tagKeys.add(k);
      }
      const t = timeNs(p.sec, p.nsec).toString();
      const merged = s.points.get(t) ?? new Map<string, FieldValue>();
      for (const [k, v] of fields) {
        if (!m.fields.has(k)) m.fields.set(k, v.type);
        merged.set(k, v);
      }
      s.points.set(t, merged);
    }
    if (bucket.size > 0) this.buckets.set(batch.bucketId, bucket);
    return { written: accepted.length, parseErrors, drops, lines };
  }

  async deletePoints(bucketId: string, predicate: DeletePredicate): Promise<{ deleted: number }> {
    const m = this.buckets.get(bucketId)?.get(predicate.measurement);
    if (!m) return { deleted: 0 };
    let deleted = 0;
    for (const s of m.series.values()) {
      if (predicate.tags && !matchTags(predicate.tags, s.tags)) continue;
      for (const t of [...s.points.keys()]) {
        const ns = BigInt(t);
        if (predicate.minNs !== undefined && ns < predicate.minNs) continue;
        if (predicate.maxNs !== undefined && ns > predicate.maxNs) continue;
        s.points.delete(t);
        deleted++;
      }
    }
    // As the embedded store: a measurement left with no point is forgotten, schema and all.
    if (pointCount(m) === 0) this.buckets.get(bucketId)!.delete(predicate.measurement);
    return { deleted };
  }

  async dropMeasurement(bucketId: string, measurement: string): Promise<void> {
    this.buckets.get(bucketId)?.delete(measurement);
  }

  async dropBucket(bucketId: string): Promise<void> {
    this.buckets.delete(bucketId);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    const d = await this.duck;
    d?.conn.closeSync();
    d?.instance.closeSync();
  }

  // ---- SchemaReader

  private measurement(bucketId: string, name: string): MemMeasurement | undefined {
    return this.buckets.get(bucketId)?.get(name);
  }

  measurements(bucketId: string): string[] {
    return [...(this.buckets.get(bucketId)?.keys() ?? [])].sort();
  }

  tagKeys(bucketId: string, measurement: string): string[] {
    return [...(this.measurement(bucketId, measurement)?.tagKeys ?? [])].sort();
  }

  fields(bucketId: string, measurement: string): FieldSchema[] {
    const m = this.measurement(bucketId, measurement);
    if (!m) return [];
    return [...m.fields].map(([name, type]) => ({ name, type })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  series(bucketId: string, measurement: string): SeriesInfo[] {
    const m = this.measurement(bucketId, measurement);
    if (!m) return [];
    return [...m.series.values()].map((s) => ({ key: s.key, tags: [...s.tags] })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // ---- SqlSource

  async withSnapshot<T>(refs: readonly MeasurementRef[], fn: (snap: SqlSnapshot) => Promise<T>): Promise<T> {
    const relations = new Map<string, SqlRelation>();
    for (const { bucketId, measurement } of refs) {
      const m = this.measurement(bucketId, measurement);
      if (!m) continue;
      const rows: ValuesRow[] = [];
      for (const s of m.series.values()) for (const [t, fields] of s.points) rows.push({ timeNs: BigInt(t), tags: s.tags, fields });
      // Copied now: the snapshot does not see later writes.
      const order = [...m.series.values()].map((s) => [...s.tags].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
      const times = rows.map((r) => r.timeNs);
      relations.set(bucketId + '\0' + measurement, {
        ...valuesRelation([...m.tagKeys], m.fields, rows),
        seriesOrder: () => order.map((tags) => tags.map(([k, v]): [string, string] => [k, v])),
        // Exact here: every point is in memory.
        rowEstimate: (min, max) => times.filter((t) => (min === undefined || t >= min) && (max === undefined || t <= max)).length,
      });
    }
    const snap: SqlSnapshot = {
      relation: (bucketId, measurement) => relations.get(bucketId + '\0' + measurement),
      query: (sql) => this.serially(async (conn) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>),
      connection: (f) => this.serially(f),
    };
    return fn(snap);
  }

  /** Runs `fn` with the private DuckDB's one connection, after every statement before it. */
  private serially<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.queries.then(async () => fn((await this.engine()).conn));
    this.queries = run.catch(() => undefined);
    return run;
  }

  /** A private in-memory DuckDB, opened on the first query: SqlSource speaks DuckDB's SQL. */
  private engine(): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
    this.duck ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      return { instance, conn: await instance.connect() };
    })();
    return this.duck;
  }
}
