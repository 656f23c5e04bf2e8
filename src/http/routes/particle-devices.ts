// Device registry in Particle's shapes (particle-api-js DeviceInfo):
//   POST   /v1/devices          {id?, name?} -> {id, name, token} (the token is shown once)
//   GET    /v1/devices          -> [DeviceInfo]
//   GET    /v1/devices/:id      -> DeviceInfo (id or name)
//   PUT    /v1/devices/:id      {name} -> rename
//   DELETE /v1/devices/:id      -> {ok:true}

import type { FastifyInstance } from 'fastify';
import type { DeviceDoc } from '../../devices/device-registry.ts';
import type { HubParts } from '../../hub/hub-parts.ts';
import { apiAuth, particleError, particleRouteConfigs, readParticleBody } from './particle-common.ts';

/** A device counts as online when heard within this window (hookline has no device session). */
const ONLINE_MS = 5 * 60_000;

export function deviceInfo(d: DeviceDoc, now = Date.now()): Record<string, unknown> {
  const online = d.last_heard !== null && now - Date.parse(d.last_heard) < ONLINE_MS;
  return {
    id: d.id,
    name: d.name,
    last_app: null,
    last_ip_address: d.last_ip_address,
    last_heard: d.last_heard,
    last_handshake_at: d.last_heard,
    product_id: 0,
    online,
    connected: online,
    platform_id: 0,
    cellular: false,
    notes: d.notes,
    functions: [],
    variables: {},
    status: 'normal',
    created_at: d.created_at,
  };
}

export function registerParticleDevices(app: FastifyInstance, parts: HubParts): void {
  const { PARTICLE } = particleRouteConfigs(parts);
  const max = parts.deps.config.maxDecompressedBytes;

  app.post('/v1/devices', PARTICLE, async (req) => {
    const body = await readParticleBody(req, max);
    const { orgId } = apiAuth(parts, req, 'write', 'devices', body);
    const { device, token } = await parts.devices.create(orgId, { id: body.id, name: body.name });
    return { id: device.id, name: device.name, token };
  });

  app.get('/v1/devices', PARTICLE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'devices');
    return parts.devices.list(orgId).map((d) => deviceInfo(d));
  });

  app.get('/v1/devices/:id', PARTICLE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'devices');
    const d = parts.devices.find(orgId, (req.params as { id: string }).id);
    if (!d) throw particleError('NOT_FOUND', 'Device not found');
    return deviceInfo(d);
  });

  app.put('/v1/devices/:id', PARTICLE, async (req) => {
    const body = await readParticleBody(req, max);
    const { orgId } = apiAuth(parts, req, 'write', 'devices', body);
    const d = parts.devices.find(orgId, (req.params as { id: string }).id);
    if (!d) throw particleError('NOT_FOUND', 'Device not found');
    if (typeof body.name !== 'string') throw particleError('BAD_REQUEST', 'name is required');
    const next = await parts.devices.rename(d.id, body.name);
    return { id: next.id, name: next.name, updated_at: new Date().toISOString() };
  });

  app.delete('/v1/devices/:id', PARTICLE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'write', 'devices');
    const d = parts.devices.find(orgId, (req.params as { id: string }).id);
    if (!d) throw particleError('NOT_FOUND', 'Device not found');
    await parts.devices.delete(d.id);
    await parts.history.deleteDevice(orgId, d.id);
    return { ok: true };
  });
}
