// Finding orgs and buckets the way each API names them, with InfluxDB's errors.

import { hooklineError } from '../core/errors.ts';
import type { Authorization, Bucket, Org } from './model.ts';
import { canBucket } from './permissions.ts';
import type { Tenancy } from './tenancy.ts';

/** InfluxDB 2 write/query: `org` (name or ID) or `orgID`. hookline also accepts a name in orgID. */
export function resolveOrg(tenancy: Tenancy, org: string | undefined, orgID: string | undefined): Org {
  if (!org && !orgID) throw hooklineError('BAD_REQUEST', 'Please provide either orgID or org');
  const found = org ? tenancy.findOrg(org) : tenancy.findOrg(orgID!);
  if (!found) throw hooklineError('ORG_NOT_FOUND');
  return found;
}

export function resolveBucket(tenancy: Tenancy, org: Org, bucket: string): Bucket {
  const b = tenancy.findBucket(org.id, bucket);
  if (!b) throw hooklineError('BUCKET_NOT_FOUND', `bucket "${bucket}" not found`);
  return b;
}

/**
 * InfluxDB 1.x database + retention policy -> bucket, as 2.x's DBRP mapping
 * does: the "autogen" policy is the bucket named after the database, another
 * policy `rp` is the bucket "db/rp". An empty rp (or "default") means the
 * database's default policy (CREATE/ALTER RETENTION POLICY ... DEFAULT).
 */
export function dbrpBucket(tenancy: Tenancy, orgID: string, db: string, rp: string | undefined): Bucket | undefined {
  const policy = !rp || rp === 'default' ? tenancy.defaultRp(orgID, db) : rp;
  if (policy === 'autogen') return tenancy.bucketByName(orgID, db) ?? tenancy.bucketByName(orgID, `${db}/autogen`);
  return tenancy.bucketByName(orgID, `${db}/${policy}`);
}

export function requireBucketAccess(auth: Authorization, bucket: Bucket, action: 'read' | 'write', message?: string): void {
  if (!canBucket(auth, action, bucket)) throw hooklineError('FORBIDDEN', message ?? `insufficient permissions for ${action}`);
}
