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
import { untilJetStream } from './jetstream-retry.ts';

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
  /** A best-effort broadcast on <ns>.<name> (core NATS, like the event bus). */
  channel(name: string): { publish(msg: unknown): void; subscribe(fn: (msg: unknown) => void): () => void };
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

/**
 * Splits nats://user:pass@host:port[,host2:port2...]/<ns> into connection
 * options and the cluster name. Several servers of one NATS cluster may be
 * listed: the client connects to one and fails over to the others (and to
 * those the cluster announces).
 */
export function parseNatsUrl(url: string): { servers: string[]; user?: string; pass?: string; ns: string } {
  const m = /^(nats|tls):\/\/([^/]*)(\/.*)?$/.exec(url.trim());
  if (!m) throw new Error(`HOOKLINE_NATS_URL: expected nats://host:port[,host:port...][/<cluster>], got "${url}"`);
  const [, scheme, authority, path = ''] = m;
  const hosts = authority.split(',');
  // Credentials, if any, are on the first server: nats://user:pass@a:4222,b:4222/ns.
  const first = new URL(`${scheme}://${hosts[0]}${path}`);
  const ns = decodeURIComponent(first.pathname.replace(/^\/+|\/+$/g, '')) || 'hookline';
  if (!/^[A-Za-z0-9_-]+$/.test(ns)) throw new Error(`HOOKLINE_NATS_URL: the cluster name "${ns}" may only hold letters, digits, _ and -`);
  const hostPort = (u: URL) => `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || '4222'}`;
  const servers = [hostPort(first), ...hosts.slice(1).map((h) => hostPort(new URL(`${scheme}://${h}`)))];
  return { servers, ...(first.username ? { user: decodeURIComponent(first.username), pass: decodeURIComponent(first.password) } : {}), ns };
}

/** `replicas`: copies JetStream keeps of the key-value buckets (3 on a three-server NATS cluster). */
export async function connectNatsHub(url: string, log: Logger, replicas = 1): Promise<NatsHub> {
  const { servers, user, pass, ns } = parseNatsUrl(url);
  // A hub runs for months: it keeps reconnecting (to any server of the cluster) instead of giving up after nats.js' default ten tries.
  const nc = await connect({ servers, name: `hookline-${ns}`, maxReconnectAttempts: -1, reconnectTimeWait: 1000, ...(user ? { user, pass } : {}) });
  const js = nc.jetstream();
  // Started while the NATS cluster elects a JetStream leader (a server just
  // died), the API times out for a few seconds: wait for it rather than exit.
  const jsm = await untilJetStream('JetStream', () => nc.jetstreamManager(), log);
  const bus = new NatsEventBus(nc, ns, (e) => log.error('NATS event bus', { error: e instanceof Error ? e.message : String(e) }));
  const collections: Collection<unknown>[] = [];
  log.info('NATS connected', { servers, cluster: ns });
  return {
    bus,
    async collection<T>(name: string): Promise<Collection<T>> {
      const c = await untilJetStream(`the key-value bucket ${ns}_${name}`, async () => NatsCollection.open<T>(await js.views.kv(`${ns}_${name}`, { history: 1, replicas })), log);
      collections.push(c as Collection<unknown>);
      return c;
    },
    js,
    jsm,
    ns,
    maxPayload: nc.info?.max_payload ?? 1024 * 1024,
    channel(name) {
      const subject = `${ns}.${name}`;
      return {
        publish: (msg) => nc.publish(subject, JSON.stringify(msg)),
        subscribe(fn) {
          const sub = nc.subscribe(subject, {
            callback: (err, m) => {
              if (err) return;
              try {
                fn(m.json());
              } catch (e) {
                log.warn(`a message on ${subject} was not understood`, { error: e instanceof Error ? e.message : String(e) });
              }
            },
          });
          return () => sub.unsubscribe();
        },
      };
    },
    async close() {
      for (const c of collections) await c.close();
      await nc.drain();
    },
  };
}

