// "Create a dashboard from this query" on the explorer: the query it runs,
// with its fixed time range and window turned back into the dashboard's
// variables ($timeFilter, $__interval), so the panel follows the dashboard's
// time picker instead of the moment it was copied.

import type { Dashboard } from './dashboard-model.ts';
import type { PanelLanguage } from './dashboard-vars.ts';
import { formatDuration } from './interval.ts';
import type { TimeRange } from './time-range.ts';

export function templateQuery(query: string, language: PanelLanguage, autoWindow: boolean): string {
  let q = query;
  if (language === 'influxql') {
    q = q.replace(/time >= \d+ms AND time <= \d+ms/i, '$timeFilter');
    if (autoWindow) q = q.replace(/GROUP BY time\(\d+(?:ms|s|m|h|d|w)\)/i, 'GROUP BY time($__interval)');
  } else if (language === 'sql') {
    q = q.replace(/time >= TIMESTAMP '[^']*' AND time <= TIMESTAMP '[^']*'/i, '$__timeFilter');
    if (autoWindow) q = q.replace(/INTERVAL '\d+ \w+'/i, "INTERVAL '$__interval'");
  }
  return q;
}

export function dashboardFromQuery(input: { name: string; language: PanelLanguage; bucket: string; query: string; range: TimeRange; autoWindow: boolean }): Dashboard {
  const time =
    input.range.kind === 'relative' ? { from: `now-${formatDuration(input.range.lastMs)}`, to: 'now' } : { from: new Date(input.range.fromMs).toISOString(), to: new Date(input.range.toMs).toISOString() };
  return {
    name: input.name,
    time,
    refresh: '',
    variables: [],
    panels: [{ id: 1, title: input.name, type: 'timeseries', gridPos: { x: 0, y: 0, w: 24, h: 10 }, queries: [{ language: input.language, bucket: input.bucket, query: templateQuery(input.query, input.language, input.autoWindow) }] }],
  };
}
