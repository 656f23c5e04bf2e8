// OpenTSDB's small endpoints, as Grafana's OpenTSDB datasource calls them:
//   /api/suggest?type=metrics|tagk|tagv&q=&max=   (SuggestRpc; max defaults to 25)
//   /api/search/lookup?m=metric{k=v}&limit=       (SearchRpc LOOKUP; limit defaults to 25)
//   /api/aggregators                              (ListAggregators)
//   /api/config/filters                           (ShowConfig -> TagVFilter.loadedFilters)
//   /api/version                                  (Version)
// each also under /api/v1/...; GET and POST, other methods 405.

import { jsonDepthExceeds, jsonLimits } from '../../core/parse-json-bounded.ts';
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { resolveBucket } from '../../opentsdb/target.ts';
import { AGGREGATOR_NAMES } from '../../query/opentsdb/aggregators.ts';
import { FILTER_DOCS } from '../../query/opentsdb/filters.ts';
import { lookup, parseLookupM, suggest, type LookupTag } from '../../query/opentsdb/lookup.ts';
import { authenticate } from '../auth.ts';
import type { ConcernDeps } from '../../concern-deps.ts';
import { readBody } from '../read-body.ts';
import { methodNotAllowed, OPENTSDB_405, OPENTSDB_CONFIG } from './opentsdb-put.ts';

type Params = Record<string, unknown>;

/** The OpenTSDB API level hookline answers as (2.4: filters, fill policies, rate options). */
export const OPENTSDB_VERSION = '2.4.0';
const STARTED = Math.floor(Date.now() / 1000);

function route(app: FastifyInstance, path: string, handler: RouteHandlerMethod): void {
  for (const url of [path, path.replace('/api/', '/api/v1/')]) {
    app.get(url, OPENTSDB_CONFIG, handler);
    app.post(url, OPENTSDB_CONFIG, handler);
    app.route({ method: ['PUT', 'DELETE', 'PATCH'], url, ...OPENTSDB_405, handler: methodNotAllowed });
  }
}

/** Query parameters, or the JSON body of a POST (parseSuggestV1 and friends). */
async function params(deps: ConcernDeps, req: FastifyRequest): Promise<Params> {
  const q = { ...(req.query as Params) };
  if (req.method !== 'POST') return q;
  const body = await readBody(req, deps.config.maxDecompressedBytes);
  if (body.length === 0) return q;
  try {
    const text = body.toString('utf8');
    if (jsonDepthExceeds(text, jsonLimits.maxDepth)) throw new Error(`JSON nests deeper than ${jsonLimits.maxDepth} levels (HOOKLINE_MAX_JSON_DEPTH)`);
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? { ...q, ...parsed } : q;
  } catch (e) {
    throw hooklineError('BAD_REQUEST', 'Unable to parse the given JSON', { data: { details: (e as Error).message } });
  }
}

function str(v: unknown): string | undefined {
  if (Array.isArray(v)) return str(v[0]);
  return v === undefined || v === null ? undefined : String(v);
}

function count(v: unknown, what: string, dflt: number): number {
  const s = str(v);
  if (s === undefined || s === '') return dflt;
  if (!/^\d+$/.test(s)) throw hooklineError('BAD_REQUEST', `Unable to parse '${what}' as a number`);
  return Number(s);
}

export function registerOpenTsdbMeta(app: FastifyInstance, deps: ConcernDeps): void {
  route(app, '/api/suggest', async (req) => {
    const auth = authenticate(req, deps.tenancy);
    const p = await params(deps, req);
    const type = str(p.type);
    if (!type) throw hooklineError('BAD_REQUEST', req.method === 'POST' ? "Missing 'type' parameter" : 'Missing parameter <code>type</code>');
    if (type !== 'metrics' && type !== 'tagk' && type !== 'tagv') throw hooklineError('BAD_REQUEST', `Invalid 'type' parameter:${type}`);
    const bucket = resolveBucket(deps.tenancy, auth, { bucket: str(p.bucket), db: str(p.db), rp: str(p.rp) }, 'read');
    return suggest(deps.store, bucket.id, type, str(p.q) ?? '', count(p.max, 'max', 25));
  });

  route(app, '/api/search/lookup', async (req) => {
    const auth = authenticate(req, deps.tenancy);
    const p = await params(deps, req);
    const bucket = resolveBucket(deps.tenancy, auth, { bucket: str(p.bucket), db: str(p.db), rp: str(p.rp) }, 'read');
    let metric: string;
    let tags: LookupTag[];
    if (req.method === 'POST' && (p.metric !== undefined || Array.isArray(p.tags))) {
      metric = str(p.metric) === '*' ? '' : (str(p.metric) ?? '');
      tags = Array.isArray(p.tags) ? (p.tags as Array<Record<string, unknown>>).map((t) => ({ key: str(t.key) || '*', value: str(t.value) || '*' })) : [];
    } else {
      const m = str(p.m);
      if (!m) throw hooklineError('BAD_REQUEST', 'Missing parameter <code>m</code>');
      ({ metric, tags } = parseLookupM(m));
    }
    if (metric === '' && tags.length === 0) throw hooklineError('BAD_REQUEST', 'Missing metric and tags. Please supply at least one value.');
    const limit = count(p.limit, 'limit', 25);
    const started = performance.now();
    const results = await lookup(deps.store, bucket.id, metric, tags, limit);
    return {
      type: 'LOOKUP',
      metric: metric || '*',
      tags,
      limit,
      time: Math.round(performance.now() - started),
      results,
      startIndex: 0,
      totalResults: results.length,
    };
  });

  route(app, '/api/aggregators', async (req) => {
    authenticate(req, deps.tenancy);
    return AGGREGATOR_NAMES;
  });

  route(app, '/api/config/filters', async (req) => {
    authenticate(req, deps.tenancy);
    return FILTER_DOCS;
  });

  route(app, '/api/version', async (req) => {
    authenticate(req, deps.tenancy);
    return {
      version: OPENTSDB_VERSION,
      short_revision: 'hookline',
      full_revision: 'hookline',
      timestamp: String(STARTED),
      repo_status: 'MINT',
      user: 'hookline',
      host: hostname(),
      repo: 'hookline',
      branch: 'main',
    };
  });
}
