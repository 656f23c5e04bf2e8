// Every measurement the store knows, by bucket and name. Measurement ids are
// stable (the catalog and file paths use them); a dropped measurement's id is
// never reused.

import { Measurement } from './measurement.ts';
import type { SeriesRegistry } from './series/series-registry.ts';
import { ByteKeyMap } from './series/byte-key-map.ts';
import { SeriesBudget } from './series/series-budget.ts';
import type { BucketSchema } from './write/plan-write.ts';

export interface BucketState extends BucketSchema {
  id: string;
  measurements: Map<string, Measurement>;
  /** The bucket's series count against HOOKLINE_MAX_SERIES_PER_BUCKET. */
  series: SeriesBudget;
}

export class MeasurementIndex {
  /** Every measurement of every bucket. */
  readonly all: Measurement[] = [];
  private readonly buckets = new Map<string, BucketState>();
  nextId = 1;

  constructor(
    private readonly registry: SeriesRegistry,
    /** The current memtable generation, for a new measurement's first memtable. */
    private readonly gen: () => number,
    /** Series a bucket may hold (0 = unlimited). */
    private readonly maxSeriesPerBucket = 0,
  ) {}

  /** A bucket's state, created empty on first use. */
  bucket(id: string): BucketState {
    let b = this.buckets.get(id);
    if (!b) {
      const state: BucketState = {
        id,
        measurements: new Map(),
        series: new SeriesBudget(this.maxSeriesPerBucket),
        rawMeasurements: new ByteKeyMap(),
        list: [],
        measurement: (name) => state.measurements.get(name) ?? this.create(state, name),
      };
      b = state;
      this.buckets.set(id, b);
    }
    return b;
  }

  create(b: BucketState, name: string, id?: number): Measurement {
    const mid = id ?? this.nextId++;
    if (mid >= this.nextId) this.nextId = mid + 1;
    const m = new Measurement(mid, b.id, name, this.all.length, this.registry, this.gen(), b.series);
    this.all.push(m);
    b.measurements.set(name, m);
    return m;
  }

  /** The measurement named so, whether or not it holds data. */
  get(bucketId: string, name: string): Measurement | undefined {
    return this.buckets.get(bucketId)?.measurements.get(name);
  }

  /** Measurements of a bucket that hold data, by name. */
  withData(bucketId: string): Measurement[] {
    const b = this.buckets.get(bucketId);
    if (!b) return [];
    return [...b.measurements.values()].filter(hasData).sort((x, y) => (x.name < y.name ? -1 : 1));
  }

  /** Drops a measurement (its catalog rows are gone): a later write starts it afresh, field types included. */
  forget(m: Measurement): void {
    const b = this.bucket(m.bucketId);
    b.measurements.delete(m.name);
    // Its series no longer count against the bucket's limit.
    b.series.count -= m.fingerprints.size;
    // The raw-name cache points at list positions: start it afresh.
    b.rawMeasurements = new ByteKeyMap();
    b.list = [];
    this.all.splice(this.all.indexOf(m), 1);
  }

  /** Drops a bucket; answers its measurements. */
  removeBucket(bucketId: string): Measurement[] {
    const b = this.buckets.get(bucketId);
    if (!b) return [];
    const ms = [...b.measurements.values()];
    this.buckets.delete(bucketId);
    for (const m of ms) this.all.splice(this.all.indexOf(m), 1);
    return ms;
  }
}

export function hasData(m: Measurement): boolean {
  return m.files.length > 0 || m.memRows > 0;
}
