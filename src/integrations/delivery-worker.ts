// Takes deliveries from the queue and runs them, at most
// HOOKLINE_WEBHOOK_CONCURRENCY at once. After each attempt: publish the result
// events, log it, and complete, retry (exponential backoff with jitter) or
// dead-letter the delivery. Retries: network errors, timeouts, 5xx, 408, 429
// and skipped ("sleeping") hosts, up to HOOKLINE_WEBHOOK_MAX_ATTEMPTS in all;
// any other failure is dead-lettered at once (docs.particle.io/integrations/webhooks, docs/particle.md Decisions).

import type { DeviceEvent } from '../core/device-event.ts';
import { SecretMasker } from '../secrets/secret-masker.ts';
import { attemptDelivery, maskerFor, type AttemptDeps } from './attempt-delivery.ts';
import { backoffMs } from './circuit-breaker.ts';
import type { DeliveryLog } from './delivery-log.ts';
import type { Delivery, DeliveryQueue } from './delivery-queue.ts';
import type { IntegrationStore } from './integration-store.ts';
import type { IntegrationDoc } from './integration-store.ts';
import { record, type Recorded } from './recorded.ts';
import type { ResultEvent } from './response-events.ts';

export interface WorkerOptions extends AttemptDeps {
  queue: DeliveryQueue;
  integrations: IntegrationStore;
  log: DeliveryLog;
  concurrency: number;
  maxAttempts: number;
  retryBaseMs?: number;
  /** Publishes a cloud-generated event (never triggers webhooks). */
  publishResult: (orgId: string, ev: Recorded<ResultEvent>) => void;
  /** Logs a failure of hookline itself; the error's text is masked first. */
  onError: (msg: string, e: Recorded<string>) => void;
  /** Called after every finished attempt (benchmarks, tests). */
  onAttempt?: (ev: DeviceEvent, integrationId: string, outcome: string) => void;
}

export class DeliveryWorker {
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private closed = false;
  private idle: Array<() => void> = [];

  constructor(private readonly o: WorkerOptions) {
    o.queue.onWork = () => this.pump();
  }

  get inFlight(): number {
    return this.running;
  }

  pump(): void {
    if (this.closed) return;
    while (this.running < this.o.concurrency) {
      const d = this.o.queue.take(Date.now());
      if (!d) break;
      this.running++;
      void this.run(d).finally(() => {
        this.running--;
        if (this.running === 0) for (const f of this.idle.splice(0)) f();
        this.pump();
      });
    }
    this.arm();
  }

  /** Wakes up when the next waiting delivery is due. */
  private arm(): void {
    const due = this.o.queue.nextDueAt();
    if (due === undefined || due >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = setTimeout(() => {
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, due - Date.now()) + 5);
    this.timer.unref();
  }

  private async run(d: Delivery): Promise<void> {
    const q = this.o.queue;
    const integ = this.o.integrations.get(d.integrationId);
    if (!integ || integ.spec.disabled) {
      // Deleted or disabled after the event was accepted: nothing to deliver to.
      q.complete(d);
      return;
    }
    try {
      const r = await attemptDelivery(integ, d.event, d.attempt, this.o);
      for (const ev of r.events) this.o.publishResult(integ.orgId, ev);
      const attempts = d.attempt + 1;
      if (r.outcome === 'success') q.complete(d);
      else if (r.retryable && attempts < this.o.maxAttempts) {
        const at = Date.now() + backoffMs(attempts, this.o.retryBaseMs);
        r.log.retryAt = new Date(at).toISOString();
        r.log.next = `retry at ${r.log.retryAt}`;
        q.retry(d, at);
      } else {
        r.log.next = 'dead-lettered';
        q.dead(d, r.message ?? record(SecretMasker.none, r.outcome));
      }
      this.o.log.record(integ.id, r.log);
      this.o.onAttempt?.(d.event, integ.id, r.outcome);
    } catch (e) {
      // A bug, not the target's fault: keep the delivery and try later.
      const text = this.maskedError(integ, e);
      this.o.onError('webhook delivery failed unexpectedly', text);
      if (d.attempt + 1 < this.o.maxAttempts) q.retry(d, Date.now() + backoffMs(d.attempt + 1, this.o.retryBaseMs));
      else q.dead(d, record(SecretMasker.none, `internal error: ${text}`));
    }
  }

  /** An unexpected error's text with the integration's secrets masked; withheld if they cannot be read. */
  private maskedError(integ: IntegrationDoc, e: unknown): Recorded<string> {
    const text = e instanceof Error ? e.message : String(e);
    try {
      return record(maskerFor(integ, this.o.secrets), text);
    } catch {
      return record(SecretMasker.none, 'details withheld: the secrets to mask them with could not be read');
    }
  }

  /** Stops taking work; waits up to `graceMs` for requests in flight (the rest are retried after a restart). */
  async close(graceMs = 2000): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.running === 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, graceMs);
      this.idle.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
