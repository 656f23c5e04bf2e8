// GET|POST /api/query (and /api/v1/query): OpenTSDB queries as Grafana's
// OpenTSDB datasource sends them, answered [{metric, tags, aggregateTags, dps}].
// Reads ?bucket= / ?db= or the token's default bucket.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { resolveBucket } from '../../opentsdb/target.ts';
import { formatResults } from '../../query/opentsdb/format-results.ts';
import { parseQueryBody, parseQueryParams, type TsQuery } from '../../query/opentsdb/parse-query.ts';
import { runQuery } from '../../query/opentsdb/run-query.ts';
import { QueryError } from '../../core/errors.ts';
import { authenticate } from '../auth.ts';
import type { ConcernDeps } from '../../concern-deps.ts';
import { readBody } from '../read-body.ts';
import { methodNotAllowed, OPENTSDB_405, OPENTSDB_CONFIG } from './opentsdb-put.ts';

type Query = Record<string, string | string[] | undefined>;

/** A QueryError as OpenTSDB's BadRequestException (400 unless it says otherwise). */
export function queryFailure(e: unknown): never {
  if (e instanceof QueryError) {
    throw hooklineError(e.status === 503 ? 'QUERY_TIMEOUT' : e.status === 413 ? 'QUERY_LIMIT' : 'BAD_REQUEST', e.message);
  }
  throw e;
}

export function registerOpenTsdbQuery(app: FastifyInstance, deps: ConcernDeps): void {
  for (const url of ['/api/query', '/api/v1/query']) {
    app.get(url, OPENTSDB_CONFIG, (req, reply) => query(deps, req, reply, 'GET'));
    app.post(url, OPENTSDB_CONFIG, (req, reply) => query(deps, req, reply, 'POST'));
    app.route({ method: ['PUT', 'DELETE', 'PATCH'], url, ...OPENTSDB_405, handler: methodNotAllowed });
  }
}

async function query(deps: ConcernDeps, req: FastifyRequest, reply: FastifyReply, method: 'GET' | 'POST'): Promise<FastifyReply> {
  const auth = authenticate(req, deps.tenancy);
  const q = req.query as Query;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const bucket = resolveBucket(deps.tenancy, auth, { bucket: one(q.bucket), db: one(q.db), rp: one(q.rp) }, 'read');
  const nowMs = Date.now();
  let tsq: TsQuery;
  try {
    if (method === 'GET') tsq = parseQueryParams(q, nowMs);
    else {
      const body = await readBody(req, deps.config.maxQueryBodyBytes);
      if (body.length === 0) {
        throw hooklineError('BAD_REQUEST', 'Missing message content', { data: { details: 'Supply valid JSON formatted data in the body of your request' } });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw hooklineError('BAD_REQUEST', 'Unable to parse the given JSON', { data: { details: (e as Error).message } });
      }
      tsq = parseQueryBody(parsed, nowMs);
    }
  } catch (e) {
    queryFailure(e);
  }
  let results;
  try {
    // The query gate: a refusal is 503 + Retry-After in OpenTSDB's {"error":{code,message}}.
    const limits = { maxBuckets: deps.config.maxSelectBuckets, maxPoints: deps.config.maxSelectPoint, maxSeries: deps.config.maxSelectSeries };
    results = await deps.queries.run(() => runQuery(deps.store, bucket.id, tsq, { timeoutMs: deps.config.queryTimeout, limits }));
  } catch (e) {
    queryFailure(e);
  }
  const arrays = q.arrays !== undefined && one(q.arrays) !== 'false';
  return reply.type('application/json').send(formatResults(results, { msResolution: tsq.msResolution, arrays }));
}
