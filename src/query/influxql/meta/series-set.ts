// The series (tag sets) SHOW statements work on, read from the stored data:
// one DISTINCT query per measurement and bucket. With `shards`, each series
// also lists the shard groups it has points in, as InfluxDB 1.x lays them out
// (services/meta/data.go CreateShardGroup: time.Truncate(shardGroupDuration),
// i.e. aligned to Go's zero time, not the Unix epoch), because 1.6 answers
// SHOW SERIES with a time range and SHOW SERIES CARDINALITY shard by shard.

import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalSeriesKey } from '../../../core/series-key.ts';
import type { SqlSnapshot } from '../../../core/ports/sql-source.ts';
import { columnOf, refOf, storedMeasurements, type StoredMeasurement, type StoreView } from '../../store-view.ts';
import type { Bucket } from '../../../tenancy/model.ts';
import { QueryError } from '../condition.ts';
import { cleanDuckError } from '../../sql/run-sql.ts';
import type { SeriesTags } from './tag-expr.ts';
import type { MeasurementSource } from '../ast.ts';
import { compileRegex } from '../regex.ts';
import type { Value } from '../select/values.ts';

// What every SHOW statement runs against and answers, and the measurements a
// source names: shared by show.ts and show-cardinality.ts (here so that
// show-cardinality.ts does not import show.ts back).

export interface ShowRow {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values: Value[][];
}

export interface ShowContext {
  store: StoreView;
  timeoutMs: number;
  now: bigint;
  /** Buckets of the statement's database, all policies (throws for an unknown database). */
  buckets(db: string): Bucket[];
  /** The bucket of one policy ('' = the default; throws when missing). */
  policy(db: string, rp: string): Bucket;
  databases(): string[];
  defaultRp(db: string): string;
  /** Buckets of a database, [] when it does not exist. */
  maybeBuckets(db: string): Bucket[];
}

export function allMeasurements(ctx: ShowContext, buckets: Bucket[]): StoredMeasurement[] {
  return buckets.flatMap((b) => storedMeasurements(ctx.store, b.id));
}

/** Measurements of one bucket a FROM source names (name or regex). */
export function sourceMeasurements(ctx: ShowContext, bucket: Bucket, src: MeasurementSource | undefined): StoredMeasurement[] {
  const all = storedMeasurements(ctx.store, bucket.id);
  if (!src) return all;
  if (src.regex !== undefined) {
    const re = compileRegex(src.regex);
    return all.filter((m) => re.test(m.name));
  }
  return all.filter((m) => m.name === src.name);
}

export interface SeriesEntry extends SeriesTags {
  /** Tags sorted by key. */
  sorted: Array<[string, string]>;
  key: string;
  /** Shard groups with points of this series: bucket id → group start times (ns). */
  shards: Map<string, Set<bigint>>;
}

export interface MeasurementSeries {
  name: string;
  /** Measurements (one per bucket) under this name. */
  parts: StoredMeasurement[];
  series: SeriesEntry[];
}

const NS = 1_000_000_000n;
/** Seconds from Go's zero time (0001-01-01) to the Unix epoch (time.unixToInternal). */
const UNIX_TO_INTERNAL = 62_135_596_800n;

export interface SeriesContext {
  store: StoreView;
  timeoutMs: number;
}

async function withConn<T>(ctx: SeriesContext, ms: StoredMeasurement[], fn: (conn: DuckDBConnection, snap: SqlSnapshot) => Promise<T>): Promise<T> {
  return ctx.store.withSnapshot(ms.map(refOf), (snap) =>
    snap.connection(async (conn) => {
      const timer = setTimeout(() => conn.interrupt(), ctx.timeoutMs);
      try {
        return await fn(conn, snap);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

async function rows(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  try {
    return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
  } catch (e) {
    throw new QueryError(cleanDuckError((e as Error).message));
  }
}

/**
 * Series of the given measurements, merged by name (and by series key across
 * buckets), names sorted, series in key order.
 */
export async function loadSeries(ctx: SeriesContext, ms: StoredMeasurement[], buckets: Bucket[], opts: { shards?: boolean } = {}): Promise<MeasurementSeries[]> {
  const byName = new Map<string, { parts: StoredMeasurement[]; series: Map<string, SeriesEntry> }>();
  const sgd = new Map(buckets.map((b) => [b.id, BigInt(b.shardGroupSeconds) * NS]));
  await withConn(ctx, ms, async (conn, snap) => {
    for (const m of ms) {
      let g = byName.get(m.name);
      if (!g) byName.set(m.name, (g = { parts: [], series: new Map() }));
      g.parts.push(m);
      const rel = snap.relation(m.bucketId, m.name);
      if (!rel) continue; // emptied since the statement began
      const cols = m.tagKeys.map((k) => columnOf(rel, 'tag', k) ?? 'NULL::VARCHAR');
      const d = sgd.get(m.bucketId) ?? 7n * 86_400n * NS;
      const off = (UNIX_TO_INTERNAL * NS) % d;
      // Floor division (DuckDB's // truncates), in HUGEINT so times near the int64 edges do not overflow.
      const x = `(epoch_ns(time)::HUGEINT + ${off})`;
      const shard = `((${x} - ((${x} % ${d}) + ${d}) % ${d}) // ${d})::BIGINT`;
      const select = [...cols, ...(opts.shards ? [shard] : [])];
      const sql = select.length ? `SELECT DISTINCT ${select.join(', ')} FROM (${rel.sql})` : `SELECT 1 FROM (${rel.sql}) LIMIT 1`;
      for (const r of await rows(conn, sql)) {
        const sorted: Array<[string, string]> = [];
        m.tagKeys.forEach((k, o) => r[o] !== null && r[o] !== undefined && sorted.push([k, String(r[o])]));
        sorted.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const key = canonicalSeriesKey(m.name, sorted);
        let s = g.series.get(key);
        if (!s) g.series.set(key, (s = { name: m.name, tags: new Map(sorted), sorted, key, shards: new Map() }));
        if (opts.shards) {
          let set = s.shards.get(m.bucketId);
          if (!set) s.shards.set(m.bucketId, (set = new Set()));
          set.add(BigInt(r[cols.length] as bigint) * d - off);
        }
      }
    }
  });
  return [...byName.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([name, g]) => ({ name, parts: g.parts, series: [...g.series.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) }));
}

/** Tag key → values over a measurement's series. */
export function tagValuesOf(series: SeriesEntry[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of series) {
    for (const [k, v] of s.sorted) {
      let set = out.get(k);
      if (!set) out.set(k, (set = new Set()));
      set.add(v);
    }
  }
  return out;
}

/** Whether a name is a field of any of the measurement's parts. */
export function fieldTest(parts: StoredMeasurement[]): (k: string) => boolean {
  return (k) => parts.some((m) => m.fieldByName.has(k));
}
