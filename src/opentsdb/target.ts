// Which bucket an OpenTSDB request writes to or reads from, and in which mode
// points are checked:
//   - `?bucket=` (name or ID, in the token's org) or `?db=` (an InfluxDB 1.x
//     database[/retention policy], mapped as /write maps it);
//   - else the token's default bucket (the first-run token's is the first-run
//     bucket), else the one bucket a bucket-scoped token may use;
//   - mode: the token's own opentsdbMode, else HOOKLINE_OPENTSDB_MODE.

import type { Config } from '../config/schema.ts';
import { hooklineError } from '../core/errors.ts';
import { dbrpBucket, requireBucketAccess } from '../tenancy/resolve-bucket.ts';
import type { OpenTsdbMode } from '../ingest/opentsdb/validate-point.ts';
import type { Authorization, Bucket } from '../tenancy/model.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';

export interface BucketChoice {
  bucket?: string;
  db?: string;
  rp?: string;
}

export function resolveBucket(tenancy: Tenancy, auth: Authorization, choice: BucketChoice, action: 'read' | 'write'): Bucket {
  let bucket: Bucket | undefined;
  if (choice.bucket) {
    bucket = tenancy.findBucket(auth.orgID, choice.bucket);
    if (!bucket) throw hooklineError('BUCKET_NOT_FOUND', `bucket "${choice.bucket}" not found`);
  } else if (choice.db) {
    bucket = dbrpBucket(tenancy, auth.orgID, choice.db, choice.rp) ?? tenancy.findBucket(auth.orgID, choice.db);
    if (!bucket) throw hooklineError('BUCKET_NOT_FOUND', `database not found: "${choice.db}"`);
  } else if (auth.defaultBucketID) {
    bucket = tenancy.bucket(auth.defaultBucketID);
    if (!bucket) throw hooklineError('BUCKET_NOT_FOUND', "the token's default bucket no longer exists; pass ?bucket=");
  } else {
    const ids = new Set(auth.permissions.filter((p) => p.action === action && p.resource.type === 'buckets' && p.resource.id).map((p) => p.resource.id!));
    if (ids.size === 1) bucket = tenancy.bucket([...ids][0]);
    if (!bucket) throw hooklineError('BAD_REQUEST', 'no bucket: this token has no default bucket; pass ?bucket=<name>');
  }
  requireBucketAccess(auth, bucket, action, `insufficient permissions to ${action} bucket "${bucket.name}"`);
  return bucket;
}

export function modeOf(auth: Authorization, config: Config): OpenTsdbMode {
  return auth.opentsdbMode ?? (config.opentsdbMode as OpenTsdbMode);
}
