// Replaced Parquet files (compaction, rewrites, retention) and the hot copies
// of flushed memtables are deleted only once no running query can still read
// them. Every change to the file set starts a new epoch; a query pins the
// epoch it started in; what was replaced in epoch E goes once no query older
// than E is left.

import { unlink } from 'node:fs/promises';

interface Pending {
  epoch: number;
  paths: string[];
  /** Other cleanup due at the same time (dropping hot tables). */
  drops: Array<() => Promise<void>>;
}

export class FileReclaimer {
  private epochNow = 0;
  private readonly readers = new Map<number, number>();
  private pending: Pending[] = [];

  get epoch(): number {
    return this.epochNow;
  }

  /** The file set changed (call under the store's exclusive lock, right after the catalog commit). */
  advance(): void {
    this.epochNow++;
  }

  /** Deletes `paths` (and runs `drops`) once no query of an earlier epoch is running. */
  release(paths: string[], drops: Array<() => Promise<void>> = []): void {
    if (paths.length === 0 && drops.length === 0) return;
    this.pending.push({ epoch: this.epochNow, paths, drops });
    this.collect();
  }

  /** Runs `fn` with the current epoch's files protected. */
  async read<T>(fn: () => Promise<T>): Promise<T> {
    const epoch = this.epochNow;
    this.readers.set(epoch, (this.readers.get(epoch) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const n = (this.readers.get(epoch) ?? 1) - 1;
      if (n <= 0) this.readers.delete(epoch);
      else this.readers.set(epoch, n);
      this.collect();
    }
  }

  private collect(): void {
    let oldest = Infinity;
    for (const [e, n] of this.readers) if (n > 0 && e < oldest) oldest = e;
    const keep: Pending[] = [];
    for (const d of this.pending) {
      if (d.epoch <= oldest) {
        for (const p of d.paths) void unlink(p).catch(() => undefined);
        for (const drop of d.drops) void drop().catch(() => undefined);
      } else keep.push(d);
    }
    this.pending = keep;
  }
}
