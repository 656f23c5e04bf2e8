// Resource measurements taken from outside the server: memory from /proc,
// storage from the file system. Nothing here asks the server about itself, so
// every target is measured the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** VmHWM ("high water mark": peak resident set size) of one process, in bytes; 0 if gone. */
function vmHwmBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Descendants of `root`, from the parent pid in every /proc/<pid>/stat. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces: fields
      // after the last ')' are "state ppid ...".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}

/**
 * Peak RSS of the server: VmHWM of its process, plus that of any child
 * processes it started (none for the three targets today; counted so that a
 * server that forks workers is not flattered). Call it before stopping the
 * server: VmHWM is a peak, so one sample at the end covers the whole run.
 */
export function peakRssBytes(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, p) => sum + vmHwmBytes(p), 0);
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU time (user + system, every thread) used so far by the server and its
 * child processes, in seconds. Read before and after the write phase, the
 * difference is the server's CPU cost of ingest: on a machine shared with
 * other work it moves much less than points/s does.
 */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // after the last ')': state(3) ppid(4) ... utime(14) stime(15)
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / USER_HZ;
}

export interface DiskUsage {
  /** Blocks actually allocated (what `du` reports): the on-disk cost. */
  readonly allocatedBytes: number;
  /** Sum of file sizes (`du --apparent-size`). */
  readonly apparentBytes: number;
  readonly files: number;
}

/**
 * Recursive size of a directory. The headline figure is allocated blocks, not
 * file sizes: InfluxDB pre-sizes its series-file segments to 4 MiB each as
 * sparse files (32 MiB apparent, ~100 KiB allocated on an empty database), so
 * apparent size would charge it for bytes that are not on the disk.
 */
export async function diskUsage(dir: string): Promise<DiskUsage> {
  let allocatedBytes = 0;
  let apparentBytes = 0;
  let files = 0;
  const walk = async (path: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await readdir(path);
    } catch {
      return; // removed while walking (a merge replaced it)
    }
    for (const name of entries) {
      const child = join(path, name);
      try {
        const st = await lstat(child);
        if (st.isDirectory()) {
          await walk(child);
        } else {
          allocatedBytes += st.blocks * 512;
          apparentBytes += st.size;
          files++;
        }
      } catch {
        // removed while walking
      }
    }
  };
  await walk(dir);
  return { allocatedBytes, apparentBytes, files };
}

export interface SettleOptions {
  readonly dir: string;
  /** True while the server reports background work in progress. */
  readonly isBusy: () => Promise<boolean>;
  /** How long the server must be idle with an unchanged data dir. */
  readonly quietMs: number;
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

export interface SettleResult {
  readonly settled: boolean;
  readonly waitedMs: number;
}

/**
 * Waits until the server says it is idle and its data dir has not changed
 * (allocated bytes and file count) for `quietMs`. Bounded by `timeoutMs`: a
 * store that keeps working is measured as it is then, flagged unsettled.
 */
export async function waitUntilSettled(options: SettleOptions): Promise<SettleResult> {
  const started = performance.now();
  const pollMs = options.pollMs ?? 500;
  let last = '';
  let quietSince = performance.now();
  while (performance.now() - started < options.timeoutMs) {
    const usage = await diskUsage(options.dir);
    const busy = await options.isBusy();
    const fingerprint = `${usage.allocatedBytes}/${usage.apparentBytes}/${usage.files}`;
    if (busy || fingerprint !== last) {
      last = fingerprint;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= options.quietMs) {
      return { settled: true, waitedMs: performance.now() - started };
    }
    await sleep(pollMs);
  }
  return { settled: false, waitedMs: performance.now() - started };
}
