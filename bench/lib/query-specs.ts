// The two benchmark queries of issue 3, and how each target is asked them:
// InfluxQL on `/query` (as Grafana sends it, `epoch=ms`) for hookline and
// InfluxDB, the equivalent MetricsQL on `/api/v1/query_range` for
// VictoriaMetrics. bench/README.md explains why the answers are equal.
import { deviceName, INTERVAL_SECONDS, MEASUREMENT, START_SECONDS, type Dataset } from './dataset.ts';
import type { TargetName } from './target.ts';

/** `mean-1h-all`, `mean-1m-device`, and the dashboard set's ids (dashboard-queries.ts). */
export type QueryId = string;

export interface QueryDef {
  readonly id: QueryId;
  /** Window length in seconds (GROUP BY time(...), the VM step). */
  readonly everySeconds: number;
  /** Only this device's points, or all series. */
  readonly device: string | null;
}

/** Issue 3: all-series mean of temp per hour; one device's mean per minute (device 42, named for the series count). */
export function meanQueries(series: number): QueryDef[] {
  return [
    { id: 'mean-1h-all', everySeconds: 3600, device: null },
    { id: 'mean-1m-device', everySeconds: 60, device: deviceName(42 % series, series) },
  ];
}

/** The whole dataset: [first timestamp, last timestamp + one interval), in seconds. */
export interface TimeRange {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

export function datasetRange(dataset: Dataset): TimeRange {
  return { startSeconds: START_SECONDS, endSeconds: dataset.lastTimestamp + INTERVAL_SECONDS };
}

/** Start of the window holding `t` (InfluxDB aligns windows to the epoch; so does a VM step from an aligned start). */
export function windowStart(t: number, every: number): number {
  return t - (((t % every) + every) % every);
}

/** Start times (s) of every window InfluxQL's GROUP BY time produces for the range, in order. */
export function windowStarts(def: QueryDef, range: TimeRange): number[] {
  const out: number[] = [];
  for (let w = windowStart(range.startSeconds, def.everySeconds); w < range.endSeconds; w += def.everySeconds) out.push(w);
  return out;
}

export function influxql(def: QueryDef, range: TimeRange): string {
  const where = def.device === null ? '' : `"device" = '${def.device}' AND `;
  return (
    `SELECT mean("temp") FROM "${MEASUREMENT}" WHERE ${where}` +
    `time >= ${range.startSeconds * 1000}ms AND time < ${range.endSeconds * 1000}ms GROUP BY time(${durationText(def.everySeconds)})`
  );
}

/**
 * MetricsQL with the same windows. VictoriaMetrics stores field `temp` of
 * measurement `data` as series `data_temp` (tags become labels). A rollup
 * `f(m[d])` evaluated at t reads samples in (t - d, t]; InfluxDB's window
 * starting at t is [t, t + d). `offset -(d - 1ms)` moves VM's window to
 * (t - 1ms, t + d - 1ms], which on millisecond timestamps is exactly
 * [t, t + d), so the value VM reports at t is InfluxDB's window starting at t.
 * The mean over all series is sum of sums / sum of counts (a mean of
 * per-series means would weight series, not points).
 */
export function metricsql(def: QueryDef): string {
  const d = durationText(def.everySeconds);
  const sel = def.device === null ? `${MEASUREMENT}_temp` : `${MEASUREMENT}_temp{device="${def.device}"}`;
  const window = `[${d}] offset -${def.everySeconds * 1000 - 1}ms`;
  return `sum(sum_over_time(${sel}${window})) / sum(count_over_time(${sel}${window}))`;
}

function durationText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export interface QueryRequest {
  readonly path: string;
  /** The text sent, for the report. */
  readonly text: string;
  readonly dialect: 'influxql' | 'metricsql';
  /** The answer as rows to compare with the expected ones; throws on an error answer. */
  readonly parse: (body: string) => Row[];
}

/** A benchmark query as every target is asked it; `expected` rows come from the dataset. */
export interface BenchQuery {
  readonly id: QueryId;
  readonly influxql: string;
  readonly metricsql: string;
  /** Rows of the expected answer (windows x series). */
  readonly rows: number;
  request(target: TargetName, vmCache: boolean): QueryRequest;
}

/** One of issue 3's two mean queries as a BenchQuery. */
export function meanBenchQuery(def: QueryDef, range: TimeRange, rows: number): BenchQuery {
  return {
    id: def.id,
    influxql: influxql(def, range),
    metricsql: metricsql(def),
    rows,
    request: (target, vmCache) => queryRequest(target, def, range, vmCache),
  };
}

/**
 * `nocache=1` for VictoriaMetrics: without it, repeating the same range query
 * returns its rollup result cache (a store-side answer cache that hookline and
 * InfluxDB do not have), and for 50+ points per series VM may shift the
 * returned timestamps to improve cache hits (VictoriaMetrics issue #563).
 */
export function queryRequest(target: TargetName, def: QueryDef, range: TimeRange, vmCache: boolean): QueryRequest {
  if (target === 'victoria-metrics') {
    const starts = windowStarts(def, range);
    const text = metricsql(def);
    const params = new URLSearchParams({
      query: text,
      start: String(starts[0]),
      end: String(starts[starts.length - 1]),
      step: `${def.everySeconds}s`,
    });
    if (!vmCache) params.set('nocache', '1');
    return { path: `/api/v1/query_range?${params}`, text, dialect: 'metricsql', parse: parseVmMatrix };
  }
  // hookline and InfluxDB 1.6: GET /query as Grafana's InfluxQL datasource sends it.
  const text = influxql(def, range);
  const params = new URLSearchParams({ db: 'bench', q: text, epoch: 'ms' });
  return { path: `/query?${params}`, text, dialect: 'influxql', parse: parseInfluxV1 };
}

/**
 * One row of an answer: the series it belongs to (`key`, `device=d0042` or
 * `device=d0042,site=s02` for grouped queries, '' when not grouped), its
 * window start (ms since the epoch; 0 for instant answers), and the value,
 * null when the window is empty.
 */
export interface Row {
  readonly key: string;
  readonly timeMs: number;
  readonly value: number | null;
}

/** `{"results":[{"statement_id":0,"series":[{"columns":["time","mean"],"values":[[ms, v], ...]}]}]}` */
export function parseInfluxV1(body: string): Row[] {
  const parsed = JSON.parse(body) as {
    error?: string;
    results?: { error?: string; series?: { columns?: string[]; values?: unknown[][] }[] }[];
  };
  if (parsed.error) throw new Error(`query error: ${parsed.error}`);
  const result = parsed.results?.[0];
  if (result === undefined) throw new Error('no results[0] in the answer');
  if (result.error) throw new Error(`statement error: ${result.error}`);
  const series = result.series ?? [];
  if (series.length > 1) throw new Error(`expected one series, got ${series.length}`);
  return (series[0]?.values ?? []).map((v) => {
    if (typeof v[0] !== 'number' || (v[1] !== null && typeof v[1] !== 'number')) throw new Error(`unexpected row ${JSON.stringify(v)}`);
    return { key: '', timeMs: v[0], value: v[1] as number | null };
  });
}

/** `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[s, "v"], ...]}]}}` */
export function parseVmMatrix(body: string): Row[] {
  const parsed = JSON.parse(body) as { status?: string; error?: string; data?: { result?: { values?: [number, string][] }[] } };
  if (parsed.status !== 'success') throw new Error(`query error: ${parsed.error ?? body.slice(0, 300)}`);
  const result = parsed.data?.result ?? [];
  if (result.length > 1) throw new Error(`expected one series, got ${result.length}`);
  return (result[0]?.values ?? []).map(([t, v]) => ({ key: '', timeMs: Math.round(t * 1000), value: Number(v) }));
}
