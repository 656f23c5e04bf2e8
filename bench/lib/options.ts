// Benchmark settings from the environment, validated once: a typo must fail
// before minutes of load, not be silently replaced by a default.
import { tmpdir } from 'node:os';
import { SERIES } from './dataset.ts';
import { TARGET_NAMES, type TargetName } from './target.ts';

export interface BenchOptions {
  /** Lines (points) written to each target. BENCH_POINTS, default 2,000,000 (2000 timestamps x 1000 series). */
  readonly points: number;
  /**
   * Series (devices d0000..) the points are spread over. BENCH_SERIES, default
   * 1000; the scale runs of issue 15 use 10,000 and 100,000.
   */
  readonly series: number;
  /** Lines per request body. BENCH_BATCH, default 5000 (the batch size). */
  readonly batchLines: number;
  /** Concurrent writers, each with its own keep-alive connection. BENCH_WRITERS, default 2. */
  readonly writers: number;
  /** BENCH_TARGETS, comma-separated, in run order; default all. */
  readonly targets: readonly TargetName[];
  /** Parent of the per-target temp dirs. BENCH_TMPDIR, default the OS temp dir. */
  readonly tmpRoot: string;
  /** BENCH_KEEP=1 leaves the temp dirs (data, config, server log) for inspection. */
  readonly keep: boolean;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, errors: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 1) {
    errors.push(`${name}=${raw}: expected a positive integer`);
    return fallback;
  }
  return value;
}

function targetList(raw: string | undefined, errors: string[]): TargetName[] {
  if (raw === undefined || raw.trim() === '') return [...TARGET_NAMES];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const valid = names.filter((n): n is TargetName => (TARGET_NAMES as readonly string[]).includes(n));
  for (const n of names) if (!valid.includes(n as TargetName)) errors.push(`BENCH_TARGETS: unknown target "${n}" (known: ${TARGET_NAMES.join(', ')})`);
  if (names.length === 0) errors.push('BENCH_TARGETS: no target named');
  return [...new Set(valid)];
}

/** Reads all settings; lists every invalid one at once. */
export function readOptions(env: NodeJS.ProcessEnv): BenchOptions {
  const errors: string[] = [];
  const options: BenchOptions = {
    points: positiveInt(env, 'BENCH_POINTS', 2_000_000, errors),
    series: positiveInt(env, 'BENCH_SERIES', SERIES, errors),
    batchLines: positiveInt(env, 'BENCH_BATCH', 5000, errors),
    writers: positiveInt(env, 'BENCH_WRITERS', 2, errors),
    targets: targetList(env.BENCH_TARGETS, errors),
    tmpRoot: env.BENCH_TMPDIR && env.BENCH_TMPDIR.trim() !== '' ? env.BENCH_TMPDIR : tmpdir(),
    keep: env.BENCH_KEEP === '1',
  };
  if (errors.length > 0) throw new Error(`invalid benchmark settings:\n  ${errors.join('\n  ')}`);
  return Object.freeze(options);
}
