// Checks (issue 13), in hookline's own dialect ({"code","message","field"}):
//   POST   /api/hookline/checks              201 with the check and its id
//   GET    /api/hookline/checks              every check of the org, each with its state per series
//   GET    /api/hookline/checks/:id          one
//   PATCH  /api/hookline/checks/:id          change fields (the rest kept)
//   DELETE /api/hookline/checks/:id          204
//   GET    /api/hookline/checks/:id/statuses its status changes from _monitoring, newest first (?limit=)
//   POST   /api/hookline/checks/preview      what a check (not saved) reports now, series by series
// A token needs read/write on `checks` in its org, and read on the check's
// bucket to create or change it (InfluxDB 2 asks the same of a check's
// query). Checks belong to one org and are invisible to others.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { CheckLimitError, type AlertsService } from '../../alerts/alerts-service.ts';
import { CheckFieldError, type CheckInput } from '../../alerts/check-spec.ts';
import type { Authorization } from '../../tenancy/model.ts';
import { can, canBucket } from '../../tenancy/permissions.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import { readJson } from '../read-body.ts';

export const HOOKLINE_TOKEN = { config: { dialect: 'hookline' as const, auth: {} } };

function fieldError(field: string, message: string) {
  return hooklineError('BAD_REQUEST', message, { data: { field } });
}

export function tokenWith(req: FastifyRequest, action: 'read' | 'write', type: string): Authorization {
  const auth = req.hooklineAuth!;
  if (!can(auth, action, type, auth.orgID)) throw hooklineError('FORBIDDEN', `this token may not ${action} ${type}`);
  return auth;
}

export function registerChecks(app: FastifyInstance, deps: { alerts: AlertsService; tenancy: Tenancy; maxBodyBytes: number }): void {
  const { alerts, tenancy } = deps;
  const body = async (req: FastifyRequest): Promise<CheckInput> => {
    const b = await readJson<unknown>(req, deps.maxBodyBytes);
    if (b === null || typeof b !== 'object' || Array.isArray(b)) throw fieldError('body', 'the request body must be a JSON object');
    return b as CheckInput;
  };
  /** The bucket the check reads, which the token must be allowed to read. */
  const bucketFor = (auth: Authorization, name: unknown) => {
    if (typeof name !== 'string' || name === '') throw fieldError('bucket', 'bucket: is required (the name of a bucket of your org)');
    const b = tenancy.findBucket(auth.orgID, name);
    if (!b) throw hooklineError('BUCKET_NOT_FOUND', `bucket "${name}" not found`, { data: { field: 'bucket' } });
    if (!canBucket(auth, 'read', b)) throw hooklineError('FORBIDDEN', `this token may not read bucket "${name}", which the check would query`, { data: { field: 'bucket' } });
    return b;
  };
  const mapErrors = (e: unknown): never => {
    if (e instanceof CheckFieldError) throw fieldError(e.field, e.message);
    if (e instanceof CheckLimitError) throw fieldError('name', e.message);
    throw e;
  };
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  const notFound = () => hooklineError('NOT_FOUND', 'check not found');

  app.get('/api/hookline/checks', HOOKLINE_TOKEN, async (req) => {
    const auth = tokenWith(req, 'read', 'checks');
    return { checks: alerts.list(auth.orgID) };
  });

  app.post('/api/hookline/checks', HOOKLINE_TOKEN, async (req, reply) => {
    const auth = tokenWith(req, 'write', 'checks');
    const input = await body(req);
    const b = bucketFor(auth, input.bucket);
    const check = await alerts.create(auth.orgID, b.id, input).catch(mapErrors);
    return reply.code(201).send(check);
  });

  app.post('/api/hookline/checks/preview', HOOKLINE_TOKEN, async (req) => {
    const auth = tokenWith(req, 'read', 'checks');
    const input = await body(req);
    const b = bucketFor(auth, input.bucket);
    return alerts.preview(auth.orgID, b.id, { ...input, name: typeof input.name === 'string' && input.name ? input.name : 'preview' }).catch(mapErrors);
  });

  app.get('/api/hookline/checks/:id', HOOKLINE_TOKEN, async (req) => {
    const auth = tokenWith(req, 'read', 'checks');
    return alerts.get(auth.orgID, idOf(req)) ?? Promise.reject(notFound());
  });

  app.patch('/api/hookline/checks/:id', HOOKLINE_TOKEN, async (req) => {
    const auth = tokenWith(req, 'write', 'checks');
    const cur = alerts.doc(auth.orgID, idOf(req));
    if (!cur) throw notFound();
    const input = await body(req);
    const b = bucketFor(auth, input.bucket ?? cur.bucket);
    return alerts.update(auth.orgID, cur.id, b.id, input).catch(mapErrors);
  });

  app.delete('/api/hookline/checks/:id', HOOKLINE_TOKEN, async (req, reply) => {
    const auth = tokenWith(req, 'write', 'checks');
    if (!(await alerts.remove(auth.orgID, idOf(req)))) throw notFound();
    return reply.code(204).send();
  });

  app.get('/api/hookline/checks/:id/statuses', HOOKLINE_TOKEN, async (req) => {
    const auth = tokenWith(req, 'read', 'checks');
    if (!alerts.doc(auth.orgID, idOf(req))) throw notFound();
    const raw = Number((req.query as { limit?: string }).limit);
    const limit = Number.isInteger(raw) && raw > 0 ? Math.min(raw, 10_000) : 100;
    return { statuses: await alerts.statuses(auth.orgID, idOf(req), limit) };
  });
}
