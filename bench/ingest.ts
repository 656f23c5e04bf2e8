// Ingest load benchmark: the same deterministic 2 M-point line-protocol
// dataset written over HTTP to hookline and, when installed, InfluxDB 1.6 and
// VictoriaMetrics, one after another on this machine. Reports points/s, peak
// RSS, bytes/point on disk and a count check per target, hookline's ratios to
// each peer, and one `BENCH_JSON {...}` line. See bench/README.md.
//
//   npm run bench:ingest
//   BENCH_POINTS=200000 BENCH_TARGETS=influxdb,victoria-metrics npm run bench:ingest
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset, INTERVAL_SECONDS, SITES } from './lib/dataset.ts';
import { readOptions } from './lib/options.ts';
import {
  formatRatios,
  formatTable,
  formatTargetResult,
  jsonLine,
  peerRatios,
  type SkippedTarget,
  type TargetResult,
} from './lib/report.ts';
import { progress, runBench } from './lib/bench-process.ts';
import { runTarget } from './lib/run-target.ts';
import type { TargetDefinition, TargetName } from './lib/target.ts';
import { hooklineTarget } from './lib/target-hookline.ts';
import { influxdbTarget } from './lib/target-influxdb.ts';
import { victoriaMetricsTarget } from './lib/target-victoria-metrics.ts';

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


/** The targets to run, in order, and those skipped with the reason. */
function selectTargets(names: readonly TargetName[]): { selected: TargetDefinition[]; skipped: SkippedTarget[] } {
  const selected: TargetDefinition[] = [];
  const skipped: SkippedTarget[] = [];
  for (const name of names) {
    const reason = TARGETS[name].unavailableReason(REPO_ROOT);
    if (reason === null) selected.push(TARGETS[name]);
    else skipped.push({ target: name, reason });
  }
  return { selected, skipped };
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const options = readOptions(process.env);

  const { selected, skipped } = selectTargets(options.targets);
  for (const s of skipped) console.log(`-- skipped ${s.target}: ${s.reason}`);
  if (skipped.some((s) => s.target !== 'hookline')) console.log(`-- ${PEER_INSTALL_HINT}`);
  if (selected.length === 0) {
    console.error('bench:ingest: no target can run here, nothing measured');
    return 1;
  }

  // Built before any server starts: generating 2 M lines costs seconds of CPU
  // that must not be charged to the first target.
  progress(`generating ${options.points} points in batches of ${options.batchLines} lines`);
  const dataset = generateDataset(options.points, options.batchLines, options.series);
  progress(
    `dataset: ${dataset.batches.length} bodies, ${(dataset.bytes / 1024 / 1024).toFixed(1)} MiB, ` +
      `sha256 ${dataset.sha256.slice(0, 16)}..., ${(dataset.generateMs / 1000).toFixed(1)} s`,
  );

  const results: TargetResult[] = [];
  for (const def of selected) {
    const result = await runTarget(def, options, dataset, REPO_ROOT);
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
        series: dataset.series,
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

runBench('ingest', main);
