// One measurement of one bucket: its schema (tag keys and typed fields, each
// with a stable ordinal), its series, and its memtables.
//
// Field types are fixed per measurement for the life of the bucket, as in
// InfluxDB 3's catalog (InfluxDB 1.x/2.x fix them per shard; see
// docs/storage.md for why hookline follows 3.x here).

import { FieldType } from '../core/field-type.ts';
import { canonicalSeriesKey } from '../core/series-key.ts';
import { Memtable, type Tombstone } from './memtable/memtable.ts';
import type { SeriesRegistry } from './series/series-registry.ts';
import type { FileEntry } from './catalog.ts';
import { ByteKeyMap } from './series/byte-key-map.ts';
import type { SeriesBudget } from './series/series-budget.ts';
import { SeriesFingerprints } from './series/series-fingerprints.ts';

export { canonicalSeriesKey };

export interface FieldDef {
  name: string;
  type: FieldType;
  ordinal: number;
}

export class Measurement {
  tagKeys: string[] = [];
  readonly tagOrdinal = new Map<string, number>();
  fields: FieldDef[] = [];
  readonly fieldByName = new Map<string, FieldDef>();
  /** Raw (still escaped) field-key bytes -> field ordinal. */
  readonly rawFields = new ByteKeyMap();
  /**
   * Raw series-key bytes -> series id. Several raw spellings (tag order,
   * escapes) may map to one series. Started afresh when series are released.
   */
  rawSeries = new ByteKeyMap();
  /** Canonical key -> id of the series held in memory. */
  readonly seriesByKey = new Map<string, number>();
  /** The series held in memory, in creation order (released ones leave it). */
  series: number[] = [];
  /** Bumped whenever `series` loses entries, so the hot copy is rebuilt. */
  seriesEpoch = 0;
  /** Every series this measurement has, in memory or only in files: what the series limit counts. */
  fingerprints = new SeriesFingerprints();
  /**
   * The newest persisted time of any series that is known but not held in
   * memory (released after a flush, or only in files after a restart): such a
   * series, written again, may overwrite a stored point up to this time.
   */
  releasedSec = -Infinity;
  releasedNsec = 0;
  active: Memtable;
  immutable: Memtable | undefined;
  /** Unresolved tombstones of every memtable generation, by "sid:sec:nsec". */
  readonly tombstones = new Map<string, Tombstone>();
  /** Persisted points older than this (unix seconds) are not tracked per series: treat as possibly present. */
  horizonSec = -Infinity;
  /** Parquet files of this measurement, as the catalog lists them. */
  files: FileEntry[] = [];
  /** Bumped whenever `tombstones` changes, so the hot copy is rebuilt. */
  tombstoneVersion = 0;
  /** True once the catalog holds this measurement (it has files). */
  persisted = false;
  /** Number of tag keys / fields the catalog already holds. */
  persistedTags = 0;
  persistedFields = 0;

  constructor(
    readonly id: number,
    readonly bucketId: string,
    readonly name: string,
    readonly index: number,
    private readonly registry: SeriesRegistry,
    gen: number,
    /** The bucket's series count and limit. */
    readonly budget: SeriesBudget,
  ) {
    this.active = new Memtable(gen, registry);
  }

  tagOrdinalOf(key: string): number {
    let o = this.tagOrdinal.get(key);
    if (o === undefined) {
      o = this.tagKeys.length;
      this.tagKeys.push(key);
      this.tagOrdinal.set(key, o);
    }
    return o;
  }

  addField(name: string, type: FieldType): FieldDef {
    const def: FieldDef = { name, type, ordinal: this.fields.length };
    this.fields.push(def);
    this.fieldByName.set(name, def);
    return def;
  }

  /**
   * Series id for a tag set (sorted by key), taking it into memory when it is
   * not there. -1 when it would be a new series of a bucket at its series limit.
   */
  seriesFor(tags: Array<[string, string]>): number {
    const key = canonicalSeriesKey(this.name, tags);
    let sid = this.seriesByKey.get(key);
    if (sid !== undefined) return sid;
    const known = this.fingerprints.has(key);
    if (!known) {
      if (!this.budget.admits()) return -1;
      this.fingerprints.addLast();
      this.budget.count++;
    }
    const values: Array<string | null> = [];
    for (const [k, v] of tags) values[this.tagOrdinalOf(k)] = v;
    for (let i = 0; i < values.length; i++) if (values[i] === undefined) values[i] = null;
    sid = this.registry.add(this.index, key, values);
    // A series known before may have points stored up to the released mark.
    if (known) this.registry.markPersisted(sid, this.releasedSec, this.releasedNsec);
    this.seriesByKey.set(key, sid);
    this.series.push(sid);
    return sid;
  }

  /** Records that a known series (in files) is not held in memory. */
  markReleased(sec: number, nsec: number): void {
    if (sec > this.releasedSec || (sec === this.releasedSec && nsec > this.releasedNsec)) {
      this.releasedSec = sec;
      this.releasedNsec = nsec;
    }
  }

  tagValue(sid: number, ordinal: number): string | null {
    return this.registry.tagValues[sid]?.[ordinal] ?? null;
  }

  /** Points held in memory (active + immutable). */
  get memRows(): number {
    return this.active.rows + (this.immutable?.rows ?? 0);
  }
}

export function tombstoneKey(sid: number, sec: number, nsec: number): string {
  return sid + ':' + sec + ':' + nsec;
}
