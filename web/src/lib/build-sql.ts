// The same builder choices as SQL over hookline's tables (one per measurement:
// `time`, a column per tag and per field), in DuckDB's dialect:
//   SELECT time_bucket(INTERVAL '10 seconds', time) AS time, "device", avg("count") AS "count"
//   FROM "data" WHERE time >= TIMESTAMP '...' AND time <= TIMESTAMP '...' GROUP BY ALL ORDER BY time

import type { Aggregate, ExploreSpec } from './explore-spec.ts';
import { MAX_RAW_POINTS } from './explore-spec.ts';
import { groupFilters, type ResolvedWindow } from './build-influxql.ts';
import { sqlInterval } from './interval.ts';
import { sqlIdent, sqlString, sqlTimestamp } from './quote.ts';

function aggregateExpr(agg: Exclude<Aggregate, 'none'>, col: string): string {
  switch (agg) {
    case 'mean':
      return `avg(${col})`;
    case 'first':
      return `first(${col} ORDER BY time)`;
    case 'last':
      return `last(${col} ORDER BY time)`;
    case 'spread':
      return `max(${col}) - min(${col})`;
    case 'stddev':
      return `stddev_samp(${col})`;
    default:
      return `${agg}(${col})`;
  }
}

export function buildSql(spec: ExploreSpec, w: ResolvedWindow): string {
  const where = [`time >= ${sqlTimestamp(w.fromMs)}`, `time <= ${sqlTimestamp(w.toMs)}`];
  for (const g of groupFilters(spec.filters)) {
    const col = sqlIdent(g.key);
    if (g.values.length === 1) where.push(`${col} ${g.op === '=' ? '=' : '<>'} ${sqlString(g.values[0])}`);
    else where.push(`${col} ${g.op === '=' ? 'IN' : 'NOT IN'} (${g.values.map(sqlString).join(', ')})`);
  }
  const tags = spec.groupBy.map(sqlIdent);
  const from = `FROM ${sqlIdent(spec.measurement)}`;
  if (spec.aggregate === 'none') {
    const cols = ['time', ...tags, ...spec.fields.map(sqlIdent)];
    return `SELECT ${cols.join(', ')} ${from} WHERE ${where.join(' AND ')} ORDER BY time LIMIT ${MAX_RAW_POINTS}`;
  }
  const agg = spec.aggregate;
  const cols = [
    `time_bucket(INTERVAL '${sqlInterval(w.intervalMs)}', time) AS time`,
    ...tags,
    ...spec.fields.map((f) => `${aggregateExpr(agg, sqlIdent(f))} AS ${sqlIdent(f)}`),
  ];
  return `SELECT ${cols.join(', ')} ${from} WHERE ${where.join(' AND ')} GROUP BY ALL ORDER BY time`;
}
