// Cloud secrets as particle-cli uses them (docs.particle.io/getting-started/cloud/secrets):
//   GET    /v1/secrets          -> {"secrets":[{name, created_at, updated_at, created_by, updated_by, last_accessed_at, integrations, logic_functions}]}
//   GET    /v1/secrets/:name    -> {"secret":{...}}
//   PUT    /v1/secrets/:name    {"secret":{"value":"..."}} -> {"secret":{...}} (201 when created)
//   DELETE /v1/secrets/:name    only while no integration uses it
// Values are never returned; they are write-only.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubParts } from '../../hub/hub-parts.ts';
import { MAX_SECRET_BYTES, SECRET_NAME_RE, type SecretDoc } from '../../secrets/secret-store.ts';
import { actor, apiAuth, particleError, particleRouteConfigs, readParticleBody } from './particle-common.ts';

export function registerParticleSecrets(app: FastifyInstance, parts: HubParts): void {
  const { PARTICLE } = particleRouteConfigs(parts);
  const max = parts.deps.config.maxDecompressedBytes;
  const json = (d: SecretDoc) => ({
    name: d.name,
    created_at: d.created_at,
    updated_at: d.updated_at,
    created_by: d.created_by,
    updated_by: d.updated_by,
    last_accessed_at: d.last_accessed_at,
    integrations: parts.integrations.usingSecret(d.orgId, d.name).map((i) => ({ name: i.spec.name ?? i.spec.event, id: i.id })),
    logic_functions: [],
  });
  const nameOf = (params: unknown): string => {
    const name = (params as { name: string }).name;
    if (!SECRET_NAME_RE.test(name)) throw particleError('BAD_REQUEST', 'Keys may include only uppercase letters, digits, and underscores, and must not begin with a digit.');
    return name;
  };

  app.get('/v1/secrets', PARTICLE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'secrets');
    return { secrets: parts.secrets.list(orgId).map(json) };
  });

  app.get('/v1/secrets/:name', PARTICLE, async (req) => {
    const { orgId } = apiAuth(parts, req, 'read', 'secrets');
    const d = parts.secrets.get(orgId, nameOf(req.params));
    if (!d) throw particleError('NOT_FOUND', 'Secret not found');
    return { secret: json(d) };
  });

  const put = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = await readParticleBody(req, max);
    const { auth, orgId } = apiAuth(parts, req, 'write', 'secrets', body);
    const name = nameOf(req.params);
    const s = body.secret;
    const value = s && typeof s === 'object' ? (s as { value?: unknown }).value : body.value;
    if (typeof value !== 'string' || value === '') throw particleError('BAD_REQUEST', 'secret.value is required: {"secret":{"value":"..."}}');
    if (Buffer.byteLength(value) > MAX_SECRET_BYTES) throw particleError('BAD_REQUEST', `secret.value is longer than ${MAX_SECRET_BYTES} bytes`);
    const { doc, created } = await parts.secrets.put(orgId, name, value, actor(auth));
    reply.code(created ? 201 : 200);
    return { secret: json(doc) };
  };
  app.put('/v1/secrets/:name', PARTICLE, put);
  app.post('/v1/secrets/:name', PARTICLE, put);

  app.delete('/v1/secrets/:name', PARTICLE, async (req, reply) => {
    const { orgId } = apiAuth(parts, req, 'write', 'secrets');
    const name = nameOf(req.params);
    if (!parts.secrets.get(orgId, name)) throw particleError('NOT_FOUND', 'Secret not found');
    const users = parts.integrations.usingSecret(orgId, name);
    if (users.length > 0) {
      throw particleError('BAD_REQUEST', `secret ${name} is used by ${users.length} integration(s) (${users.map((u) => u.spec.name ?? u.id).join(', ')}); remove it from them first`);
    }
    await parts.secrets.delete(orgId, name);
    return reply.code(204).send();
  });
}
