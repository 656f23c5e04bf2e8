// Demo mode's dashboards, one per seed, made over the public API like every
// other demo step: the Particle seed's `count` per device (the `data`
// measurement the seed webhook writes, tag `device` = the device ID) and the
// Wemos seed's `universe` metric (OpenTSDB /api/put). A dashboard of the same
// name left by an earlier demo start is kept as the user may have changed it.

import type { Client } from '../simulate/http-client.ts';

export function demoDashboards(bucket: string): Array<Record<string, unknown>> {
  const q = (language: string, query: string) => ({ language, bucket, query });
  return [
    {
      name: 'Particle seed: count per device',
      time: { from: 'now-15m', to: 'now' },
      refresh: '5s',
      variables: [{ name: 'device', type: 'query', language: 'influxql', bucket, query: 'SHOW TAG VALUES FROM "data" WITH KEY = "device"' }],
      panels: [
        { id: 1, title: 'count of $device', type: 'timeseries', gridPos: { x: 0, y: 0, w: 12, h: 9 }, queries: [q('influxql', `SELECT last("count") FROM "data" WHERE "device" = '$device' AND $timeFilter GROUP BY time($__interval) fill(none)`)] },
        { id: 2, title: 'Last count', type: 'stat', gridPos: { x: 12, y: 0, w: 6, h: 9 }, fieldConfig: { defaults: { decimals: 0 } }, queries: [q('influxql', `SELECT "count" FROM "data" WHERE "device" = '$device' AND $timeFilter`)] },
        { id: 3, title: 'Count by device', type: 'barchart', gridPos: { x: 18, y: 0, w: 6, h: 9 }, fieldConfig: { defaults: { decimals: 0 } }, queries: [q('influxql', `SELECT last("count") FROM "data" WHERE $timeFilter GROUP BY "device"`)] },
        { id: 4, title: 'Every device', type: 'timeseries', gridPos: { x: 0, y: 9, w: 12, h: 9 }, fieldConfig: { defaults: { custom: { drawStyle: 'points' } } }, queries: [q('sql', `SELECT time, device, count FROM data WHERE $__timeFilter ORDER BY time`)] },
        { id: 5, title: 'Latest rows', type: 'table', gridPos: { x: 12, y: 9, w: 6, h: 9 }, queries: [q('sql', 'SELECT time, device, count FROM data ORDER BY time DESC LIMIT 20')] },
        { id: 6, title: 'Webhook responses', type: 'events', gridPos: { x: 18, y: 9, w: 6, h: 9 }, options: { prefix: 'hook-' } },
      ],
    },
    {
      name: 'Wemos seed: universe',
      time: { from: 'now-15m', to: 'now' },
      refresh: '5s',
      panels: [
        { id: 1, title: 'universe', type: 'timeseries', gridPos: { x: 0, y: 0, w: 16, h: 9 }, fieldConfig: { defaults: { decimals: 2, custom: { thresholdsStyle: { mode: 'line+area' } }, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 48 }] } } }, queries: [q('opentsdb', 'avg:universe')] },
        { id: 2, title: 'Now', type: 'gauge', gridPos: { x: 16, y: 0, w: 8, h: 9 }, fieldConfig: { defaults: { decimals: 1, min: 30, max: 55, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 48 }] } } }, queries: [q('influxql', 'SELECT last("value") FROM "universe" WHERE $timeFilter')] },
        { id: 3, title: 'Mean per minute', type: 'stat', gridPos: { x: 0, y: 9, w: 8, h: 6 }, fieldConfig: { defaults: { decimals: 2 } }, queries: [q('influxql', 'SELECT mean("value") FROM "universe" WHERE $timeFilter GROUP BY time(1m) fill(none)')] },
        { id: 4, title: 'Latest values', type: 'table', gridPos: { x: 8, y: 9, w: 16, h: 6 }, queries: [q('sql', 'SELECT time, value FROM universe ORDER BY time DESC LIMIT 20')] },
      ],
    },
  ];
}

export async function installDemoDashboards(client: Client, bucket: string): Promise<string[]> {
  const { dashboards } = await client.call<{ dashboards: Array<{ id: string; name: string }> }>('/api/hookline/dashboards');
  const ids: string[] = [];
  for (const doc of demoDashboards(bucket)) {
    const existing = dashboards.find((d) => d.name === doc.name);
    ids.push(existing ? existing.id : (await client.call<{ id: string }>('/api/hookline/dashboards', { json: doc })).id);
  }
  return ids;
}
