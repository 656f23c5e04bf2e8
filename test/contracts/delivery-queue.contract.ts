// The DeliveryQueue contract (src/core/ports/delivery-queue.ts), run against
// every implementation as aedes' abstract persistence tests run against
// every backend: WalDeliveryQueue (a local write-ahead log) and
// NatsDeliveryQueue (a JetStream work-queue stream). delivery-queue.test.ts
// calls it once per implementation.
//
// What every queue promises the delivery worker: each accepted (event,
// integration) pair is handed out once at a time, and ends in complete() or
// dead(); retry() hands it out again no earlier than asked, with the attempt
// counted; dead() files a dead letter; the queue is bounded; accepted
// deliveries survive a restart. Deliveries may arrive asynchronously (NATS
// pushes them), so the suite waits on take() the way the worker waits for
// onWork, and uses real time.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceEvent } from '../../src/core/device-event.ts';
import type { DeadLetter, Delivery, DeliveryQueue } from '../../src/core/ports/delivery-queue.ts';
import { QueueFullError } from '../../src/integrations/delivery-queue.ts';
import { record } from '../../src/integrations/recorded.ts';
import { SecretMasker } from '../../src/secrets/secret-masker.ts';
import { eventually } from './eventually.ts';

export interface QueueHarness {
  /** Opens the queue on the harness's backing; dead letters go to `filed`. */
  open(): Promise<DeliveryQueue>;
  filed: DeadLetter[];
  destroy(): Promise<void>;
}

export interface DeliveryQueueFactory {
  name: string;
  /** A fresh, empty backing whose queues hold at most `limit` deliveries. */
  backing(limit: number): Promise<QueueHarness>;
}

const ev = (n: number, extra: Partial<DeviceEvent> = {}): DeviceEvent => ({
  id: `e${n}`,
  name: 'temp',
  data: `{"n":${n}}`,
  coreid: 'dev1',
  publishedAt: new Date(1_700_000_000_000 + n).toISOString(),
  ttl: 60,
  public: false,
  orgId: 'org1',
  internal: false,
  ...extra,
});

const takeNext = (q: DeliveryQueue, what: string) => eventually(what, () => q.take(Date.now()));

export function deliveryQueueContract(factory: DeliveryQueueFactory): void {
  describe(`DeliveryQueue contract: ${factory.name}`, () => {
    test('one delivery per integration, the event intact, each handed out once; complete() finishes it', async () => {
      const h = await factory.backing(100);
      const q = await h.open();
      try {
        let work = 0;
        q.onWork = () => work++;
        await q.enqueue(ev(1, { productId: 7 }), ['i1', 'i2']);
        const got: Delivery[] = [await takeNext(q, 'the first delivery'), await takeNext(q, 'the second delivery')];
        assert.ok(work > 0, 'onWork announced the deliveries');
        assert.deepEqual(got.map((d) => d.integrationId).sort(), ['i1', 'i2']);
        for (const d of got) {
          assert.equal(d.attempt, 0);
          assert.deepEqual(d.event, ev(1, { productId: 7 }));
        }
        assert.equal(q.inFlight, 2);
        for (const d of got) q.complete(d);
        assert.equal(q.inFlight, 0);
        await eventually('depth back to 0', () => q.depth === 0);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(q.take(Date.now()), undefined, 'a completed delivery never comes back');
      } finally {
        await q.close();
        await h.destroy();
      }
    });

    test('retry() hands the delivery out again, not before it is due, with the attempt counted', async () => {
      const h = await factory.backing(100);
      const q = await h.open();
      try {
        await q.enqueue(ev(2), ['i1']);
        const d = await takeNext(q, 'the delivery');
        const due = Date.now() + 400;
        q.retry(d, due);
        assert.equal(q.take(Date.now()), undefined, 'not handed out before it is due');
        const again = await takeNext(q, 'the retried delivery');
        assert.ok(Date.now() >= due - 50, 'handed out once due');
        assert.equal(again.attempt, 1);
        assert.equal(again.event.id, 'e2');
        q.complete(again);
      } finally {
        await q.close();
        await h.destroy();
      }
    });

    test('wake() makes one integration\'s waiting deliveries due now ("retry now"); a queue that cannot answers 0', async () => {
      const h = await factory.backing(100);
      const q = await h.open();
      try {
        await q.enqueue(ev(4), ['i1', 'i2']);
        const a = await takeNext(q, 'the first delivery');
        const b = await takeNext(q, 'the second delivery');
        const later = Date.now() + 60_000;
        q.retry(a, later);
        q.retry(b, later);
        const woken = q.wake('i1');
        if (woken === 0) return; // NATS: the delays live in the stream
        assert.equal(woken, 1);
        assert.equal(q.waitingOf('i1'), 0);
        assert.equal(q.waitingOf('i2'), 1);
        const again = await takeNext(q, 'the woken delivery');
        assert.equal(again.integrationId, 'i1');
        assert.equal(again.attempt, 1);
        assert.equal(q.take(Date.now()), undefined, 'the other integration still waits');
        q.complete(again);
      } finally {
        await q.close();
        await h.destroy();
      }
    });

    test('dead() files a dead letter with the reason and the attempts; the delivery is finished', async () => {
      const h = await factory.backing(100);
      const q = await h.open();
      try {
        await q.enqueue(ev(3), ['i9']);
        const d = await takeNext(q, 'the delivery');
        q.dead(d, record(SecretMasker.none, 'error status 500 from hook'));
        const [letter] = await eventually('the dead letter', () => (h.filed.length > 0 ? h.filed : undefined));
        assert.equal(letter.integrationId, 'i9');
        assert.equal(letter.reason, 'error status 500 from hook');
        assert.equal(letter.attempts, 1);
        assert.equal(letter.event.id, 'e3');
        await eventually('depth back to 0: a dead letter no longer counts against the limit', () => q.depth === 0);
        assert.equal(q.take(Date.now()), undefined);
      } finally {
        await q.close();
        await h.destroy();
      }
    });

    test('the queue is bounded: enqueue rejects once the limit is reached', async () => {
      const h = await factory.backing(3);
      const q = await h.open();
      try {
        await q.enqueue(ev(4), ['a', 'b']);
        await q.enqueue(ev(5), ['a']);
        await assert.rejects(q.enqueue(ev(6), ['a']), (e) => e instanceof QueueFullError && /queue full/.test(e.message));
      } finally {
        await q.close();
        await h.destroy();
      }
    });

    test('accepted deliveries survive a restart', async () => {
      const h = await factory.backing(100);
      let q = await h.open();
      try {
        await q.enqueue(ev(7), ['i1']);
        await q.enqueue(ev(8), ['i1']);
        const first = await takeNext(q, 'the first delivery');
        q.complete(first);
        await new Promise((r) => setTimeout(r, 100));
        await q.close();
        q = await h.open();
        const d = await takeNext(q, 'the delivery left after the restart');
        assert.equal(d.event.id, first.event.id === 'e7' ? 'e8' : 'e7');
        q.complete(d);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(q.take(Date.now()), undefined);
      } finally {
        await q.close();
        await h.destroy();
      }
    });
  });
}
