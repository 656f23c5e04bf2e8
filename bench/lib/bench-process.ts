// What every benchmark script shares: its name on progress lines, temp dirs
// removed and servers stopped however the run ends, and one exit path.

import { rmSync } from 'node:fs';
import { killAllServersSync } from './server-process.ts';

let benchName = 'bench';

/** Temp dirs not yet removed, so an interrupted run can still clean up. */
export const tempDirs = new Set<string>();

/** Progress goes to stderr; stdout carries only results. */
export function progress(message: string): void {
  process.stderr.write(`[bench:${benchName}] ${message}\n`);
}

function removeTempDirsSync(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/**
 * Runs a benchmark's main: whatever happens (error, Ctrl-C), no server is left
 * running and no temp dir behind; the exit code is main's answer.
 */
export function runBench(name: string, main: () => Promise<number>): void {
  benchName = name;
  process.on('exit', () => {
    killAllServersSync();
    removeTempDirsSync();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      progress(`${signal}: stopping servers and removing temp dirs`);
      process.exit(130); // the exit handler does the cleaning
    });
  }
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`bench:${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
