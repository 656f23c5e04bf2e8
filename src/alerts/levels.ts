// Levels of a check, most severe first, as InfluxDB 2 names them (CRIT, WARN,
// INFO, OK: docs.influxdata.com/influxdb/v2/monitor-alert/checks/, "Check
// statuses"), lower-case in hookline's API. `error` is the check's own state
// when its query fails. Pure.

import { matches, type Comparison } from './comparison.ts';

export const LEVELS = ['crit', 'warn', 'info', 'ok'] as const;
export type Level = (typeof LEVELS)[number];
/** A series' level, or the check's own `error`. */
export type AnyLevel = Level | 'error';

export const NON_OK_LEVELS = ['crit', 'warn', 'info'] as const;
export type NonOkLevel = (typeof NON_OK_LEVELS)[number];

/** First match wins in the order crit, warn, info; else ok (InfluxDB 2 threshold checks). */
export function levelOf(value: number, levels: Partial<Record<NonOkLevel, Comparison>>): Level {
  for (const l of NON_OK_LEVELS) {
    const c = levels[l];
    if (c && matches(c, value)) return l;
  }
  return 'ok';
}
