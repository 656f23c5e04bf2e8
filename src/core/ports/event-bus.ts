// EventBus: every accepted device event goes through it to the SSE streams,
// the MQTT bridge and the history. Delivery is best effort, as Particle's
// event stream is (docs.particle.io/reference/cloud-apis/api/ event stream); what must not be lost (webhook
// deliveries) goes through a DeliveryQueue instead.
//
// Implementations: LocalEventBus
// (events/event-bus.ts, one process) and NatsEventBus (events/nats-hub.ts,
// core NATS subjects <ns>.events.<org id>, several nodes).

import type { DeviceEvent } from '../device-event.ts';

export type EventListener = (ev: DeviceEvent) => void;

export interface EventBus {
  publish(ev: DeviceEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}
