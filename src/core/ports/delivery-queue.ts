// DeliveryQueue: what the webhook delivery worker needs from a queue,
// whichever keeps it. Every accepted delivery ends in complete() or dead():
// delivered, or dead-lettered, never silently dropped (at-least-once).
//
// Implementations: WalDeliveryQueue
// (integrations/wal-delivery-queue.ts, a local write-ahead log) and
// NatsDeliveryQueue (integrations/nats-delivery-queue.ts, a JetStream
// work-queue stream shared by several nodes).
// test/contracts/delivery-queue.contract.ts is the suite both pass.

import type { DeviceEvent } from '../device-event.ts';
import type { Recorded } from '../recorded.ts';

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
  /** The reason is kept on disk and shown in the dead-letter list: masked (integrations/recorded.ts). */
  dead(d: D, reason: Recorded<string>): void;
  /** "Retry now": this integration's waiting deliveries become due at once; answers how many (0 when the queue cannot reach them). */
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
