// Running the explorer's queries: InfluxQL on /query (what Grafana sends,
// epoch=ms) when the server has it, SQL on /api/v3/query_sql otherwise or on
// request. Both answers become series (chart) and a table (raw rows).

import type { QueryLanguage } from '../lib/explore-spec.ts';
import { fromInfluxQl, fromSqlRows, QueryError, type SeriesResult } from '../lib/result-series.ts';
import { tableFromInfluxQl, tableFromSqlRows, type Table } from '../lib/result-table.ts';
import { ApiError, errorMessage, request } from './client.ts';

export interface QueryAnswer extends SeriesResult {
  table: Table;
  language: QueryLanguage;
  /** Times in the table are epoch ms (InfluxQL) rather than text (SQL). */
  epochTime: boolean;
  elapsedMs: number;
}

let influxQlProbe: Promise<boolean> | undefined;

/** Whether /query answers InfluxQL on this server (asked once per page load). */
export function hasInfluxQl(): Promise<boolean> {
  influxQlProbe ??= request('/query?q=SHOW%20DATABASES')
    .then((r) => r.status !== 404 && r.status !== 405)
    .catch(() => false);
  return influxQlProbe;
}

/** A 1.x database and retention policy for a bucket: InfluxDB 2's DBRP mapping ("db/rp" is db with rp). */
export function dbrpOf(bucket: string): { db: string; rp?: string } {
  const slash = bucket.indexOf('/');
  return slash > 0 ? { db: bucket.slice(0, slash), rp: bucket.slice(slash + 1) } : { db: bucket };
}

export async function influxQlRaw(bucket: string, q: string, signal?: AbortSignal): Promise<{ results?: Array<Record<string, unknown>>; error?: string }> {
  const { db, rp } = dbrpOf(bucket);
  const form = new URLSearchParams({ db, q, epoch: 'ms' });
  if (rp) form.set('rp', rp);
  const res = await request('/query', { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (!res.ok) throw new ApiError(errorMessage(res.status, body, 'InfluxQL query failed'), res.status, body);
  return body as { results?: Array<Record<string, unknown>>; error?: string };
}

export async function sqlRows(bucket: string, q: string, signal?: AbortSignal): Promise<Array<Record<string, unknown>>> {
  const res = await request('/api/v3/query_sql', { method: 'POST', json: { db: bucket, q, format: 'json' }, signal });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (!res.ok) throw new ApiError(errorMessage(res.status, body, 'SQL query failed'), res.status, body);
  return body as Array<Record<string, unknown>>;
}

export async function runQuery(language: QueryLanguage, bucket: string, q: string, measurement: string, signal?: AbortSignal): Promise<QueryAnswer> {
  const started = performance.now();
  if (language === 'influxql') {
    const body = await influxQlRaw(bucket, q, signal);
    const statementError = body.results?.find((r) => typeof r.error === 'string')?.error;
    if (statementError) throw new QueryError(String(statementError));
    const series = fromInfluxQl(body as Parameters<typeof fromInfluxQl>[0]);
    return { ...series, table: tableFromInfluxQl(body as Parameters<typeof tableFromInfluxQl>[0]), language, epochTime: true, elapsedMs: performance.now() - started };
  }
  const rows = await sqlRows(bucket, q, signal);
  const series = fromSqlRows(rows, measurement);
  return { ...series, table: tableFromSqlRows(rows), language, epochTime: false, elapsedMs: performance.now() - started };
}
