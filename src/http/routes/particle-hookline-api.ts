// hookline's own additions around the Particle API (JSON, errors as {code,message}):
//   GET    /api/hookline/events?device=&limit=                recent events of the org (newest first)
//   GET    /api/hookline/devices/:id/events?limit=            recent events of one device (id, name, "api", "particle-internal")
//   GET    /api/hookline/integrations/:id/log?limit=&outcome= delivery log (success|error|skipped), newest first
//   GET    /api/hookline/integrations/:id/counters            success/error/skipped per UTC day, newest first
//   (status, retry now and per-integration dead letters: hookline-integration-status.ts)
//   GET    /api/hookline/webhooks/status                      queue depth, limit, in flight, sleeping hosts, dead letters
//   GET    /api/hookline/dead-letters?integration=&limit=     deliveries that failed for good
//   POST   /api/hookline/dead-letters/retry?integration=      queue them again (as new deliveries)
//   DELETE /api/hookline/dead-letters?integration=            forget them

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toJson } from '../../events/event.ts';
import type { HubParts } from '../../hub/hub-parts.ts';
import type { Outcome } from '../../integrations/delivery-log.ts';
import { requeue } from './hookline-integration-status.ts';
import { apiAuth, intParam, particleError, particleRouteConfigs } from './particle-common.ts';

export function registerHooklineEventApi(app: FastifyInstance, parts: HubParts): void {
  const { HOOKLINE } = particleRouteConfigs(parts);
  const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
  const integration = (req: FastifyRequest, orgId: string) => {
    const d = parts.integrations.get((req.params as { id: string }).id);
    if (!d || d.orgId !== orgId) throw particleError('NOT_FOUND', 'integration not found');
    return d;
  };
  const deviceId = (orgId: string, idOrName: string): string => {
    if (idOrName === 'api' || idOrName === 'particle-internal') return idOrName;
    const d = parts.devices.find(orgId, idOrName);
    if (!d) throw particleError('NOT_FOUND', 'device not found');
    return d.id;
  };

  app.get('/api/hookline/events', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'events');
    const device = q(req).device;
    const limit = intParam(q(req).limit, 100, 10_000);
    return { events: parts.history.recent(orgId, device ? deviceId(orgId, device) : undefined, limit).map(toJson) };
  });

  app.get('/api/hookline/devices/:id/events', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'events');
    const id = deviceId(orgId, (req.params as { id: string }).id);
    return { events: parts.history.recent(orgId, id, intParam(q(req).limit, 100, 10_000)).map(toJson) };
  });

  app.get('/api/hookline/integrations/:id/log', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'integrations');
    const d = integration(req, orgId);
    const outcome = q(req).outcome as Outcome | undefined;
    if (outcome !== undefined && !['success', 'error', 'skipped'].includes(outcome)) throw particleError('BAD_REQUEST', 'outcome must be success, error or skipped');
    return { entries: parts.deliveryLog.entries(d.id, { limit: intParam(q(req).limit, 200, 300), outcome }) };
  });

  app.get('/api/hookline/integrations/:id/counters', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'integrations');
    return { days: parts.deliveryLog.counters(integration(req, orgId).id) };
  });

  const ownHosts = (orgId: string): Set<string> => {
    const hosts = new Set<string>();
    for (const d of parts.integrations.list(orgId)) {
      try {
        hosts.add(new URL(d.spec.url).hostname.replace(/^\[|\]$/g, ''));
      } catch {
        // a templated host ({{{BASE_URL}}}) is known only per delivery
      }
    }
    return hosts;
  };

  app.get('/api/hookline/webhooks/status', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'integrations');
    const queue = parts.queue;
    const own = ownHosts(orgId);
    return {
      mode: parts.mode,
      queue: { depth: queue.depth, waiting: queue.waiting, inFlight: queue.inFlight, limit: parts.deps.config.webhookQueueLimit },
      concurrency: parts.deps.config.webhookConcurrency,
      // The breaker scores hosts across every org; an org sees only hosts its own integrations call
      // (their URL's literal host), never which hosts other orgs' webhooks reach.
      hosts: parts.breaker.status().filter((h) => own.has(h.host)),
      deadLetters: await parts.deadLetters.count(orgId),
    };
  });

  app.get('/api/hookline/dead-letters', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'integrations');
    return { deadLetters: await parts.deadLetters.list(orgId, q(req).integration, intParam(q(req).limit, 100, 10_000)) };
  });

  app.post('/api/hookline/dead-letters/retry', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'write', 'integrations');
    return { queued: await requeue(parts, await parts.deadLetters.take(orgId, q(req).integration)) };
  });

  app.delete('/api/hookline/dead-letters', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'write', 'integrations');
    return { deleted: await parts.deadLetters.purge(orgId, q(req).integration) };
  });
}
