// Permission checks in InfluxDB 2's model: a permission grants an action on a
// resource type, optionally narrowed to one org and/or one resource ID.

import type { Action, Authorization, Bucket, Permission } from './model.ts';
import { RESOURCE_TYPES } from './model.ts';

function grants(p: Permission, action: Action, type: string, orgID: string | undefined, id: string | undefined): boolean {
  if (p.resource.type !== type) return false;
  // write implies nothing about read in InfluxDB, and the reverse; match exactly.
  if (p.action !== action) return false;
  if (p.resource.orgID !== undefined && orgID !== undefined && p.resource.orgID !== orgID) return false;
  if (p.resource.orgID !== undefined && orgID === undefined) return false;
  if (p.resource.id !== undefined && p.resource.id !== id) return false;
  return true;
}

export function can(auth: Authorization, action: Action, type: string, orgID?: string, id?: string): boolean {
  if (auth.status !== 'active') return false;
  return auth.permissions.some((p) => grants(p, action, type, orgID, id));
}

export function canBucket(auth: Authorization, action: Action, bucket: Bucket): boolean {
  return can(auth, action, 'buckets', bucket.orgID, bucket.id);
}

/** Permissions of an all-access token for one org (InfluxDB's "all access"). */
export function allAccess(orgID: string): Permission[] {
  return RESOURCE_TYPES.flatMap((type) =>
    (['read', 'write'] as const).map((action) => ({ action, resource: { type, orgID } })),
  );
}

/** Permissions of an operator token: everything, in every org. */
export function operatorPermissions(): Permission[] {
  return RESOURCE_TYPES.flatMap((type) => (['read', 'write'] as const).map((action) => ({ action, resource: { type } })));
}

/** True when the token may read or write every bucket of `orgID` (e.g. to create databases on the fly). */
export function isOrgAdmin(auth: Authorization, orgID: string): boolean {
  return can(auth, 'write', 'buckets', orgID) && can(auth, 'read', 'buckets', orgID);
}
