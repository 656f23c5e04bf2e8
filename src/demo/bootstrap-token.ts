// The demo's one step that cannot go through the HTTP API: a token to call it
// with. The first-run admin token is stored only as a digest, so the demo
// makes its own all-access token for the org (replacing the previous demo
// run's), keeps it in memory, and does everything else over HTTP with it.

import { allAccess } from '../tenancy/permissions.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';

export const DEMO_TOKEN_DESCRIPTION = 'hookline demo (created at each demo start; safe to delete)';
export const WEMOS_TOKEN_DESCRIPTION = 'hookline demo: Wemos device write token';

export async function replaceToken(
  tenancy: Tenancy,
  input: { orgID: string; description: string; permissions: ReturnType<typeof allAccess>; defaultBucketID?: string },
): Promise<string> {
  for (const a of tenancy.listAuthorizations({ orgID: input.orgID })) {
    if (a.description === input.description) await tenancy.deleteAuthorization(a.id);
  }
  const userID = tenancy.listUsers()[0]?.id;
  const { token } = await tenancy.createAuthorization({ ...input, userID });
  return token;
}

export function demoToken(tenancy: Tenancy, orgID: string, bucketID: string): Promise<string> {
  return replaceToken(tenancy, { orgID, description: DEMO_TOKEN_DESCRIPTION, permissions: allAccess(orgID), defaultBucketID: bucketID });
}

/**
 * The Wemos seed names no bucket (it POSTs /api/put and nothing else), so its
 * token carries a default bucket, which the v2 API cannot set: write access to
 * that one bucket only, like OVH's per-application write token.
 */
export function wemosToken(tenancy: Tenancy, orgID: string, bucketID: string): Promise<string> {
  return replaceToken(tenancy, {
    orgID,
    description: WEMOS_TOKEN_DESCRIPTION,
    permissions: [{ action: 'write', resource: { type: 'buckets', orgID, id: bucketID } }],
    defaultBucketID: bucketID,
  });
}
