// The MQTT side of the hub, on aedes. The broker owns no socket (aedes'
// broker.handle(stream)): the hub attaches it to a TCP listener, tests may
// drive it over any duplex stream.
// - CONNECT: username = device id, password = its publish token; or any
//   username with an API token as password (publishes as device "api").
// - PUBLISH events/<name>: the event goes through the same publish function as
//   HTTP; the PUBACK (QoS 1) is sent only once its webhook deliveries are on
//   disk. An event that breaks the rules is acknowledged and dropped, logged
//   (MQTT 3.1.1 cannot refuse a single message: [MQTT-3.3.5-2] allows an ack
//   or closing the connection); a full webhook queue closes the connection,
//   so the client resends later.
// - SUBSCRIBE events/<filter>: the org's events, from the bus, payload = data.
//   Raw client packets are never forwarded: only events that went through the
//   pipeline reach subscribers, and only within their org.

import { Aedes, type AuthenticateError, type Client, type Subscription } from 'aedes';
import type { EventBus } from '../events/event-bus.ts';
import { allowedFilter, eventNameOfTopic, topicOfEvent } from './topics.ts';

export interface MqttIdentity {
  orgId: string;
  /** Device id when a device token was used. */
  deviceId?: string;
  canPublish: boolean;
  canSubscribe: boolean;
}

export interface BrokerDeps {
  authenticate(username: string | undefined, password: string | undefined): MqttIdentity | undefined;
  /** The hub's publish function; PermanentPublishError-like errors are reported through `isPermanent`. */
  publish(id: MqttIdentity, name: string, data: string, ip: string | undefined): Promise<void>;
  isPermanent(e: unknown): boolean;
  bus: EventBus;
  /** aedes' connectTimeout: a connection without CONNECT after this is closed. */
  connectTimeoutMs?: number;
  warn(msg: string, extra?: Record<string, unknown>): void;
}

const DROPPED_TOPIC = '$hookline/accepted';

export async function createBroker(deps: BrokerDeps): Promise<{ broker: Aedes; close(): Promise<void> }> {
  const identities = new WeakMap<Client, MqttIdentity>();
  // Bridged events are tagged by their payload buffer (aedes copies packets
  // but keeps the payload object), so forwarding can check the org.
  const orgOfPayload = new WeakMap<Buffer, string>();

  const broker = await Aedes.createBroker({
    ...(deps.connectTimeoutMs !== undefined ? { connectTimeout: deps.connectTimeoutMs } : {}),
    authenticate(client, username, password, done) {
      const id = deps.authenticate(username, password?.toString('utf8'));
      if (!id) {
        const e = new Error('bad username or password') as AuthenticateError;
        e.returnCode = 4;
        return done(e, false);
      }
      identities.set(client, id);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      if (!client) return done(null);
      const id = identities.get(client);
      const name = eventNameOfTopic(packet.topic);
      if (!id || !id.canPublish) return done(new Error('not allowed to publish'));
      if (name === undefined) return done(new Error(`publish to events/<name>, not ${packet.topic}`));
      const data = Buffer.isBuffer(packet.payload) ? packet.payload.toString('utf8') : String(packet.payload ?? '');
      const ip = (client.conn as { remoteAddress?: string }).remoteAddress;
      deps.publish(id, name, data, ip).then(
        () => {
          packet.topic = DROPPED_TOPIC;
          packet.retain = false;
          done(null);
        },
        (e) => {
          if (!deps.isPermanent(e)) return done(e as Error);
          deps.warn('MQTT event refused', { client: client.id, topic: packet.topic, error: (e as Error).message });
          packet.topic = DROPPED_TOPIC;
          packet.retain = false;
          done(null);
        },
      );
    },
    authorizeSubscribe(client, sub: Subscription, done) {
      const id = identities.get(client);
      if (!id || !id.canSubscribe || !allowedFilter(sub.topic)) return done(null, null);
      done(null, sub);
    },
    authorizeForward(client, packet) {
      const id = identities.get(client);
      const org = Buffer.isBuffer(packet.payload) ? orgOfPayload.get(packet.payload) : undefined;
      return id && org === id.orgId ? packet : null;
    },
  });

  // Only clients that subscribed to something get events: skip the bridge otherwise (a
  // publishing-only fleet costs nothing per hook-sent event).
  const subscribers = new Set<Client>();
  broker.on('subscribe', (_subs, client) => subscribers.add(client));
  broker.on('clientDisconnect', (client) => subscribers.delete(client));
  const unsubscribe = deps.bus.subscribe((ev) => {
    if (subscribers.size === 0) return;
    const topic = topicOfEvent(ev.name);
    if (!topic) return;
    const payload = Buffer.from(ev.data ?? '', 'utf8');
    orgOfPayload.set(payload, ev.orgId);
    broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, () => undefined);
  });

  return {
    broker,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        broker.close(() => resolve());
      }),
  };
}
