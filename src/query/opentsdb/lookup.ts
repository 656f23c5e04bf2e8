// /api/suggest and /api/search/lookup over a bucket (OTDOC api_http/suggest,
// api_http/search/lookup; Grafana uses suggest for metric/tag autocomplete and
// its "Test" button, and lookup for tag_names()/tag_values() variables).
// Tag values come from DuckDB (every stored series, not only recent ones).

import { createHash } from 'node:crypto';
import type { SqlRelation, SqlSnapshot } from '../../core/ports/sql-source.ts';
import { columnOf, quoteLiteral as literal, refOf, storedMeasurements, type StoredMeasurement, type StoreView } from '../store-view.ts';
import { metricNames, type MetricSource } from './metrics.ts';

/** Sorted, de-duplicated names starting with `prefix` (case-sensitive), at most `max`. */
export async function suggest(store: StoreView, bucketId: string, type: 'metrics' | 'tagk' | 'tagv', prefix: string, max: number): Promise<string[]> {
  const take = (names: Iterable<string>) => [...new Set(names)].filter((n) => n.startsWith(prefix)).sort().slice(0, max);
  if (type === 'metrics') return take(metricNames(store, bucketId).map((m) => m.name));
  const ms = storedMeasurements(store, bucketId);
  if (type === 'tagk') return take(ms.flatMap((m) => m.tagKeys));
  const values = new Set<string>();
  await withConnection(store, ms, async (run, snap) => {
    for (const m of ms) {
      const rel = snap.relation(m.bucketId, m.name);
      if (!rel || m.tagKeys.length === 0) continue;
      const cols = tagColumns(rel, m).join(', ');
      const sql = `SELECT DISTINCT v FROM (SELECT unnest([${cols}]) AS v FROM (${rel.sql})) WHERE v IS NOT NULL AND starts_with(v, ${literal(prefix)}) ORDER BY v LIMIT ${max}`;
      for (const [v] of await run(sql)) values.add(String(v));
    }
  });
  return take(values);
}

export interface LookupTag {
  key: string;
  value: string;
}

export interface LookupResult {
  tsuid: string;
  metric: string;
  tags: Record<string, string>;
}

/** Lookup's `m`: `metric{k=v,...}`, either part optional, `*` for any key or value. */
export function parseLookupM(m: string): { metric: string; tags: LookupTag[] } {
  const curly = m.indexOf('{');
  const metric = (curly < 0 ? m : m.slice(0, curly)).trim();
  const tags: LookupTag[] = [];
  if (curly >= 0) {
    const inner = m.slice(curly + 1, m.endsWith('}') ? -1 : undefined);
    for (const kv of inner.split(',')) {
      if (kv.trim() === '') continue;
      const eq = kv.indexOf('=');
      tags.push(eq < 0 ? { key: kv.trim(), value: '*' } : { key: kv.slice(0, eq).trim() || '*', value: kv.slice(eq + 1).trim() || '*' });
    }
  }
  return { metric: metric === '*' ? '' : metric, tags };
}

/** Series of `metric` (all metrics when empty) whose tags match every pair. */
export async function lookup(store: StoreView, bucketId: string, metric: string, tags: LookupTag[], limit: number): Promise<LookupResult[]> {
  const sources = metricNames(store, bucketId).filter((s) => metric === '' || s.name === metric);
  const out: LookupResult[] = [];
  await withConnection(
    store,
    sources.map((s) => s.source.measurement),
    async (run, snap) => {
      for (const { name, source } of sources) {
        if (out.length >= limit) break;
        const m = source.measurement;
        const rel = snap.relation(m.bucketId, m.name);
        if (!rel) continue;
        const where = conditions(source, rel, tags);
        if (where === undefined) continue;
        const cols = tagColumns(rel, m);
        const sql = `SELECT DISTINCT ${cols.length > 0 ? cols.join(', ') : '1'} FROM (${rel.sql}) WHERE ${where} ORDER BY ALL LIMIT ${limit - out.length}`;
        for (const row of await run(sql)) {
          const t: Record<string, string> = {};
          m.tagKeys.forEach((k, i) => {
            if (row[i] !== null && row[i] !== undefined) t[k] = String(row[i]);
          });
          out.push({ tsuid: tsuid(name, t), metric: name, tags: t });
        }
      }
    },
  );
  return out;
}

/** The measurement's tag columns of `rel`, in `m.tagKeys` order (NULL for a key the snapshot lacks). */
function tagColumns(rel: SqlRelation, m: StoredMeasurement): string[] {
  return m.tagKeys.map((k) => columnOf(rel, 'tag', k) ?? 'NULL::VARCHAR');
}

function conditions(src: MetricSource, rel: SqlRelation, tags: LookupTag[]): string | undefined {
  const m = src.measurement;
  const field = columnOf(rel, 'field', src.field.name);
  if (field === undefined) return undefined;
  const where = [`${field} IS NOT NULL`];
  const cols = tagColumns(rel, m);
  for (const { key, value } of tags) {
    if (key === '*') {
      if (value === '*') continue;
      if (m.tagKeys.length === 0) return undefined;
      where.push(`(${cols.map((c) => `${c} = ${literal(value)}`).join(' OR ')})`);
      continue;
    }
    const o = m.tagOrdinal.get(key);
    if (o === undefined) return undefined;
    where.push(value === '*' ? `${cols[o]} IS NOT NULL` : `${cols[o]} = ${literal(value)}`);
  }
  return where.join(' AND ');
}

/** A stable stand-in for OpenTSDB's TSUID (hex of UIDs): hex of a digest of the series key. */
function tsuid(metric: string, tags: Record<string, string>): string {
  const key = metric + '{' + Object.keys(tags).sort().map((k) => `${k}=${tags[k]}`).join(',') + '}';
  return createHash('sha1').update(key).digest('hex').slice(0, 24).toUpperCase();
}

type Run = (sql: string) => Promise<unknown[][]>;

async function withConnection(store: StoreView, measurements: StoredMeasurement[], fn: (run: Run, snap: SqlSnapshot) => Promise<void>): Promise<void> {
  await store.withSnapshot(measurements.map(refOf), (snap) => snap.connection((conn) => fn(async (sql) => (await conn.runAndReadAll(sql)).getRows() as unknown[][], snap)));
}
