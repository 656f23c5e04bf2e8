// What the delivery worker needs from a queue, whichever keeps it: the local
// write-ahead log (wal-delivery-queue.ts) or NATS JetStream shared by several
// nodes (nats-delivery-queue.ts). Every accepted delivery ends in complete()
// or dead(): delivered, or dead-lettered, never silently dropped.

// The interface is core's port (core/ports/delivery-queue.ts); this file keeps
// what the two implementations share.
import { ERRORS, HooklineError } from '../core/errors.ts';

export type { DeadLetter, Delivery, DeliveryQueue } from '../core/ports/delivery-queue.ts';

/** The queue refuses an event: a 429 with Retry-After, coded where it is raised. */
export class QueueFullError extends HooklineError {
  constructor(
    readonly depth: number,
    readonly limit: number,
  ) {
    const message = `webhook queue full (${depth} deliveries waiting, limit ${limit}); retry later`;
    super(ERRORS.WEBHOOK_QUEUE_FULL, message, { retryAfter: 1, data: { error_description: message } });
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
