// What the alerts module needs from the rest of hookline, as narrow functions
// server.ts hands it (it never sees the store, the query engines or the event
// hub themselves): run a query in one bucket, publish an event in an org,
// write status points, the last-value cache, and two collections.

import type { Collection } from '../core/ports/collection.ts';
import type { Point } from '../core/point.ts';
import type { CheckDoc } from './check-spec.ts';
import type { LastValueCache } from './last-value-cache.ts';
import type { SeriesState } from './series-state.ts';

/** One series of an InfluxQL answer (query/influxql's ResultSeries, structurally). */
export interface RawSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface QueryRunner {
  /** InfluxQL over one bucket of the org, with read on that bucket only; statement errors throw. */
  influxql(orgId: string, bucketId: string, q: string): Promise<RawSeries[]>;
  /** SQL over one bucket, in the sandbox. */
  sql(orgId: string, bucketId: string, q: string): Promise<{ columns: string[]; rows: unknown[][] }>;
}

/** The current state of one check, persisted when something that must survive a restart changes. */
export interface CheckStateDoc {
  checkId: string;
  orgId: string;
  series: Record<string, SeriesState>;
  /** The check's own failure (its query failed), reported once. */
  error?: { message: string; since: number };
  lastRun?: number;
}

export interface AlertsLimits {
  maxChecksPerOrg: number;
  maxSeriesPerCheck: number;
  minEveryMs: number;
  maxMessageBytes: number;
  maxQueryBytes: number;
  /** Evaluations running at once (the rest wait their turn, which is their lag). */
  concurrency: number;
  /** false: checks are stored and served but not evaluated here (HOOKLINE_RUN_CHECKS, another node runs them). */
  run: boolean;
  /** Several nodes: true while this node holds the cluster's scheduler lease (cluster/lease.ts); checks run on that node only. */
  runsHere?: () => boolean;
}

export interface AlertsLog {
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export interface AlertsDeps {
  checks: Collection<CheckDoc>;
  states: Collection<CheckStateDoc>;
  lastValues: LastValueCache;
  queries: QueryRunner;
  /** Publishes an event in the org as the API would (it triggers integrations); resolves once its deliveries are queued. */
  publish(orgId: string, name: string, data: string): Promise<void>;
  /** Writes points into the org's `_monitoring` bucket (made on first use). */
  writeStatuses(orgId: string, points: Point[]): Promise<void>;
  /** The org's `_monitoring` bucket id, if it exists yet. */
  monitoringBucket(orgId: string): string | undefined;
  /** Measurements of a bucket (the last-value cache is rebuilt from them on start). */
  measurements(bucketId: string): string[];
  /** Every bucket of every org, but `_monitoring` (rebuild on start). */
  buckets(): Array<{ orgId: string; bucketId: string }>;
  limits: AlertsLimits;
  /** How far back the last-value cache looks on start (HOOKLINE_DEVICE_STATE_LOOKBACK), ms. */
  lookbackMs: number;
  log: AlertsLog;
  now?: () => number;
}
