// Runs a parsed /api/query against one bucket. Per sub query: one DuckDB
// statement reads the metric's series in the range, filtered by tag, and (with
// a downsampler) already bucketed and aggregated per series, so only
// downsampled points reach JavaScript; pipeline.ts then fills, computes rates,
// interpolates and aggregates across series as OpenTSDB does.

import type { SqlSnapshot } from '../../core/ports/sql-source.ts';
import { fieldCol, positionalSql, refOf, tagCol, type StoreView } from '../store-view.ts';
import { filterSql } from './filters.ts';
import { resolveMetric, type MetricSource } from './metrics.ts';
import type { SubQuery, TsQuery } from './parse-query.ts';
import { aggregateGroup, fillBuckets, groupSeries, toRate, toSeconds, type Series } from './pipeline.ts';
import { QueryError } from '../../core/errors.ts';
import { filledBuckets, TsBudget, type TsLimits } from './budget.ts';

export interface QueryResult {
  metric: string;
  tags: Record<string, string>;
  aggregateTags: string[];
  /** [ms, value]; NaN is a filled gap. */
  points: Array<[number, number]>;
  /** How a gap prints: null with the `null` fill policy, "NaN" otherwise (Jackson quotes NaN). */
  gap: null | 'NaN';
  query?: Record<string, unknown>;
}

export interface RunOptions {
  timeoutMs: number;
  /** HOOKLINE_MAX_SELECT_* (budget.ts); unlimited when absent. */
  limits?: TsLimits;
}

export async function runQuery(store: StoreView, bucketId: string, q: TsQuery, opts: RunOptions): Promise<QueryResult[]> {
  const sources = q.queries.map((sq) => {
    const src = resolveMetric(store, bucketId, sq.metric);
    // QueryRpc answers an unknown metric with NoSuchUniqueName -> 400.
    if (!src) throw new QueryError(`No such name for 'metrics': '${sq.metric}'`);
    return src;
  });
  const budget = new TsBudget(opts.limits ?? { maxBuckets: 0, maxPoints: 0, maxSeries: 0 });
  // Buckets per series before any SQL runs: a 1ms downsample over a year is refused at once.
  for (const sq of q.queries) if (sq.downsample) budget.checkBuckets(filledBuckets(sq.downsample.intervalMs, sq.downsample.fill, q.startMs, q.endMs));
  return store.withSnapshot(
    sources.map((s) => refOf(s.measurement)),
    (snap) =>
      snap.connection(async (conn) => {
        const timer = setTimeout(() => conn.interrupt(), opts.timeoutMs);
        try {
          const out: QueryResult[] = [];
          for (let i = 0; i < q.queries.length; i++) {
            const sql = seriesSql(snap, sources[i], q.queries[i], q);
            let rows: unknown[][];
            const cap = budget.rowCap();
            try {
              rows = (await conn.runAndReadAll(cap === undefined ? sql : `${sql} LIMIT ${cap}`)).getRows() as unknown[][];
            } catch (e) {
              const msg = (e as Error).message;
              if (/interrupt/i.test(msg)) throw new QueryError(`query exceeded ${opts.timeoutMs} ms`, 503);
              throw new QueryError(msg.replace(/^[A-Za-z ]+ Error: /, '').split('\n')[0]);
            }
            budget.addPoints(rows.length);
            out.push(...shape(rows, sources[i], q.queries[i], q, budget));
          }
          return out;
        } finally {
          clearTimeout(timer);
        }
      }),
  );
}

function nsLiteral(ms: number, plusNs = 0n): string {
  return `make_timestamp_ns(${(BigInt(Math.trunc(ms)) * 1_000_000n + plusNs).toString()})`;
}

/**
 * SELECT <tag columns>, ts (ms), v ... ORDER BY series, ts, over the metric's
 * relation under positional names (tagCol(i) per tag key, fieldCol(i) per
 * field: store-view.ts positionalSql).
 */
