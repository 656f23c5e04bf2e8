// Dashboards (issue 14), one JSON document each, per org:
//   GET    /api/hookline/dashboards       {"dashboards":[...]} of the token's org, oldest first
//   POST   /api/hookline/dashboards       201 with the stored document and its `id`
//   GET    /api/hookline/dashboards/:id   the document
//   PUT    /api/hookline/dashboards/:id   replaces the whole document
//   DELETE /api/hookline/dashboards/:id   204
// Who may: reading needs read on the org's dashboards, or read on any bucket
// of the org (a wall screen's read token opens them, the panels' queries are
// still checked per bucket); changing needs write on the org's dashboards
// (InfluxDB 2's `dashboards` resource type; all-access tokens have it).
// Another org's dashboard is a 404, as if it did not exist.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { parseJsonBounded } from '../../core/parse-json-bounded.ts';
import { present, type DashboardStore } from '../../dashboards/dashboard-store.ts';
import type { Authorization } from '../../tenancy/model.ts';
import { can } from '../../tenancy/permissions.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import { authenticate } from '../auth.ts';
import { readBody } from '../read-body.ts';

export interface DashboardRouteDeps {
  dashboards: DashboardStore;
  tenancy: Tenancy;
  /** HOOKLINE_MAX_DASHBOARD_BYTES */
  maxBytes: number;
}

const CONFIG = { config: { dialect: 'hookline' as const, auth: {} } };

function mayRead(auth: Authorization, tenancy: Tenancy): boolean {
  const org = auth.orgID;
  if (can(auth, 'read', 'dashboards', org)) return true;
  return auth.permissions.some((p) => {
    if (p.action !== 'read' || p.resource.type !== 'buckets') return false;
    if (p.resource.id === undefined) return p.resource.orgID === undefined || p.resource.orgID === org;
    return tenancy.bucket(p.resource.id)?.orgID === org;
  });
}

function who(req: FastifyRequest, tenancy: Tenancy, action: 'read' | 'write'): string {
  const auth = authenticate(req, tenancy);
  const ok = action === 'read' ? mayRead(auth, tenancy) : can(auth, 'write', 'dashboards', auth.orgID);
  if (!ok) throw hooklineError('FORBIDDEN', action === 'read' ? "this token may read neither the org's dashboards nor any of its buckets" : "this token may not change the org's dashboards (it needs write on dashboards)");
  return auth.orgID;
}

async function body(req: FastifyRequest, maxBytes: number): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(req, maxBytes);
  } catch (e) {
    if ((e as { def?: { code?: string } }).def?.code === 'HL_BODY_TOO_LARGE') throw hooklineError('DASHBOARD_TOO_LARGE', `the dashboard is larger than HOOKLINE_MAX_DASHBOARD_BYTES (${maxBytes} bytes)`);
    throw e;
  }
  if (raw.length > maxBytes) throw hooklineError('DASHBOARD_TOO_LARGE', `the dashboard is ${raw.length} bytes, more than HOOKLINE_MAX_DASHBOARD_BYTES (${maxBytes})`);
  if (raw.length === 0) throw hooklineError('DASHBOARD_INVALID', '(body): empty; send the dashboard as a JSON object', { data: { field: '(body)' } });
  try {
    return parseJsonBounded(raw.toString('utf8'), 'dashboard');
  } catch (e) {
    if ((e as { def?: unknown }).def) throw e;
    throw hooklineError('DASHBOARD_INVALID', `(body): not JSON: ${(e as Error).message}`, { data: { field: '(body)' } });
  }
}

export function registerDashboards(app: FastifyInstance, deps: DashboardRouteDeps): void {
  const { dashboards, tenancy, maxBytes } = deps;
  const id = (req: FastifyRequest) => (req.params as { id: string }).id;

  app.get('/api/hookline/dashboards', CONFIG, async (req) => {
    const org = who(req, tenancy, 'read');
    return { dashboards: dashboards.list(org).map(present) };
  });

  app.post('/api/hookline/dashboards', CONFIG, async (req, reply) => {
    const org = who(req, tenancy, 'write');
    const d = await dashboards.create(org, await body(req, maxBytes));
    return reply.code(201).header('Location', `/api/hookline/dashboards/${d.id}`).send(present(d));
  });

  app.get('/api/hookline/dashboards/:id', CONFIG, async (req) => present(dashboards.get(who(req, tenancy, 'read'), id(req))));

  app.put('/api/hookline/dashboards/:id', CONFIG, async (req) => {
    const org = who(req, tenancy, 'write');
    return present(await dashboards.replace(org, id(req), await body(req, maxBytes)));
  });

  app.delete('/api/hookline/dashboards/:id', CONFIG, async (req, reply) => {
    await dashboards.delete(who(req, tenancy, 'write'), id(req));
    return reply.code(204).send();
  });
}
