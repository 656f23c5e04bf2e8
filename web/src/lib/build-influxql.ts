// The InfluxQL a Grafana InfluxDB panel would send for the builder's choices:
//   SELECT mean("count") AS "count" FROM "data" WHERE time >= 1700000000000ms
//   AND time <= 1700003600000ms AND "device" = 'a' GROUP BY time(10s), "device" fill(none)
// Times are absolute epoch milliseconds (as Grafana interpolates $timeFilter),
// so the query shown is exactly the one that ran.

import type { ExploreSpec, TagFilter } from './explore-spec.ts';
import { MAX_RAW_POINTS } from './explore-spec.ts';
import { formatDuration } from './interval.ts';
import { influxIdent, influxString } from './quote.ts';

export interface ResolvedWindow {
  fromMs: number;
  toMs: number;
  intervalMs: number;
}

/** '=' filters on one key are alternatives (OR); '!=' filters all apply (AND). */
export function groupFilters(filters: TagFilter[]): Array<{ key: string; op: '=' | '!='; values: string[] }> {
  const out: Array<{ key: string; op: '=' | '!='; values: string[] }> = [];
  for (const f of filters) {
    if (!f.key) continue;
    const g = out.find((x) => x.key === f.key && x.op === f.op);
    if (g) {
      if (!g.values.includes(f.value)) g.values.push(f.value);
    } else out.push({ key: f.key, op: f.op, values: [f.value] });
  }
  return out;
}

function selectExpr(spec: ExploreSpec, field: string): string {
  const f = influxIdent(field);
  if (spec.aggregate === 'none') return f;
  return `${spec.aggregate}(${f}) AS ${influxIdent(field)}`;
}

export function buildInfluxQl(spec: ExploreSpec, w: ResolvedWindow): string {
  const where = [`time >= ${Math.floor(w.fromMs)}ms`, `time <= ${Math.ceil(w.toMs)}ms`];
  for (const g of groupFilters(spec.filters)) {
    const parts = g.values.map((v) => `${influxIdent(g.key)} ${g.op} ${influxString(v)}`);
    where.push(parts.length === 1 ? parts[0] : g.op === '=' ? `(${parts.join(' OR ')})` : parts.join(' AND '));
  }
  const select = spec.fields.map((f) => selectExpr(spec, f)).join(', ');
  const groups = spec.groupBy.map(influxIdent);
  let q = `SELECT ${select} FROM ${influxIdent(spec.measurement)} WHERE ${where.join(' AND ')}`;
  if (spec.aggregate !== 'none') {
    q += ` GROUP BY ${[`time(${formatDuration(w.intervalMs)})`, ...groups].join(', ')} fill(none)`;
  } else {
    if (groups.length > 0) q += ` GROUP BY ${groups.join(', ')}`;
    q += ` LIMIT ${MAX_RAW_POINTS}`;
  }
  return q;
}
