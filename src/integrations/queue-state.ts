// What the delivery queue holds, and how its log records change it: events
// pending delivery (shared by their deliveries, dropped with the last one) and
// one entry per (event, integration). Replaying a log through replay() gives
// back the state the records describe; snapshot() describes the state as one
// record. Pure: no I/O, no clock.

import { fromJson, toJson, type EventJson } from '../events/event.ts';
import type { DeviceEvent } from '../core/device-event.ts';
import type { Delivery } from './delivery-queue.ts';
import { REC_BATCH, REC_DEAD, REC_DONE, REC_ENQUEUE, REC_RETRY, REC_SNAPSHOT, type QueueRecord, type SnapshotDelivery } from './queue-records.ts';

export type DeliveryState = 'unsynced' | 'ready' | 'waiting' | 'inflight' | 'dead' | 'done';

export interface LocalDelivery extends Delivery {
  seq: number;
  /** Not before this time (ms epoch). */
  at: number;
  state: DeliveryState;
  reason?: string;
}

interface QueuedEvent {
  event: DeviceEvent;
  json: EventJson;
  refs: number;
}

const key = (seq: number, id: string) => `${seq}/${id}`;

export class QueueState {
  private readonly events = new Map<number, QueuedEvent>();
  readonly pending = new Map<string, LocalDelivery>();
  nextSeq = 1;

  /** A new event for these integrations; answers its ENQUEUE record and deliveries. */
  add(event: DeviceEvent, integrationIds: string[]): { record: QueueRecord; deliveries: LocalDelivery[] } {
    const seq = this.nextSeq++;
    const json = toJson(event);
    this.events.set(seq, { event, json, refs: integrationIds.length });
    const deliveries = integrationIds.map((i): LocalDelivery => ({ seq, integrationId: i, event, attempt: 0, at: 0, state: 'unsynced' }));
    for (const d of deliveries) this.pending.set(key(seq, d.integrationId), d);
    return { record: { kind: REC_ENQUEUE, s: seq, e: json, t: integrationIds }, deliveries };
  }

  forget(seq: number, id: string): void {
    if (!this.pending.delete(key(seq, id))) return;
    const ev = this.events.get(seq);
    if (ev && --ev.refs <= 0) this.events.delete(seq);
  }

  replay(r: QueueRecord): void {
    switch (r.kind) {
      case REC_ENQUEUE: {
        const event = fromJson(r.e);
        this.events.set(r.s, { event, json: r.e, refs: r.t.length });
        for (const i of r.t) this.pending.set(key(r.s, i), { seq: r.s, integrationId: i, event, attempt: 0, at: 0, state: 'ready' });
        this.nextSeq = Math.max(this.nextSeq, r.s + 1);
        break;
      }
      case REC_DONE:
        this.forget(r.s, r.i);
        break;
      case REC_RETRY: {
        const d = this.pending.get(key(r.s, r.i));
        if (d) Object.assign(d, { attempt: r.a, at: r.n });
        break;
      }
      case REC_DEAD: {
        const d = this.pending.get(key(r.s, r.i));
        if (d) Object.assign(d, { attempt: r.a, state: 'dead', reason: r.r });
        break;
      }
      case REC_BATCH:
        for (const x of r.b) this.replay(x);
        break;
      case REC_SNAPSHOT: {
        this.events.clear();
        this.pending.clear();
        this.nextSeq = r.next;
        for (const { s, e } of r.ev) this.events.set(s, { event: fromJson(e), json: e, refs: 0 });
        for (const x of r.d) {
          const ev = this.events.get(x.s);
          if (!ev) continue;
          ev.refs++;
          const dead = x.r !== undefined;
          this.pending.set(key(x.s, x.i), { seq: x.s, integrationId: x.i, event: ev.event, attempt: x.a, at: x.n, state: dead ? 'dead' : 'ready', ...(dead ? { reason: x.r } : {}) });
        }
        break;
      }
    }
  }

  /** Every pending delivery and the events they need, as one record. */
  snapshot(): QueueRecord {
    const d: SnapshotDelivery[] = [];
    const used = new Set<number>();
    for (const p of this.pending.values()) {
      d.push({ s: p.seq, i: p.integrationId, a: p.attempt, n: p.at, ...(p.state === 'dead' ? { r: p.reason ?? '' } : {}) });
      used.add(p.seq);
    }
    return { kind: REC_SNAPSHOT, next: this.nextSeq, ev: [...used].map((s) => ({ s, e: this.events.get(s)!.json })), d };
  }
}
