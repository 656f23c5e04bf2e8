// InfluxDB 2 management API: orgs, buckets, tokens (docs/api.md).

import { call } from './client.ts';

export interface Org {
  id: string;
  name: string;
}

export interface Bucket {
  id: string;
  orgID: string;
  name: string;
  description?: string;
  retentionRules: Array<{ type: string; everySeconds: number }>;
  createdAt?: string;
}

import type { Permission } from '../lib/token-scopes.ts';
export type { Permission };

export interface Authorization {
  id: string;
  token?: string;
  status: 'active' | 'inactive';
  description: string;
  orgID: string;
  org: string;
  permissions: Permission[];
  createdAt: string;
}

export const me = (token?: string) => call<{ id: string; name: string }>('/api/v2/me', { token, quiet401: token !== undefined });

export const listOrgs = async () => (await call<{ orgs: Org[] }>('/api/v2/orgs')).orgs;

export async function listBuckets(): Promise<Bucket[]> {
  // The list endpoint pages by 100 at most (InfluxDB 2); read every page.
  const out: Bucket[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = (await call<{ buckets: Bucket[] }>(`/api/v2/buckets?limit=100&offset=${offset}`)).buckets;
    out.push(...page);
    if (page.length < 100) return out;
  }
}

export const createBucket = (b: { orgID: string; name: string; description?: string; everySeconds: number }) =>
  call<Bucket>('/api/v2/buckets', {
    method: 'POST',
    json: { orgID: b.orgID, name: b.name, description: b.description, retentionRules: [{ type: 'expire', everySeconds: b.everySeconds }] },
  });

export const updateBucketRetention = (id: string, everySeconds: number) =>
  call<Bucket>(`/api/v2/buckets/${encodeURIComponent(id)}`, { method: 'PATCH', json: { retentionRules: [{ type: 'expire', everySeconds }] } });

export const deleteBucket = (id: string) => call(`/api/v2/buckets/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const retentionOf = (b: Bucket) => b.retentionRules.find((r) => r.type === 'expire')?.everySeconds ?? 0;

export const listAuthorizations = async () => (await call<{ authorizations: Authorization[] }>('/api/v2/authorizations')).authorizations;

export const createAuthorization = (a: { orgID: string; description: string; permissions: Permission[] }) =>
  call<Authorization>('/api/v2/authorizations', { method: 'POST', json: a });

export const setAuthorizationStatus = (id: string, status: 'active' | 'inactive') =>
  call<Authorization>(`/api/v2/authorizations/${encodeURIComponent(id)}`, { method: 'PATCH', json: { status } });

export const deleteAuthorization = (id: string) => call(`/api/v2/authorizations/${encodeURIComponent(id)}`, { method: 'DELETE' });
