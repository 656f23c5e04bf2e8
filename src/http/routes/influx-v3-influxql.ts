// GET|POST /api/v3/query_influxql (InfluxDB 3): db, q (exactly one
// statement), format json|jsonl|csv|pretty. Rows come back flat with the
// series name in "iox::measurement", then time, the GROUP BY tags and the
// columns, in InfluxDB 3's output formats.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { authenticate } from '../auth.ts';
import { readJson } from '../read-body.ts';
import type { ConcernDeps } from '../../concern-deps.ts';
import { CONTENT_TYPES, formatResultSliced, resultFormat } from '../../query/sql/format-results.ts';
import { TimeSlicer } from '../../query/time-slice.ts';
import { executeStatements, parseRequest, selectLimits } from '../../query/influxql/run-query.ts';
import { v3Table } from '../../query/influxql/encode/v3-rows.ts';

interface V3Request {
  db?: string;
  q?: string;
  format?: string;
  params?: Record<string, unknown> | string;
}

export function registerV3InfluxQl(app: FastifyInstance, deps: ConcernDeps): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const auth = authenticate(req, deps.tenancy, { queryParams: true }, 'the request was not authenticated', 'the request was not authenticated');
    let r: V3Request;
    if (req.method === 'POST') r = { ...(req.query as V3Request), ...(await readJson<V3Request>(req, deps.config.maxQueryBodyBytes)) };
    else r = req.query as V3Request;
    if (!r.q) throw hooklineError('BAD_REQUEST', "missing query parameters 'db' and 'q'");
    const format = resultFormat(r.format, req.headers.accept);
    if (!format) throw hooklineError('BAD_REQUEST', `unsupported format: ${r.format ?? req.headers.accept}; use json, jsonl, csv or pretty`);
    const params = typeof r.params === 'object' && r.params ? JSON.stringify(r.params) : r.params || undefined;
    const statements = parseRequest(r.q, params);
    if (statements.length !== 1) throw hooklineError('BAD_REQUEST', 'must provide only one InfluxQl statement per query');
    const db = r.db ?? '';
    if (db && !deps.tenancy.listBuckets({ orgID: auth.orgID }).some((b) => b.name === db || b.name.startsWith(db + '/'))) {
      throw hooklineError('BUCKET_NOT_FOUND', `database not found: ${db}`);
    }
    const [result] = await deps.queries.run(() =>
      executeStatements({ store: deps.store, ingest: deps.ingest, tenancy: deps.tenancy, timeoutMs: deps.config.queryTimeout, limits: selectLimits(deps.config) }, auth, statements, {
        db,
        rp: '',
        readOnly: false,
      }),
    );
    if (result.error) throw hooklineError('QUERY', result.error);
        // Flattened and formatted in slices (time-slice.ts): /ping runs in between.
    const sl = new TimeSlicer();
    return reply.code(200).type(CONTENT_TYPES[format]).send(await formatResultSliced(await v3Table(result, sl), format, sl));
  };
  app.get('/api/v3/query_influxql', { config: { dialect: 'v3', auth: { sources: { queryParams: true }, missing: 'the request was not authenticated', invalid: 'the request was not authenticated' } } }, handler);
  app.post('/api/v3/query_influxql', { config: { dialect: 'v3', auth: { sources: { queryParams: true }, missing: 'the request was not authenticated', invalid: 'the request was not authenticated' } } }, handler);
}
