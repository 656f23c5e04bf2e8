// The per-bucket series limit (HOOKLINE_MAX_SERIES_PER_BUCKET), InfluxDB 1.x's
// max-series-per-database: a point that would create a series beyond it is
// dropped, the others are written. The count covers every series of the
// bucket, in memory or only in files (SeriesFingerprints per measurement).

export class SeriesBudget {
  /** Series of the bucket, every measurement together. */
  count = 0;

  constructor(
    /** 0 = unlimited. */
    readonly limit: number,
  ) {}

  /** True when one more series fits. */
  admits(): boolean {
    return this.limit <= 0 || this.count < this.limit;
  }

  /**
   * InfluxDB 1.x's reason (tsdb/index/inmem/inmem.go errMaxSeriesPerDatabaseExceeded:
   * "max-series-per-database limit exceeded: (%d)"); the write answer wraps it
   * as "partial write: ... dropped=N".
   */
  message(): string {
    return `max-series-per-database limit exceeded: (${this.limit})`;
  }
}
