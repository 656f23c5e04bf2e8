// Issue 15's dashboard query set, modelled on TSBS's devops/IoT queries
// (lastpoint, high-cpu, groupby-orderby-limit, double-groupby): the queries a
// Grafana dashboard with a `$device` variable and an alert check make. Each is
// asked as InfluxQL on `/query` (hookline, InfluxDB 1.6) and as the MetricsQL
// with the same answer on VictoriaMetrics; dashboard-expected.ts computes the
// right answer from the dataset's bytes, so every target is checked the same
// way as issue 3's two queries (bench/README.md says why each pair is equal).
import { deviceName, MEASUREMENT } from './dataset.ts';
import type { BenchQuery, QueryRequest, Row, TimeRange } from './query-specs.ts';
import { windowStart } from './query-specs.ts';
import type { TargetName } from './target.ts';

export type DashboardKind = 'last-all' | 'max-1h-8dev' | 'last-above' | 'top5-mean-1h' | 'mean-1h-2tags' | 'mean-1h-30d';

/** `temp` threshold of the "devices whose last value is above" check, °C. */
export const LAST_ABOVE = 24;
/** Devices of the multi-device panel (`$device` with 8 values). */
export const PANEL_DEVICES = 8;
const HOUR = 3600;
const DAY = 86_400;

/** What each query reads, in seconds: [from, to). Windows are aligned to the hour, as InfluxQL and a VM step from an aligned start are. */
export interface DashboardSpec {
  readonly kind: DashboardKind;
  readonly from: number;
  readonly to: number;
  /** Window length; 0 for an instant answer (one value per series, time not compared). */
  readonly every: number;
  /** Tags that name a series of the answer. */
  readonly groupTags: readonly string[];
  /** Devices the query is limited to, or null for all. */
  readonly devices: readonly string[] | null;
}

export function dashboardSpecs(range: TimeRange, series: number): DashboardSpec[] {
  const end = range.endSeconds;
  const all = { from: range.startSeconds, to: end };
  const panel = Array.from({ length: Math.min(PANEL_DEVICES, series) }, (_, i) => deviceName(i, series));
  // 12 h ending at the data's end, starting on an hour so both engines' windows are the same.
  const twelve = Math.max(range.startSeconds, windowStart(end - 12 * HOUR + HOUR - 1, HOUR));
  return [
    { kind: 'last-all', ...all, every: 0, groupTags: ['device'], devices: null },
    { kind: 'max-1h-8dev', from: twelve, to: end, every: HOUR, groupTags: ['device'], devices: panel },
    { kind: 'last-above', ...all, every: 0, groupTags: ['device'], devices: null },
    { kind: 'top5-mean-1h', from: end - HOUR, to: end, every: 0, groupTags: ['device'], devices: null },
    { kind: 'mean-1h-2tags', ...all, every: HOUR, groupTags: ['device', 'site'], devices: null },
    { kind: 'mean-1h-30d', from: windowStart(end - 30 * DAY, HOUR), to: end, every: HOUR, groupTags: [], devices: null },
  ];
}

function ms(seconds: number): string {
  return `${seconds * 1000}ms`;
}

export function dashboardInfluxql(s: DashboardSpec): string {
  const time = `time >= ${ms(s.from)} AND time < ${ms(s.to)}`;
  const m = `"${MEASUREMENT}"`;
  switch (s.kind) {
    case 'last-all':
      return `SELECT last("temp") FROM ${m} WHERE ${time} GROUP BY "device"`;
    case 'max-1h-8dev':
      // Grafana sends a multi-value variable as an anchored regex of the values.
      return `SELECT max("temp") FROM ${m} WHERE "device" =~ /^(${s.devices!.join('|')})$/ AND ${time} GROUP BY time(1h), "device"`;
    case 'last-above':
      return `SELECT "last" FROM (SELECT last("temp") FROM ${m} WHERE ${time} GROUP BY "device") WHERE "last" > ${LAST_ABOVE} AND ${time} GROUP BY "device"`;
    case 'top5-mean-1h':
      return `SELECT top("mean", "device", 5) FROM (SELECT mean("temp") FROM ${m} WHERE ${time} GROUP BY "device") WHERE ${time}`;
    case 'mean-1h-2tags':
      return `SELECT mean("temp") FROM ${m} WHERE ${time} GROUP BY time(1h), "site", "device"`;
    case 'mean-1h-30d':
      return `SELECT mean("temp") FROM ${m} WHERE ${time} GROUP BY time(1h)`;
  }
}

/**
 * The MetricsQL with the same answer. Range queries use issue 3's
 * `offset -(d - 1ms)` so VM's (t - d, t] is InfluxQL's [t, t + d). Instant
 * queries are evaluated at `to - 1ms` with a window of `to - from` seconds:
 * (to - 1ms - d, to - 1ms] is [from, to) on millisecond timestamps.
 */
