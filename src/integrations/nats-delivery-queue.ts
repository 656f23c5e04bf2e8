// The delivery queue shared by several hookline nodes: a NATS JetStream
// work-queue stream (file storage) with one message per delivery, and one
// durable pull consumer that every node pulls from, so each delivery goes to
// one node at a time. ack = finished: delivered, or dead-lettered once filed
// in this node's catalog (ack, not term: see dead()); nak(delay) = retry with
// backoff (JetStream redelivers after the delay, possibly on another node).
// A node that dies mid-delivery leaves the message unacknowledged: JetStream
// redelivers it after ack_wait (at-least-once). The stream's max_msgs with
// discard=new is the queue bound, enforced by the server for all nodes
// together.

import { AckPolicy, DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type JsMsg } from 'nats';
import { fromJson, toJson, type EventJson } from '../events/event.ts';
import type { DeviceEvent } from '../core/device-event.ts';
import { QueueFullError, type DeadLetter, type Delivery, type DeliveryQueue } from './delivery-queue.ts';

interface NatsDelivery extends Delivery {
  msg: JsMsg;
}

export interface NatsQueueOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Cluster name: prefix of the stream and subjects. */
  ns: string;
  limit: number;
  /** Longer than the webhook timeout: the time a node may hold a delivery. */
  ackWaitMs: number;
  /** Messages pulled ahead of the workers. */
  prefetch: number;
  /** Copies JetStream keeps of the stream (3 on a three-server NATS cluster). */
  replicas?: number;
  fileDeadLetters: (letters: DeadLetter[]) => Promise<void>;
  onError: (msg: string, e: unknown) => void;
}

export class NatsDeliveryQueue implements DeliveryQueue<NatsDelivery> {
  private readonly ready: NatsDelivery[] = [];
  private inflight = 0;
  private streamMessages = 0;
  private poll: NodeJS.Timeout | undefined;
  private stopConsume: (() => void) | undefined;
  onWork: () => void = () => undefined;

  private constructor(
    private readonly o: NatsQueueOptions,
    private readonly stream: string,
  ) {}

  static async open(o: NatsQueueOptions): Promise<NatsDeliveryQueue> {
    const stream = `${o.ns}_deliveries`;
    const config = { name: stream, subjects: [`${o.ns}.deliveries.>`], retention: RetentionPolicy.Workqueue, storage: StorageType.File, max_msgs: o.limit, discard: DiscardPolicy.New, num_replicas: o.replicas ?? 1 };
    try {
      await o.jsm.streams.add(config);
    } catch {
      await o.jsm.streams.update(stream, config);
    }
    await o.jsm.consumers.add(stream, { durable_name: 'workers', ack_policy: AckPolicy.Explicit, ack_wait: nanos(o.ackWaitMs), max_deliver: -1, max_ack_pending: Math.max(1000, o.prefetch * 16) });
    const q = new NatsDeliveryQueue(o, stream);
    const consumer = await o.js.consumers.get(stream, 'workers');
    const messages = await consumer.consume({ max_messages: o.prefetch });
    q.stopConsume = () => void messages.stop();
    void (async () => {
      for await (const m of messages) {
        let body: { i: string; e: EventJson };
        try {
          body = m.json();
        } catch (e) {
          o.onError('unreadable delivery message dropped', e);
          // ack removes it; term() would leave it in the stream, counted
          // against max_msgs for good (see dead()).
          m.ack();
          continue;
        }
        q.ready.push({ msg: m, integrationId: body.i, event: fromJson(body.e), attempt: Math.max(0, m.info.deliveryCount - 1) });
        q.onWork();
      }
    })().catch((e) => o.onError('delivery consumer stopped', e));
    q.poll = setInterval(() => void q.refresh(), 1000);
    q.poll.unref();
    await q.refresh();
    return q;
  }

  private async refresh(): Promise<void> {
    try {
      this.streamMessages = (await this.o.jsm.streams.info(this.stream)).state.messages;
    } catch {
      // keep the last value
    }
  }

  get depth(): number {
    return this.streamMessages;
  }
  get waiting(): number {
    return Math.max(0, this.streamMessages - this.ready.length - this.inflight);
  }
  get inFlight(): number {
    return this.inflight;
  }

  async enqueue(event: DeviceEvent, integrationIds: string[]): Promise<void> {
    const e = toJson(event);
    try {
      await Promise.all(integrationIds.map((i) => this.o.js.publish(`${this.o.ns}.deliveries.${i}`, JSON.stringify({ i, e }))));
    } catch (err) {
      if (isStreamFull(err)) throw new QueueFullError(this.streamMessages, this.o.limit);
      throw err;
    }
    this.streamMessages += integrationIds.length;
  }

  take(): NatsDelivery | undefined {
    const d = this.ready.shift();
    if (d) this.inflight++;
    return d;
  }

  nextDueAt(): number | undefined {
    return undefined;
  }

  complete(d: NatsDelivery): void {
    this.inflight--;
    d.msg.ack();
  }

  retry(d: NatsDelivery, nextAt: number): void {
    this.inflight--;
    d.msg.nak(Math.max(0, nextAt - Date.now()));
  }

  wake(): number {
    // A nak(delay) lives in the stream until its time: nothing to reach into.
    return 0;
  }

  waitingOf(): undefined {
    return undefined;
  }

  dead(d: NatsDelivery, reason: string): void {
    this.inflight--;
    this.o
      .fileDeadLetters([{ integrationId: d.integrationId, event: d.event, attempts: d.attempt + 1, reason, at: new Date().toISOString() }])
      .then(
        // ack, not term: on a work-queue stream term() only stops redelivery
        // and leaves the message in the stream (nats-server 2.9.10: still in
        // state.messages after term), where it would count against max_msgs
        // until the queue fills with dead letters. ack removes it, and the
        // delivery is finished: the dead letter is filed.
        () => d.msg.ack(),
        (e) => {
          this.o.onError('filing a dead letter failed; redelivering it later', e);
          d.msg.nak(5000);
        },
      );
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    this.stopConsume?.();
    // Deliveries taken but not finished go back to the stream at once.
    for (const d of this.ready.splice(0)) d.msg.nak();
  }
}

/**
 * JetStream's "stream full" (max_msgs with discard=new). nats.js 2.x rejects
 * the publish with NatsError whose message is only the code ("503") and whose
 * api_error is { code: 503, err_code: 10077, description: 'maximum messages
 * exceeded' } (nats-server 2.9.10). 503 alone also means "no responders"
 * (JetStream down) and 10077 is any store failure, so the description decides;
 * the message is checked too in case a client puts the text there.
 */
function isStreamFull(err: unknown): boolean {
  const e = err as { message?: unknown; api_error?: { description?: unknown } } | null;
  const text = `${String(e?.api_error?.description ?? '')} ${String(e?.message ?? '')}`;
  return /maximum messages/i.test(text);
}
