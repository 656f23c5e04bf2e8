// Dashboards per org, persisted in a Collection (DuckDB alone, a NATS
// key-value bucket in cluster mode), so they survive restarts and every node
// serves the same ones. The document is stored as sent; the server adds `id`,
// `createdAt` and `updatedAt` (RFC 3339 UTC) and keeps the org apart.

import { randomBytes } from 'node:crypto';
import { hooklineError } from '../core/errors.ts';
import type { Collection } from '../core/ports/collection.ts';
import { validateDashboard } from './validate-dashboard.ts';

export interface StoredDashboard {
  id: string;
  orgId: string;
  createdAt: string;
  updatedAt: string;
  /** As sent, without the server's own fields. */
  doc: Record<string, unknown>;
}

export interface DashboardLimits {
  /** HOOKLINE_MAX_DASHBOARD_BYTES: the document as JSON. */
  maxBytes: number;
  /** HOOKLINE_MAX_DASHBOARDS_PER_ORG. */
  maxPerOrg: number;
}

/** Fields the server owns: sent ones are dropped (an exported document imports as a new one). */
const SERVER_FIELDS = ['id', 'createdAt', 'updatedAt', 'orgId'];

/** The API's view: the document with the server's fields. */
export function present(d: StoredDashboard): Record<string, unknown> {
  return { ...d.doc, id: d.id, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

export class DashboardStore {
  constructor(
    private readonly docs: Collection<StoredDashboard>,
    private readonly limits: DashboardLimits,
  ) {}

  list(orgId: string): StoredDashboard[] {
    const out = [...this.docs.values()].filter((d) => d.orgId === orgId);
    return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  }

  /** Another org's dashboard is not found, the same as one that does not exist. */
  get(orgId: string, id: string): StoredDashboard {
    const d = this.docs.get(id);
    if (!d || d.orgId !== orgId) throw hooklineError('NOT_FOUND', `dashboard ${id} not found`);
    return d;
  }

  private clean(input: unknown): Record<string, unknown> {
    const doc = { ...validateDashboard(input) } as Record<string, unknown>;
    for (const k of SERVER_FIELDS) delete doc[k];
    const bytes = Buffer.byteLength(JSON.stringify(doc));
    if (bytes > this.limits.maxBytes) {
      throw hooklineError('DASHBOARD_TOO_LARGE', `the dashboard is ${bytes} bytes as JSON, more than HOOKLINE_MAX_DASHBOARD_BYTES (${this.limits.maxBytes})`);
    }
    return doc;
  }

  async create(orgId: string, input: unknown): Promise<StoredDashboard> {
    const doc = this.clean(input);
    const count = this.list(orgId).length;
    if (count >= this.limits.maxPerOrg) {
      throw hooklineError('DASHBOARD_LIMIT', `this org has ${count} dashboards, the most HOOKLINE_MAX_DASHBOARDS_PER_ORG allows; delete one first`);
    }
    const now = new Date().toISOString();
    const d: StoredDashboard = { id: randomBytes(8).toString('hex'), orgId, createdAt: now, updatedAt: now, doc };
    await this.docs.put(d.id, d);
    return d;
  }

  /** PUT replaces the whole document (it is one JSON document, as Grafana's). */
  async replace(orgId: string, id: string, input: unknown): Promise<StoredDashboard> {
    const old = this.get(orgId, id);
    const d: StoredDashboard = { ...old, doc: this.clean(input), updatedAt: new Date().toISOString() };
    await this.docs.put(id, d);
    return d;
  }

  async delete(orgId: string, id: string): Promise<void> {
    this.get(orgId, id);
    await this.docs.delete(id);
  }
}
