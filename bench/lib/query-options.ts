// Settings of the query benchmark: the ingest benchmark's (BENCH_POINTS,
// BENCH_BATCH, BENCH_WRITERS, BENCH_TARGETS, BENCH_TMPDIR, BENCH_KEEP: the
// same dataset is loaded the same way) plus how often each query runs. Every
// invalid setting is listed at once, before anything starts.
import { SERIES } from './dataset.ts';
import { readOptions, type BenchOptions } from './options.ts';

/** Every query id bench/query.ts knows: issue 3's two, then issue 15's dashboard set. */
const QUERY_IDS = ['mean-1h-all', 'mean-1m-device', 'last-all', 'max-1h-8dev', 'last-above', 'top5-mean-1h', 'mean-1h-2tags', 'mean-1h-30d'];

export interface QueryBenchOptions extends BenchOptions {
  /** Timed runs per query and target. BENCH_RUNS, default 30. */
  readonly runs: number;
  /** Untimed runs before them (caches, page cache). BENCH_WARMUP, default 5; 0 allowed. */
  readonly warmup: number;
  /**
   * Warm-up continues until it has also lasted this long (ms), so a fast query
   * is timed JIT-warm, as a server answering a dashboard all day is: a JS path
   * measured in its first 20 calls runs several times slower than in its
   * 200th. BENCH_WARMUP_MS, default 1000; 0 = exactly BENCH_WARMUP runs.
   */
  readonly warmupMs: number;
  /**
   * BENCH_VM_CACHE=1 lets VictoriaMetrics answer repeats from its rollup result
   * cache; default 0 sends `nocache=1`, so every run is computed (as in
   * hookline and InfluxDB, which have no answer cache).
   */
  readonly vmCache: boolean;
  /** BENCH_QUERIES: comma-separated query ids to run; null (unset) runs them all. */
  readonly queries: readonly string[] | null;
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, errors: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min) {
    errors.push(`${name}=${raw}: expected an integer >= ${min}`);
    return fallback;
  }
  return value;
}

export function readQueryOptions(env: NodeJS.ProcessEnv): QueryBenchOptions {
  const errors: string[] = [];
  let base: BenchOptions | undefined;
  try {
    base = readOptions(env);
  } catch (err) {
    // readOptions lists its own errors one per indented line: merge them with ours.
    const lines = (err instanceof Error ? err.message : String(err)).split('\n');
    errors.push(...(lines.length > 1 ? lines.slice(1) : lines).map((l) => l.trim()));
  }
  const runs = intSetting(env, 'BENCH_RUNS', 30, 1, errors);
  const warmup = intSetting(env, 'BENCH_WARMUP', 5, 0, errors);
  const warmupMs = intSetting(env, 'BENCH_WARMUP_MS', 1000, 0, errors);
  const vmCacheRaw = env.BENCH_VM_CACHE?.trim() ?? '';
  if (!['', '0', '1'].includes(vmCacheRaw)) errors.push(`BENCH_VM_CACHE=${env.BENCH_VM_CACHE}: expected 0 or 1`);
  const points = env.BENCH_POINTS === undefined || env.BENCH_POINTS.trim() === '' ? 2_000_000 : Number(env.BENCH_POINTS.replaceAll('_', ''));
  // The device query needs its device in the data: one full timestamp holds every series.
  const series = base?.series ?? SERIES;
  if (Number.isSafeInteger(points) && points >= 1 && points < series) {
    errors.push(`BENCH_POINTS=${env.BENCH_POINTS}: the query benchmark needs at least ${series} points (one per series)`);
  }
  if (errors.length > 0 || base === undefined) throw new Error(`invalid benchmark settings:\n  ${errors.join('\n  ')}`);
  const queriesRaw = env.BENCH_QUERIES?.trim() ?? '';
  const queries = queriesRaw === '' ? null : queriesRaw.split(',').map((q) => q.trim()).filter(Boolean);
  for (const q of queries ?? []) if (!QUERY_IDS.includes(q)) errors.push(`BENCH_QUERIES: unknown query "${q}" (known: ${QUERY_IDS.join(', ')})`);
  return Object.freeze({ ...base, runs, warmup, warmupMs, vmCache: vmCacheRaw === '1', queries });
}
