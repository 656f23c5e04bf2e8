// The state of one series of a check, and how an observation moves it. The
// stored `level` is the level last *reported* (notified): a restart compares
// the next observation with it, so a state already notified is never sent
// again. `for` delays a report until the new level has held that long (the
// pending level and since when), as Prometheus' `for` and InfluxDB 2
// notification rules' "status changes" do. Pure.

import type { AnyLevel, Level } from './levels.ts';

export interface SeriesState {
  tags: Record<string, string>;
  /** Level last reported (a new series starts at ok, which is never reported). */
  level: AnyLevel;
  /** When `level` was reported (ms since the epoch). */
  since: number;
  /** Latest value seen (threshold: the query's; deadman: seconds since last seen). */
  value: number | null;
  /** A different level seen, not reported yet because `for` has not passed. */
  pending?: { level: Level; since: number };
  /** Deadman: when the series last wrote (ms). A series seen once is remembered. */
  lastSeen?: number;
}

export interface Change {
  previous: AnyLevel;
  level: AnyLevel;
}

/** The state after observing `level` now; `change` when a level is to be reported. */
export function step(prev: SeriesState | undefined, tags: Record<string, string>, level: Level, value: number | null, now: number, forMs: number): { state: SeriesState; change?: Change } {
  const cur: SeriesState = prev ? { ...prev, tags, value } : { tags, level: 'ok', since: now, value };
  if (level === cur.level) {
    delete cur.pending;
    return { state: cur };
  }
  if (forMs > 0) {
    const since = cur.pending?.level === level ? cur.pending.since : now;
    if (now - since < forMs) return { state: { ...cur, pending: { level, since } } };
  }
  const change = { previous: cur.level, level };
  const state: SeriesState = { ...cur, level, since: now };
  delete state.pending;
  return { state, change };
}

/** Stable key of a tag set (sorted by key). */
export function seriesKey(tags: Record<string, string>): string {
  const keys = Object.keys(tags);
  if (keys.length === 1) return `${keys[0]}=${tags[keys[0]]}`;
  return keys
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(',');
}
