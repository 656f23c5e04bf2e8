// GET|POST /query (InfluxDB 1.x): q, db, rp, epoch, pretty, chunked,
// chunk_size, params, u/p, from the URL or a form body (multipart `q` file
// too). Parse errors are 400 {"error"}; statement errors are 200 with a
// per-statement "error"; GET runs write statements with 1.x's warning.

import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HooklineError } from '../../core/errors.ts';
import { authenticateV1 } from '../auth.ts';
import { readBody } from '../read-body.ts';
import type { ConcernDeps } from '../../concern-deps.ts';
import { executeStatements, parseRequest, selectLimits } from '../../query/influxql/run-query.ts';
import { chunkResults, encodeCsvSliced, encodeJsonSliced, goString, mergeResults } from '../../query/influxql/encode/v1-response.ts';
import { TimeSlicer } from '../../query/time-slice.ts';

/** r.FormValue: body values (POST form) first, then the URL's. */
export async function formValues(req: FastifyRequest, maxBytes: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const url = req.query as Record<string, string | string[] | undefined>;
  for (const [k, v] of Object.entries(url)) if (v !== undefined) out.set(k, Array.isArray(v) ? v[0] : v);
  if (req.method !== 'POST') return out;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const body = await readBody(req, maxBytes);
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) out.set(k, v);
  } else if (type.startsWith('multipart/form-data')) {
    const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(req.headers['content-type']));
    const boundary = m ? (m[1] ?? m[2]).trim() : '';
    if (boundary) {
      for (const part of body.toString('utf8').split(`--${boundary}`)) {
        const sep = part.indexOf('\r\n\r\n');
        if (sep < 0) continue;
        const head = part.slice(0, sep);
        const name = /name="([^"]*)"/i.exec(head)?.[1];
        if (name) out.set(name, part.slice(sep + 4).replace(/\r\n$/, ''));
      }
    }
  }
  return out;
}

/**
 * handler.go httpError: {"error"} as encoding/json writes it (HTML-safe
 * escapes such as \u003c, then a newline), the message repeated in
 * X-InfluxDB-Error.
 */
function sendV1Error(reply: FastifyReply, status: number, msg: string): FastifyReply {
  reply.header('X-InfluxDB-Error', msg.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').slice(0, 1024));
  return reply.code(status).type('application/json').send(`{"error":${goString(msg)}}\n`);
}

export function registerV1Query(app: FastifyInstance, deps: ConcernDeps): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const auth = await authenticateV1(req, deps.tenancy, 'unable to parse authentication credentials', 'authorization failed');
    const form = await formValues(req, deps.config.maxQueryBodyBytes);
    const q = form.get('q') ?? '';
    if (q === '') return sendV1Error(reply, 400, 'missing required parameter "q"');
    const epoch = form.get('epoch') ?? '';
    const pretty = form.get('pretty') === 'true';
    const chunked = form.get('chunked') === 'true';
    const chunkSize = Number(form.get('chunk_size') ?? '') > 0 ? Number(form.get('chunk_size')) : 10000;
    let statements;
    try {
      statements = parseRequest(q, form.get('params'));
    } catch (e) {
      // handler.go httpError encodes {"error"} with encoding/json, which
      // escapes <, > and & (\u003c...): "must be 1 \u003c= n" in parse errors.
      if (!(e instanceof HooklineError) || e.status !== 400) throw e;
      return sendV1Error(reply, 400, e.message);
    }
    // The query gate (max-concurrent-queries): a refusal is 503 + Retry-After in 1.x's {"error"}.
    const results = await deps.queries.run(() =>
      executeStatements({ store: deps.store, ingest: deps.ingest, tenancy: deps.tenancy, timeoutMs: deps.config.queryTimeout, limits: selectLimits(deps.config) }, auth, statements, {
        db: form.get('db') ?? '',
        rp: form.get('rp') ?? '',
        readOnly: req.method === 'GET',
      }),
    );
    // Encoded in slices with the event loop let in between (time-slice.ts):
    // 100 000 rows take longer to encode than /ping may wait.
    const sl = new TimeSlicer();
    const accept = String(req.headers.accept ?? '');
    if (/application\/csv|text\/csv/i.test(accept)) {
      return reply.code(200).type('text/csv').send(await encodeCsvSliced(mergeResults(results), { epoch, pretty }, sl));
    }
    reply.code(200).type('application/json');
    if (chunked) {
      // handler.go serveQuery writes each result as its own Response and
      // flushes: one JSON object per HTTP chunk, which clients decode one by
      // one; each is encoded in slices (time-slice.ts) so the loop stays free.
      const pieces = chunkResults(results, chunkSize);
      const objects = (async function* () {
        for (const r of pieces) yield await encodeJsonSliced([r], { epoch, pretty }, sl);
      })();
      return reply.send(Readable.from(objects, { objectMode: false }));
    }
    return reply.send(await encodeJsonSliced(mergeResults(results), { epoch, pretty }, sl));
  };
  const cfg = { config: { dialect: 'v1' as const, auth: { v1: true, missing: 'unable to parse authentication credentials', invalid: 'authorization failed' } } };
  app.get('/query', cfg, handler);
  app.post('/query', cfg, handler);
}
