// GET|POST /api/v3/query_sql (InfluxDB 3): db = bucket name, q = SQL, format =
// json|jsonl|csv|pretty (or Accept), params = named parameters ($name). The
// bucket's measurements are tables with `time` and one column per tag and field.

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { CONTENT_TYPES, formatResultSliced, resultFormat } from '../../query/sql/format-results.ts';
import { TimeSlicer } from '../../query/time-slice.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { readJson } from '../read-body.ts';
import { parseJsonBounded } from '../../core/parse-json-bounded.ts';
import { requireBucketAccess } from '../../tenancy/resolve-bucket.ts';

interface QueryRequest {
  db?: string;
  q?: string;
  format?: string;
  params?: Record<string, unknown> | string;
}

export function registerV3Query(app: FastifyInstance, deps: AppDeps): void {
  const handler = async (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const auth = authenticate(req, deps.tenancy, { queryParams: true }, 'the request was not authenticated', 'the request was not authenticated');
    let r: QueryRequest;
    if (req.method === 'POST') r = { ...(req.query as QueryRequest), ...(await readJson<QueryRequest>(req, deps.config.maxQueryBodyBytes)) };
    else r = req.query as QueryRequest;
    if (!r.db || !r.q) throw hooklineError('BAD_REQUEST', "missing query parameters 'db' and 'q'");
    const format = resultFormat(r.format, req.headers.accept);
    if (!format) throw hooklineError('BAD_REQUEST', `unsupported format: ${r.format ?? req.headers.accept}; use json, jsonl, csv or pretty`);
    const bucket = deps.tenancy.bucketByName(auth.orgID, r.db);
    if (!bucket) throw hooklineError('BUCKET_NOT_FOUND', `database not found: ${r.db}`);
    requireBucketAccess(auth, bucket, 'read', 'requestor is forbidden from requested resource');
    const params = sqlParams(r.params);
    // SQL shares the one query gate with InfluxQL and OpenTSDB (query-limiter.ts).
    // The sandbox counts the encoded answer against HOOKLINE_QUERY_MAX_RESULT_BYTES; it is built in slices, the loop let in between.
    const result = await deps.queries.run(() => deps.sql.query(bucket.id, r.q!, params, format));
    return reply.code(200).type(CONTENT_TYPES[format]).send(await formatResultSliced(result, format, new TimeSlicer()));
  };
  app.get('/api/v3/query_sql', { config: { dialect: 'v3', auth: { sources: { queryParams: true }, missing: 'the request was not authenticated', invalid: 'the request was not authenticated' } } }, handler);
  app.post('/api/v3/query_sql', { config: { dialect: 'v3', auth: { sources: { queryParams: true }, missing: 'the request was not authenticated', invalid: 'the request was not authenticated' } } }, handler);
}

/**
 * `params`: an object (or a JSON string of one) whose values are scalars, the
 * only things a `$name` can stand for. The string is parsed with its nesting
 * bounded (a deeply nested string was a 500), and nested values are refused
 * here rather than handed to the sandbox.
 */
function sqlParams(raw: QueryRequest['params']): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  const v = typeof raw === 'string' ? parseJsonBounded(raw, 'params') : raw;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw hooklineError('BAD_REQUEST', 'params must be a JSON object');
  for (const [k, x] of Object.entries(v)) {
    if (x !== null && typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') throw hooklineError('BAD_REQUEST', `params: the value of ${JSON.stringify(k.slice(0, 100))} must be a string, number, boolean or null`);
  }
  return v as Record<string, unknown>;
}
