// Publishing and the event stream (docs.particle.io/reference/cloud-apis/api):
//   POST /v1/devices/events                       name, data, private, ttl (form or JSON) -> {"ok":true}
//   GET  /v1/events/:prefix                       the token's org(s), names starting with prefix
//   GET  /v1/events                               400: a prefix is required (since 2018)
//   GET  /v1/devices/events[/:prefix]             the token's org(s)
//   GET  /v1/devices/:id/events[/:prefix]         one device (id or name)
// Prefixes may hold "/" (event names do); they match case-sensitively.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { streamEvents, type SseFilter } from '../../events/sse-stream.ts';
import type { HubParts } from '../../hub/hub-parts.ts';
import { can } from '../../tenancy/permissions.ts';
import { apiAuth, particleError, particleRouteConfigs, publisherAuth, readParticleBody } from './particle-common.ts';

function clientIp(req: FastifyRequest): string {
  return req.ip;
}

export function registerParticleEvents(app: FastifyInstance, parts: HubParts): void {
  const { PARTICLE } = particleRouteConfigs(parts);
  const max = parts.deps.config.maxDecompressedBytes;

  app.post('/v1/devices/events', PARTICLE, async (req) => {
    const body = await readParticleBody(req, max);
    const who = publisherAuth(parts, req, body);
    // PublishError (400) and QueueFullError (429) are coded where they are raised.
    await parts.pipeline.publish(
      { name: body.name, data: body.data, ttl: body.ttl, private: body.private },
      'device' in who ? { kind: 'device', device: who.device, ip: clientIp(req) } : { kind: 'api', orgId: who.orgId },
    );
    return { ok: true };
  });

  const stream = (req: FastifyRequest, reply: FastifyReply, f: Omit<SseFilter, 'canRead'>) => {
    const { auth } = apiAuth(parts, req, 'read', 'events');
    const filter: SseFilter = { ...f, canRead: (orgId) => can(auth, 'read', 'events', orgId) };
    reply.hijack();
    const stop = streamEvents(reply.raw, parts.bus, filter, parts.keepAliveMs);
    parts.streams.add(stop);
    reply.raw.on('close', () => parts.streams.delete(stop));
  };
  const prefixOf = (req: FastifyRequest): string | undefined => {
    const p = (req.params as Record<string, string | undefined>)['*'];
    if (!p) return undefined;
    // The router has decoded the path once already; a second decode is what
    // Particle clients expect for names with '/' (%2F), and a lone '%' is kept.
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  };
  const device = (req: FastifyRequest): string => {
    const { orgId } = apiAuth(parts, req, 'read', 'events');
    const id = (req.params as { id: string }).id;
    if (id === 'api' || id === 'particle-internal') return id;
    const d = parts.devices.find(orgId, id);
    if (!d) throw particleError('NOT_FOUND', 'Device not found');
    return d.id;
  };

  app.get('/v1/events', PARTICLE, async (req) => {
    apiAuth(parts, req, 'read', 'events');
    throw particleError('BAD_REQUEST', 'an event name prefix is required: GET /v1/events/:prefix, or /v1/devices/events for all of your devices');
  });
  app.get('/v1/events/*', PARTICLE, async (req, reply) => {
    const prefix = prefixOf(req);
    if (!prefix) throw particleError('BAD_REQUEST', 'an event name prefix is required');
    stream(req, reply, { prefix });
  });
  app.get('/v1/devices/events', PARTICLE, async (req, reply) => stream(req, reply, {}));
  app.get('/v1/devices/events/*', PARTICLE, async (req, reply) => stream(req, reply, { prefix: prefixOf(req) }));
  app.get('/v1/devices/:id/events', PARTICLE, async (req, reply) => stream(req, reply, { coreid: device(req) }));
  app.get('/v1/devices/:id/events/*', PARTICLE, async (req, reply) => stream(req, reply, { coreid: device(req), prefix: prefixOf(req) }));
}
