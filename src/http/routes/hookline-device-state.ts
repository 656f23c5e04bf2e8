// Device state (issue 13), from memory (the last-value cache), never a query:
//   GET /api/hookline/devices/state           every device of the org: lastSeen, online, last values
//   GET /api/hookline/devices/:id/state       one (a registered device's id or name, or a device tag value)
//   GET /api/hookline/buckets/:id/device-settings   which tag names the device in that bucket, its online window
//   PUT /api/hookline/buckets/:id/device-settings   {"deviceTag":"device","onlineAfter":"10m"}
// Values come only from buckets the token may read; registered devices only
// with read on `devices`.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import type { DeviceStates, RegisteredDevice } from '../../alerts/device-state.ts';
import { parseDuration } from '../../config/parse-values.ts';
import type { Authorization } from '../../tenancy/model.ts';
import { can, canBucket } from '../../tenancy/permissions.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import { readJson } from '../read-body.ts';
import { HOOKLINE_TOKEN } from './hookline-checks.ts';

const TAG_RE = /^[^\s"'\\,=]{1,128}$/;

export function registerDeviceState(app: FastifyInstance, deps: { devices: DeviceStates; tenancy: Tenancy; registered: (orgId: string) => RegisteredDevice[]; maxBodyBytes: number }): void {
  const states = (auth: Authorization) => {
    const buckets = deps.tenancy.listBuckets({ orgID: auth.orgID }).filter((b) => b.name !== '_monitoring' && canBucket(auth, 'read', b));
    const devicesOk = can(auth, 'read', 'devices', auth.orgID);
    if (!devicesOk && buckets.length === 0) throw hooklineError('FORBIDDEN', 'this token may read neither devices nor any bucket');
    return deps.devices.list(buckets, devicesOk ? deps.registered(auth.orgID) : []);
  };
  app.get('/api/hookline/devices/state', HOOKLINE_TOKEN, async (req) => ({ devices: states(req.hooklineAuth!) }));
  app.get('/api/hookline/devices/:id/state', HOOKLINE_TOKEN, async (req) => {
    const id = (req.params as { id: string }).id;
    const d = states(req.hooklineAuth!).find((x) => x.device === id || x.id === id || x.name === id);
    if (!d) throw hooklineError('NOT_FOUND', `device ${id.slice(0, 100)} has neither written a point nor published an event`);
    return d;
  });

  const bucketOf = (req: FastifyRequest, action: 'read' | 'write') => {
    const auth = req.hooklineAuth!;
    const b = deps.tenancy.findBucket(auth.orgID, (req.params as { id: string }).id);
    if (!b) throw hooklineError('BUCKET_NOT_FOUND');
    if (!canBucket(auth, action, b)) throw hooklineError('FORBIDDEN', `this token may not ${action} bucket "${b.name}"`);
    return b;
  };
  app.get('/api/hookline/buckets/:id/device-settings', HOOKLINE_TOKEN, async (req) => {
    const b = bucketOf(req, 'read');
    return { bucketId: b.id, ...deps.devices.settingsOf(b.id) };
  });
  app.put('/api/hookline/buckets/:id/device-settings', HOOKLINE_TOKEN, async (req) => {
    const b = bucketOf(req, 'write');
    const body = await readJson<{ deviceTag?: unknown; onlineAfter?: unknown }>(req, deps.maxBodyBytes);
    if (body === null || typeof body !== 'object') throw hooklineError('BAD_REQUEST', 'the request body must be a JSON object', { data: { field: 'body' } });
    const deviceTag = body.deviceTag ?? 'device';
    if (typeof deviceTag !== 'string' || !TAG_RE.test(deviceTag)) throw hooklineError('BAD_REQUEST', 'deviceTag: must be a tag key', { data: { field: 'deviceTag' } });
    let onlineAfter: string | undefined;
    if (body.onlineAfter !== undefined && body.onlineAfter !== null && body.onlineAfter !== '') {
      try {
        if (typeof body.onlineAfter !== 'string' || parseDuration(body.onlineAfter) <= 0) throw new Error('must be a duration such as "10m"');
      } catch (e) {
        throw hooklineError('BAD_REQUEST', `onlineAfter: ${(e as Error).message}`, { data: { field: 'onlineAfter' } });
      }
      onlineAfter = body.onlineAfter as string;
    }
    await deps.devices.setSettings({ bucketId: b.id, orgId: b.orgID, deviceTag, ...(onlineAfter ? { onlineAfter } : {}) });
    return { bucketId: b.id, ...deps.devices.settingsOf(b.id) };
  });
}
