// What a benchmark target is: a way to start a server on a free port with a
// fresh data dir, the write endpoint to load, a way to wait until the data is
// in its final on-disk form, and a way to count the points back. The driver
// (bench/ingest.ts) does the timing and measuring, identically for all.
import type { Dataset } from './dataset.ts';
import type { ServerProcess } from './server-process.ts';

export const TARGET_NAMES = ['hookline', 'influxdb', 'victoria-metrics'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface TargetContext {
  readonly repoRoot: string;
  /** Fresh temporary dir for this target: config and log live here. */
  readonly workDir: string;
  /** Inside workDir; the server's only storage, and what is measured. */
  readonly dataDir: string;
  readonly dataset: Dataset;
}

export interface PointCount {
  /** Points (lines) found in the store. */
  readonly points: number;
  /** How they were counted, for the report. */
  readonly method: string;
}

export interface RunningTarget {
  readonly server: ServerProcess;
  readonly port: number;
  /** Path and query of the write endpoint. */
  readonly writePath: string;
  readonly writeHeaders: Readonly<Record<string, string>>;
  /**
   * Returns once acknowledged data is persisted in the store's final on-disk
   * form, or a bounded wait says it is not coming. The text says how.
   */
  settle(): Promise<{ readonly settled: boolean; readonly method: string }>;
  countPoints(): Promise<PointCount>;
}

export interface TargetDefinition {
  readonly name: TargetName;
  /** Null when the target can run here; otherwise why not and how to fix it. */
  unavailableReason(repoRoot: string): string | null;
  /** Starts the server and returns once it accepts writes (database created etc.). */
  start(ctx: TargetContext): Promise<RunningTarget>;
}
