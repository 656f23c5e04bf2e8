// Request bodies: bounded as sent (fastify's bodyLimit) and after gzip
// decompression (maxOutputLength), so a gzip bomb costs at most the limit.

import { gunzip, constants as zlib } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { hooklineError } from '../core/errors.ts';

function gunzipLimited(buf: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(buf, { maxOutputLength: limit, finishFlush: zlib.Z_SYNC_FLUSH }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

/** The request body, decompressed. Throws HooklineErrors in InfluxDB's words. */
export async function readBody(req: FastifyRequest, maxDecompressed: number): Promise<Buffer> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw hooklineError('UNSUPPORTED_ENCODING', `unsupported content encoding: ${encoding}`);
  }
  if (raw.length === 0) return raw;
  try {
    return await gunzipLimited(raw, maxDecompressed);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw hooklineError('BODY_TOO_LARGE', `decompressed body exceeds ${maxDecompressed} bytes`);
    }
    // InfluxDB 2: "unable to read data: gzip: invalid header"
    throw hooklineError('BAD_REQUEST', `unable to read data: gzip: ${err.code === 'Z_DATA_ERROR' ? 'invalid header' : err.message}`);
  }
}

/** Parses a JSON body (after decompression), with a clear 400 on bad JSON. */
export async function readJson<T = unknown>(req: FastifyRequest, maxDecompressed: number): Promise<T> {
  const body = await readBody(req, maxDecompressed);
  if (body.length === 0) throw hooklineError('BAD_REQUEST', 'request body is empty, expected JSON');
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch (e) {
    throw hooklineError('BAD_REQUEST', `invalid JSON in request body: ${(e as Error).message}`);
  }
}
