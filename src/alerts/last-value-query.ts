// The common threshold query, answered from the last-value cache instead of
// the store: `SELECT last("f") FROM "m" WHERE time > now() - 5m GROUP BY
// "device"` (or GROUP BY *) asks exactly what the cache holds, the newest
// value per series (InfluxDB 3 serves it from its last-value cache the same
// way: docs.influxdata.com/influxdb3/core/admin/last-value-cache/). A check
// of this shape costs microseconds per series, so 1 000 checks over 1 000
// series each fit in a 10 s period on 2 cores (bench/checks.ts); any other
// query runs through the query engine. Only a window within the cache's
// lookback qualifies. Pure.

import { parseDuration } from '../config/parse-values.ts';
import type { LastValueCache } from './last-value-cache.ts';
import type { SeriesValue } from './series-values.ts';

export interface LastQuery {
  field: string;
  measurement: string;
  windowMs: number;
  /** Tag keys, or every tag. */
  groupBy: string[] | '*';
}

const IDENT = String.raw`(?:"([^"\\]+)"|([A-Za-z_][A-Za-z0-9_]*))`;
const RE = new RegExp(
  String.raw`^\s*SELECT\s+last\(\s*${IDENT}\s*\)(?:\s+AS\s+${IDENT})?\s+FROM\s+${IDENT}\s+WHERE\s+time\s*>\s*now\(\)\s*-\s*(\d+(?:ns|us|µs|ms|s|m|h|d|w))\s+GROUP\s+BY\s+(\*|${IDENT}(?:\s*,\s*${IDENT})*)\s*;?\s*$`,
  'i',
);
const TAG_RE = new RegExp(IDENT, 'g');

export function parseLastQuery(q: string): LastQuery | undefined {
  const m = RE.exec(q);
  if (!m) return undefined;
  const field = m[1] ?? m[2];
  const measurement = m[5] ?? m[6];
  const windowMs = parseDuration(m[7]);
  const g = m[8];
  if (g === '*') return { field, measurement, windowMs, groupBy: '*' };
  const groupBy: string[] = [];
  for (const t of g.matchAll(TAG_RE)) groupBy.push(t[1] ?? t[2]);
  // GROUP BY time(...) is not a tag list.
  if (groupBy.some((x) => x.toLowerCase() === 'time')) return undefined;
  return { field, measurement, windowMs, groupBy };
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** Per group, the value of the series that wrote `field` last within the window (InfluxQL's last() over the group). */
export function lastFromCache(lvc: LastValueCache, bucketId: string, q: LastQuery, now: number): SeriesValue[] {
  const since = now - q.windowMs;
  const groups = new Map<string, { tags: Record<string, string>; time: number; value: number | null }>();
  for (const s of lvc.series(bucketId, q.measurement)) {
    const f = s.fields.get(q.field);
    if (!f || f.time <= since) continue;
    let tags: Record<string, string>;
    let key: string;
    if (q.groupBy === '*') {
      tags = s.tags;
      key = JSON.stringify(s.tags);
    } else {
      tags = {};
      key = '';
      // A missing tag groups as "" (InfluxQL's GROUP BY does the same).
      for (const g of q.groupBy) {
        tags[g] = s.tags[g] ?? '';
        key += `${tags[g]}\u0000`;
      }
    }
    const cur = groups.get(key);
    if (!cur || f.time > cur.time) groups.set(key, { tags, time: f.time, value: num(f.value) });
  }
  return [...groups.values()].map(({ tags, value }) => ({ tags, value }));
}
