// Ingest load benchmark: the same deterministic 2 M-point line-protocol
// dataset written over HTTP to hookline and, when installed, InfluxDB 1.6 and
// VictoriaMetrics, one after another on this machine. Reports points/s, peak
// RSS, bytes/point on disk and a count check per target, hookline's ratios to
// each peer, and one `BENCH_JSON {...}` line. See bench/README.md.
//
//   npm run bench:ingest
//   BENCH_POINTS=200000 BENCH_TARGETS=influxdb,victoria-metrics npm run bench:ingest
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset, INTERVAL_SECONDS, SERIES, SITES, type Dataset } from './lib/dataset.ts';
import { diskUsage, peakRssBytes } from './lib/measure.ts';
import { readOptions, type BenchOptions } from './lib/options.ts';
import {
  formatRatios,
  formatTable,
  formatTargetResult,
  jsonLine,
  peerRatios,
  type SkippedTarget,
  type TargetResult,
} from './lib/report.ts';
import { killAllServersSync, stopAllServers } from './lib/server-process.ts';
import type { RunningTarget, TargetDefinition, TargetName } from './lib/target.ts';
import { hooklineTarget } from './lib/target-hookline.ts';
import { influxdbTarget } from './lib/target-influxdb.ts';
import { victoriaMetricsTarget } from './lib/target-victoria-metrics.ts';
import { runWriteLoad } from './lib/write-load.ts';

/** bench/ingest.ts -> the repo root, wherever npm was started from. */
const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TARGETS: Readonly<Record<TargetName, TargetDefinition>> = {
  hookline: hooklineTarget,
  influxdb: influxdbTarget,
  'victoria-metrics': victoriaMetricsTarget,
};
const PEER_INSTALL_HINT =
  'install the peers with: sudo apt-get install influxdb victoria-metrics ' +
  '(the packages may enable services on ports 8086/8428; the bench starts its own instances, so stop and disable those)';

/** Temp dirs not yet removed, so an interrupted run still cleans up. */
const tempDirs = new Set<string>();
let keepTempDirs = false;

/** Progress goes to stderr; stdout carries only results. */
function progress(message: string): void {
  process.stderr.write(`[bench:ingest] ${message}\n`);
}

function removeTempDirs(): void {
  if (keepTempDirs) return;
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

// Whatever happens (error, Ctrl-C), leave no server running and no temp dir behind.
process.on('exit', () => {
  killAllServersSync();
  removeTempDirs();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress(`${signal}: stopping servers and removing temp dirs`);
    process.exit(130); // the exit handler does the cleaning
  });
}

async function runTarget(def: TargetDefinition, options: BenchOptions, dataset: Dataset): Promise<TargetResult> {
  const workDir = mkdtempSync(join(options.tmpRoot, `hookline-bench-${def.name}-`));
  tempDirs.add(workDir);
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir);
  let running: RunningTarget | undefined;
  try {
    progress(`${def.name}: starting (work dir ${workDir})`);
    running = await def.start({ repoRoot: REPO_ROOT, workDir, dataDir, dataset });
    const server = running.server;

    progress(`${def.name}: writing ${dataset.points} points with ${options.writers} writer(s)`);
    const load = await runWriteLoad({
      port: running.port,
      path: running.writePath,
      headers: running.writeHeaders,
      batches: dataset.batches,
      writers: options.writers,
      isAlive: () => server.isAlive(),
    });

    progress(`${def.name}: waiting until the data is on disk`);
    const settleStarted = performance.now();
    const settle = await running.settle();
    const settleSeconds = (performance.now() - settleStarted) / 1000;
    const disk = await diskUsage(dataDir);
    // Sampled before the count query, so the peak is that of ingest and
    // persistence, not of answering the verification query.
    const peakRss = peakRssBytes(server.pid);
    const count = await running.countPoints();
    if (!server.isAlive()) throw new Error(server.describeExit());

    const writeSeconds = load.elapsedMs / 1000;
    return {
      target: def.name,
      points: dataset.points,
      requests: load.requests,
      writeSeconds,
      pointsPerSecond: dataset.points / writeSeconds,
      clientCpuSeconds: load.clientCpuSeconds,
      peakRssBytes: peakRss,
      diskBytes: disk.allocatedBytes,
      diskApparentBytes: disk.apparentBytes,
      diskFiles: disk.files,
      bytesPerPoint: disk.allocatedBytes / dataset.points,
      settled: settle.settled,
      settleSeconds,
      settleMethod: settle.method,
      countedPoints: count.points,
      countMethod: count.method,
      countOk: count.points === dataset.points,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const tail = running ? `\n${def.name} log tail (${running.server.logPath}):\n${running.server.logTail()}` : '';
    throw new Error(`${def.name}: ${message}${tail}`);
  } finally {
    await stopAllServers();
    if (options.keep) {
      progress(`${def.name}: kept ${workDir}`);
    } else {
      rmSync(workDir, { recursive: true, force: true });
      tempDirs.delete(workDir);
    }
  }
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const options = readOptions(process.env);
  keepTempDirs = options.keep;

  const selected: TargetDefinition[] = [];
  const skipped: SkippedTarget[] = [];
  for (const name of options.targets) {
    const reason = TARGETS[name].unavailableReason(REPO_ROOT);
    if (reason === null) {
      selected.push(TARGETS[name]);
    } else {
      skipped.push({ target: name, reason });
      console.log(`-- skipped ${name}: ${reason}`);
    }
  }
  if (skipped.some((s) => s.target !== 'hookline')) console.log(`-- ${PEER_INSTALL_HINT}`);
  if (selected.length === 0) {
    console.error('bench:ingest: no target can run here, nothing measured');
    return 1;
  }

  // Built before any server starts: generating 2 M lines costs seconds of CPU
  // that must not be charged to the first target.
  progress(`generating ${options.points} points in batches of ${options.batchLines} lines`);
  const dataset = generateDataset(options.points, options.batchLines);
  progress(
    `dataset: ${dataset.batches.length} bodies, ${(dataset.bytes / 1024 / 1024).toFixed(1)} MiB, ` +
      `sha256 ${dataset.sha256.slice(0, 16)}..., ${(dataset.generateMs / 1000).toFixed(1)} s`,
  );

  const results: TargetResult[] = [];
  for (const def of selected) {
    const result = await runTarget(def, options, dataset);
    results.push(result);
    console.log(formatTargetResult(result));
  }

  const ratios = peerRatios(results);
  console.log('');
  console.log(formatTable(results));
  console.log('');
  if (ratios.length > 0) console.log(formatRatios(ratios));
  else console.log('(no ratios: they need hookline and at least one peer in the same run)');

  const ok = results.every((r) => r.countOk);
  if (!ok) console.log('!!! COUNT MISMATCH: at least one target did not store every point written (see above) !!!');
  console.log(
    jsonLine({
      startedAt,
      dataset: {
        points: dataset.points,
        series: SERIES,
        sites: SITES,
        intervalSeconds: INTERVAL_SECONDS,
        batchLines: options.batchLines,
        batches: dataset.batches.length,
        writers: options.writers,
        bytes: dataset.bytes,
        sha256: dataset.sha256,
        firstTimestamp: dataset.firstTimestamp,
        lastTimestamp: dataset.lastTimestamp,
        node: process.version,
        cpus: cpus().length,
      },
      results,
      skipped,
      ratios,
      ok,
    }),
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench:ingest failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
