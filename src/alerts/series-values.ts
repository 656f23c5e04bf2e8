// A threshold check's query answer -> one value per series. Pure.
// InfluxQL: each series of the answer is one (its GROUP BY tags), its value
// the last non-time column of its newest row, as InfluxDB 2 checks take the
// last value of each table (docs.influxdata.com/influxdb/v2/monitor-alert/checks/).
// SQL: each row is one series; its tags are the string columns other than
// `time`, its value the column `value` or else the last numeric column.

import type { RawSeries } from './ports.ts';

export interface SeriesValue {
  tags: Record<string, string>;
  value: number | null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

export function fromInfluxQl(series: RawSeries[]): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const s of series) {
    const row = s.values[s.values.length - 1];
    if (!row) continue;
    let value: number | null = null;
    for (let i = s.columns.length - 1; i >= 0; i--) {
      if (s.columns[i] === 'time') continue;
      value = num(row[i]);
      if (value !== null) break;
    }
    out.push({ tags: { ...(s.tags ?? {}) }, value });
  }
  return out;
}

export function fromSql(r: { columns: string[]; rows: unknown[][] }): SeriesValue[] {
  let vi = r.columns.indexOf('value');
  if (vi < 0) {
    const first = r.rows[0];
    for (let i = r.columns.length - 1; i >= 0 && first; i--) {
      if (r.columns[i] !== 'time' && num(first[i]) !== null && typeof first[i] !== 'string') {
        vi = i;
        break;
      }
    }
  }
  const bySeries = new Map<string, SeriesValue>();
  for (const row of r.rows) {
    const tags: Record<string, string> = {};
    r.columns.forEach((c, i) => {
      if (i !== vi && c !== 'time' && typeof row[i] === 'string') tags[c] = row[i] as string;
    });
    // The last row of a series wins (ORDER BY time gives the newest).
    bySeries.set(JSON.stringify(tags), { tags, value: vi < 0 ? null : num(row[vi]) });
  }
  return [...bySeries.values()];
}
