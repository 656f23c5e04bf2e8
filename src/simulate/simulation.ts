// Runs publishers on a period: each device on its own timer, started at an
// offset so N devices spread their requests over the period instead of
// bursting together. Keeps counts for the progress line; never throws on a
// failed request (a device keeps trying, as the real ones do).

import type { PublishOutcome, Publisher } from './publishers.ts';

export interface SimulationStats {
  sent: number;
  ok: number;
  failed: number;
  byKind: Record<string, { sent: number; ok: number; failed: number }>;
  lastError?: string;
  lastStatus?: number;
}

export interface SimulationOptions {
  periodMs: number;
  /** Stop each device after this many publishes; undefined = until stop(). */
  count?: number;
  now?: () => number;
  onResult?(p: Publisher, outcome: PublishOutcome): void;
}

export class Simulation {
  readonly stats: SimulationStats = { sent: 0, ok: 0, failed: 0, byKind: {} };
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private running = 0;
  private stopped = false;
  private started = false;
  private finishedResolve?: () => void;
  readonly finished: Promise<void>;

  constructor(
    private readonly publishers: Publisher[],
    private readonly opts: SimulationOptions,
  ) {
    this.finished = new Promise((r) => (this.finishedResolve = r));
  }

  start(): void {
    this.started = true;
    const n = this.publishers.length;
    if (n === 0) return this.finishedResolve!();
    this.running = n;
    this.publishers.forEach((p, i) => this.loop(p, Math.floor((this.opts.periodMs * i) / n)));
  }

  private loop(p: Publisher, delayMs: number): void {
    let count = 0;
    const tick = async () => {
      if (this.stopped) return this.done();
      count++;
      const outcome = await p.publish(count, (this.opts.now ?? Date.now)());
      this.record(p, outcome);
      if (this.stopped || (this.opts.count !== undefined && count >= this.opts.count)) return this.done();
      this.schedule(tick, this.opts.periodMs);
    };
    this.schedule(tick, delayMs);
  }

  private schedule(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private record(p: Publisher, o: PublishOutcome): void {
    const k = (this.stats.byKind[p.kind] ??= { sent: 0, ok: 0, failed: 0 });
    this.stats.sent++;
    k.sent++;
    this.stats.lastStatus = o.status;
    if (o.ok) {
      this.stats.ok++;
      k.ok++;
    } else {
      this.stats.failed++;
      k.failed++;
      this.stats.lastError = `${p.name}: ${o.status ? `HTTP ${o.status} ` : ''}${o.error ?? ''}`.trim();
    }
    this.opts.onResult?.(p, o);
  }

  private done(): void {
    if (--this.running === 0) this.finishedResolve!();
  }

  /** Stops the timers; a request in flight finishes on its own. */
  async stop(): Promise<void> {
    if (this.stopped) return this.finished;
    this.stopped = true;
    if (!this.started) this.finishedResolve!();
    const pending = this.timers.size;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // Devices waiting on a timer will never tick again: count them as done.
    for (let i = 0; i < pending; i++) this.done();
    return this.finished;
  }
}

export function progressLine(s: SimulationStats, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (s.sent / (elapsedMs / 1000)).toFixed(1) : '0.0';
  const kinds = Object.entries(s.byKind)
    .map(([k, v]) => `${k} ${v.ok}/${v.sent}`)
    .join(', ');
  const last = s.failed > 0 && s.lastError ? ` · last error: ${s.lastError.slice(0, 80)}` : '';
  return `sent ${s.sent} (${rate}/s) · ok ${s.ok} · failed ${s.failed}${kinds ? ` · ${kinds}` : ''}${last}`;
}
