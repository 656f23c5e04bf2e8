// Presenting the query benchmark: a table (target, query, median, p90, min,
// rows, check), hookline's ratio to each peer per query, and one
// `BENCH_JSON {...}` line, in the ingest benchmark's style.
import type { QueryResult, TargetQueryResults } from './query-run-target.ts';
import type { QueryId } from './query-specs.ts';
import type { SkippedTarget } from './report.ts';
import type { TargetName } from './target.ts';

/** Peer median / hookline median: above 1 means hookline answered faster. */
export interface QueryRatio {
  readonly peer: TargetName;
  readonly query: QueryId;
  readonly median: number;
  readonly p90: number;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

export function formatTargetHeader(t: TargetQueryResults): string {
  return (
    `== ${t.target}: loaded in ${t.loadSeconds.toFixed(1)} s${t.loadRetries ? ` (${t.loadRetries} batches retried after 503)` : ''}; settle ${t.settled ? '' : '!!! NOT SETTLED !!! '}` +
    `${t.settleSeconds.toFixed(1)} s (${t.settleMethod}); count ${t.countOk ? 'ok' : `!!! ${t.countedPoints} !!!`}`
  );
}

export function formatQueryTable(results: readonly QueryResult[]): string {
  const header = ['target', 'query', 'median ms', 'p90 ms', 'min ms', 'rows', 'check'];
  const rows = results.map((r) => [r.target, r.query, ms(r.medianMs), ms(r.p90Ms), ms(r.minMs), String(r.rows), r.check.ok ? 'ok' : 'WRONG']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const failures = results.filter((r) => !r.check.ok).map((r) => `!!! ${r.target} ${r.query}: WRONG ANSWER: ${r.check.detail}`);
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...failures].join('\n');
}

export function queryRatios(results: readonly QueryResult[]): QueryRatio[] {
  const out: QueryRatio[] = [];
  for (const h of results.filter((r) => r.target === 'hookline')) {
    for (const peer of results.filter((r) => r.target !== 'hookline' && r.query === h.query)) {
      out.push({ peer: peer.target, query: h.query, median: round(peer.medianMs / h.medianMs, 3), p90: round(peer.p90Ms / h.p90Ms, 3) });
    }
  }
  return out;
}

export function formatQueryRatios(ratios: readonly QueryRatio[]): string {
  return ratios
    .map((r) => `hookline vs ${r.peer}, ${r.query}: x${r.median.toFixed(2)} median, x${r.p90.toFixed(2)} p90 (peer ms / hookline ms; above 1 = hookline faster)`)
    .join('\n');
}

export interface QuerySummary {
  readonly startedAt: string;
  /** os.loadavg() when the run started and ended: the machine is shared. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly dataset: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly queries: readonly Readonly<Record<string, unknown>>[];
  readonly targets: readonly TargetQueryResults[];
  readonly skipped: readonly SkippedTarget[];
  readonly ratios: readonly QueryRatio[];
  readonly ok: boolean;
}

/** One line, prefixed so `grep '^BENCH_JSON '` finds it in any log. */
export function queryJsonLine(summary: QuerySummary): string {
  const targets = summary.targets.map((t) => ({
    ...t,
    loadSeconds: round(t.loadSeconds, 2),
    settleSeconds: round(t.settleSeconds, 1),
    queries: t.queries.map((q) => ({
      query: q.query,
      dialect: q.dialect,
      warmupRuns: q.warmupRuns,
      medianMs: round(q.medianMs, 3),
      p90Ms: round(q.p90Ms, 3),
      minMs: round(q.minMs, 3),
      maxMs: round(q.maxMs, 3),
      samplesMs: q.samplesMs.map((s) => round(s, 3)),
      rows: q.rows,
      responseBytes: q.responseBytes,
      checkOk: q.check.ok,
      checkDetail: q.check.detail,
    })),
  }));
  return `BENCH_JSON ${JSON.stringify({ bench: 'query', ...summary, targets })}`;
}
