// Files' rollups in memory, least recently used dropped first once their
// bytes pass the budget (HOOKLINE_ROLLUP_CACHE_BYTES). A rollup is derived
// from an immutable file, so it is never stale: a file that compaction or a
// rewrite replaces gets a new path, and the old entry just ages out. A
// rollup is built on first use (one scan of its file) and a concurrent ask
// for the same one waits for that build.

import { coarsen, MINUTE_NS, rollupBytes, type FileRollup } from './file-rollup.ts';

export class RollupCache {
  private readonly entries = new Map<string, { rollup: FileRollup; bytes: number }>();
  private readonly building = new Map<string, Promise<FileRollup>>();
  private bytes = 0;
  /** Reads answered from rollups, and rollups built (scans of a file): for monitoring and tests. */
  answered = 0;
  built = 0;

  constructor(readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** Bytes held now. */
  get size(): number {
    return this.bytes;
  }

  /**
   * The rollup of `path` at `level`; `build` scans the file at a level.
   * `minuteBytes` estimates the file's minute level: one that would take
   * more than a quarter of the budget is never built (undefined for the
   * minutes; the hours are then scanned directly), so one large file cannot
   * push every other file out, or be built again on every query.
   */
  async get(path: string, level: number, build: (level: number) => Promise<FileRollup>, minuteBytes: number): Promise<FileRollup | undefined> {
    const key = `${path}\u0000${level}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.rollup;
    }
    const minutesFit = minuteBytes <= this.maxBytes / 4;
    if (level === MINUTE_NS && !minutesFit) return undefined;
    let pending = this.building.get(key);
    if (!pending) {
      const make = async (): Promise<FileRollup> => {
        if (level === MINUTE_NS || !minutesFit) {
          const r = await build(level);
          this.built++;
          return r;
        }
        return coarsen((await this.get(path, MINUTE_NS, build, minuteBytes))!, level);
      };
      pending = make().finally(() => this.building.delete(key));
      this.building.set(key, pending);
      const rollup = await pending;
      this.put(key, rollup);
      return rollup;
    }
    return pending;
  }

  private put(key: string, rollup: FileRollup): void {
    const bytes = rollupBytes(rollup);
    const old = this.entries.get(key);
    if (old) this.bytes -= old.bytes;
    this.entries.set(key, { rollup, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (k === key) continue;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
    // A rollup bigger than the whole budget serves the query that built it, and is not kept.
    if (this.bytes > this.maxBytes) {
      this.entries.delete(key);
      this.bytes -= bytes;
    }
  }
}
