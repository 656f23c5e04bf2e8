// Failures a user can see and act on (issue 12), per integration:
//   GET  /api/hookline/integrations/:id/status        the state in one line, failures grouped by cause
//   POST /api/hookline/integrations/:id/retry         "retry now": wake the sleeping host, retry the waiting deliveries
//   GET  /api/hookline/integrations/:id/dead-letters  its dead letters, newest first (?limit=)
//   POST /api/hookline/integrations/:id/dead-letters/replay           queue them all again
//   POST /api/hookline/integrations/:id/dead-letters/:eventId/replay  queue one again
// A replay wakes the host too: the user asks for a delivery now. Times are
// RFC 3339 UTC with milliseconds, as everywhere in the API.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HubParts } from '../../hub/hub-parts.ts';
import type { DeadLetter } from '../../integrations/delivery-queue.ts';
import type { IntegrationDoc } from '../../integrations/integration-store.ts';
import { integrationStatus } from '../../integrations/integration-status.ts';
import { selfTargetWarning } from '../../integrations/ssrf-guard.ts';
import { apiAuth, intParam, particleError, particleRouteConfigs } from './particle-common.ts';

/** Queues dead letters again as new deliveries; what cannot be queued is filed back. */
export async function requeue(parts: HubParts, letters: DeadLetter[]): Promise<number> {
  let queued = 0;
  try {
    for (const l of letters) {
      if (!parts.integrations.get(l.integrationId)) continue;
      await parts.queue.enqueue(l.event, [l.integrationId]);
      queued++;
    }
  } catch (e) {
    // The letters not re-queued go back to the list; a QueueFullError is already a coded 429.
    await parts.deadLetters.file(letters.slice(queued));
    throw e;
  }
  return queued;
}

/** The host the breaker scores this integration's deliveries under: from its last request as sent, else its URL. */
export function targetHost(parts: HubParts, d: IntegrationDoc): string | undefined {
  const last = parts.deliveryLog.entries(d.id, { limit: 1 })[0]?.request?.url;
  for (const u of [last, d.spec.url]) {
    if (!u || u.includes('{{')) continue;
    try {
      return new URL(u).hostname.replace(/^\[|\]$/g, '');
    } catch {
      // a templated or masked URL: try the next
    }
  }
  return undefined;
}

export function registerIntegrationStatus(app: FastifyInstance, parts: HubParts): void {
  const { HOOKLINE } = particleRouteConfigs(parts);
  const integration = (req: FastifyRequest, orgId: string) => {
    const d = parts.integrations.get((req.params as { id: string }).id);
    if (!d || d.orgId !== orgId) throw particleError('NOT_FOUND', 'integration not found');
    return d;
  };
  const wake = (d: IntegrationDoc) => {
    const host = targetHost(parts, d);
    const woken = host ? parts.breaker.wake(host) : false;
    const retried = parts.queue.wake(d.id);
    parts.worker.pump();
    return { host: host ?? null, woken, retried };
  };

  app.get('/api/hookline/integrations/:id/status', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'integrations');
    const d = integration(req, orgId);
    const host = targetHost(parts, d);
    const f = parts.deliveryLog.failures(d.id);
    return integrationStatus({
      ...f,
      host,
      breaker: host ? parts.breaker.hostState(host) : { state: 'closed' },
      waiting: parts.queue.waitingOf(d.id),
      deadLetters: await parts.deadLetters.countOf(orgId, d.id),
      warning: selfTargetWarning(d.spec.url, parts.ownUrls()),
      disabled: d.spec.disabled,
    });
  });

  app.post('/api/hookline/integrations/:id/retry', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'write', 'integrations');
    return wake(integration(req, orgId));
  });

  app.get('/api/hookline/integrations/:id/dead-letters', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'integrations');
    const d = integration(req, orgId);
    const limit = intParam((req.query as Record<string, string | undefined>).limit, 100, 10_000);
    return { deadLetters: await parts.deadLetters.list(orgId, d.id, limit), total: await parts.deadLetters.countOf(orgId, d.id) };
  });

  app.post('/api/hookline/integrations/:id/dead-letters/replay', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'write', 'integrations');
    const d = integration(req, orgId);
    wake(d);
    return { queued: await requeue(parts, await parts.deadLetters.take(orgId, d.id)) };
  });

  app.post('/api/hookline/integrations/:id/dead-letters/:eventId/replay', HOOKLINE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'write', 'integrations');
    const d = integration(req, orgId);
    const letters = await parts.deadLetters.take(orgId, d.id, (req.params as { eventId: string }).eventId);
    if (letters.length === 0) throw particleError('NOT_FOUND', 'dead letter not found');
    wake(d);
    return { queued: await requeue(parts, letters) };
  });
}
