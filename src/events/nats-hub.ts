// Several hookline nodes, one NATS server with JetStream (HOOKLINE_NATS_URL):
// - configuration (devices, integrations, secrets) in JetStream key-value
//   buckets <ns>_devices, <ns>_integrations, <ns>_secrets (nats-collection.ts);
// - the delivery queue in the work-queue stream <ns>_deliveries (nats-delivery-queue.ts);
// - the event bus on core NATS subjects <ns>.events.<org id>: every node sees
//   every event for its SSE clients, MQTT subscribers and history. Best effort,
//   like Particle's event stream (docs.particle.io/reference/cloud-apis/api); what must not be lost (the
//   deliveries) is in JetStream.
// <ns> is the path of the URL (nats://host:4222/<ns>), "hookline" when there is
// none: nodes with the same <ns> form one cluster. Every node needs the same
// secrets key file (HOOKLINE_SECRETS_KEY_FILE).

import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection, type Subscription } from 'nats';
import type { Logger } from '../core/logger.ts';
import type { Collection } from './collection.ts';
import { fromJson, toJson, type EventJson } from './event.ts';
import type { DeviceEvent } from '../core/device-event.ts';
import type { EventBus, EventListener } from './event-bus.ts';
import { NatsCollection } from './nats-collection.ts';

/** One NATS connection and what the event side builds on it; the delivery queue (integrations/nats-delivery-queue.ts) is built by server.ts from `js`, `jsm` and `ns`. */
export interface NatsHub {
  bus: EventBus;
  collection<T>(name: string): Promise<Collection<T>>;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Cluster name: the prefix of every stream, bucket and subject. */
  ns: string;
  /** Largest message the server takes (its max_payload). */
  maxPayload: number;
  close(): Promise<void>;
}

class NatsEventBus implements EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly sub: Subscription;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: string,
    onError: (e: unknown) => void,
  ) {
    this.sub = nc.subscribe(`${ns}.events.>`, {
      callback: (err, msg) => {
        if (err) return onError(err);
        let ev: DeviceEvent;
        try {
          ev = fromJson(msg.json<EventJson>());
        } catch (e) {
          return onError(e);
        }
        for (const l of this.listeners) {
          try {
            l(ev);
          } catch (e) {
            onError(e);
          }
        }
      },
    });
  }

  publish(ev: DeviceEvent): void {
    this.nc.publish(`${this.ns}.events.${ev.orgId}`, JSON.stringify(toJson(ev)));
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.sub.unsubscribe();
    this.listeners.clear();
  }
}

/** Splits nats://user:pass@host:port/<ns> into connection options and the cluster name. */
export function parseNatsUrl(url: string): { servers: string; user?: string; pass?: string; ns: string } {
  const u = new URL(url);
  const ns = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, '')) || 'hookline';
  if (!/^[A-Za-z0-9_-]+$/.test(ns)) throw new Error(`HOOKLINE_NATS_URL: the cluster name "${ns}" may only hold letters, digits, _ and -`);
  return { servers: `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || '4222'}`, ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}), ns };
}

export async function connectNatsHub(url: string, log: Logger): Promise<NatsHub> {
  const { servers, user, pass, ns } = parseNatsUrl(url);
  const nc = await connect({ servers, name: `hookline-${ns}`, ...(user ? { user, pass } : {}) });
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  const bus = new NatsEventBus(nc, ns, (e) => log.error('NATS event bus', { error: e instanceof Error ? e.message : String(e) }));
  const collections: Collection<unknown>[] = [];
  log.info('NATS connected', { servers, cluster: ns });
  return {
    bus,
    async collection<T>(name: string): Promise<Collection<T>> {
      const c = await NatsCollection.open<T>(await js.views.kv(`${ns}_${name}`, { history: 1 }));
      collections.push(c as Collection<unknown>);
      return c;
    },
    js,
    jsm,
    ns,
    maxPayload: nc.info?.max_payload ?? 1024 * 1024,
    async close() {
      for (const c of collections) await c.close();
      await nc.drain();
    },
  };
}
