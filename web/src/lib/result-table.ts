// The Table view and the CSV download show what the server answered, row by
// row (InfluxDB's "raw data" view): SQL rows as they are; InfluxQL series one
// after another with their measurement and tags as leading columns.

export interface Table {
  columns: string[];
  rows: unknown[][];
}

export function tableFromSqlRows(rows: Array<Record<string, unknown>>): Table {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const k of Object.keys(row)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  // `time` first, as every time-series table shows it.
  const ti = columns.indexOf('time');
  if (ti > 0) columns.unshift(...columns.splice(ti, 1));
  return { columns, rows: rows.map((r) => columns.map((c) => (c in r ? r[c] : null))) };
}

interface InfluxQlSeries {
  name?: string;
  tags?: Record<string, string>;
  columns?: string[];
  values?: unknown[][];
}

export function tableFromInfluxQl(body: { results?: Array<{ series?: InfluxQlSeries[] }> }): Table {
  const series = (body.results ?? []).flatMap((r) => r.series ?? []);
  const tagKeys = [...new Set(series.flatMap((s) => Object.keys(s.tags ?? {})))].sort();
  const valueCols: string[] = [];
  for (const s of series) for (const c of s.columns ?? []) if (!valueCols.includes(c)) valueCols.push(c);
  const columns = ['name', ...tagKeys, ...valueCols];
  const rows: unknown[][] = [];
  for (const s of series) {
    const cols = s.columns ?? [];
    for (const v of s.values ?? []) {
      rows.push([s.name ?? '', ...tagKeys.map((k) => s.tags?.[k] ?? null), ...valueCols.map((c) => (cols.includes(c) ? v[cols.indexOf(c)] : null))]);
    }
  }
  return { columns, rows };
}
