// A device's last values: the newest point of each measurement tagged with
// the device (the seed's template writes `data,device=<id> ...`), in every
// bucket this token can read. InfluxQL only (SHOW/regex FROM); without it the
// device page says so.

import { influxString } from '../lib/quote.ts';
import { listBuckets } from './influx.ts';
import { hasInfluxQl, influxQlRaw } from './query.ts';

export interface LastPoint {
  bucket: string;
  measurement: string;
  timeMs: number;
  values: Array<[string, unknown]>;
}

const MAX_BUCKETS = 10;
const LOOKBACK = '30d';

export async function lastPoints(device: { id: string; name: string | null }): Promise<LastPoint[] | undefined> {
  if (!(await hasInfluxQl())) return undefined;
  const names = [device.id, ...(device.name && device.name !== device.id ? [device.name] : [])];
  const where = names.map((n) => `"device" = ${influxString(n)}`).join(' OR ');
  // Newest row per measurement: ORDER BY time DESC LIMIT 1 applies per series.
  const q = `SELECT * FROM /.*/ WHERE (${where}) AND time > now() - ${LOOKBACK} ORDER BY time DESC LIMIT 1`;
  const buckets = (await listBuckets()).slice(0, MAX_BUCKETS);
  const out: LastPoint[] = [];
  await Promise.all(
    buckets.map(async (b) => {
      const body = await influxQlRaw(b.name, q).catch(() => undefined);
      const series = ((body?.results?.[0] as { series?: Array<{ name: string; columns: string[]; values: unknown[][] }> } | undefined)?.series ?? []);
      for (const s of series) {
        const row = s.values[0];
        if (!row) continue;
        const ti = s.columns.indexOf('time');
        // Columns are the union over all measurements: keep this one's values.
        const values = s.columns.flatMap((c, i): Array<[string, unknown]> => (i === ti || c === 'device' || row[i] === null ? [] : [[c, row[i]]]));
        out.push({ bucket: b.name, measurement: s.name, timeMs: Number(row[ti]), values });
      }
    }),
  );
  return out.sort((a, b) => b.timeMs - a.timeMs);
}
