// The event bus: every accepted event goes through it to the SSE streams, the
// MQTT bridge and the history. In-process by default; NATS when several nodes
// share the work (nats-event-bus.ts). Delivery is best effort, as Particle's
// event stream is (docs.particle.io/reference/cloud-apis/api).

import type { DeviceEvent } from '../core/device-event.ts';
import type { EventBus, EventListener } from '../core/ports/event-bus.ts';

export type { EventBus, EventListener };

/** Fans each event out synchronously to the listeners of this process. */
export class LocalEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly onError: (e: unknown) => void = () => undefined) {}

  publish(ev: DeviceEvent): void {
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
