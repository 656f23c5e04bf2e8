// POST /debug/flush: persist everything in memory now (benchmarks measure disk
// after it; operators may call it before a backup). Needs a token that may
// write every bucket of its org.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { isOrgAdmin } from '../../tenancy/permissions.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';

export function registerDebug(app: FastifyInstance, deps: AppDeps): void {
  app.post('/debug/flush', { config: { dialect: 'v2', auth: {} } }, async (req, reply) => {
    const auth = authenticate(req, deps.tenancy);
    if (!isOrgAdmin(auth, auth.orgID)) throw hooklineError('FORBIDDEN');
    await deps.settle();
    return reply.code(204).send();
  });
}
