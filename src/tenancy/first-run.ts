// First start on an empty data directory: an org, a bucket, a user and an
// all-access (operator) token, like InfluxDB's DOCKER_INFLUXDB_INIT_* setup.
// Each step is skipped when already done, so a start interrupted half-way
// finishes the job next time instead of leaving nobody able to sign in.

import { operatorPermissions } from './permissions.ts';
import type { Tenancy } from './tenancy.ts';
import type { Bucket, Org } from './model.ts';

export interface FirstRunSettings {
  org: string;
  bucket: string;
  /** Empty: generate one. */
  token: string;
  retentionSeconds: number;
}

export interface FirstRunResult {
  org: Org;
  bucket: Bucket;
  /** The clear token, only when it was created now. */
  token?: string;
}

export async function ensureFirstRun(t: Tenancy, s: FirstRunSettings): Promise<FirstRunResult | undefined> {
  const hasToken = t.listAuthorizations().length > 0;
  if (!t.isEmpty && hasToken) return undefined;
  const org = t.orgByName(s.org) ?? t.listOrgs()[0] ?? (await t.createOrg(s.org, 'created on first start'));
  const bucket = t.bucketByName(org.id, s.bucket) ?? (await t.createBucket({ orgID: org.id, name: s.bucket, retentionSeconds: s.retentionSeconds }));
  const user = t.listUsers()[0] ?? (await t.createUser('admin'));
  const { token } = await t.createAuthorization({
    orgID: org.id,
    userID: user.id,
    description: 'admin token (first start)',
    permissions: operatorPermissions(),
    token: s.token || undefined,
    defaultBucketID: bucket.id,
  });
  return { org, bucket, token };
}
