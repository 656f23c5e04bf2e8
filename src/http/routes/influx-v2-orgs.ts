// /api/v2/orgs (InfluxDB 2 OrganizationsService).

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { can } from '../../tenancy/permissions.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { readJson } from '../read-body.ts';
import { orgJson } from '../v2-shapes.ts';

export function registerV2Orgs(app: FastifyInstance, deps: AppDeps): void {
  const t = deps.tenancy;
  const max = deps.config.maxDecompressedBytes;
  const cfg = { config: { dialect: 'v2' as const, auth: {} } };

  app.get('/api/v2/orgs', cfg, async (req) => {
    const auth = authenticate(req, t);
    const q = req.query as Record<string, string | undefined>;
    let orgs = t.listOrgs().filter((o) => can(auth, 'read', 'orgs', o.id, o.id));
    if (q.org !== undefined) orgs = orgs.filter((o) => o.name === q.org);
    if (q.orgID !== undefined) orgs = orgs.filter((o) => o.id === q.orgID);
    if ((q.org !== undefined || q.orgID !== undefined) && orgs.length === 0) throw hooklineError('ORG_NOT_FOUND');
    return { links: { self: '/api/v2/orgs' }, orgs: orgs.map(orgJson) };
  });

  app.post('/api/v2/orgs', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    if (!can(auth, 'write', 'orgs')) throw hooklineError('FORBIDDEN', 'insufficient permissions to create an organization');
    const body = await readJson<{ name?: string; description?: string }>(req, max);
    if (!body.name) throw hooklineError('BAD_REQUEST', 'org name is empty');
    const org = await t.createOrg(body.name, body.description ?? '');
    return reply.code(201).send(orgJson(org));
  });

  app.get('/api/v2/orgs/:id', cfg, async (req) => {
    const auth = authenticate(req, t);
    const { id } = req.params as { id: string };
    const org = t.org(id);
    if (!org || !can(auth, 'read', 'orgs', org.id, org.id)) throw hooklineError('ORG_NOT_FOUND');
    return orgJson(org);
  });

  app.patch('/api/v2/orgs/:id', cfg, async (req) => {
    const auth = authenticate(req, t);
    const { id } = req.params as { id: string };
    if (!t.org(id)) throw hooklineError('ORG_NOT_FOUND');
    if (!can(auth, 'write', 'orgs', id, id)) throw hooklineError('FORBIDDEN');
    const body = await readJson<{ name?: string; description?: string }>(req, max);
    return orgJson(await t.updateOrg(id, { name: body.name, description: body.description }));
  });

  app.delete('/api/v2/orgs/:id', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    const { id } = req.params as { id: string };
    if (!t.org(id)) throw hooklineError('ORG_NOT_FOUND');
    if (!can(auth, 'write', 'orgs', id, id)) throw hooklineError('FORBIDDEN');
    await t.deleteOrg(id);
    return reply.code(204).send();
  });
}
