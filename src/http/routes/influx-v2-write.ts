// POST /api/v2/write, InfluxDB 2.x semantics (http/write_handler.go):
// 204 on success; any line that does not parse rejects the whole body (400);
// points refused by storage are reported as 422 while the rest are written.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import type { Precision } from '../../core/time.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { requireBucketAccess, resolveBucket, resolveOrg } from '../../tenancy/resolve-bucket.ts';
import { retentionContext, writeLines } from '../write-lines.ts';
import { v2WriteError } from '../write-response.ts';

const PRECISIONS = new Set(['ns', 'us', 'ms', 's']);

export function registerV2Write(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/v2/write', { config: { dialect: 'v2', auth: {} } }, async (req, reply) => {
    const auth = authenticate(req, deps.tenancy);
    const q = req.query as Record<string, string | undefined>;
    const precision = q.precision || 'ns';
    if (!PRECISIONS.has(precision)) throw hooklineError('BAD_REQUEST', 'invalid precision; valid precision units are ns, us, ms, and s');
    if (!q.bucket) throw hooklineError('BUCKET_NOT_FOUND');
    const org = resolveOrg(deps.tenancy, q.org, q.orgID ?? q.org_id);
    const bucket = resolveBucket(deps.tenancy, org, q.bucket);
    requireBucketAccess(auth, bucket, 'write');
    const { outcome, now } = await writeLines(deps, req, { bucket, precision: precision as Precision, onParseError: 'reject' });
    const err = v2WriteError(outcome, retentionContext(bucket, now, bucket.id, 'autogen'));
    if (err) throw err;
    return reply.code(204).send();
  });
}
