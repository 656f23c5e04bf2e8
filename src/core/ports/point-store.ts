// PointStore: what every writer of points calls, whatever engine keeps them.
//
// Modelled on InfluxDB 3's `WriteBuffer` (influxdb3_write: `Bufferer::write_lp`
// takes a database, line protocol, the ingest time, accept_partial and a
// precision, and answers with the lines it refused) and VictoriaMetrics'
// `vminsertapi.API` (`WriteRows(rows)`: the one call vminsert makes of
// vmstorage, whichever protocol the rows came in). Every transport (HTTP
// v1/v2/v3, OpenTSDB HTTP and telnet, SELECT INTO, continuous queries) calls
// ingest/pipeline.ts, and the pipeline makes this one call, `write(batch)`:
// one bucket, one `now`, points as line-protocol bytes (the hot path: the WAL
// keeps the bytes as sent, nothing is decoded to objects) or as objects
// (off the hot path). One call decides durability, limits and drops once
// (conventions habit 2).
//
// Implementations:
// - storage/parquet-point-store.ts: the embedded store (WAL, memtables,
//   Parquet files, DuckDB); durable.
// - storage/memory/memory-point-store.ts: in memory, for unit tests; not durable.
// - planned: a replica fed from NATS, a forwarder to a clustered TSDB.
// test/contracts/point-store.contract.ts is the suite each one passes.

import type { Point } from '../point.ts';
import type { Precision, SecNsec } from '../time.ts';

/**
 * `body` already parsed by the transport, exactly as ingest/line-protocol's
 * parseLineProtocol(body, { precision, now }) parses it (its LineBatch; opaque
 * here, as core imports nothing outside core). OpenTSDB's /api/put fast path
 * writes the lines and their columns in one pass (ingest/opentsdb/
 * transcode-put.ts); the store and the pipeline's observers then use it
 * instead of parsing the body again. The body stays what is logged.
 */
export interface ParsedBody {
  readonly buf: Buffer;
  readonly n: number;
}

/** The points of one write: as the client sent them (line protocol) or as objects. */
export type PointData =
  | { format: 'line-protocol'; body: Buffer; precision: Precision | 'auto'; parsed?: ParsedBody }
  | { format: 'points'; points: readonly Point[] };

export interface PointBatch {
  bucketId: string;
  data: PointData;
  /** Server time of the write: the time of points without one, and the retention reference. */
  now: SecNsec;
  /** A line that does not parse refuses the whole batch (InfluxDB 2) or only itself (1.x, 3.x). */
  onParseError: 'reject' | 'skip';
  /** Write nothing when any line or point is refused (InfluxDB 3 accept_partial=false). */
  atomic?: boolean;
  /** Refuse a line that names the same field twice (InfluxDB 3). */
  rejectDuplicateFields?: boolean;
}

/**
 * A line refused by the parser. Same shape as ingest/line-protocol/batch.ts's
 * LineError (`kind` is its ParseErrorKind), so the store's outcome satisfies
 * this port unchanged.
 */
export interface RefusedLine {
  /** 1-based line number in the body; for `points` data, index + 1. */
  line: number;
  /** Position among non-blank, non-comment lines (InfluxDB 3 numbers errors this way). */
  ordinal: number;
  text: string;
  kind: string;
  reason: string;
  /** InfluxDB's full text: unable to parse '<line>': <reason>. */
  message: string;
}

/** Why the store refused a well-formed point (InfluxDB 1.x tsdb/shard.go wording). */
export type DropReason = 'type-conflict' | 'time-field' | 'retention' | 'duplicate-field' | 'series-limit';

/** A parsed point the store refused (storage/write/plan-write.ts builds them). */
export interface DroppedPoint {
  point: number;
  line: number;
  ordinal: number;
  measurement: string;
  reason: DropReason;
  /** InfluxDB 1.x/2.x wording, without the "partial write: " prefix. */
  message: string;
  key?: string;
  sec?: number;
  nsec?: number;
  field?: string;
  offered?: string;
  stored?: string;
}

export interface WriteResult {
  /** Points stored (durably, when the implementation is durable) before the promise resolved. */
  written: number;
  parseErrors: RefusedLine[];
  drops: DroppedPoint[];
  /** Non-blank, non-comment lines (or points) in the batch. */
  lines: number;
  /**
   * Several nodes: where the write stands in the cluster's write log. A client
   * that passes it back (X-Hookline-Min-Position) reads it through any node.
   */
  position?: number;
  /**
   * A line-protocol body as the store parsed it (ParsedBody), so that the
   * pipeline's observers walk the same columns instead of parsing it again
   * (the last-value cache took a quarter of the ingest thread doing that).
   */
  parsed?: ParsedBody;
}

/**
 * Which series a predicate on tags keeps. A series without the tag has the
 * value "" for it, as InfluxDB compares a missing tag (so `host = ''` matches
 * series without `host`). Regexes are RE2 syntax (InfluxQL's, Go's regexp)
 * and match anywhere in the value unless anchored.
 */
export type TagPredicate =
  | { op: '=' | '!=' | '=~' | '!~'; key: string; value: string }
  /** Byte-wise string order, as Go compares strings (InfluxQL accepts `host > 'b'` in DELETE). */
  | { op: '<' | '<=' | '>' | '>='; key: string; value: string }
  | { op: 'and' | 'or'; args: readonly TagPredicate[] }
  /** A condition known without looking at tags (`WHERE true`, a tag compared with a number: false). */
  | { op: 'const'; value: boolean };

/**
 * Points to delete: InfluxQL DELETE / DROP SERIES, InfluxDB 2's
 * /api/v2/delete. A structure, not a SQL WHERE string, so an engine that does
 * not speak DuckDB SQL can implement it. Fields are not allowed, as InfluxDB
 * refuses them ("fields not supported in WHERE clause during deletion").
 */
export interface DeletePredicate {
  measurement: string;
  /** Absent: every series. */
  tags?: TagPredicate;
  /** Inclusive bounds, nanoseconds since the epoch; absent: unbounded. */
  minNs?: bigint;
  maxNs?: bigint;
}

export interface PointStore {
  /**
   * Stores a batch of points of one bucket. For a point with the same series
   * and time as a stored one, field values merge and the later write wins per
   * field (InfluxDB's rule: "the new field set is the union of the old and the
   * new, new values win").
   */
  write(batch: PointBatch): Promise<WriteResult>;
  /** Deletes the points matching the predicate; resolves once the deletion is as durable as a write. */
  deletePoints(bucketId: string, predicate: DeletePredicate): Promise<{ deleted: number }>;
  /** Every point of the measurement and, once nothing is left, its schema (field types may change afterwards). */
  dropMeasurement(bucketId: string, measurement: string): Promise<void>;
  /** Every point and every measurement of a bucket. */
  dropBucket(bucketId: string): Promise<void>;
  /** Makes everything acknowledged so far as durable as the engine gets (Parquet files for the embedded store). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
