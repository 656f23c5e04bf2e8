// Attaches the MQTT broker (src/mqtt/create-broker.ts) to a TCP listener on
// HOOKLINE_MQTT_PORT, and wires it to the hub: device and API-token logins,
// and the same publish function as POST /v1/devices/events.

import { createServer, type Server } from 'node:net';
import { createBroker, type MqttIdentity } from '../mqtt/create-broker.ts';
import { GuardedConnection } from '../mqtt/packet-size-guard.ts';
import { can } from '../tenancy/permissions.ts';
import { QueueFullError } from '../integrations/delivery-queue.ts';
import type { HubParts } from './hub-parts.ts';
import { PublishError } from '../events/publish-event.ts';

export async function startMqtt(parts: HubParts, host: string, port: number): Promise<{ close(): Promise<void> }> {
  const log = parts.deps.logger;
  const { broker, close } = await createBroker({
    bus: parts.bus,
    // [MQTT-3.1.0-1] the first packet is CONNECT; a connection that sends none is closed after this.
    connectTimeoutMs: parts.deps.config.mqttConnectTimeout,
    warn: (m, x) => log.warn(m, x),
    isPermanent: (e) => e instanceof PublishError,
    authenticate(username, password): MqttIdentity | undefined {
      if (!password) return undefined;
      const device = parts.devices.byToken(password);
      if (device) return username === device.id || username === device.name ? { orgId: device.orgId, deviceId: device.id, canPublish: true, canSubscribe: true } : undefined;
      const auth = parts.deps.tenancy.authenticate(password);
      if (!auth || auth.status !== 'active') return undefined;
      return { orgId: auth.orgID, canPublish: can(auth, 'write', 'events', auth.orgID), canSubscribe: can(auth, 'read', 'events', auth.orgID) };
    },
    async publish(id, name, data, ip) {
      const device = id.deviceId ? parts.devices.get(id.deviceId) : undefined;
      if (id.deviceId && !device) throw new PublishError('device deleted');
      await parts.pipeline.publish({ name, data }, device ? { kind: 'device', device, ip } : { kind: 'api', orgId: id.orgId });
    },
  });
  broker.on('clientError', (client, err) => {
    if (!(err instanceof QueueFullError)) log.warn('MQTT client error', { client: client?.id, error: err.message });
  });
  // CONNECT accepted: the connection's packets may be as large as the setting allows.
  broker.on('client', (client) => (client.conn as unknown as GuardedConnection).authenticated?.());
  const maxPacket = parts.deps.config.mqttMaxPacketBytes;
  const server: Server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    const conn = new GuardedConnection(socket, maxPacket, (limit) => log.warn('MQTT packet over the limit: connection closed', { ip: socket.remoteAddress, limit }));
    broker.handle(conn as unknown as Parameters<typeof broker.handle>[0]);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      void close();
      reject(e.code === 'EADDRINUSE' ? Object.assign(new Error(`MQTT port ${host}:${port} is already in use: set HOOKLINE_MQTT_PORT to a free port, or 0 to turn MQTT off`), { code: e.code }) : e);
    });
    server.listen(port, host, () => resolve());
  });
  log.info('MQTT listening', { host, port });
  return {
    async close() {
      await close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
