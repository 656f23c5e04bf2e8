// One evaluation of one check: observations in, the next state and the
// changes to report out. Pure (the clock is passed in); check-runner.ts does
// the I/O around it.
// Deadman: a series silent for `staleAfter` is at the check's level, as
// InfluxDB 2's deadman check (docs.influxdata.com/influxdb/v2/monitor-alert/checks/create/,
// "Deadman check"); its value is the seconds since it last wrote. A series
// seen once stays in the state, so one that went silent across a restart is
// still noticed.

import { parseComparison, type Comparison } from './comparison.ts';
import { durationMs, type CheckDoc } from './check-spec.ts';
import type { LastValueCache } from './last-value-cache.ts';
import { levelOf, type AnyLevel, type Level, type NonOkLevel } from './levels.ts';
import type { CheckStateDoc } from './ports.ts';
import { seriesKey, step, type SeriesState } from './series-state.ts';
import type { SeriesValue } from './series-values.ts';

export interface Notification {
  tags: Record<string, string>;
  level: AnyLevel;
  previous: AnyLevel;
  value: number | null;
}

export interface Evaluation {
  state: CheckStateDoc;
  changes: Notification[];
  /** Something that must survive a restart changed (a reported level, a pending one, a new series). */
  dirty: boolean;
}

export function comparisons(check: CheckDoc): Partial<Record<NonOkLevel, Comparison>> {
  const out: Partial<Record<NonOkLevel, Comparison>> = {};
  for (const [k, v] of Object.entries(check.levels ?? {})) {
    const c = parseComparison(v);
    if (typeof c !== 'string') out[k as NonOkLevel] = c;
  }
  return out;
}

/** Levels each series would be at now (threshold), without state: the preview. */
export function thresholdLevels(check: CheckDoc, values: SeriesValue[]): Array<SeriesValue & { level: Level }> {
  const cs = comparisons(check);
  return values.map((v) => ({ ...v, level: v.value === null ? 'ok' : levelOf(v.value, cs) }));
}

/** Deadman series of a check from the last-value cache and the remembered ones: tags -> last seen (ms). */
export function deadmanSeen(check: CheckDoc, lvc: LastValueCache, prev: CheckStateDoc | undefined): Map<string, { tags: Record<string, string>; lastSeen: number }> {
  const out = new Map<string, { tags: Record<string, string>; lastSeen: number }>();
  const all = check.measurement === undefined ? lvc.measurements(check.bucketId).flatMap(([, m]) => [...m.values()]) : lvc.series(check.bucketId, check.measurement);
  for (const s of all) {
    if (check.tags && Object.entries(check.tags).some(([k, v]) => s.tags[k] !== v)) continue;
    let seen = s.lastSeen;
    if (check.field) {
      const f = s.fields.get(check.field);
      if (!f) continue;
      seen = f.time;
    }
    // A series without a group-by tag is not one of the things watched (no device tag: not a device).
    if ((check.groupBy ?? []).some((g) => !s.tags[g])) continue;
    const tags: Record<string, string> = {};
    for (const g of check.groupBy ?? []) tags[g] = s.tags[g];
    const key = seriesKey(tags);
    const cur = out.get(key);
    if (!cur || seen > cur.lastSeen) out.set(key, { tags, lastSeen: seen });
  }
  for (const [key, s] of Object.entries(prev?.series ?? {})) {
    if (s.lastSeen === undefined) continue;
    const cur = out.get(key);
    if (!cur) out.set(key, { tags: s.tags, lastSeen: s.lastSeen });
    else if (s.lastSeen > cur.lastSeen) cur.lastSeen = s.lastSeen;
  }
  return out;
}

export function evaluateDeadman(check: CheckDoc, lvc: LastValueCache, prev: CheckStateDoc | undefined, now: number): Evaluation {
  const stale = durationMs(check.staleAfter);
  const forMs = durationMs(check.for);
  const observations = [...deadmanSeen(check, lvc, prev)].map(([key, s]) => ({
    key,
    tags: s.tags,
    lastSeen: s.lastSeen,
    level: (now - s.lastSeen > stale ? check.level! : 'ok') as Level,
    value: Math.max(0, Math.round(now - s.lastSeen) / 1000),
  }));
  return apply(check, prev, observations, now, forMs);
}

export function evaluateThreshold(check: CheckDoc, values: SeriesValue[], prev: CheckStateDoc | undefined, now: number): Evaluation {
  const cs = comparisons(check);
  const observations: Observation[] = [];
  for (const v of values) if (v.value !== null) observations.push({ key: seriesKey(v.tags), tags: v.tags, level: levelOf(v.value, cs), value: v.value });
  return apply(check, prev, observations, now, durationMs(check.for));
}

interface Observation {
  key: string;
  tags: Record<string, string>;
  level: Level;
  value: number | null;
  lastSeen?: number;
}

/** The check's query failed: its own state is `error`, reported once. */
export function evaluateError(check: CheckDoc, prev: CheckStateDoc | undefined, message: string, now: number): Evaluation {
  const state: CheckStateDoc = { ...(prev ?? { checkId: check.id, orgId: check.orgId, series: {} }), lastRun: now };
  if (prev?.error) return { state: { ...state, error: { ...prev.error, message } }, changes: [], dirty: prev.error.message !== message };
  state.error = { message, since: now };
  return { state, changes: [{ tags: {}, level: 'error', previous: 'ok', value: null }], dirty: true };
}

/**
 * The next state. The previous state's series record is reused and updated in
 * place (1 000 checks over 1 000 series each are 100 000 series a second at a
 * 10 s period: copying them was most of an evaluation's cost); only values,
 * lastSeen and changed series move, and the caller replaces the previous state
 * with this one.
 */
function apply(check: CheckDoc, prev: CheckStateDoc | undefined, observations: Observation[], now: number, forMs: number): Evaluation {
  const series: Record<string, SeriesState> = prev?.series ?? {};
  const changes: Notification[] = [];
  let dirty = false;
  // Back from an error: reported once, as the error was.
  if (prev?.error) {
    changes.push({ tags: {}, level: 'ok', previous: 'error', value: null });
    dirty = true;
  }
  for (const o of observations) {
    const before = series[o.key];
    // The common case: the level it was reported at, nothing pending.
    if (before && before.level === o.level && !before.pending) {
      before.value = o.value;
      if (o.lastSeen !== undefined) before.lastSeen = o.lastSeen;
      continue;
    }
    const { state, change } = step(before, o.tags, o.level, o.value, now, forMs);
    if (o.lastSeen !== undefined) state.lastSeen = o.lastSeen;
    // What must survive a restart: a reported or pending level, a deadman series seen (remembered).
    // A threshold series first seen at ok is not (ok is where every series starts).
    if (change || before?.pending?.level !== state.pending?.level || (!before && o.lastSeen !== undefined)) dirty = true;
    series[o.key] = state;
    if (change) changes.push({ tags: o.tags, level: change.level, previous: change.previous, value: o.value });
  }
  const state: CheckStateDoc = { checkId: check.id, orgId: check.orgId, series, lastRun: now };
  return { state, changes, dirty };
}
