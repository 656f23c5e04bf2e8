// After a flush, the series that have no rows left in memory are released
// from the registry: their tag value strings, canonical key, key maps and hot
// copy go, and their ids are reused. What stays is a 64-bit fingerprint
// (series-fingerprints.ts), so the series limit still counts them, and the
// measurement's released high-water mark, so a write to such a series later
// still finds and merges a stored point at the same time (apply-write.ts).
//
// Queries never needed the released strings: SHOW SERIES, SHOW TAG VALUES and
// cardinality read the tag columns of the files (query/influxql/meta/
// series-set.ts), and the hot tables only join series that have rows in memory.
// What is lost is the creation order of released series, which InfluxQL uses
// for 1.x's float summation order on small relations; they sort after the
// series still in memory (last-bit differences at most).

import { ByteKeyMap } from './byte-key-map.ts';
import type { Measurement } from '../measurement.ts';
import type { SeriesRegistry } from './series-registry.ts';

/**
 * Releases the idle series of `ms`. Call with writes excluded (a planned but
 * not yet applied write may name a series that has no row yet). Answers how
 * many were released.
 */
export function releaseIdleSeries(ms: Iterable<Measurement>, registry: SeriesRegistry): number {
  const busy = new Uint8Array(registry.size);
  let released = 0;
  for (const m of ms) {
    if (m.series.length === 0) continue;
    for (const sid of m.active.sids) busy[sid] = 1;
    if (m.immutable) for (const sid of m.immutable.sids) busy[sid] = 1;
    for (const t of m.tombstones.values()) busy[t.sid] = 1;
    const kept: number[] = [];
    for (const sid of m.series) {
      if (busy[sid] === 1) {
        kept.push(sid);
        continue;
      }
      m.markReleased(registry.persistedSec[sid], registry.persistedNsec[sid]);
      m.seriesByKey.delete(registry.canonicalKey[sid]!);
      registry.release(sid);
      released++;
    }
    for (const sid of kept) busy[sid] = 0;
    if (kept.length === m.series.length) continue;
    m.series = kept;
    m.seriesEpoch++;
    // Raw spellings of the kept series are learnt again on their next write.
    m.rawSeries = new ByteKeyMap();
  }
  return released;
}

/** Releases every series of measurements that are gone (dropped, or their bucket deleted). */
export function releaseAllSeries(ms: Iterable<Measurement>, registry: SeriesRegistry): void {
  for (const m of ms) {
    for (const sid of m.series) registry.release(sid);
    m.series = [];
    m.seriesByKey.clear();
    m.seriesEpoch++;
    m.rawSeries = new ByteKeyMap();
  }
}
