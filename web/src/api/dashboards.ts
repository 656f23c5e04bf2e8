// The dashboards API (GET/POST /api/hookline/dashboards, GET/PUT/DELETE
// /api/hookline/dashboards/:id): one JSON document per dashboard, returned
// as sent plus `id`, `createdAt` and `updatedAt`.

import type { Dashboard } from '../lib/dashboard-model.ts';
import { call } from './client.ts';

const BASE = '/api/hookline/dashboards';

export const listDashboards = async (): Promise<Dashboard[]> => (await call<{ dashboards: Dashboard[] }>(BASE)).dashboards;
export const getDashboard = (id: string, signal?: AbortSignal) => call<Dashboard>(`${BASE}/${encodeURIComponent(id)}`, { signal });
export const createDashboard = (doc: unknown) => call<Dashboard>(BASE, { method: 'POST', json: doc });
export const saveDashboard = (id: string, doc: unknown) => call<Dashboard>(`${BASE}/${encodeURIComponent(id)}`, { method: 'PUT', json: doc });
export const deleteDashboard = (id: string) => call(`${BASE}/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** The document as exported: what was sent, without the server's own fields. */
export function exportable(d: Dashboard): Record<string, unknown> {
  const { id: _i, createdAt: _c, updatedAt: _u, ...doc } = d;
  return doc;
}
