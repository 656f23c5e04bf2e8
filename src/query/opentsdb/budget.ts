// The same budgets as InfluxQL's max-select-* (HOOKLINE_MAX_SELECT_POINT,
// _SERIES, _BUCKETS) for /api/query, in OpenTSDB's words: data points read
// into memory (OpenTSDB 2.4's own tsd.query.limits.data_points answer, 413
// "Sorry, you have attempted to fetch more than our limit of N data points.
// ..."), series, and downsample buckets that FillingDownsampler fills. 0 is
// unlimited. Buckets are checked before any SQL runs, points with a LIMIT on
// the SQL, series and filled buckets before a bucket is built.

import { QueryError } from '../../core/errors.ts';

export interface TsLimits {
  maxBuckets: number;
  maxPoints: number;
  maxSeries: number;
}

const TOO_LARGE = 413;

export class TsBudget {
  points = 0;
  series = 0;
  buckets = 0;

  constructor(readonly limits: TsLimits) {}

  /** Rows the next SQL may return: what is left of the point budget, +1 to tell "over". */
  rowCap(): number | undefined {
    const max = this.limits.maxPoints;
    return max > 0 ? Math.max(0, max - this.points) + 1 : undefined;
  }

  addPoints(n: number): void {
    this.points += n;
    const max = this.limits.maxPoints;
    if (max > 0 && this.points > max) {
      throw new QueryError(`Sorry, you have attempted to fetch more than our limit of ${max} data points. Please try filtering using more tags or decrease your time range.`, TOO_LARGE);
    }
  }

  addSeries(n: number): void {
    this.series += n;
    const max = this.limits.maxSeries;
    if (max > 0 && this.series > max) {
      throw new QueryError(`Sorry, you have attempted to fetch more than our limit of ${max} time series (${this.series}). Please try filtering using more tags or decrease your time range.`, TOO_LARGE);
    }
  }

  /** Downsample buckets about to be filled (per series, or series x buckets). */
  addBuckets(n: number): void {
    this.buckets += n;
    this.checkBuckets(this.buckets);
  }

  checkBuckets(n: number): void {
    const max = this.limits.maxBuckets;
    if (max > 0 && n > max) {
      throw new QueryError(`Sorry, you have attempted to fetch more than our limit of ${max} downsample buckets (${n}). Please use a larger downsample interval or decrease your time range.`, TOO_LARGE);
    }
  }
}

/** Buckets FillingDownsampler fills for one series (pipeline.ts fillBuckets), 0 when it fills none. */
export function filledBuckets(intervalMs: number | 'all', fill: string, startMs: number, endMs: number): number {
  if (fill === 'none' || intervalMs === 'all') return 0;
  const first = startMs - (((startMs % intervalMs) + intervalMs) % intervalMs);
  return endMs >= first ? Math.floor((endMs - first) / intervalMs) + 1 : 0;
}
