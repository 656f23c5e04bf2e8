// JSON shapes of InfluxDB 2's management API (openapi: Organization, Bucket,
// Authorization schemas), so the official client libraries parse our answers.

import type { Authorization, Bucket, Org } from '../tenancy/model.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';

export function orgJson(o: Org) {
  return {
    links: {
      self: `/api/v2/orgs/${o.id}`,
      members: `/api/v2/orgs/${o.id}/members`,
      owners: `/api/v2/orgs/${o.id}/owners`,
      labels: `/api/v2/orgs/${o.id}/labels`,
      secrets: `/api/v2/orgs/${o.id}/secrets`,
      buckets: `/api/v2/buckets?org=${encodeURIComponent(o.name)}`,
      tasks: `/api/v2/tasks?org=${encodeURIComponent(o.name)}`,
      dashboards: `/api/v2/dashboards?org=${encodeURIComponent(o.name)}`,
    },
    id: o.id,
    name: o.name,
    description: o.description,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function bucketJson(b: Bucket) {
  return {
    id: b.id,
    orgID: b.orgID,
    type: 'user',
    name: b.name,
    description: b.description,
    retentionRules: [{ type: 'expire', everySeconds: b.retentionSeconds, shardGroupDurationSeconds: b.shardGroupSeconds }],
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
    links: {
      labels: `/api/v2/buckets/${b.id}/labels`,
      members: `/api/v2/buckets/${b.id}/members`,
      org: `/api/v2/orgs/${b.orgID}`,
      owners: `/api/v2/buckets/${b.id}/owners`,
      self: `/api/v2/buckets/${b.id}`,
      write: `/api/v2/write?org=${b.orgID}&bucket=${b.id}`,
    },
    labels: [],
  };
}

export function authorizationJson(a: Authorization, tenancy: Tenancy, token?: string) {
  const org = tenancy.org(a.orgID);
  const user = tenancy.user(a.userID);
  return {
    id: a.id,
    ...(token !== undefined ? { token } : {}),
    status: a.status,
    description: a.description,
    orgID: a.orgID,
    org: org?.name ?? '',
    userID: a.userID,
    user: user?.name ?? '',
    permissions: a.permissions.map((p) => {
      const resource: Record<string, string> = { type: p.resource.type };
      if (p.resource.id) resource.id = p.resource.id;
      if (p.resource.orgID) resource.orgID = p.resource.orgID;
      if (p.resource.type === 'buckets' && p.resource.id) resource.name = tenancy.bucket(p.resource.id)?.name ?? p.resource.name ?? '';
      if (p.resource.orgID) resource.org = tenancy.org(p.resource.orgID)?.name ?? '';
      return { action: p.action, resource };
    }),
    // hookline's extensions (docs/api.md); absent when unset, so InfluxDB clients see the usual shape.
    ...(a.defaultBucketID ? { defaultBucketID: a.defaultBucketID } : {}),
    ...(a.opentsdbMode ? { opentsdbMode: a.opentsdbMode } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    links: { self: `/api/v2/authorizations/${a.id}`, user: `/api/v2/users/${a.userID}` },
  };
}

/** limit/offset paging as the 2.x list endpoints do (default limit 20, max 100). */
export function page<T>(items: T[], q: Record<string, string | undefined>, defaultLimit = 20): T[] {
  const offset = Math.max(0, Number(q.offset ?? 0) || 0);
  const limit = Math.min(100, Math.max(1, Number(q.limit ?? defaultLimit) || defaultLimit));
  return items.slice(offset, offset + limit);
}
