// One gate for every query language (SQL, InfluxQL, OpenTSDB and any later
// one): at most `maxConcurrent` queries run at once, up to `maxQueued` wait
// for a slot (first come, first served), and a query that waited longer than
// `queueTimeoutMs` or found the queue full is refused with 503 + Retry-After.
// InfluxDB 1.x calls the first limit max-concurrent-queries (coordinator
// config, "max-concurrent-queries limit exceeded"); refusing instead of piling
// up keeps a burst of dashboards from exhausting a small machine.

import { hooklineError } from '../core/errors.ts';

export interface QueryLimiterOptions {
  maxConcurrent: number;
  maxQueued: number;
  /** Longest wait in the queue before the query is refused. */
  queueTimeoutMs: number;
}

interface Waiter {
  start(): void;
  timer?: NodeJS.Timeout;
}

export class QueryLimiter {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly opts: QueryLimiterOptions) {}

  /** Queries running now and waiting now (for /debug/vars and tests). */
  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  /** Runs `fn` when a slot is free; the slot is released when it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.opts.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.opts.maxQueued) return Promise.reject(this.refusal());
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = {
        start: () => {
          clearTimeout(w.timer);
          this.running++;
          resolve();
        },
      };
      w.timer = setTimeout(() => {
        const i = this.queue.indexOf(w);
        if (i >= 0) this.queue.splice(i, 1);
        reject(this.refusal());
      }, this.opts.queueTimeoutMs);
      this.queue.push(w);
    });
  }

  private release(): void {
    this.running--;
    const next = this.queue.shift();
    if (next) next.start();
  }

  private refusal() {
    return hooklineError(
      'TOO_MANY_QUERIES',
      `max-concurrent-queries limit exceeded(${this.running}, ${this.opts.maxConcurrent}): ${this.queue.length} queries waiting`,
      { retryAfter: 1 },
    );
  }
}
