// One target for the query benchmark: fresh temp dir, start, load the dataset
// (the ingest benchmark's write phase, untimed here), settle, count back, then
// time each query; stop and clean whatever happens. Every target goes through
// this same function, and only one server runs at a time.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from './dataset.ts';
import type { QueryBenchOptions } from './query-options.ts';
import type { BenchQuery, QueryId, Row } from './query-specs.ts';
import { timeQuery, type QueryTiming } from './query-timing.ts';
import { stopAllServers } from './server-process.ts';
import type { RunningTarget, TargetDefinition, TargetName } from './target.ts';
import { runWriteLoad } from './write-load.ts';
import { progress, tempDirs } from './bench-process.ts';

export interface QueryResult extends QueryTiming {
  readonly target: TargetName;
  readonly query: QueryId;
  readonly dialect: 'influxql' | 'metricsql';
  readonly text: string;
}

export interface TargetQueryResults {
  readonly target: TargetName;
  readonly loadSeconds: number;
  /** Batches answered 503 (write buffer full) and sent again during the load. */
  readonly loadRetries: number;
  readonly settled: boolean;
  readonly settleSeconds: number;
  readonly settleMethod: string;
  readonly countedPoints: number;
  readonly countOk: boolean;
  readonly queries: readonly QueryResult[];
}

export interface QueryPlan {
  readonly queries: readonly BenchQuery[];
  /** Expected rows per query id. */
  readonly expected: ReadonlyMap<QueryId, readonly Row[]>;
  /** Let VictoriaMetrics answer from its rollup result cache (BENCH_VM_CACHE=1). */
  readonly vmCache: boolean;
}

export async function runQueryTarget(
  def: TargetDefinition,
  options: QueryBenchOptions,
  dataset: Dataset,
  plan: QueryPlan,
  repoRoot: string,
): Promise<TargetQueryResults> {
  const workDir = mkdtempSync(join(options.tmpRoot, `hookline-qbench-${def.name}-`));
  if (!options.keep) tempDirs.add(workDir);
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir);
  let running: RunningTarget | undefined;
  try {
    progress(`${def.name}: starting (work dir ${workDir})`);
    running = await def.start({ repoRoot, workDir, dataDir, dataset });
    const server = running.server;

    progress(`${def.name}: loading ${dataset.points} points`);
    const load = await runWriteLoad({
      port: running.port,
      path: running.writePath,
      headers: running.writeHeaders,
      batches: dataset.batches,
      writers: options.writers,
      isAlive: () => server.isAlive(),
    });
    progress(`${def.name}: settling (final on-disk form)`);
    const settleStarted = performance.now();
    const settle = await running.settle();
    const settleSeconds = (performance.now() - settleStarted) / 1000;
    const count = await running.countPoints();

    const queries: QueryResult[] = [];
    for (const q of plan.queries) {
      const request = q.request(def.name, plan.vmCache);
      progress(`${def.name}: ${q.id}: warm-up (${options.warmup} runs, at least ${options.warmupMs} ms), then ${options.runs} timed runs`);
      const timing = await timeQuery({
        port: running.port,
        // The write headers carry the target's credentials (hookline's token); the peers need none.
        headers: running.writeHeaders,
        request,
        expected: plan.expected.get(q.id) ?? [],
        warmup: options.warmup,
        warmupMs: options.warmupMs,
        runs: options.runs,
        isAlive: () => server.isAlive(),
      });
      queries.push({ target: def.name, query: q.id, dialect: request.dialect, text: request.text, ...timing });
    }
    if (!server.isAlive()) throw new Error(server.describeExit());
    return {
      target: def.name,
      loadSeconds: load.elapsedMs / 1000,
      loadRetries: load.retries,
      settled: settle.settled,
      settleSeconds,
      settleMethod: settle.method,
      countedPoints: count.points,
      countOk: count.points === dataset.points,
      queries,
    };
  } catch (err) {
    let message = err instanceof Error ? err.message : String(err);
    if (running) {
      if (await running.server.exitsWithin(500)) message += ` (${running.server.describeExit()})`;
      const kept = options.keep ? running.server.logPath : 'BENCH_KEEP=1 keeps the whole log';
      message += `\n${def.name} log tail (${kept}):\n${running.server.logTail()}`;
    }
    throw new Error(`${def.name}: ${message}`);
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
