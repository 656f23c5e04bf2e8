// What one InfluxQL request (all its statements) may build in the JavaScript heap: InfluxDB
// 1.x's coordinator limits, with its own error texts (query/compile.go,
// tsdb/engine/tsm1/engine.go, query/errors.go ErrMaxSelectPointsLimitExceeded):
//   max-select-buckets  "max-select-buckets limit exceeded: (N/M)"
//   max-select-point    "max-select-point limit exceeed: (N/M)" (sic, 1.x's typo)
//   max-select-series   "max-select-series limit exceeded: (N/M)"
// InfluxDB streams its windows; hookline assembles a statement's series in
// memory (assemble.ts), so the budgets count what is built there: windows
// times series for GROUP BY time(), rows for raw selects, result series. 0 is
// unlimited, as in InfluxDB. The deadline (HOOKLINE_QUERY_TIMEOUT) covers the
// JS side too: DuckDB's interrupt only stops the SQL.

import { QueryError } from '../condition.ts';
import { TimeSlicer } from '../../time-slice.ts';

export interface SelectLimits {
  /** Windows x series a GROUP BY time() statement may build (1.x max-select-buckets counts windows per series). */
  maxBuckets: number;
  /** Rows a raw (non-aggregate) statement may read. */
  maxPoints: number;
  /** Result series (GROUP BY tag sets) a statement may build. */
  maxSeries: number;
}

export const UNLIMITED: SelectLimits = { maxBuckets: 0, maxPoints: 0, maxSeries: 0 };

export const bucketsExceeded = (n: bigint | number, max: number) => new QueryError(`max-select-buckets limit exceeded: (${n}/${max})`);
export const pointsExceeded = (n: bigint | number, max: number) => new QueryError(`max-select-point limit exceeed: (${n}/${max})`);
export const seriesExceeded = (n: bigint | number, max: number) => new QueryError(`max-select-series limit exceeded: (${n}/${max})`);

/** One request's running totals against its limits (shared by its statements and their subqueries). */
export class SelectBudget {
  buckets = 0n;
  points = 0;
  series = 0;
  private readonly deadline: number;
  /** Slices of the JS work (assembly): the loop yields between them, and the deadline is checked at each. */
  readonly slicer = new TimeSlicer(() => this.checkDeadline());

  constructor(
    readonly limits: SelectLimits,
    readonly timeoutMs: number,
  ) {
    this.deadline = Date.now() + timeoutMs;
  }

  /** Compile time, before any SQL runs (1.x checks when it prepares the statement): windows of one series. */
  checkWindows(perSeries: bigint): void {
    const max = this.limits.maxBuckets;
    if (max > 0 && perSeries > BigInt(max)) throw bucketsExceeded(perSeries, max);
  }

  /** Windows about to be built for one more series. */
  addWindows(n: bigint): void {
    this.buckets += n;
    const max = this.limits.maxBuckets;
    if (max > 0 && this.buckets > BigInt(max)) throw bucketsExceeded(this.buckets, max);
  }

  addPoints(n: number): void {
    this.points += n;
    const max = this.limits.maxPoints;
    if (max > 0 && this.points > max) throw pointsExceeded(this.points, max);
  }

  addSeries(n: number): void {
    this.series += n;
    const max = this.limits.maxSeries;
    if (max > 0 && this.series > max) throw seriesExceeded(this.series, max);
  }

  /**
   * Rows the next SQL statement may return before its kind of budget is
   * exhausted, plus one (to tell "exactly full" from "over"); undefined when
   * unlimited. Aggregates with GROUP BY time() return windows, without it one
   * row per series; raw selects return points.
   */
  rowCap(kind: 'windows' | 'series' | 'points'): number | undefined {
    const { maxBuckets, maxSeries, maxPoints } = this.limits;
    if (kind === 'windows') return maxBuckets > 0 ? Math.max(0, maxBuckets - Number(this.buckets)) + 1 : undefined;
    if (kind === 'series') return maxSeries > 0 ? Math.max(0, maxSeries - this.series) + 1 : undefined;
    return maxPoints > 0 ? Math.max(0, maxPoints - this.points) + 1 : undefined;
  }

  /** The SQL returned more rows than its cap: the error, with the statement's total (`total` rows in all). */
  overCap(kind: 'windows' | 'series' | 'points', total: number): QueryError {
    const { maxBuckets, maxSeries, maxPoints } = this.limits;
    if (kind === 'windows') return bucketsExceeded(this.buckets + BigInt(total), maxBuckets);
    if (kind === 'series') return seriesExceeded(this.series + total, maxSeries);
    return pointsExceeded(this.points + total, maxPoints);
  }

  checkDeadline(): void {
    if (Date.now() > this.deadline) throw new QueryError(`query exceeded ${this.timeoutMs} ms`);
  }
}
