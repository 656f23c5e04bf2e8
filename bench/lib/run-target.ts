// One target, start to finish: fresh temp dir, start, timed write phase,
// settle, measure, count back, stop, clean. Every target goes through this
// same function, so all are timed and measured identically.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from './dataset.ts';
import { cpuSeconds, diskUsage, peakRssBytes } from './measure.ts';
import type { BenchOptions } from './options.ts';
import type { TargetResult } from './report.ts';
import { stopAllServers } from './server-process.ts';
import type { RunningTarget, TargetDefinition } from './target.ts';
import { runWriteLoad } from './write-load.ts';
import { progress, tempDirs } from './bench-process.ts';

export async function runTarget(
  def: TargetDefinition,
  options: BenchOptions,
  dataset: Dataset,
  repoRoot: string,
): Promise<TargetResult> {
  const workDir = mkdtempSync(join(options.tmpRoot, `hookline-bench-${def.name}-`));
  if (!options.keep) tempDirs.add(workDir);
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir);
  let running: RunningTarget | undefined;
  try {
    progress(`${def.name}: starting (work dir ${workDir})`);
    running = await def.start({ repoRoot, workDir, dataDir, dataset });
    const server = running.server;

    progress(`${def.name}: writing ${dataset.points} points with ${options.writers} writer(s)`);
    const cpuBefore = cpuSeconds(server.pid);
    const load = await runWriteLoad({
      port: running.port,
      path: running.writePath,
      headers: running.writeHeaders,
      batches: dataset.batches,
      writers: options.writers,
      isAlive: () => server.isAlive(),
    });
    const serverCpuSeconds = cpuSeconds(server.pid) - cpuBefore;

    progress(`${def.name}: waiting until the data is in its final on-disk form`);
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
      retries: load.retries,
      writeSeconds,
      pointsPerSecond: dataset.points / writeSeconds,
      clientCpuSeconds: load.clientCpuSeconds,
      serverCpuSeconds,
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
    let message = err instanceof Error ? err.message : String(err);
    if (running) {
      // A dead server explains a reset connection better than the reset does;
      // its exit event may arrive just after the socket error.
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
