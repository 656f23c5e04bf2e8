// POST /write, InfluxDB 1.x semantics (services/httpd/handler.go serveWrite):
// db required; precision n/ns/u/ms/s/m/h; lines that parse are written even
// when others do not (400 "partial write"); 204 on success.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import type { Precision } from '../../core/time.ts';
import { authenticateV1 } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { dbrpBucket, requireBucketAccess } from '../../tenancy/resolve-bucket.ts';
import { retentionContext, writeLines } from '../write-lines.ts';
import { v1WriteError } from '../write-response.ts';

const PRECISION: Record<string, Precision> = { '': 'ns', n: 'ns', ns: 'ns', u: 'us', ms: 'ms', s: 's', m: 'm', h: 'h' };

export function registerV1Write(app: FastifyInstance, deps: AppDeps): void {
  app.post('/write', { config: { dialect: 'v1', auth: { v1: true, missing: 'unable to parse authentication credentials', invalid: 'authorization failed' } } }, async (req, reply) => {
    const auth = await authenticateV1(req, deps.tenancy, 'unable to parse authentication credentials', 'authorization failed');
    const q = req.query as Record<string, string | undefined>;
    const db = q.db ?? '';
    if (!db) throw hooklineError('BAD_REQUEST', 'database is required');
    const p = q.precision ?? '';
    const precision = PRECISION[p];
    if (precision === undefined) throw hooklineError('BAD_REQUEST', `invalid precision "${p}" (use n, u, ms, s, m or h)`);
    const bucket = dbrpBucket(deps.tenancy, auth.orgID, db, q.rp);
    if (!bucket) throw hooklineError('BUCKET_NOT_FOUND', `database not found: "${db}"`);
    requireBucketAccess(auth, bucket, 'write', `"${auth.v1User ?? auth.id}" user is not authorized to write to database "${db}"`);
    const { outcome, now } = await writeLines(deps, req, { bucket, precision, onParseError: 'skip' });
    const err = v1WriteError(outcome, retentionContext(bucket, now, db, q.rp || 'autogen'), q.rp ?? '');
    if (err) throw err;
    return reply.code(204).send();
  });
}
