// InfluxQL results as InfluxDB 3 prints them: one flat table, the series
// name in "iox::measurement", then time (ISO without zone, as its SQL output),
// the GROUP BY tags and the statement's columns.

import type { StatementResult } from '../executor.ts';
import type { SqlResult } from '../../sql/run-sql.ts';
import { isoNs, type Cell } from '../../sql/result-values.ts';
import { TimeCell } from '../select/values.ts';
import type { TimeSlicer } from '../../time-slice.ts';

/** Async only to yield between slices of rows when a slicer is given (time-slice.ts). */
export async function v3Table(r: StatementResult, sl?: TimeSlicer): Promise<SqlResult> {
  const series = r.series ?? [];
  const tagKeys = [...new Set(series.flatMap((s) => Object.keys(s.tags ?? {})))].sort();
  const first = series[0];
  const cols = first ? first.columns : [];
  const columns = ['iox::measurement', ...(cols[0] === 'time' || (first && first.values[0]?.[0] instanceof TimeCell) ? [cols[0]] : []), ...tagKeys, ...cols.slice(cols[0] === 'time' || (first && first.values[0]?.[0] instanceof TimeCell) ? 1 : 0)];
  const hasTime = columns[1] === cols[0] && cols.length > 0 && first?.values[0]?.[0] instanceof TimeCell;
  const rows: Cell[][] = [];
  for (const s of series) {
    for (const v of s.values) {
      if (sl?.due()) await sl.next();
      const row: Cell[] = [s.name ?? measurementsName(s.columns)];
      let rest = v;
      if (hasTime) {
        const t = v[0];
        row.push(t instanceof TimeCell ? isoNs(t.ns) : null);
        rest = v.slice(1);
      }
      for (const k of tagKeys) row.push(s.tags?.[k] ?? null);
      for (const c of rest) row.push(c instanceof TimeCell ? isoNs(c.ns) : (c as Cell));
      rows.push(row);
    }
  }
  return { columns, rows };
}

function measurementsName(columns: string[]): string {
  if (columns[0] === 'key') return 'series';
  if (columns[0] === 'name' && columns.includes('duration')) return 'retention_policies';
  return '';
}
