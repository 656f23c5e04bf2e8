// Query benchmark (issue 3): the ingest benchmark's deterministic 2 M-point
// dataset is loaded into hookline and, when installed, InfluxDB 1.6 and
// VictoriaMetrics, one after another; each settles, then answers issue 3's two
// queries (all-series mean(temp) per 1h; one device's mean(temp) per 1m) and
// issue 15's dashboard set (lib/dashboard-queries.ts) a few times untimed and
// BENCH_RUNS times timed. Every answer is checked against the answer computed
// from the dataset itself. Prints median/p90/min per target and
// query, hookline's ratios to each peer, and one `BENCH_JSON {...}` line. See
// bench/README.md.
//
//   npm run bench:query
//   BENCH_POINTS=200000 BENCH_RUNS=10 BENCH_TARGETS=hookline npm run bench:query
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset, INTERVAL_SECONDS } from './lib/dataset.ts';
import { expectedAnswers } from './lib/query-expected.ts';
import { readQueryOptions } from './lib/query-options.ts';
import { formatQueryRatios, formatQueryTable, formatTargetHeader, queryJsonLine, queryRatios } from './lib/query-report.ts';
import { progress, runBench } from './lib/bench-process.ts';
import { runQueryTarget, type TargetQueryResults } from './lib/query-run-target.ts';
import { datasetRange, meanBenchQuery, meanQueries, windowStarts, type BenchQuery, type Row } from './lib/query-specs.ts';
import { datasetColumns } from './lib/dataset-columns.ts';
import { dashboardBenchQuery, dashboardSpecs } from './lib/dashboard-queries.ts';
import { dashboardExpected } from './lib/dashboard-expected.ts';
import type { SkippedTarget } from './lib/report.ts';
import type { TargetDefinition, TargetName } from './lib/target.ts';
import { hooklineTarget } from './lib/target-hookline.ts';
import { influxdbTarget } from './lib/target-influxdb.ts';
import { victoriaMetricsTarget } from './lib/target-victoria-metrics.ts';

/** bench/query.ts -> the repo root, wherever npm was started from. */
const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TARGETS: Readonly<Record<TargetName, TargetDefinition>> = {
  hookline: hooklineTarget,
  influxdb: influxdbTarget,
  'victoria-metrics': victoriaMetricsTarget,
};


function roundedLoad(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const loadAtStart = roundedLoad();
  const options = readQueryOptions(process.env);

  const selected: TargetDefinition[] = [];
  const skipped: SkippedTarget[] = [];
  for (const name of options.targets) {
    const reason = TARGETS[name].unavailableReason(REPO_ROOT);
    if (reason === null) selected.push(TARGETS[name]);
    else skipped.push({ target: name, reason });
  }
  for (const s of skipped) console.log(`-- skipped ${s.target}: ${s.reason}`);
  if (selected.length === 0) {
    console.error('bench:query: no target can run here, nothing measured');
    return 1;
  }

  progress(`generating ${options.points} points and the expected answers`);
  const dataset = generateDataset(options.points, options.batchLines, options.series);
  const range = datasetRange(dataset);
  // Issue 3's two queries, then issue 15's dashboard set; BENCH_QUERIES picks some by id.
  const means = meanQueries(dataset.series);
  const meanExpected = expectedAnswers(dataset, means, range);
  const queries: BenchQuery[] = means.map((q) => meanBenchQuery(q, range, windowStarts(q, range).length));
  const expected = new Map<string, readonly Row[]>(means.map((q) => [q.id, meanExpected.get(q) ?? []]));
  const columns = datasetColumns(dataset);
  for (const spec of dashboardSpecs(range, dataset.series)) {
    const rows = dashboardExpected(spec, columns, dataset.series);
    queries.push(dashboardBenchQuery(spec, rows.length));
    expected.set(spec.kind, rows);
  }
  const chosen = options.queries === null ? queries : queries.filter((q) => options.queries!.includes(q.id));
  const plan = { queries: chosen, expected, vmCache: options.vmCache };

  const targets: TargetQueryResults[] = [];
  for (const def of selected) {
    const result = await runQueryTarget(def, options, dataset, plan, REPO_ROOT);
    targets.push(result);
    console.log(formatTargetHeader(result));
  }

  const results = targets.flatMap((t) => t.queries);
  const ratios = queryRatios(results);
  console.log('');
  console.log(formatQueryTable(results));
  console.log('');
  if (ratios.length > 0) console.log(formatQueryRatios(ratios));
  else console.log('(no ratios: they need hookline and at least one peer in the same run)');

  const ok = targets.every((t) => t.countOk && t.queries.every((q) => q.check.ok));
  if (!ok) console.log('!!! WRONG ANSWER OR MISSING POINTS: see above; the timings of a wrong answer mean nothing !!!');
  console.log(
    queryJsonLine({
      startedAt,
      loadAverage: { start: loadAtStart, end: roundedLoad() },
      dataset: {
        points: dataset.points,
        series: dataset.series,
        intervalSeconds: INTERVAL_SECONDS,
        batchLines: options.batchLines,
        writers: options.writers,
        sha256: dataset.sha256,
        firstTimestamp: dataset.firstTimestamp,
        lastTimestamp: dataset.lastTimestamp,
        node: process.version,
        cpus: cpus().length,
      },
      settings: { runs: options.runs, warmup: options.warmup, warmupMs: options.warmupMs, vmCache: options.vmCache },
      queries: chosen.map((q) => ({ id: q.id, influxql: q.influxql, metricsql: q.metricsql, rows: q.rows })),
      targets,
      skipped,
      ratios,
      ok,
    }),
  );
  return ok ? 0 : 1;
}

runBench('query', main);