export function dashboardMetricsql(s: DashboardSpec): string {
  const temp = `${MEASUREMENT}_temp`;
  const off = `offset -${HOUR * 1000 - 1}ms`;
  switch (s.kind) {
    case 'last-all':
      return `last_over_time(${temp}[${s.to - s.from}s])`;
    case 'max-1h-8dev':
      // VM anchors label regexes itself.
      return `max_over_time(${temp}{device=~"${s.devices!.join('|')}"}[1h] ${off})`;
    case 'last-above':
      return `last_over_time(${temp}[${s.to - s.from}s]) > ${LAST_ABOVE}`;
    case 'top5-mean-1h':
      return `topk(5, avg_over_time(${temp}[${s.to - s.from}s]))`;
    case 'mean-1h-2tags':
      return `avg_over_time(${temp}[1h] ${off})`;
    case 'mean-1h-30d':
      // Mean of every point, not of per-series means (see issue 3's query).
      return `sum(sum_over_time(${temp}[1h] ${off})) / sum(count_over_time(${temp}[1h] ${off}))`;
  }
}

function keyOf(groupTags: readonly string[], tag: (name: string) => unknown): string {
  return groupTags.map((t) => `${t}=${String(tag(t) ?? '')}`).join(',');
}

interface InfluxAnswer {
  error?: string;
  results?: { error?: string; series?: { tags?: Record<string, string>; columns?: string[]; values?: unknown[][] }[] }[];
}

/** InfluxQL's series (tags, or a tag column as top() returns) as keyed rows; the value is the first column after time. */
export function parseInfluxRows(s: DashboardSpec, body: string): Row[] {
  const parsed = JSON.parse(body) as InfluxAnswer;
  if (parsed.error) throw new Error(`query error: ${parsed.error}`);
  const result = parsed.results?.[0];
  if (result === undefined) throw new Error('no results[0] in the answer');
  if (result.error) throw new Error(`statement error: ${result.error}`);
  const rows: Row[] = [];
  for (const series of result.series ?? []) {
    const cols = series.columns ?? [];
    for (const v of series.values ?? []) {
      const value = v[1];
      if (typeof v[0] !== 'number' || (value !== null && typeof value !== 'number')) throw new Error(`unexpected row ${JSON.stringify(v)}`);
      const key = keyOf(s.groupTags, (t) => series.tags?.[t] ?? (cols.includes(t) ? v[cols.indexOf(t)] : undefined));
      rows.push({ key, timeMs: s.every === 0 ? 0 : v[0], value });
    }
  }
  return rows;
}

interface VmAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][]; value?: [number, string] }[] };
}

/** A VM matrix or vector as keyed rows (labels named by the query's group tags). */
export function parseVmRows(s: DashboardSpec, body: string): Row[] {
  const parsed = JSON.parse(body) as VmAnswer;
  if (parsed.status !== 'success') throw new Error(`query error: ${parsed.error ?? body.slice(0, 300)}`);
  const rows: Row[] = [];
  for (const r of parsed.data?.result ?? []) {
    const key = keyOf(s.groupTags, (t) => r.metric?.[t]);
    const points = r.values ?? (r.value ? [r.value] : []);
    for (const [t, v] of points) rows.push({ key, timeMs: s.every === 0 ? 0 : Math.round(t * 1000), value: Number(v) });
  }
  return rows;
}

export function dashboardRequest(s: DashboardSpec, target: TargetName, vmCache: boolean): QueryRequest {
  if (target === 'victoria-metrics') {
    const text = dashboardMetricsql(s);
    const params = new URLSearchParams({ query: text });
    let path: string;
    if (s.every === 0) {
      params.set('time', ((s.to * 1000 - 1) / 1000).toFixed(3));
      path = '/api/v1/query';
    } else {
      const first = windowStart(s.from, s.every);
      params.set('start', String(first));
      params.set('end', String(windowStart(s.to - 1, s.every)));
      params.set('step', `${s.every}s`);
      path = '/api/v1/query_range';
    }
    if (!vmCache) params.set('nocache', '1');
    return { path: `${path}?${params}`, text, dialect: 'metricsql', parse: (body) => parseVmRows(s, body) };
  }
  const text = dashboardInfluxql(s);
  const params = new URLSearchParams({ db: 'bench', q: text, epoch: 'ms' });
  return { path: `/query?${params}`, text, dialect: 'influxql', parse: (body) => parseInfluxRows(s, body) };
}

export function dashboardBenchQuery(s: DashboardSpec, rows: number): BenchQuery {
  return {
    id: s.kind,
    influxql: dashboardInfluxql(s),
    metricsql: dashboardMetricsql(s),
    rows,
    request: (target, vmCache) => dashboardRequest(s, target, vmCache),
  };
}
