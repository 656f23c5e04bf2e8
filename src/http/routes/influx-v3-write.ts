// POST /api/v3/write_lp, InfluxDB 3 semantics (influxdb3_server http.rs):
// db required (created on first write when the token may create buckets);
// precision auto|s|ms|us|ns and long spellings; accept_partial (default true)
// writes the good lines and lists the bad ones with their numbers.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import type { Precision } from '../../core/time.ts';
import { isOrgAdmin } from '../../tenancy/permissions.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { requireBucketAccess } from '../../tenancy/resolve-bucket.ts';
import { writeLines } from '../write-lines.ts';
import { v3WriteError } from '../write-response.ts';

const PRECISION: Record<string, Precision | 'auto'> = {
  auto: 'auto',
  s: 's',
  second: 's',
  ms: 'ms',
  millisecond: 'ms',
  us: 'us',
  u: 'us',
  microsecond: 'us',
  ns: 'ns',
  n: 'ns',
  nanosecond: 'ns',
};

/** InfluxDB 3 database names: ASCII letters, digits, _ and -, starting with a letter or digit. */
function checkDbName(db: string): void {
  if (db === '') throw hooklineError('BAD_REQUEST', 'db name cannot be empty');
  if (!/^[A-Za-z0-9]/.test(db)) throw hooklineError('BAD_REQUEST', 'db name did not start with a number or letter');
  const bad = /[^A-Za-z0-9_\-/]/.exec(db);
  if (bad) throw hooklineError('BAD_REQUEST', `invalid character in database or rp name: ${bad[0]}`);
}

export function registerV3Write(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/v3/write_lp', { config: { dialect: 'v3', auth: { missing: 'the request was not authenticated', invalid: 'the request was not authenticated' } } }, async (req, reply) => {
    const auth = authenticate(req, deps.tenancy, {}, 'the request was not authenticated', 'the request was not authenticated');
    const q = req.query as Record<string, string | undefined>;
    if (q.db === undefined) throw hooklineError('BAD_REQUEST', "missing query parameter 'db'");
    checkDbName(q.db);
    const precision = PRECISION[q.precision ?? 'auto'];
    if (precision === undefined) {
      throw hooklineError('BAD_REQUEST', `invalid precision "${q.precision}": expected one of auto, s, ms, us, ns (or second, millisecond, microsecond, nanosecond)`);
    }
    const acceptPartial = q.accept_partial === undefined ? true : !['false', '0'].includes(q.accept_partial.toLowerCase());
    let bucket = deps.tenancy.bucketByName(auth.orgID, q.db);
    if (!bucket) {
      // InfluxDB 3 creates the database on first write.
      if (!isOrgAdmin(auth, auth.orgID)) throw hooklineError('BUCKET_NOT_FOUND', `database not found: ${q.db}`);
      bucket = await deps.tenancy.createBucket({ orgID: auth.orgID, name: q.db });
    }
    requireBucketAccess(auth, bucket, 'write', 'requestor is forbidden from requested resource');
    const { outcome, body } = await writeLines(deps, req, {
      bucket,
      precision,
      onParseError: 'skip',
      atomic: !acceptPartial,
      rejectDuplicateFields: true,
    });
    if (outcome.lines === 0) throw hooklineError('BAD_REQUEST', 'no data in request body: write must contain at least one line of line protocol');
    const err = v3WriteError(outcome, body, acceptPartial);
    if (err) throw err;
    return reply.code(204).send();
  });
}