export function seriesSql(snap: SqlSnapshot, src: MetricSource, sq: SubQuery, q: TsQuery): string {
  const m = src.measurement;
  const tagCols = m.tagKeys.map((_, o) => tagCol(o));
  const col = (k: string) => {
    const o = m.tagOrdinal.get(k);
    return o === undefined ? undefined : tagCol(o);
  };
  const where = [`time >= ${nsLiteral(q.startMs)}`, `time <= ${nsLiteral(q.endMs, 999_999n)}`, `${fieldCol(src.field.ordinal)} IS NOT NULL`];
  for (const f of sq.filters) {
    where.push(filterSql(f, col(f.tagk)));
    // A group-by needs the tag on every series it groups (TsdbQuery's row-key regex).
    const c = col(f.tagk);
    if (f.groupBy && f.type !== 'not_key' && c) where.push(`${c} IS NOT NULL`);
  }
  if (sq.explicitTags) {
    const keys = new Set(sq.filters.map((f) => f.tagk));
    for (const k of m.tagKeys) where.push(`${col(k)} IS ${keys.has(k) ? 'NOT ' : ''}NULL`);
    for (const k of keys) if (!m.tagOrdinal.has(k)) where.push('false');
  }
  const v = `CAST(${fieldCol(src.field.ordinal)} AS DOUBLE)`;
  const msExpr = `(epoch_ns(time) // 1000000)`;
  const sel = tagCols.length > 0 ? tagCols.join(', ') + ', ' : '';
  const from = `(${positionalSql(m, snap.relation(m.bucketId, m.name))}) r WHERE ${where.join(' AND ')}`;
  const order = [...tagCols, 'ts'].join(', ');
  const ds = sq.downsample;
  if (!ds) return `SELECT ${sel}CAST(${msExpr} AS DOUBLE) AS ts, ${v} AS v FROM ${from} ORDER BY ${order}`;
  const bucket = ds.intervalMs === 'all' ? `${Math.trunc(q.startMs)}` : `(${msExpr} // ${ds.intervalMs}) * ${ds.intervalMs}`;
  return `SELECT ${sel}CAST(${bucket} AS DOUBLE) AS ts, CAST(${ds.aggregator.sql(v)} AS DOUBLE) AS v FROM ${from} GROUP BY ${[...tagCols, 'ts'].join(', ')} ORDER BY ${order}`;
}

/** Rows (sorted by series, then time) -> series -> OpenTSDB's pipeline -> results. */
function shape(rows: unknown[][], src: MetricSource, sq: SubQuery, q: TsQuery, budget: TsBudget): QueryResult[] {
  const keys = src.measurement.tagKeys;
  const nTags = keys.length;
  let series: Series[] = [];
  let cur: Series | undefined;
  let curKey = '';
  for (const r of rows) {
    let key = '';
    for (let i = 0; i < nTags; i++) key += (r[i] ?? '\u0000') + '\u0001';
    if (!cur || key !== curKey) {
      const tags: Record<string, string> = {};
      for (let i = 0; i < nTags; i++) if (r[i] !== null && r[i] !== undefined) tags[keys[i]] = String(r[i]);
      cur = { tags, ts: [], values: [] };
      curKey = key;
      series.push(cur);
    }
    cur.ts.push(r[nTags] as number);
    cur.values.push(r[nTags + 1] as number);
  }
  budget.addSeries(series.length);
  if (sq.downsample) {
    budget.addBuckets(series.length * filledBuckets(sq.downsample.intervalMs, sq.downsample.fill, q.startMs, q.endMs));
    series = series.map((s) => fillBuckets(s, sq.downsample!, q.startMs, q.endMs));
  }
  if (sq.rate) series = series.map((s) => toRate(s, sq.rateOptions));
  const groupBy = sq.filters.filter((f) => f.groupBy).map((f) => f.tagk);
  return groupSeries(series, groupBy, sq.aggregator.name === 'none').map((g) => {
    let { ts, values } = aggregateGroup(g.series, sq.aggregator);
    if (!q.msResolution) ({ ts, values } = toSeconds(ts, values, sq.aggregator));
    const res: QueryResult = { metric: sq.metric, tags: g.tags, aggregateTags: g.aggregateTags, points: ts.map((t, i) => [t, values[i]]), gap: sq.downsample?.fill === 'null' ? null : 'NaN' };
    if (q.showQuery) res.query = sq.echo;
    return res;
  });
}
