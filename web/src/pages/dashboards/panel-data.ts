// A panel's queries, run together: each query's variables are filled in
// (lib/dashboard-vars.ts), InfluxQL and SQL go through the explorer's
// runQuery, OpenTSDB through /api/query (its `m=` expression as Grafana's
// OpenTSDB data source sends it). One AbortSignal cancels them all.

import { request, errorMessage, ApiError } from '../../api/client.ts';
import { runQuery } from '../../api/query.ts';
import type { PanelQuery } from '../../lib/dashboard-model.ts';
import { interpolate, type VarContext } from '../../lib/dashboard-vars.ts';
import { seriesLabel, type Series } from '../../lib/result-series.ts';
import type { Table } from '../../lib/result-table.ts';

export interface PanelResult {
  series: Series[];
  /** One series per query index: which axis a series goes on. */
  queryOf: number[];
  table: Table;
  epochTime: boolean;
  points: number;
  warnings: string[];
}

async function openTsdb(bucket: string | undefined, m: string, fromMs: number, toMs: number, signal: AbortSignal): Promise<{ series: Series[]; table: Table }> {
  const params = new URLSearchParams({ start: String(Math.floor(fromMs)), end: String(Math.ceil(toMs)), m, ms: 'true' });
  if (bucket) params.set('bucket', bucket);
  const res = await request(`/api/query?${params}`, { signal });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  if (!res.ok) throw new ApiError(errorMessage(res.status, body, 'OpenTSDB query failed'), res.status, body);
  const out = (body as Array<{ metric: string; tags?: Record<string, string>; dps?: Record<string, number> }>) ?? [];
  const series: Series[] = out.map((r) => {
    const entries = Object.entries(r.dps ?? {}).map(([t, v]) => [Number(t), v] as const).sort((a, b) => a[0] - b[0]);
    // OpenTSDB answers seconds unless ms=true; both are read as ms here.
    const times = entries.map(([t]) => (t < 1e11 ? t * 1000 : t));
    return { label: seriesLabel('', r.metric, r.tags ?? {}), measurement: '', field: r.metric, tags: r.tags ?? {}, times, values: entries.map(([, v]) => v) };
  });
  const rows = series.flatMap((s) => s.times.map((t, i) => [t, s.label, s.values[i]]));
  return { series, table: { columns: ['time', 'series', 'value'], rows } };
}

export async function runPanel(queries: PanelQuery[], vars: Omit<VarContext, 'language'>, defaultBucket: string, signal: AbortSignal): Promise<PanelResult> {
  const answers = await Promise.all(
    queries.map(async (q) => {
      const text = interpolate(q.query, { ...vars, language: q.language });
      const bucket = q.bucket || defaultBucket;
      if (q.language === 'opentsdb') return { ...(await openTsdb(bucket, text, vars.fromMs, vars.toMs, signal)), epochTime: true, points: 0, warnings: [] as string[] };
      return runQuery(q.language, bucket, text, '', signal);
    }),
  );
  const series: Series[] = [];
  const queryOf: number[] = [];
  answers.forEach((a, i) => {
    for (const s of a.series) {
      series.push(s);
      queryOf.push(i);
    }
  });
  const first = answers[0];
  return {
    series,
    queryOf,
    table: first?.table ?? { columns: [], rows: [] },
    epochTime: first?.epochTime ?? true,
    points: answers.reduce((n, a) => n + (a.points || a.series.reduce((m, s) => m + s.times.length, 0)), 0),
    warnings: answers.flatMap((a) => a.warnings),
  };
}

/** The last non-null value of a series, with its time. */
export function lastValue(s: Series | undefined): { value: number | null; time?: number } {
  if (!s) return { value: null };
  for (let i = s.values.length - 1; i >= 0; i--) if (s.values[i] !== null) return { value: s.values[i], time: s.times[i] };
  return { value: null };
}
