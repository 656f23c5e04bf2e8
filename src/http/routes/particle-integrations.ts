// Integrations (webhooks), docs.particle.io/reference/cloud-apis/webhooks:
//   POST/GET /v1/integrations, GET/PUT/DELETE /v1/integrations/:id   the integration object (no "ok" flag)
//   POST/GET /v1/webhooks,     GET/PUT/DELETE /v1/webhooks/:id       legacy shapes (CreateWebhookResponse, WebhookInfo)
//   POST /v1/integrations/:id/test   {data?, name?, deviceId?, send?} -> the rendered request, and the outcome when sent
//   POST /v1/integrations/test       {integration: {...definition}, data?, ...} the same for an unsaved definition
// The Custom Template JSON is accepted verbatim; a bad field is a 400 naming it.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HubParts } from '../../hub/hub-parts.ts';
import { parseWebhook, storedRaw } from '../../integrations/integration-schema.ts';
import type { IntegrationDoc } from '../../integrations/integration-store.ts';
import { testIntegration } from '../../integrations/test-integration.ts';
import { apiAuth, particleError, particleRouteConfigs, readParticleBody } from './particle-common.ts';

/** The integration object: what was submitted, plus id, type, dates and the normalized core fields. */
export function integrationJson(d: IntegrationDoc, parts: HubParts): Record<string, unknown> {
  const s = d.spec;
  return {
    ...d.raw,
    id: d.id,
    integration_type: d.integration_type,
    created_at: d.created_at,
    updated_at: d.updated_at,
    event: s.event,
    url: s.url,
    requestType: s.requestType,
    ...(s.deviceID ? { deviceID: s.deviceID } : {}),
    disabled: s.disabled,
    noDefaults: s.noDefaults,
    rejectUnauthorized: s.rejectUnauthorized,
    secrets: s.secrets.map((name) => ({ name })),
    counters: parts.deliveryLog.today(d.id),
  };
}

function webhookInfo(d: IntegrationDoc): Record<string, unknown> {
  return { id: d.id, event: d.spec.event, created_at: d.created_at, url: d.spec.url, requestType: d.spec.requestType, name: d.spec.name ?? null, ...(d.spec.deviceID ? { deviceID: d.spec.deviceID } : {}), disabled: d.spec.disabled };
}

export function registerParticleIntegrations(app: FastifyInstance, parts: HubParts): void {
  const { PARTICLE } = particleRouteConfigs(parts);
  const max = parts.deps.config.maxDecompressedBytes;
  const secretExists = (orgId: string) => (name: string) => parts.secrets.get(orgId, name) !== undefined;
  const find = (req: FastifyRequest, orgId: string): IntegrationDoc => {
    const d = parts.integrations.get((req.params as { id: string }).id);
    if (!d || d.orgId !== orgId) throw particleError('NOT_FOUND', 'Integration not found');
    return d;
  };

  for (const base of ['/v1/integrations', '/v1/webhooks']) {
    const legacy = base === '/v1/webhooks';
    app.post(base, PARTICLE, async (req, reply) => {
      const body = await readParticleBody(req, max);
      const { orgId } = apiAuth(parts, req, 'write', 'integrations', body);
      const d = await parts.integrations.create(orgId, body, secretExists(orgId));
      reply.code(201);
      if (legacy) return { ok: true, id: d.id, url: d.spec.url, event: d.spec.event, name: d.spec.name ?? null, created_at: d.created_at, hookUrl: d.spec.url };
      return integrationJson(d, parts);
    });
    app.get(base, PARTICLE, async (req) => {
      const { orgId } = apiAuth(parts, req, 'read', 'integrations');
      const list = parts.integrations.list(orgId);
      return legacy ? list.map(webhookInfo) : list.map((d) => integrationJson(d, parts));
    });
    app.get(`${base}/:id`, PARTICLE, async (req) => {
      const { orgId } = apiAuth(parts, req, 'read', 'integrations');
      const d = find(req, orgId);
      return { ...integrationJson(d, parts), logs: parts.deliveryLog.entries(d.id, { limit: 20 }), history: parts.deliveryLog.counters(d.id) };
    });
    app.put(`${base}/:id`, PARTICLE, async (req) => {
      const body = await readParticleBody(req, max);
      const { orgId } = apiAuth(parts, req, 'write', 'integrations', body);
      const d = find(req, orgId);
      return integrationJson(await parts.integrations.update(d.id, body, secretExists(orgId)), parts);
    });
    app.delete(`${base}/:id`, PARTICLE, async (req, reply) => {
      const { orgId } = apiAuth(parts, req, 'write', 'integrations');
      const d = find(req, orgId);
      await parts.integrations.delete(d.id);
      await parts.deliveryLog.remove(d.id);
      return reply.code(204).send();
    });
  }

  const runTest = async (req: FastifyRequest, d: IntegrationDoc, body: Record<string, unknown>) => {
    const data = body.data === undefined || body.data === null ? null : typeof body.data === 'string' ? body.data : JSON.stringify(body.data);
    const coreid = [body.deviceId, body.deviceID, body.coreid].find((x) => typeof x === 'string' && x !== '') as string | undefined;
    const send = body.send === true || body.send === 'true' || body.send === '1';
    return testIntegration(d, { name: typeof body.name === 'string' ? body.name : undefined, data, coreid }, send, {
      sender: parts.sender,
      secrets: (orgId, names) => parts.secrets.values(orgId, names),
    });
  };

  app.post('/v1/integrations/:id/test', PARTICLE, async (req) => {
    const body = await readParticleBody(req, max);
    const { orgId } = apiAuth(parts, req, 'write', 'integrations', body);
    return runTest(req, find(req, orgId), body);
  });

  app.post('/v1/integrations/test', PARTICLE, async (req) => {
    const body = await readParticleBody(req, max);
    const { orgId } = apiAuth(parts, req, 'write', 'integrations', body);
    const def = body.integration;
    if (!def || typeof def !== 'object' || Array.isArray(def)) throw particleError('BAD_REQUEST', 'integration: the definition to test is required');
    const raw = storedRaw(def as Record<string, unknown>);
    const spec = parseWebhook(raw, secretExists(orgId));
    const now = new Date().toISOString();
    return runTest(req, { id: 'test', orgId, integration_type: 'Webhook', created_at: now, updated_at: now, raw, spec }, body);
  });
}
