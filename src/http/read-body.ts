// Request bodies: bounded as sent (fastify's bodyLimit) and after gzip
// decompression (maxOutputLength), so a gzip bomb costs at most the limit.

import type { Readable } from 'node:stream';
import { gunzip, constants as zlib } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { hooklineError } from '../core/errors.ts';
import { parseJsonBounded } from '../core/parse-json-bounded.ts';

/**
 * Collects a request body of at most `limit` bytes (the fastify content-type
 * parser; the limit is per request: route-auth.ts sets a small one until the
 * token is known). A Content-Length over the limit is refused before a byte
 * is read; a body growing past it is refused as soon as it does, and the
 * rest is discarded as it arrives, never kept.
 */
export function collectBody(payload: Readable, limit: number, contentLength: string | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => hooklineError('BODY_TOO_LARGE', `request body exceeds ${limit} bytes`);
    const declared = contentLength === undefined ? NaN : Number(contentLength);
    if (declared > limit) {
      payload.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        payload.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(hooklineError('BAD_REQUEST', `unable to read data: ${e.message}`));
    };
    const cleanup = () => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });
}

function gunzipLimited(buf: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(buf, { maxOutputLength: limit, finishFlush: zlib.Z_SYNC_FLUSH }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

/** The request body, decompressed. Throws HooklineErrors in InfluxDB's words. */
export async function readBody(req: FastifyRequest, maxDecompressedBytes: number): Promise<Buffer> {
  // Before a token is seen (route-auth.ts), the inflated body is as small as the sent one may be.
  const maxDecompressed = Math.min(maxDecompressedBytes, req.hooklineInflateLimit ?? Infinity);
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
  return parseJsonBounded(body.toString('utf8'), 'request body') as T;
}
