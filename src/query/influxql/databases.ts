// InfluxDB 1.x databases and retention policies over buckets (InfluxDB 2's
// DBRP mapping): policy "autogen" of database `db` is the bucket `db`, any
// other policy `rp` is the bucket `db/rp`.

import type { Bucket } from '../../tenancy/model.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';

export function dbOfBucket(name: string): { db: string; rp: string } {
  const i = name.indexOf('/');
  return i < 0 ? { db: name, rp: 'autogen' } : { db: name.slice(0, i), rp: name.slice(i + 1) };
}

export function bucketNameFor(db: string, rp: string): string {
  return rp === 'autogen' ? db : `${db}/${rp}`;
}

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
