// The part every line-protocol write endpoint shares: read the body within the
// limits and hand the bytes, as sent, to the ingest pipeline (which stamps the
// write's time and writes into the store).

import type { FastifyRequest } from 'fastify';
import type { Precision, SecNsec } from '../core/time.ts';
import type { WriteResult } from '../core/ports/point-store.ts';
import type { Bucket } from '../tenancy/model.ts';
import type { AppDeps } from './deps.ts';
import { readBody } from './read-body.ts';
import type { RetentionContext } from './write-response.ts';

export interface WriteLinesOptions {
  bucket: Bucket;
  precision: Precision | 'auto';
  onParseError: 'reject' | 'skip';
  atomic?: boolean;
  rejectDuplicateFields?: boolean;
}

export interface WriteLinesResult {
  outcome: WriteResult;
  body: Buffer;
  now: SecNsec;
}

export async function writeLines(deps: AppDeps, req: FastifyRequest, opts: WriteLinesOptions): Promise<WriteLinesResult> {
  const body = await readBody(req, deps.config.maxDecompressedBytes);
  const outcome = await deps.ingest.ingest({
    bucketId: opts.bucket.id,
    data: { format: 'line-protocol', body, precision: opts.precision },
    onParseError: opts.onParseError,
    atomic: opts.atomic,
    rejectDuplicateFields: opts.rejectDuplicateFields,
  });
  // Several nodes: the write's place in the cluster's write log, answered as X-Hookline-Position (create-app.ts).
  if (outcome.position !== undefined) req.writePosition = outcome.position;
  return { outcome, body, now: outcome.now };
}

export function retentionContext(bucket: Bucket, now: SecNsec, database: string, retentionPolicy: string): RetentionContext {
  return {
    retentionSeconds: bucket.retentionSeconds,
    cutoffSec: now.sec - bucket.retentionSeconds,
    database,
    retentionPolicy,
  };
}
