// The one function every transport ends in (HTTP POST /v1/devices/events, MQTT,
// the integration test endpoint): validate, stamp, durably queue the webhook
// deliveries the event triggers, then fan it out on the bus (SSE, MQTT
// subscribers, history). The caller gets {"ok":true} only after the
// deliveries are on disk.

import { ERRORS, HooklineError } from '../core/errors.ts';
import type { DeviceRegistry, DeviceDoc } from '../devices/device-registry.ts';
import type { DeliveryQueue } from '../core/ports/delivery-queue.ts';
import type { EventBus } from './event-bus.ts';
import { API_DEVICE_ID, DEFAULT_TTL, INTERNAL_DEVICE_ID, newEventId } from './event.ts';
import type { DeviceEvent } from '../core/device-event.ts';
import { checkEventData, checkEventName } from './validate-event.ts';

export type Publisher = { kind: 'device'; device: DeviceDoc; ip?: string } | { kind: 'api'; orgId: string };

export interface PublishInput {
  name?: unknown;
  data?: unknown;
  ttl?: unknown;
  private?: unknown;
}

/** A publish refused for a reason the caller can fix: a 400, coded where it is raised. */
export class PublishError extends HooklineError {
  constructor(message: string) {
    super(ERRORS.BAD_REQUEST, message, { data: { error_description: message } });
  }
}

function flag(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1' || v === 1) return true;
  if (v === 'false' || v === '0' || v === 0) return false;
  throw new PublishError('private must be true or false');
}

/** What publishing needs of the integrations (integrations/integration-store.ts's IntegrationStore): which ones an event triggers. */
export interface IntegrationMatcher {
  match(ev: DeviceEvent): ReadonlyArray<{ id: string }>;
}

export class EventPipeline {
  constructor(
    private readonly deps: {
      bus: EventBus;
      integrations: IntegrationMatcher;
      queue: DeliveryQueue;
      devices: DeviceRegistry;
      now?: () => number;
    },
  ) {}

  async publish(input: PublishInput, from: Publisher): Promise<DeviceEvent> {
    const nameError = checkEventName(input.name);
    if (nameError) throw new PublishError(nameError);
    let data = input.data;
    if (typeof data === 'number' || typeof data === 'boolean') data = String(data);
    const dataError = checkEventData(data);
    if (dataError) throw new PublishError(dataError);
    // Events are private unless published with private=false (particle-cli PR#735, docs.particle.io/reference/cloud-apis/api).
    const isPrivate = flag(input.private, true);
    const now = this.deps.now?.() ?? Date.now();
    const at = new Date(now).toISOString();
    const ev: DeviceEvent = {
      id: newEventId(now),
      name: input.name as string,
      data: (data as string | undefined) ?? null,
      // A user ttl is accepted and ignored, as Particle does (docs.particle.io/reference/cloud-apis/api).
      ttl: DEFAULT_TTL,
      publishedAt: at,
      coreid: from.kind === 'device' ? from.device.id : API_DEVICE_ID,
      public: !isPrivate,
      orgId: from.kind === 'device' ? from.device.orgId : from.orgId,
      internal: false,
    };
    const targets = this.deps.integrations.match(ev);
    if (targets.length > 0) await this.deps.queue.enqueue(ev, targets.map((t) => t.id));
    if (from.kind === 'device') this.deps.devices.markHeard(from.device.id, from.ip ?? null, at);
    this.deps.bus.publish(ev);
    return ev;
  }

  /** Cloud-generated events (hook-sent, hook-response, hook-error): straight to the bus, never to webhooks. */
  publishResult(orgId: string, r: { name: string; data: string }): void {
    const now = Date.now();
    this.deps.bus.publish({
      id: newEventId(now),
      name: r.name,
      data: r.data,
      ttl: DEFAULT_TTL,
      publishedAt: new Date(now).toISOString(),
      coreid: INTERNAL_DEVICE_ID,
      public: false,
      orgId,
      internal: true,
    });
  }
}
