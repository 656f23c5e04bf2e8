// The last value of every field of every series, and when each series last
// wrote, kept in memory (InfluxDB 3's last-value cache:
// docs.influxdata.com/influxdb3/core/admin/last-value-cache/). Fed on write
// by the ingest pipeline's observer, rebuilt on start from the store (one
// last() query per field, see rebuild-last-values.ts). Device state and
// deadman checks read it; neither queries the store per evaluation.

import type { WrittenRow } from '../core/written-row.ts';
import type { FieldValue, Point } from '../core/point.ts';

export interface LastField {
  value: number | string | boolean;
  /** ms since the epoch. */
  time: number;
}

export interface LastSeries {
  tags: Record<string, string>;
  /** ms since the epoch of the newest point. */
  lastSeen: number;
  fields: Map<string, LastField>;
}

function plain(v: FieldValue): number | string | boolean {
  return typeof v.value === 'bigint' ? Number(v.value) : v.value;
}

function keyOf(tags: Array<[string, string]>): string {
  let k = '';
  for (const [a, b] of tags) k += `,${a}=${b}`;
  return k;
}

export class LastValueCache {
  /** bucket id -> measurement -> series key -> series. */
  private readonly buckets = new Map<string, Map<string, Map<string, LastSeries>>>();
  /** bucket id -> series key as written -> series (the hot path's lookup). */
  private readonly byRawKey = new Map<string, Map<string, LastSeries>>();

  /** The rows of one write (the hot path: a known series costs a map lookup and its field values). */
  recordRows(bucketId: string, visit: (fn: (r: WrittenRow) => void) => void, nowMs: number): void {
    let raw = this.byRawKey.get(bucketId);
    if (!raw) this.byRawKey.set(bucketId, (raw = new Map()));
    let ms = this.buckets.get(bucketId);
    if (!ms) this.buckets.set(bucketId, (ms = new Map()));
    const measurements = ms;
    const rawKeys = raw;
    visit((r) => {
      const t = Math.min(r.timeMs, nowMs);
      let s = rawKeys.get(r.key);
      if (!s) {
        const m = r.measurement();
        let series = measurements.get(m);
        if (!series) measurements.set(m, (series = new Map()));
        const tags = r.tags();
        const key = keyOf(tags);
        s = series.get(key);
        if (!s) series.set(key, (s = { tags: Object.fromEntries(tags), lastSeen: t, fields: new Map() }));
        rawKeys.set(r.key, s);
      }
      if (t > s.lastSeen) s.lastSeen = t;
      for (let j = 0; j < r.fieldCount; j++) {
        const name = r.fieldName(j);
        const f = s.fields.get(name);
        if (!f) s.fields.set(name, { value: r.fieldValue(j), time: t });
        else if (t >= f.time) {
          f.value = r.fieldValue(j);
          f.time = t;
        }
      }
    });
  }

  /** Points of one write; a point's time is capped at the write's (a future timestamp does not keep a device "online"). */
  record(bucketId: string, points: readonly Point[], nowMs: number): void {
    let ms = this.buckets.get(bucketId);
    if (!ms) this.buckets.set(bucketId, (ms = new Map()));
    for (const p of points) {
      const t = Math.min(p.sec * 1000 + Math.floor(p.nsec / 1e6), nowMs);
      let series = ms.get(p.measurement);
      if (!series) ms.set(p.measurement, (series = new Map()));
      const key = keyOf(p.tags);
      let s = series.get(key);
      if (!s) series.set(key, (s = { tags: Object.fromEntries(p.tags), lastSeen: t, fields: new Map() }));
      else if (t > s.lastSeen) s.lastSeen = t;
      for (const [name, v] of p.fields) {
        const f = s.fields.get(name);
        if (!f || t >= f.time) s.fields.set(name, { value: plain(v), time: t });
      }
    }
  }

  /** One field's last value from the store (rebuild); newer data already seen wins. */
  load(bucketId: string, measurement: string, tags: Record<string, string>, field: string, value: number | string | boolean, time: number): void {
    const pairs = Object.entries(tags)
      .filter(([, v]) => v !== '')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.record(bucketId, [{ measurement, tags: pairs, fields: [[field, typeof value === 'number' ? { type: 'float', value } : typeof value === 'boolean' ? { type: 'boolean', value } : { type: 'string', value }]], sec: Math.floor(time / 1000), nsec: (time % 1000) * 1e6 }], Number.MAX_SAFE_INTEGER);
  }

  series(bucketId: string, measurement: string): IterableIterator<LastSeries> | [] {
    return this.buckets.get(bucketId)?.get(measurement)?.values() ?? [];
  }

  measurements(bucketId: string): Array<[string, Map<string, LastSeries>]> {
    return [...(this.buckets.get(bucketId) ?? new Map<string, Map<string, LastSeries>>())];
  }

  dropBucket(bucketId: string): void {
    this.buckets.delete(bucketId);
    this.byRawKey.delete(bucketId);
  }
}
