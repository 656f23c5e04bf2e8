// Rollups: per series and per time bucket, the count, sum, min, max, first
// and last of each numeric field, which an engine may keep beside its points
// so that mean/sum/count/min/max/first/last over GROUP BY time() windows are
// answered without reading the points (issue 15). What VictoriaMetrics'
// rollup cache and InfluxDB's downsampled tiers do for dashboards; here they
// are derived from the immutable files, so they are never stale.
//
// The contract is exactness: an engine answers only when every point the
// query would read is counted exactly once (no pending delete or overwrite,
// no bucket cut by the range, no retention edge inside it), and otherwise
// says `undefined`, and the caller reads the points as before.

/** One numeric field's aggregates per (series, window), in parallel arrays indexed by slot (RollupResult). */
export interface RollupFieldStats {
  count: Float64Array;
  /** Sum of the values, scaled by 10^scale (RollupResult.scales): an exact integer unless the scale is -1. */
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** Time (ns) and value of the first and last point; only when RollupQuery.points. */
  firstT?: BigInt64Array;
  firstV?: Float64Array;
  lastT?: BigInt64Array;
  lastV?: Float64Array;
}


export interface RollupQuery {
  /** Numeric fields to aggregate. */
  fields: string[];
  /** Tag keys the series' tags are reported and filtered by. */
  tagKeys: string[];
  /** Whether a series (tag values in tagKeys order, null = missing) is read. */
  accept(tags: ReadonlyArray<string | null>): boolean;
  /**
   * A stable name of `accept` (the same name, the same verdicts), so that an
   * engine may remember its verdicts per file across queries: a dashboard
   * asks the same filter on every refresh.
   */
  acceptKey?: string;
  /** Inclusive bounds, ns; absent: unbounded. */
  minNs?: bigint;
  maxNs?: bigint;
  /** Windows: index = floor((t - offsetNs) / everyNs); everyNs absent: one window (index 0). */
  everyNs?: bigint;
  offsetNs?: bigint;
  /** Whether the first and last point of each window are wanted (first(), last()). */
  points?: boolean;
  /**
   * The query groups series by the first `groupBy` of tagKeys (GROUP BY
   * tags; 0: all series together): the engine may add up each group
   * instead of each series, and report one entry per group (and maybe a
   * few, to be merged by the caller). Absent: one entry per series.
   */
  groupBy?: number;
}

/** Series s (tag values in RollupQuery.tagKeys order, null where it lacks a key) holds slots [start[s], start[s + 1]), one per window with points, windows ascending. */
export interface RollupResult {
  tags: Array<Array<string | null>>;
  start: Int32Array;
  /** Window index of each slot. */
  windows: Float64Array;
  /** Per requested field (RollupQuery.fields order), over every slot. */
  fields: RollupFieldStats[];
  /**
   * Per field: sums are integers scaled by 10^scale (a float stored as a
   * decimal, an integer at 0), exact while below 2^53; -1: plain float sums.
   */
  scales: number[];
}

export interface RollupReader {
  /**
   * The aggregates per series and window, or undefined when they cannot be
   * exact (see above) or the engine keeps none for these fields. Never
   * approximate.
   */
  read(q: RollupQuery): Promise<RollupResult | undefined>;
}
