// InfluxDB 1.x databases and retention policies over buckets: the DBRP
// mapping (tenancy/dbrp.ts) applied to an org's buckets.

import type { Bucket } from '../../tenancy/model.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import { bucketNameFor } from '../../tenancy/dbrp.ts';

export { bucketNameFor, dbOfBucket } from '../../tenancy/dbrp.ts';

/** Every bucket of a database (all its retention policies), oldest first. */
export function databaseBuckets(tenancy: Tenancy, orgID: string, db: string): Bucket[] {
  return byCreation(tenancy.listBuckets({ orgID }).filter((b) => b.name === db || b.name.startsWith(db + '/')));
}

export function byCreation(buckets: Bucket[]): Bucket[] {
  return [...buckets].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** The bucket of db + rp ('' or "default" = the database's default policy). */
export function policyBucket(tenancy: Tenancy, orgID: string, db: string, rp: string): Bucket | undefined {
  const policy = !rp || rp === 'default' ? tenancy.defaultRp(orgID, db) : rp;
  return tenancy.bucketByName(orgID, bucketNameFor(db, policy));
}
