// Rebuilds the last-value cache on start from the store: per measurement and
// field, `SELECT last(<field>) ... GROUP BY *` over the lookback window
// (HOOKLINE_DEVICE_STATE_LOOKBACK), which gives each series' newest value with
// its time (a selector keeps the point's time in InfluxQL). Writes that arrive
// meanwhile are recorded by the observer; the newer of the two wins.

import type { LastValueCache } from './last-value-cache.ts';
import type { AlertsLog, QueryRunner } from './ports.ts';

const ident = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export async function rebuildLastValues(opts: {
  lvc: LastValueCache;
  queries: QueryRunner;
  buckets: Array<{ orgId: string; bucketId: string }>;
  measurements(bucketId: string): string[];
  lookbackMs: number;
  log: AlertsLog;
  stopped: () => boolean;
}): Promise<number> {
  let loaded = 0;
  const since = `now() - ${Math.max(1, Math.round(opts.lookbackMs / 1000))}s`;
  for (const { orgId, bucketId } of opts.buckets) {
    for (const m of opts.measurements(bucketId)) {
      if (opts.stopped()) return loaded;
      try {
        const keys = await opts.queries.influxql(orgId, bucketId, `SHOW FIELD KEYS FROM ${ident(m)}`);
        const fields = (keys[0]?.values ?? []).map((r) => String(r[0]));
        for (const f of fields) {
          const res = await opts.queries.influxql(orgId, bucketId, `SELECT last(${ident(f)}) FROM ${ident(m)} WHERE time > ${since} GROUP BY *`);
          for (const s of res) {
            const row = s.values[0];
            if (!row || row[1] === null || row[1] === undefined) continue;
            const t = typeof row[0] === 'string' ? Date.parse(row[0]) : Number(row[0]);
            const v = row[1];
            opts.lvc.load(bucketId, m, s.tags ?? {}, f, typeof v === 'bigint' ? Number(v) : (v as number | string | boolean), t);
            loaded++;
          }
        }
      } catch (e) {
        opts.log.warn('last-value cache: could not rebuild a measurement', { bucketId, measurement: m, error: (e as Error).message });
      }
    }
  }
  return loaded;
}
