// The part every line-protocol write endpoint shares: read the body within the
// limits, stamp the request's clock, hand it to the store.

import type { FastifyRequest } from 'fastify';
import { nowSecNsec, type Precision, type SecNsec } from '../core/time.ts';
import type { Bucket } from '../tenancy/model.ts';
import type { WriteOutcome } from '../storage/store.ts';
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
  outcome: WriteOutcome;
  body: Buffer;
  now: SecNsec;
}

export async function writeLines(deps: AppDeps, req: FastifyRequest, opts: WriteLinesOptions): Promise<WriteLinesResult> {
  const body = await readBody(req, deps.config.maxDecompressedBytes);
  const now = nowSecNsec();
  const outcome = await deps.store.write({
    bucketId: opts.bucket.id,
    body,
    precision: opts.precision,
    now,
    onParseError: opts.onParseError,
    atomic: opts.atomic,
    rejectDuplicateFields: opts.rejectDuplicateFields,
  });
  return { outcome, body, now };
}

export function retentionContext(bucket: Bucket, now: SecNsec, database: string, retentionPolicy: string): RetentionContext {
  return {
    retentionSeconds: bucket.retentionSeconds,
    cutoffSec: now.sec - bucket.retentionSeconds,
    database,
    retentionPolicy,
  };
}
