// POST /api/put (and /api/v1/put, OpenTSDB's versioned alias): OpenTSDB's
// HTTP write (PutDataPointRpc), answered in OpenTSDB's words. Token: Basic
// with the token as password (any user, scheme in any case), `Token` or
// Bearer. Points go to ?bucket= / ?db= or the token's default bucket.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { parsePutJson, type RawPoint } from '../../ingest/opentsdb/parse-put-json.ts';
import { transcodePut } from '../../ingest/opentsdb/transcode-put.ts';
import { validateJsonPoint, type OpenTsdbMode, type ValidPoint } from '../../ingest/opentsdb/validate-point.ts';
import { putReply, type PutFlags, type PutOutcome } from '../../opentsdb/put-response.ts';
import { storeLines, storePoints } from '../../opentsdb/store-points.ts';
import { modeOf, resolveBucket } from '../../opentsdb/target.ts';
import { authenticate } from '../auth.ts';
import type { ConcernDeps } from '../../concern-deps.ts';
import { readBody } from '../read-body.ts';

type Query = Record<string, string | undefined>;

export const OPENTSDB_CONFIG = { config: { dialect: 'opentsdb' as const, auth: {} } };
/** The 405 routes read nothing and reveal nothing. */
export const OPENTSDB_405 = { config: { dialect: 'opentsdb' as const, auth: { public: 'answers 405 Method not allowed, nothing else' } } };

/** RpcUtil / BadRequestException(METHOD_NOT_ALLOWED): the same 405 for every OpenTSDB endpoint. */
export function methodNotAllowed(req: FastifyRequest): never {
  throw hooklineError('METHOD_NOT_ALLOWED', 'Method not allowed', { data: { details: `The HTTP method [${req.method}] is not permitted for this endpoint` } });
}

export function registerOpenTsdbPut(app: FastifyInstance, deps: ConcernDeps): void {
  for (const url of ['/api/put', '/api/v1/put']) {
    app.post(url, OPENTSDB_CONFIG, (req, reply) => put(deps, req, reply));
    app.route({ method: ['GET', 'PUT', 'DELETE', 'PATCH'], url, ...OPENTSDB_405, handler: methodNotAllowed });
  }
}

async function put(deps: ConcernDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const auth = authenticate(req, deps.tenancy);
  const q = req.query as Query;
  const bucket = resolveBucket(deps.tenancy, auth, { bucket: q.bucket, db: q.db, rp: q.rp }, 'write');
  const mode = modeOf(auth, deps.config);
  const flags: PutFlags = { summary: q.summary !== undefined, details: q.details !== undefined, syncTimeout: 0 };
  if (q.sync !== undefined && q.sync_timeout !== undefined) {
    flags.syncTimeout = Number(q.sync_timeout);
    if (!/^\d+$/.test(q.sync_timeout)) throw hooklineError('BAD_REQUEST', `Invalid sync_timeout: ${q.sync_timeout}`);
  }
  const body = await readBody(req, deps.config.maxDecompressedBytes);
  const nowMs = Date.now();
  const { outcome, write } = prepare(deps, bucket.id, body, mode, nowMs);
  let failed: Map<number, string> | undefined;
  if (flags.syncTimeout > 0) {
    // sync_timeout: answer when the write is done or the time is up, whichever comes first.
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), flags.syncTimeout)));
    failed = await Promise.race([write.promise, expired]);
    clearTimeout(timer);
    if (!failed) {
      outcome.timedOut = Array.from({ length: write.lines }, (_, i) => write.pointOf(i));
      write.promise.catch((e) => deps.logger.error('opentsdb put failed after sync_timeout', { error: String(e) }));
    }
  } else failed = await write.promise;
  if (failed) {
    for (const [i, error] of failed) outcome.storageFailed.push({ index: write.pointOf(i), error });
    outcome.storageFailed.sort((a, b) => a.index - b.index);
  }

  const r = putReply(flags, outcome);
  if (r.error) throw hooklineError('BAD_REQUEST', r.error.message, { data: { details: r.error.details } });
  if (r.status === 204) return reply.code(204).send();
  return reply.code(r.status).type('application/json').send(r.body);
}

interface Prepared {
  outcome: PutOutcome;
  /** The store write under way: `lines` lines, line i holding the request's point `pointOf(i)`. */
  write: { promise: Promise<Map<number, string>>; lines: number; pointOf: (line: number) => number };
}

/**
 * Starts the write. Fast path: a body whose points are all plainly valid is
 * transcoded byte to byte (transcode-put.ts). Otherwise the general path
 * parses, validates each point and stores the good ones.
 */
function prepare(deps: ConcernDeps, bucketId: string, body: Buffer, mode: OpenTsdbMode, nowMs: number): Prepared {
  const fast = transcodePut(body, mode, nowMs);
  if (fast) {
    let raw: RawPoint[] | undefined;
    return {
      // Points are re-read only to echo a failed one in ?details (rare: a store refusal).
      outcome: { total: fast.points, point: (i) => (raw ??= (parsePutJson(body.toString('utf8')) as { points: RawPoint[] }).points)[i], invalid: [], storageFailed: [] },
      write: { promise: storeLines(deps.ingest, bucketId, fast.lp, nowMs, fast.batch), lines: fast.points, pointOf: fast.pointOf ? (line) => fast.pointOf![line] : (line) => line },
    };
  }
  const parsed = parsePutJson(body.toString('utf8'));
  if (!parsed.ok) throw hooklineError('BAD_REQUEST', parsed.message, parsed.details !== undefined ? { data: { details: parsed.details } } : undefined);
  const outcome: PutOutcome = { total: parsed.points.length, point: (i) => parsed.points[i], invalid: [], storageFailed: [] };
  const valid: ValidPoint[] = [];
  const index: number[] = [];
  for (let i = 0; i < parsed.points.length; i++) {
    const v = validateJsonPoint(parsed.points[i], mode, nowMs);
    if (typeof v === 'string') outcome.invalid.push({ index: i, error: v });
    else {
      valid.push(v);
      index.push(i);
    }
  }
  return { outcome, write: { promise: storePoints(deps.ingest, bucketId, valid, nowMs), lines: valid.length, pointOf: (line) => index[line] } };
}
