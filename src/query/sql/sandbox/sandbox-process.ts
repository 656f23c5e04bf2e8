// The main process's handle on one SQL sandbox process (sandbox-worker.ts):
// it starts the child, sends it one statement at a time, and enforces the
// budgets from outside, where the child cannot interfere: its resident memory
// is read from /proc while a statement runs and the child is killed beyond
// the limit; at the time limit it is interrupted, and killed if it does not
// answer within a short grace (DuckDB checks for interrupts only between
// operators, and not at all while it materialises a list).

import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Cell } from '../result-values.ts';
import { INIT_ENV, type FromSandbox, type QueryMessage, type SandboxErrorKind, type SandboxInit } from './sandbox-protocol.ts';

export interface SandboxBudget {
  timeoutMs: number;
  /** Resident memory of the child at which it is killed. */
  memoryBytes: number;
}

export type SandboxOutcome =
  | { ok: true; columns: string[]; rows: Cell[][] }
  | { ok: false; kind: SandboxErrorKind | 'memory' | 'timeout' | 'crashed'; message: string };

/** How often the child's RSS is read while a statement runs. */
const WATCH_MS = 50;
/** Time between the interrupt and the kill at the time limit. */
const GRACE_MS = 1000;

/** Memory a query may always use above the process's idle size. */
const MIN_HEADROOM = 32 * 1024 * 1024;

const WORKER = fileURLToPath(new URL('./sandbox-worker.ts', import.meta.url));

export class SandboxProcess {
  private readonly child: ChildProcess;
  readonly ready: Promise<void>;
  private exited = false;
  private nextId = 1;
  private pending?: { id: number; settle: (o: SandboxOutcome) => void; rows: Cell[][] };
  /** Why the main process killed it, if it did. */
  private killedFor?: 'memory' | 'timeout';
  private stopped = false;

  /** RSS right after start-up, before any query (Node, tsx and DuckDB: about 125 MB). */
  baselineRss = 0;

  constructor(readonly init: SandboxInit) {
    this.child = fork(WORKER, [], {
      // tsx loads the TypeScript entry, as bin/hookline.js does for the server.
      execArgv: ['--import', import.meta.resolve('tsx')],
      // Not the server's environment (HOOKLINE_INIT_TOKEN, credentials...):
      // only what Node and tsx need to start.
      env: { ...pick(process.env, ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'NODE_ENV']), [INIT_ENV]: JSON.stringify(init) },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: FromSandbox) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'init_failed') reject(new Error(`SQL sandbox failed to start: ${m.message}`));
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) => reject(new Error(`SQL sandbox exited at start (${code ?? signal})`)));
    });
    this.ready.catch(() => undefined);
    this.ready = this.ready.then(async () => {
      this.baselineRss = (await this.rss()) ?? 0;
    });
    this.child.on('message', (m: FromSandbox) => this.onMessage(m));
    this.child.on('exit', () => {
      this.exited = true;
      const p = this.pending;
      this.pending = undefined;
      if (!p) return;
      if (this.killedFor === 'memory') p.settle({ ok: false, kind: 'memory', message: 'memory limit exceeded' });
      else if (this.killedFor === 'timeout') p.settle({ ok: false, kind: 'timeout', message: 'time limit exceeded' });
      else p.settle({ ok: false, kind: 'crashed', message: 'the SQL engine stopped while running the query' });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** False once the child has exited or was killed: the pool replaces it. */
  get alive(): boolean {
    return !this.exited && !this.stopped;
  }

  private onMessage(m: FromSandbox): void {
    if (m.type === 'rows' && this.pending?.id === m.id) {
      for (const r of m.rows) this.pending.rows.push(r);
    } else if ((m.type === 'result' || m.type === 'error') && this.pending?.id === m.id) {
      const p = this.pending;
      this.pending = undefined;
      if (m.type === 'result') {
        for (const r of m.rows) p.rows.push(r);
        p.settle({ ok: true, columns: m.columns, rows: p.rows });
      } else p.settle({ ok: false, kind: m.kind, message: m.message });
    }
  }

  /** Runs one statement under the budget. Never rejects for anything the statement does. */
  async run(msg: Omit<QueryMessage, 'type' | 'id'>, budget: SandboxBudget): Promise<SandboxOutcome> {
    await this.ready;
    if (!this.alive) return { ok: false, kind: 'crashed', message: 'the SQL engine is not running' };
    const id = this.nextId++;
    // A limit below the idle footprint would refuse every query: the process
    // may always hold its idle size plus a little (docs/security.md).
    const limit = Math.max(budget.memoryBytes, this.baselineRss + MIN_HEADROOM);
    let watch: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    try {
      return await new Promise<SandboxOutcome>((resolve) => {
        this.pending = { id, settle: resolve, rows: [] };
        this.child.send({ type: 'query', id, ...msg } satisfies QueryMessage);
        watch = setInterval(() => {
          void this.rss().then((rss) => {
            if (rss !== undefined && rss > limit && this.pending?.id === id) this.kill('memory');
          });
        }, WATCH_MS);
        timer = setTimeout(() => {
          if (this.pending?.id !== id) return;
          this.child.send({ type: 'interrupt' });
          grace = setTimeout(() => {
            if (this.pending?.id === id) this.kill('timeout');
          }, GRACE_MS);
        }, budget.timeoutMs);
      });
    } finally {
      clearInterval(watch);
      clearTimeout(timer);
      clearTimeout(grace);
    }
  }

  /** Resident set size of the child in bytes (Linux /proc); undefined elsewhere or once it is gone. */
  async rss(): Promise<number | undefined> {
    if (this.exited || this.child.pid === undefined) return undefined;
    try {
      const status = await readFile(`/proc/${this.child.pid}/status`, 'utf8');
      const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  kill(reason?: 'memory' | 'timeout'): void {
    if (this.exited) return;
    this.stopped = true;
    this.killedFor ??= reason;
    this.child.kill('SIGKILL');
  }

  /** Resolves once the child has exited (after kill()). */
  exitedPromise(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }
}

function pick(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (env[k] !== undefined) out[k] = env[k]!;
  return out;
}
