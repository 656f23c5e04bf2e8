// Sends one replication's queue to its remote, oldest first, batch by batch,
// and acknowledges a batch in the queue only once the remote took it (2xx).
// A remote that is down, or answers 429/5xx, is retried with exponential
// backoff and jitter (100 ms doubling up to HOOKLINE_REPLICATION_MAX_RETRY_DELAY,
// or the Retry-After it asked for); the queue keeps filling on disk meanwhile,
// up to maxQueueSizeBytes. A batch refused for good (another 4xx) is dropped
// when dropNonRetryableData is set, else retried like the rest, as InfluxDB 2
// does (replications/internal/queue_management.go). Batches older than
// maxAgeSeconds are dropped unsent (InfluxDB's maxAgeSeconds; 0 keeps them).

import type { DiskQueue } from './disk-queue.ts';
import type { ReplicationStatus } from './model.ts';
import { isRetryable, sendBatch, type SendOutcome, type SendTarget } from './send-batch.ts';

/** Payload bytes per POST: InfluxDB's remote writer sends batches of this order. */
const BATCH_BYTES = 1024 * 1024;
const MIN_DELAY_MS = 100;
const NEWLINE = Buffer.from('\n');
const REQUEST_TIMEOUT_MS = 30_000;
/** Sleep with nothing to send; an append wakes it sooner. */
const IDLE_MS = 60_000;

export interface ForwarderOptions {
  queue: DiskQueue;
  /** The target as configured now (the replication or its remote may change), or undefined when gone. */
  target(): (SendTarget & { dropNonRetryableData: boolean; maxAgeSeconds: number }) | undefined;
  maxRetryDelayMs: number;
  log: (msg: string, extra?: Record<string, unknown>) => void;
  send?: (t: SendTarget, body: Buffer, timeoutMs: number) => Promise<SendOutcome>;
  /** A queue record to the line protocol it stands for (replicating-point-store.ts queuedLines); identity when absent. */
  toLines?: (record: Buffer) => Buffer;
}

export class Forwarder {
  latestResponseCode: number | undefined;
  latestErrorMessage: string | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  /** A poke came while no sleep was there to wake: the next sleep returns at once. */
  private poked = false;
  private idle = false;

  constructor(private readonly opts: ForwarderOptions) {
    opts.queue.onAppend = () => {
      // New data wakes an idle forwarder, not one waiting out a backoff.
      this.poked = true;
      if (this.idle) this.poke();
    };
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Wakes a sleeping forwarder (new data, or "retry now"). */
  poke(): void {
    const w = this.wake;
    this.wake = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    w?.();
  }

  status(): ReplicationStatus {
    const bytes = this.opts.queue.bytes;
    return { currentQueueSizeBytes: bytes, remainingBytesToBeSynced: bytes, latestResponseCode: this.latestResponseCode, latestErrorMessage: this.latestErrorMessage };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.running;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.idle = ms === IDLE_MS;
      if (this.poked && this.idle) return resolve();
      this.wake = resolve;
      this.timer = setTimeout(() => this.poke(), ms);
      this.timer.unref();
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const delay = await this.step();
        if (delay !== 0 && !this.stopped) await this.sleep(delay);
      } catch (e) {
        this.latestErrorMessage = `replication queue: ${(e as Error).message}`;
        this.opts.log('replication step failed', { error: String(e) });
        if (!this.stopped) await this.sleep(this.backoff());
      }
    }
  }

  private backoff(retryAfterSec?: number): number {
    this.failures++;
    const exp = Math.min(this.opts.maxRetryDelayMs, MIN_DELAY_MS * 2 ** Math.min(this.failures - 1, 20));
    const jittered = exp / 2 + Math.random() * (exp / 2);
    return retryAfterSec !== undefined ? Math.min(this.opts.maxRetryDelayMs, retryAfterSec * 1000) : jittered;
  }

  /** One batch: answers how long to wait before the next step (0: go on at once; -1 nothing to do). */
  private async step(): Promise<number> {
    this.poked = false;
    const q = this.opts.queue;
    const target = this.opts.target();
    if (!target) return IDLE_MS;
    const { records, end } = await q.peek(BATCH_BYTES);
    if (records.length === 0) return IDLE_MS; // woken by the next append
    const cutoff = target.maxAgeSeconds > 0 ? Date.now() - target.maxAgeSeconds * 1000 : -Infinity;
    const fresh = records.filter((r) => r.enqueuedAtMs >= cutoff);
    if (fresh.length < records.length) {
      this.latestErrorMessage = `dropped ${records.length - fresh.length} queued batches older than maxAgeSeconds (${target.maxAgeSeconds})`;
      this.opts.log('replication dropped batches past maxAgeSeconds', { batches: records.length - fresh.length });
    }
    if (fresh.length === 0) {
      await q.ack(end);
      return 0;
    }
    const toLines = this.opts.toLines ?? ((b: Buffer) => b);
    const parts: Buffer[] = [];
    for (const r of fresh) {
      let l: Buffer;
      try {
        l = toLines(r.payload);
      } catch (e) {
        // A record that cannot be read would block the queue for good: it is skipped, and said.
        this.latestErrorMessage = `skipped an unreadable queue record: ${(e as Error).message}`;
        this.opts.log('replication skipped an unreadable queue record', { error: String(e) });
        continue;
      }
      if (l.length === 0) continue;
      if (parts.length > 0) parts.push(NEWLINE);
      parts.push(l);
    }
    if (parts.length === 0) {
      await q.ack(end);
      return 0;
    }
    const body = Buffer.concat(parts);
    const out = await (this.opts.send ?? sendBatch)(target, body, REQUEST_TIMEOUT_MS);
    if (out.status !== 0) this.latestResponseCode = out.status;
    if (out.status >= 200 && out.status < 300) {
      this.failures = 0;
      this.latestErrorMessage = undefined;
      await q.ack(end);
      return 0;
    }
    this.latestErrorMessage = out.message ?? `HTTP ${out.status}`;
    if (!isRetryable(out.status) && target.dropNonRetryableData) {
      this.opts.log('replication dropped a batch the remote refused', { status: out.status, message: out.message, bytes: body.length });
      await q.ack(end);
      return 0;
    }
    return this.backoff(out.status === 429 || out.status === 503 ? out.retryAfter : undefined);
  }
}
