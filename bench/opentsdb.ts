// OpenTSDB ingest benchmark: the same deterministic /api/put JSON bodies
// (bench/lib/opentsdb-dataset.ts, 1000 series) posted to hookline's /api/put
// and to VictoriaMetrics' OpenTSDB HTTP listener (-opentsdbHTTPListenAddr),
// one after the other in one run, measured by bench/lib's shared driver
// (points/s of the write phase, peak RSS, bytes/point after settling, a count
// check), then hookline's ratio to VictoriaMetrics and a BENCH_JSON line.
//
//   node --import tsx bench/opentsdb.ts
//   BENCH_POINTS=200000 BENCH_BATCH=50 node --import tsx bench/opentsdb.ts
// Settings as bench/README.md (BENCH_POINTS, BENCH_BATCH = points per body,
// BENCH_WRITERS, BENCH_TARGETS=hookline,victoria-metrics, BENCH_TMPDIR, BENCH_KEEP).
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenTsdbDataset, OPENTSDB_DEVICES, OPENTSDB_METRICS } from './lib/opentsdb-dataset.ts';
import { hooklineOpenTsdbTarget, victoriaMetricsOpenTsdbTarget } from './lib/opentsdb-targets.ts';
import { readOptions } from './lib/options.ts';
import { formatRatios, formatTable, formatTargetResult, jsonLine, peerRatios, type SkippedTarget, type TargetResult } from './lib/report.ts';
import { progress, runBench } from './lib/bench-process.ts';
import { runTarget } from './lib/run-target.ts';
import type { TargetDefinition } from './lib/target.ts';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TARGETS: Record<string, TargetDefinition> = { hookline: hooklineOpenTsdbTarget, 'victoria-metrics': victoriaMetricsOpenTsdbTarget };


async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const options = readOptions({ BENCH_TARGETS: 'hookline,victoria-metrics', ...process.env });
  const selected: TargetDefinition[] = [];
  const skipped: SkippedTarget[] = [];
  for (const name of options.targets) {
    const def = TARGETS[name];
    const reason = def ? def.unavailableReason(REPO_ROOT) : 'no OpenTSDB endpoint in this benchmark';
    if (def && reason === null) selected.push(def);
    else skipped.push({ target: name, reason: reason ?? '' });
  }
  for (const s of skipped) console.log(`-- skipped ${s.target}: ${s.reason}`);
  if (selected.length === 0) return 1;

  progress(`generating ${options.points} OpenTSDB points in bodies of ${options.batchLines}`);
  const dataset = generateOpenTsdbDataset(options.points, options.batchLines);
  progress(`dataset: ${dataset.batches.length} bodies, ${(dataset.bytes / 1024 / 1024).toFixed(1)} MiB, sha256 ${dataset.sha256.slice(0, 16)}...`);

  const results: TargetResult[] = [];
  for (const def of selected) {
    const r = await runTarget(def, options, dataset, REPO_ROOT);
    results.push(r);
    console.log(formatTargetResult(r));
  }
  const ratios = peerRatios(results);
  console.log('');
  console.log(formatTable(results));
  console.log('');
  console.log(ratios.length > 0 ? formatRatios(ratios) : '(no ratio: it needs hookline and VictoriaMetrics in the same run)');
  const ok = results.every((r) => r.countOk);
  if (!ok) console.log('!!! COUNT MISMATCH: a target did not store every point written !!!');
  console.log(
    jsonLine({
      startedAt,
      dataset: {
        protocol: 'opentsdb-json',
        points: dataset.points,
        series: OPENTSDB_METRICS.length * OPENTSDB_DEVICES,
        batchPoints: options.batchLines,
        batches: dataset.batches.length,
        writers: options.writers,
        bytes: dataset.bytes,
        sha256: dataset.sha256,
        node: process.version,
        cpus: cpus().length,
      },
      results,
      skipped,
      ratios,
      ok,
    }, 'opentsdb'),
  );
  return ok ? 0 : 1;
}

runBench('opentsdb', main);
