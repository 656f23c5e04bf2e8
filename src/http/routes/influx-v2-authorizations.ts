// /api/v2/authorizations (InfluxDB 2 AuthorizationService). The token string is
// returned once, when created; hookline keeps only its SHA-256 digest.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import type { Action, Permission } from '../../tenancy/model.ts';
import { RESOURCE_TYPES } from '../../tenancy/model.ts';
import { can } from '../../tenancy/permissions.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { readJson } from '../read-body.ts';
import { authorizationJson } from '../v2-shapes.ts';

interface AuthBody {
  orgID?: string;
  org?: string;
  userID?: string;
  description?: string;
  status?: string;
  permissions?: Array<{ action?: string; resource?: Record<string, string> }>;
  /** hookline: where OpenTSDB puts with this token land when the request names no bucket. */
  defaultBucketID?: string | null;
  /** hookline: OpenTSDB put validation for this token (docs/opentsdb.md). */
  opentsdbMode?: string | null;
}

/** hookline's token extras, checked; `null` or "" clears one on PATCH. */
function extrasOf(body: AuthBody, orgID: string, deps: AppDeps): { defaultBucketID?: string; opentsdbMode?: 'lenient' | 'strict' } {
  const out: { defaultBucketID?: string; opentsdbMode?: 'lenient' | 'strict' } = {};
  if (body.defaultBucketID !== undefined) {
    if (body.defaultBucketID === null || body.defaultBucketID === '') out.defaultBucketID = undefined;
    else {
      const b = deps.tenancy.bucket(String(body.defaultBucketID));
      if (!b || b.orgID !== orgID) throw hooklineError('BAD_REQUEST', 'defaultBucketID must name a bucket of the token\'s org');
      out.defaultBucketID = b.id;
    }
  }
  if (body.opentsdbMode !== undefined) {
    if (body.opentsdbMode === null || body.opentsdbMode === '') out.opentsdbMode = undefined;
    else if (body.opentsdbMode === 'lenient' || body.opentsdbMode === 'strict') out.opentsdbMode = body.opentsdbMode;
    else throw hooklineError('BAD_REQUEST', 'opentsdbMode must be lenient or strict');
  }
  return out;
}

function parsePermissions(body: AuthBody, orgID: string): Permission[] {
  if (!Array.isArray(body.permissions) || body.permissions.length === 0) throw hooklineError('BAD_REQUEST', 'permissions are required');
  return body.permissions.map((p, i) => {
    if (p.action !== 'read' && p.action !== 'write') throw hooklineError('BAD_REQUEST', `permissions[${i}].action must be read or write`);
    const r = p.resource ?? {};
    if (!r.type || !(RESOURCE_TYPES as readonly string[]).includes(r.type)) {
      throw hooklineError('BAD_REQUEST', `permissions[${i}].resource.type must be one of ${RESOURCE_TYPES.join(', ')}`);
    }
    const resource: Permission['resource'] = { type: r.type, orgID: r.orgID ?? orgID };
    if (r.id) resource.id = r.id;
    return { action: p.action as Action, resource };
  });
}

export function registerV2Authorizations(app: FastifyInstance, deps: AppDeps): void {
  const t = deps.tenancy;
  const max = deps.config.maxDecompressedBytes;
  const cfg = { config: { dialect: 'v2' as const, auth: {} } };

  app.get('/api/v2/authorizations', cfg, async (req) => {
    const auth = authenticate(req, t);
    const q = req.query as Record<string, string | undefined>;
    let orgID = q.orgID;
    if (q.org) orgID = t.findOrg(q.org)?.id ?? '-';
    const list = t
      .listAuthorizations({ orgID, userID: q.userID })
      .filter((a) => can(auth, 'read', 'authorizations', a.orgID) || a.id === auth.id);
    return { links: { self: '/api/v2/authorizations' }, authorizations: list.map((a) => authorizationJson(a, t)) };
  });

  app.post('/api/v2/authorizations', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    const body = await readJson<AuthBody>(req, max);
    const org = body.orgID ? t.org(body.orgID) : body.org ? t.findOrg(body.org) : t.org(auth.orgID);
    if (!org) throw hooklineError('ORG_NOT_FOUND');
    if (!can(auth, 'write', 'authorizations', org.id)) throw hooklineError('FORBIDDEN', 'insufficient permissions to create a token');
    const permissions = parsePermissions(body, org.id);
    // A token cannot hand out more than it holds.
    for (const p of permissions) {
      if (!can(auth, p.action, p.resource.type, p.resource.orgID, p.resource.id)) {
        throw hooklineError('FORBIDDEN', `cannot grant ${p.action} on ${p.resource.type}: the token creating it does not hold that permission`);
      }
    }
    if (body.status !== undefined && body.status !== 'active' && body.status !== 'inactive') throw hooklineError('BAD_REQUEST', 'status must be active or inactive');
    const { auth: created, token } = await t.createAuthorization({
      orgID: org.id,
      userID: body.userID ?? auth.userID,
      description: body.description,
      status: body.status as 'active' | 'inactive' | undefined,
      permissions,
      ...extrasOf(body, org.id, deps),
    });
    return reply.code(201).send(authorizationJson(created, t, token));
  });

  app.get('/api/v2/authorizations/:id', cfg, async (req) => {
    const auth = authenticate(req, t);
    const a = t.authorization((req.params as { id: string }).id);
    if (!a || (!can(auth, 'read', 'authorizations', a.orgID) && a.id !== auth.id)) throw hooklineError('NOT_FOUND', 'authorization not found');
    return authorizationJson(a, t);
  });

  app.patch('/api/v2/authorizations/:id', cfg, async (req) => {
    const auth = authenticate(req, t);
    const a = t.authorization((req.params as { id: string }).id);
    if (!a) throw hooklineError('NOT_FOUND', 'authorization not found');
    if (!can(auth, 'write', 'authorizations', a.orgID)) throw hooklineError('FORBIDDEN');
    const body = await readJson<AuthBody>(req, max);
    if (body.status !== undefined && body.status !== 'active' && body.status !== 'inactive') throw hooklineError('BAD_REQUEST', 'status must be active or inactive');
    const extras = extrasOf(body, a.orgID, deps);
    const patch = { status: body.status as 'active' | 'inactive' | undefined, description: body.description, ...extras };
    return authorizationJson(await t.updateAuthorization(a.id, patch, Object.keys(extras) as Array<keyof typeof extras>), t);
  });

  app.delete('/api/v2/authorizations/:id', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    const a = t.authorization((req.params as { id: string }).id);
    if (!a) throw hooklineError('NOT_FOUND', 'authorization not found');
    if (!can(auth, 'write', 'authorizations', a.orgID)) throw hooklineError('FORBIDDEN');
    await t.deleteAuthorization(a.id);
    return reply.code(204).send();
  });
}
