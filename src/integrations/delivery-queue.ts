// What the delivery worker needs from a queue, whichever keeps it: the local
// write-ahead log (wal-delivery-queue.ts) or NATS JetStream shared by several
// nodes (nats-delivery-queue.ts). Every accepted delivery ends in complete()
// or dead(): delivered, or dead-lettered, never silently dropped.

import type { DeviceEvent } from '../core/device-event.ts';
import type { Recorded } from './recorded.ts';

export interface Delivery {
  integrationId: string;
  event: DeviceEvent;
  /** Attempts already made before this one. */
  attempt: number;
}

export interface DeadLetter {
  integrationId: string;
  event: DeviceEvent;
  attempts: number;
  reason: string;
  at: string;
}

export interface DeliveryQueue<D extends Delivery = Delivery> {
  /** Durably accepts one event for these integrations; rejects when the queue is full. */
  enqueue(event: DeviceEvent, integrationIds: string[]): Promise<void>;
  /** The next delivery due now, marked in flight; undefined when none is due. */
  take(now: number): D | undefined;
  /** When the next waiting delivery falls due (ms epoch), if any waits. */
  nextDueAt(): number | undefined;
  complete(d: D): void;
  retry(d: D, nextAt: number): void;
  /** The reason is kept on disk and shown in the dead-letter list: masked (recorded.ts). */
  dead(d: D, reason: Recorded<string>): void;
  /**
   * "Retry now": this integration's deliveries waiting for a retry become due
   * at once; answers how many (the NATS queue cannot reach into the stream's
   * delays and answers 0: they retry at their time).
   */
  wake(integrationId: string): number;
  /** This integration's deliveries waiting for a retry (undefined when the queue cannot tell). */
  waitingOf(integrationId: string): number | undefined;
  /** Called when deliveries become ready (new events, replay, remote work). */
  onWork: () => void;
  /** Deliveries accepted and not finished (ready, waiting and in flight). */
  readonly depth: number;
  readonly waiting: number;
  readonly inFlight: number;
  close(): Promise<void>;
}

export class QueueFullError extends Error {
  constructor(
    readonly depth: number,
    readonly limit: number,
  ) {
    super(`webhook queue full (${depth} deliveries waiting, limit ${limit}); retry later`);
  }
}

/** A binary min-heap on `at`, for deliveries waiting for their retry time. */
export class TimeHeap<T extends { at: number }> {
  private readonly a: T[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): T | undefined {
    return this.a[0];
  }
  push(x: T): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= a[i].at) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  /** Takes out every element `pred` accepts (the heap is rebuilt). */
  removeWhere(pred: (x: T) => boolean): T[] {
    const out: T[] = [];
    const keep: T[] = [];
    for (const x of this.a) (pred(x) ? out : keep).push(x);
    if (out.length === 0) return out;
    this.a.length = 0;
    for (const x of keep) this.push(x);
    return out;
  }
  pop(): T | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].at < a[m].at) m = l;
        if (r < a.length && a[r].at < a[m].at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
