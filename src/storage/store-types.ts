// The store's public vocabulary: options, write requests and outcomes, and
// the errors callers map to HTTP answers.

import type { Logger } from '../core/ports/logger.ts';
import { ERRORS, HooklineError } from '../core/errors.ts';
import type { Precision, SecNsec } from '../core/time.ts';
import type { LineBatch, LineError } from '../ingest/line-protocol/batch.ts';
import type { Parser } from '../ingest/line-protocol/parse-pool.ts';
import type { Duck } from './duck/duck.ts';
import type { Drop } from './write/plan-write.ts';

export interface BucketInfo {
  id: string;
  /** 0 = keep forever. */
  retentionSeconds: number;
  /** Length of a time partition (InfluxDB's shard group duration). */
  shardGroupSeconds: number;
}

/** The core Logger, under the name storage's callers know. */
export type StoreLogger = Logger;

export interface StoreOptions {
  dataDir: string;
  duck: Duck;
  bucketInfo: (id: string) => BucketInfo | undefined;
  /** Flush when the active memtables hold this many points (default 1,000,000). */
  flushRows?: number;
  /** Refuse writes (503) above this many points in memory, each series held counting as SERIES_WEIGHT points (default 3,000,000). */
  maxMemRows?: number;
  /** Flush at least this often when anything is in memory (default 10 min). */
  flushIntervalMs?: number;
  /** Flush when the current WAL segment reaches this size (default 256 MiB). */
  walMaxBytes?: number;
  /** How often retention and compaction run (default 60 s). */
  maintenanceIntervalMs?: number;
  /** Merge a partition's files when it has at least this many (default 8). */
  compactAt?: number;
  /** Series a bucket may have, in memory and in files (0 = unlimited; default 1,000,000). */
  maxSeriesPerBucket?: number;
  /** After a flush, idle series stay in memory while fewer than this many are held (default 10,000). */
  keepSeriesBelow?: number;
  /** Memory for files' rollups (storage/rollup/; default 256 MiB; 0 disables them). */
  rollupCacheBytes?: number;
  /** Where request bodies are parsed (default: on the calling thread). */
  parser?: Parser;
  logger?: StoreLogger;
  /**
   * The clock, in ms since the epoch (default Date.now). Retention (what
   * reads hide, flushes leave out and maintenance deletes) and the flush and
   * maintenance timers read it; a write's cutoff uses the write's own `now`.
   */
  now?: () => number;
}

export interface WriteRequest {
  bucketId: string;
  body: Buffer;
  precision: Precision | 'auto';
  /** `body` already parsed with `precision` and `now` (PointData's `parsed`): not parsed again. */
  parsed?: LineBatch;
  now: SecNsec;
  /** What a line that does not parse does: refuse the whole body (InfluxDB 2) or skip that line (1.x, 3.x). */
  onParseError: 'reject' | 'skip';
  /** Write nothing when any line or point is refused (InfluxDB 3 accept_partial=false). */
  atomic?: boolean;
  /** Refuse a line that names the same field twice (InfluxDB 3). */
  rejectDuplicateFields?: boolean;
}

export interface WriteOutcome {
  /** Points stored. */
  written: number;
  parseErrors: LineError[];
  drops: Drop[];
  /** Non-blank, non-comment lines in the body. */
  lines: number;
  /** The body as parsed (for the ingest pipeline's observers: PointStore's WriteResult). */
  parsed?: LineBatch;
}

/** A coded error (HL_OVERLOADED, 503 with Retry-After), so HTTP renders it without knowing storage. */
export class OverloadedError extends HooklineError {
  constructor(readonly retryAfterSeconds: number) {
    super(ERRORS.OVERLOADED, 'write buffer full, retry later', { retryAfter: retryAfterSeconds });
  }
}

export class StoreClosedError extends Error {}

export const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };
