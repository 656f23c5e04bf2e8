// Presenting results: a block per target as it finishes, a table, hookline's
// ratios to each peer, and one machine-readable line (`BENCH_JSON {...}`) that
// scripts can grep and compare across commits.
import type { TargetName } from './target.ts';

export interface TargetResult {
  readonly target: TargetName;
  readonly points: number;
  readonly requests: number;
  /** Batches answered 503 (write buffer full) and sent again after Retry-After. */
  readonly retries: number;
  readonly writeSeconds: number;
  /** Points written divided by the wall time of the write phase. */
  readonly pointsPerSecond: number;
  /** CPU time of the load generator during the write phase (it shares the cores). */
  readonly clientCpuSeconds: number;
  /** CPU time of the server (all threads, child processes too) during the write phase. */
  readonly serverCpuSeconds: number;
  /** VmHWM of the server process (and any children), sampled after settling. */
  readonly peakRssBytes: number;
  /** Allocated bytes of the data dir after settling (what `du` says). */
  readonly diskBytes: number;
  readonly diskApparentBytes: number;
  readonly diskFiles: number;
  readonly bytesPerPoint: number;
  readonly settled: boolean;
  readonly settleSeconds: number;
  readonly settleMethod: string;
  readonly countedPoints: number;
  readonly countMethod: string;
  readonly countOk: boolean;
}

export interface SkippedTarget {
  readonly target: TargetName;
  readonly reason: string;
}

/** hookline divided by the peer: points/s above 1 is faster, bytes/point below 1 is smaller. */
export interface PeerRatio {
  readonly peer: TargetName;
  readonly pointsPerSecond: number;
  readonly bytesPerPoint: number;
}

const MIB = 1024 * 1024;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatTargetResult(r: TargetResult): string {
  const check = r.countOk
    ? `ok (${grouped(r.countedPoints)} points)`
    : `!!! MISMATCH: wrote ${grouped(r.points)} points, counted ${grouped(r.countedPoints)} !!!`;
  return [
    `== ${r.target}`,
    `   points/s      ${grouped(r.pointsPerSecond)} (${grouped(r.points)} points in ${r.writeSeconds.toFixed(2)} s, ${r.requests} requests${r.retries ? `, ${r.retries} retried after 503` : ''}; ` +
      `client used ${r.clientCpuSeconds.toFixed(2)} CPU s, server ${r.serverCpuSeconds.toFixed(2)} CPU s)`,
    `   peak RSS      ${(r.peakRssBytes / MIB).toFixed(1)} MiB`,
    `   on disk       ${r.bytesPerPoint.toFixed(2)} bytes/point (${(r.diskBytes / MIB).toFixed(1)} MiB allocated, ` +
      `${(r.diskApparentBytes / MIB).toFixed(1)} MiB apparent, ${r.diskFiles} files)`,
    `   settle        ${r.settled ? '' : '!!! NOT SETTLED (measured anyway) !!! '}${r.settleSeconds.toFixed(1)} s: ${r.settleMethod}`,
    `   count check   ${check}`,
    `                 ${r.countMethod}`,
  ].join('\n');
}

export function formatTable(results: readonly TargetResult[]): string {
  const header = ['target', 'points/s', 'write s', 'peak RSS MiB', 'bytes/point', 'count check'];
  const rows = results.map((r) => [
    r.target,
    grouped(r.pointsPerSecond),
    r.writeSeconds.toFixed(2),
    (r.peakRssBytes / MIB).toFixed(1),
    r.bytesPerPoint.toFixed(2),
    r.countOk ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function peerRatios(results: readonly TargetResult[]): PeerRatio[] {
  const hookline = results.find((r) => r.target === 'hookline');
  if (hookline === undefined) return [];
  return results
    .filter((r) => r.target !== 'hookline')
    .map((peer) => ({
      peer: peer.target,
      pointsPerSecond: round(hookline.pointsPerSecond / peer.pointsPerSecond, 3),
      bytesPerPoint: round(hookline.bytesPerPoint / peer.bytesPerPoint, 3),
    }));
}

export function formatRatios(ratios: readonly PeerRatio[]): string {
  return ratios
    .map(
      (r) =>
        `hookline / ${r.peer}: points/s x${r.pointsPerSecond.toFixed(2)} (above 1 = faster), ` +
        `bytes/point x${r.bytesPerPoint.toFixed(2)} (below 1 = smaller)`,
    )
    .join('\n');
}

export interface BenchSummary {
  readonly startedAt: string;
  readonly dataset: Readonly<Record<string, unknown>>;
  readonly results: readonly TargetResult[];
  readonly skipped: readonly SkippedTarget[];
  readonly ratios: readonly PeerRatio[];
  readonly ok: boolean;
}

/** One line, prefixed so `grep '^BENCH_JSON '` finds it in any log. */
/** The machine-readable summary line; `bench` names the benchmark (ingest, opentsdb, ...). */
export function jsonLine(summary: BenchSummary, bench = 'ingest'): string {
  const results = summary.results.map((r) => ({
    ...r,
    pointsPerSecond: Math.round(r.pointsPerSecond),
    writeSeconds: round(r.writeSeconds, 3),
    clientCpuSeconds: round(r.clientCpuSeconds, 3),
    serverCpuSeconds: round(r.serverCpuSeconds, 3),
    bytesPerPoint: round(r.bytesPerPoint, 3),
    settleSeconds: round(r.settleSeconds, 1),
  }));
  return `BENCH_JSON ${JSON.stringify({ bench, ...summary, results })}`;
}
