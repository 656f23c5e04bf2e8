// Query answers of both languages become the same thing: a list of series
// (one per field and tag combination), each a run of (time, value) pairs.

export interface Series {
  /** Shown in the legend and as the table/CSV column header. */
  label: string;
  measurement: string;
  field: string;
  tags: Record<string, string>;
  times: number[];
  values: Array<number | null>;
}

export interface SeriesResult {
  series: Series[];
  /** Rows or points read, for the status line. */
  points: number;
  warnings: string[];
}

/**
 * One label per series whichever language asked: an empty tag value is no tag
 * (InfluxQL's GROUP BY answers `device: ""` for points without the tag, where
 * SQL has no value), so both spell an untagged series `universe.value`.
 */
export function seriesLabel(measurement: string, field: string, tags: Record<string, string>): string {
  const keys = Object.keys(tags)
    .filter((k) => tags[k] !== '')
    .sort();
  const t = keys.map((k) => `${k}=${tags[k]}`).join(', ');
  const base = measurement ? `${measurement}.${field}` : field;
  return t ? `${base} {${t}}` : base;
}

function numeric(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

/** Times arrive as epoch numbers (InfluxQL epoch=ms) or as ISO text without a zone (InfluxDB 3 SQL, UTC). */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

interface InfluxQlSeries {
  name?: string;
  tags?: Record<string, string>;
  columns?: string[];
  values?: unknown[][];
}

interface InfluxQlStatement {
  statement_id?: number;
  series?: InfluxQlSeries[];
  error?: string;
  partial?: boolean;
}

export class QueryError extends Error {}

/** A /query answer (epoch=ms): every non-time column of every series is a chart series. */
export function fromInfluxQl(body: { results?: InfluxQlStatement[]; error?: string }): SeriesResult {
  if (body.error) throw new QueryError(body.error);
  const out: Series[] = [];
  const warnings: string[] = [];
  let points = 0;
  for (const st of body.results ?? []) {
    if (st.error) throw new QueryError(st.error);
    if (st.partial) warnings.push('the server answered part of the result only (partial)');
    for (const s of st.series ?? []) {
      const cols = s.columns ?? [];
      const ti = cols.indexOf('time');
      const rows = s.values ?? [];
      points += rows.length;
      cols.forEach((c, ci) => {
        if (ci === ti) return;
        const times: number[] = [];
        const values: Array<number | null> = [];
        for (const row of rows) {
          const t = ti >= 0 ? parseTime(row[ti]) : 0;
          if (t === undefined) continue;
          times.push(t);
          values.push(numeric(row[ci]));
        }
        const tags = s.tags ?? {};
        out.push({ label: seriesLabel(s.name ?? '', c, tags), measurement: s.name ?? '', field: c, tags, times, values });
      });
    }
  }
  return { series: out, points, warnings };
}

/**
 * /api/v3/query_sql rows (format=json): `time` is the x axis, text columns are
 * the series keys (tags), numeric and boolean columns are values. Null cells
 * are absent from a row. Works for the builder's queries and for most
 * hand-written ones.
 */
export function fromSqlRows(rows: Array<Record<string, unknown>>, measurement = ''): SeriesResult {
  const textCols = new Set<string>();
  const valueCols = new Set<string>();
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (k === 'time') continue;
      if (typeof v === 'string' && numeric(v) === null) textCols.add(k);
      else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') valueCols.add(k);
    }
  }
  for (const k of textCols) valueCols.delete(k);
  const keyCols = [...textCols].sort();
  const groups = new Map<string, Map<string, Series>>();
  const ordered: Series[] = [];
  for (const row of rows) {
    const t = parseTime(row.time);
    if (t === undefined) continue;
    const tags: Record<string, string> = {};
    for (const k of keyCols) if (row[k] !== undefined) tags[k] = String(row[k]);
    const gk = JSON.stringify(tags);
    let g = groups.get(gk);
    if (!g) {
      g = new Map();
      groups.set(gk, g);
    }
    for (const c of valueCols) {
      let s = g.get(c);
      if (!s) {
        s = { label: seriesLabel(measurement, c, tags), measurement, field: c, tags, times: [], values: [] };
        g.set(c, s);
        ordered.push(s);
      }
      if (row[c] === undefined) continue;
      s.times.push(t);
      s.values.push(numeric(row[c]));
    }
  }
  const warnings: string[] = [];
  if (rows.length > 0 && !rows.some((r) => 'time' in r)) warnings.push('no `time` column, so nothing to chart: see the Table view');
  return { series: ordered, points: rows.length, warnings };
}
