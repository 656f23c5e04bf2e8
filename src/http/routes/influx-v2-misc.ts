// The rest of InfluxDB 2's surface that clients touch: /api/v2 (links),
// /api/v2/setup (already done: hookline sets up on first start), /api/v2/me
// and /api/v2/users.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { can } from '../../tenancy/permissions.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';

export function registerV2Misc(app: FastifyInstance, deps: AppDeps): void {
  const t = deps.tenancy;
  const cfg = { config: { dialect: 'v2' as const, auth: {} } };
  const open = { config: { dialect: 'v2' as const, auth: { public: 'API links and setup status, as InfluxDB 2 serves them without a token' } } };

  app.get('/api/v2', open, async () => ({
    authorizations: '/api/v2/authorizations',
    buckets: '/api/v2/buckets',
    health: '/health',
    me: '/api/v2/me',
    orgs: '/api/v2/orgs',
    setup: '/api/v2/setup',
    users: '/api/v2/users',
    write: '/api/v2/write',
  }));

  app.get('/api/v2/setup', open, async () => ({ allowed: t.isEmpty }));
  app.post('/api/v2/setup', open, async () => {
    throw hooklineError('CONFLICT', 'onboarding has already been completed');
  });

  app.get('/api/v2/me', cfg, async (req) => {
    const auth = authenticate(req, t);
    const u = t.user(auth.userID);
    if (!u) throw hooklineError('NOT_FOUND', 'user not found');
    return { id: u.id, name: u.name, status: 'active', links: { self: `/api/v2/users/${u.id}` } };
  });

  app.get('/api/v2/users', cfg, async (req) => {
    const auth = authenticate(req, t);
    if (!can(auth, 'read', 'users', auth.orgID)) throw hooklineError('FORBIDDEN');
    return {
      links: { self: '/api/v2/users' },
      users: t.listUsers().map((u) => ({ id: u.id, name: u.name, status: 'active', links: { self: `/api/v2/users/${u.id}` } })),
    };
  });
}
