// Timing one query on one target: warm-up runs, then timed runs one after
// another over one keep-alive connection (as a dashboard refreshing a panel).
// A run's time is the client's wall time from sending the request to the last
// byte of the answer; the answer is parsed and checked after the clock stops,
// for every run, warm-ups included.
import http from 'node:http';
import { expectStatus, httpRequest } from './http-client.ts';
import { checkRows, type CheckResult } from './query-expected.ts';
import type { QueryRequest, Row } from './query-specs.ts';

export interface TimingOptions {
  readonly port: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly request: QueryRequest;
  readonly expected: readonly Row[];
  readonly warmup: number;
  /** Keep warming up until this much time has passed too (at most MAX_WARMUP_RUNS runs). */
  readonly warmupMs: number;
  readonly runs: number;
  readonly isAlive: () => boolean;
}

/** Bound on time-driven warm-up runs: 1 s of a 0.3 ms query is ~3000 runs; 2000 is plenty for the JIT. */
const MAX_WARMUP_RUNS = 2000;

export interface QueryTiming {
  /** Warm-up runs done (BENCH_WARMUP, or more to fill BENCH_WARMUP_MS). */
  readonly warmupRuns: number;
  /** Wall time of each timed run, ms, in run order. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Rows (windows) in the last answer. */
  readonly rows: number;
  readonly responseBytes: number;
  readonly check: CheckResult;
}

/** Nearest-rank percentile of sorted values (p in 0..1); the median of an even count is the mean of the middle two. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  if (p === 0.5 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export async function timeQuery(options: TimingOptions): Promise<QueryTiming> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samplesMs: number[] = [];
  let rows = 0;
  let responseBytes = 0;
  let check: CheckResult = { ok: true, detail: '' };
  let warmupRuns = 0;
  const warmupStarted = performance.now();
  const warming = (): boolean =>
    warmupRuns < options.warmup || (performance.now() - warmupStarted < options.warmupMs && warmupRuns < MAX_WARMUP_RUNS);
  try {
    for (let i = 0; samplesMs.length < options.runs; i++) {
      if (!options.isAlive()) throw new Error('server process exited while being queried');
      const timed = !warming();
      const started = performance.now();
      const res = await httpRequest({ port: options.port, method: 'GET', path: options.request.path, headers: options.headers, agent });
      const elapsed = performance.now() - started;
      expectStatus(res, 200, `query ${options.request.text}`);
      if (timed) samplesMs.push(elapsed);
      else warmupRuns++;
      let answer: Row[];
      try {
        answer = options.request.parse(res.body);
      } catch (err) {
        throw new Error(`query ${options.request.text}: ${err instanceof Error ? err.message : String(err)}`);
      }
      rows = answer.length;
      responseBytes = Buffer.byteLength(res.body);
      const runCheck = checkRows(options.expected, answer);
      // Keep the first failure: one wrong answer fails the query, however fast the others were.
      if (check.ok && !runCheck.ok) check = { ok: false, detail: `run ${i + 1}: ${runCheck.detail}` };
    }
  } finally {
    agent.destroy();
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    warmupRuns,
    samplesMs,
    medianMs: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
    rows,
    responseBytes,
    check,
  };
}
