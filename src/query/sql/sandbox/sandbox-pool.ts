// A few SQL sandbox processes, started when the first SQL query comes (so
// `hookline serve` starts as fast as before) and replaced whenever one is
// killed by a budget or leaves a query holding much memory. Each has its own
// directory `<root>/<n>/`, emptied before it starts; a query's snapshot goes
// to `<root>/<n>/q<seq>/` and is removed after it.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxProcess, type SandboxBudget, type SandboxOutcome } from './sandbox-process.ts';
import type { SandboxView } from './sandbox-protocol.ts';
import type { ResultFormat } from '../format-results.ts';

export interface SandboxPoolOptions {
  /** Parent of the per-process directories (`<dataDir>/.sandbox`). */
  root: string;
  size: number;
  /** Kill a child whose RSS passes this while it runs a query. */
  memoryBytes: number;
  timeoutMs: number;
  /** Longest a spare process (beyond the first) stays idle before it exits; the first stays 10 minutes. */
  idleMs?: number;
}

export interface SandboxJob {
  sql: string;
  params: Record<string, unknown>;
  maxRows: number;
  maxBytes: number;
  /** Count the answer's encoded length in this format against maxBytes too. */
  format?: ResultFormat;
  anyStatement?: boolean;
  /** Writes the snapshot into `dir` and returns the views over it. */
  prepare(dir: string): Promise<SandboxView[]>;
}

interface Slot {
  n: number;
  proc?: SandboxProcess;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

export class SandboxPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<(s: Slot) => void> = [];
  private seq = 0;
  private closed = false;
  private cleared?: Promise<void>;

  constructor(private readonly opts: SandboxPoolOptions) {
    for (let n = 0; n < opts.size; n++) this.slots.push({ n, busy: false });
  }

  /** The DuckDB memory_limit inside a sandbox: half the process budget, the rest is Node and DuckDB's own overhead. */
  get engineMemoryLimit(): string {
    return `${Math.max(8, Math.floor(this.opts.memoryBytes / 2 / 1024 / 1024))}MiB`;
  }

  async run(job: SandboxJob): Promise<SandboxOutcome> {
    if (this.closed) return { ok: false, kind: 'crashed', message: 'the server is stopping' };
    this.cleared ??= rm(this.opts.root, { recursive: true, force: true });
    await this.cleared;
    const slot = await this.acquire();
    const dir = join(this.opts.root, String(slot.n), `q${++this.seq}`);
    try {
      const proc = await this.processOf(slot);
      await mkdir(dir, { recursive: true });
      const views = await job.prepare(dir);
      const budget: SandboxBudget = { timeoutMs: this.opts.timeoutMs, memoryBytes: this.opts.memoryBytes };
      const out = await proc.run({ sql: job.sql, params: job.params, views, maxRows: job.maxRows, maxBytes: job.maxBytes, format: job.format, anyStatement: job.anyStatement }, budget);
      // Memory freed by DuckDB is not always returned to the system: a child
      // left holding much of the budget is replaced rather than reused.
      const rss = proc.alive ? await proc.rss() : undefined;
      if (rss !== undefined && rss > Math.max(this.opts.memoryBytes / 2, proc.baselineRss * 1.5)) proc.kill();
      return out;
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      this.release(slot);
    }
  }

  private async processOf(slot: Slot): Promise<SandboxProcess> {
    if (slot.proc?.alive) return slot.proc;
    const dir = join(this.opts.root, String(slot.n));
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    slot.proc = new SandboxProcess({ dir, memoryLimit: this.engineMemoryLimit });
    await slot.proc.ready;
    return slot.proc;
  }

  private acquire(): Promise<Slot> {
    // Prefer a slot whose process is already running.
    const free = this.slots.filter((s) => !s.busy);
    const slot = free.find((s) => s.proc?.alive) ?? free[0];
    if (slot) {
      slot.busy = true;
      clearTimeout(slot.idleTimer);
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next && !this.closed) {
      next(slot);
      return;
    }
    slot.busy = false;
    if (slot.proc) {
      // Spares go soon; the first stays warm for dashboards that refresh every few minutes.
      const proc = slot.proc;
      slot.idleTimer = setTimeout(() => proc.kill(), slot.n === 0 ? 10 * 60_000 : (this.opts.idleMs ?? 60_000));
      slot.idleTimer.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const procs = this.slots.flatMap((s) => (s.proc ? [s.proc] : []));
    for (const s of this.slots) clearTimeout(s.idleTimer);
    for (const p of procs) p.kill();
    await Promise.all(procs.map((p) => p.exitedPromise()));
    await rm(this.opts.root, { recursive: true, force: true }).catch(() => undefined);
  }
}
