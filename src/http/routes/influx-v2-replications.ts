// InfluxDB 2's edge data replication API (swagger: /api/v2/remotes and
// /api/v2/replications; docs.influxdata.com/influxdb/v2/api/#tag/Replications):
//   GET/POST         /api/v2/remotes             ?orgID= (required), &name=, &remoteURL=
//   GET/PATCH/DELETE /api/v2/remotes/:id
//   GET/POST         /api/v2/replications        ?orgID= (required), &name=, &remoteID=, &localBucketID=
//   GET/PATCH/DELETE /api/v2/replications/:id
// Permissions are InfluxDB's: read/write on `remotes` and `replications` in
// the org. A remote's API token is never returned, as InfluxDB never returns
// it; a resource of another org is "not found". Creating a replication needs
// read on its local bucket too: it sends the bucket's writes elsewhere.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { remoteJson, replicationJson } from '../../replication/model.ts';
import type { RemoteInput, ReplicationInput, ReplicationService } from '../../replication/replication-service.ts';
import type { Authorization } from '../../tenancy/model.ts';
import { can, canBucket } from '../../tenancy/permissions.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import { authenticate } from '../auth.ts';
import { readJson } from '../read-body.ts';

export interface ReplicationRouteDeps {
  tenancy: Tenancy;
  replication: ReplicationService;
  maxBodyBytes: number;
}

export function registerV2Replications(app: FastifyInstance, deps: ReplicationRouteDeps): void {
  const { tenancy: t, replication: svc } = deps;
  const cfg = { config: { dialect: 'v2' as const, auth: {} } };
  const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
  const id = (req: FastifyRequest) => (req.params as { id: string }).id;

  /** The org named by ?orgID= (InfluxDB requires it on the lists). */
  const orgOf = (orgID: string | undefined): string => {
    if (!orgID) throw hooklineError('BAD_REQUEST', 'orgID is required');
    const org = t.org(orgID) ?? t.findOrg(orgID);
    if (!org) throw hooklineError('ORG_NOT_FOUND');
    return org.id;
  };
  const need = (auth: Authorization, action: 'read' | 'write', type: 'remotes' | 'replications', orgID: string) => {
    if (!can(auth, action, type, orgID)) throw hooklineError('FORBIDDEN', `insufficient permissions to ${action} ${type}`);
  };
  const remoteOf = (auth: Authorization, rid: string, action: 'read' | 'write') => {
    const r = svc.remote(rid);
    if (!r || !can(auth, 'read', 'remotes', r.orgID)) throw hooklineError('NOT_FOUND', 'remote not found');
    need(auth, action, 'remotes', r.orgID);
    return r;
  };
  const replicationOf = (auth: Authorization, rid: string, action: 'read' | 'write') => {
    const r = svc.replication(rid);
    if (!r || !can(auth, 'read', 'replications', r.orgID)) throw hooklineError('NOT_FOUND', 'replication not found');
    need(auth, action, 'replications', r.orgID);
    return r;
  };
  const replicationBody = (r: NonNullable<ReturnType<typeof svc.replication>>) => replicationJson(r, svc.status(r.id));

  // ---- remotes

  app.get('/api/v2/remotes', cfg, async (req) => {
    const auth = authenticate(req, t);
    const orgID = orgOf(q(req).orgID);
    need(auth, 'read', 'remotes', orgID);
    return { remotes: svc.listRemotes(orgID, { name: q(req).name, remoteURL: q(req).remoteURL }).map(remoteJson) };
  });

  app.post('/api/v2/remotes', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    const body = await readJson<RemoteInput & { orgID?: string }>(req, deps.maxBodyBytes);
    const orgID = orgOf(body.orgID);
    need(auth, 'write', 'remotes', orgID);
    return reply.code(201).send(remoteJson(await svc.createRemote(orgID, body)));
  });

  app.get('/api/v2/remotes/:id', cfg, async (req) => remoteJson(remoteOf(authenticate(req, t), id(req), 'read')));

  app.patch('/api/v2/remotes/:id', cfg, async (req) => {
    const r = remoteOf(authenticate(req, t), id(req), 'write');
    const body = await readJson<RemoteInput>(req, deps.maxBodyBytes);
    return remoteJson(await svc.updateRemote(r.id, body));
  });

  app.delete('/api/v2/remotes/:id', cfg, async (req, reply) => {
    const r = remoteOf(authenticate(req, t), id(req), 'write');
    await svc.deleteRemote(r.id);
    return reply.code(204).send();
  });

  // ---- replications

  app.get('/api/v2/replications', cfg, async (req) => {
    const auth = authenticate(req, t);
    const orgID = orgOf(q(req).orgID);
    need(auth, 'read', 'replications', orgID);
    const list = svc.listReplications(orgID, { name: q(req).name, remoteID: q(req).remoteID, localBucketID: q(req).localBucketID });
    return { replications: list.map(replicationBody) };
  });

  app.post('/api/v2/replications', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    const body = await readJson<ReplicationInput & { orgID?: string }>(req, deps.maxBodyBytes);
    const orgID = orgOf(body.orgID);
    need(auth, 'write', 'replications', orgID);
    const bucket = body.localBucketID ? t.bucket(String(body.localBucketID)) : undefined;
    if (body.localBucketID && (!bucket || bucket.orgID !== orgID || !canBucket(auth, 'read', bucket))) throw hooklineError('BUCKET_NOT_FOUND', `local bucket ${String(body.localBucketID)} not found`);
    if (body.remoteID) remoteOf(auth, String(body.remoteID), 'read');
    return reply.code(201).send(replicationBody(await svc.createReplication(orgID, body)));
  });

  app.get('/api/v2/replications/:id', cfg, async (req) => replicationBody(replicationOf(authenticate(req, t), id(req), 'read')));

  app.patch('/api/v2/replications/:id', cfg, async (req) => {
    const auth = authenticate(req, t);
    const r = replicationOf(auth, id(req), 'write');
    const body = await readJson<ReplicationInput>(req, deps.maxBodyBytes);
    if (body.remoteID) remoteOf(auth, String(body.remoteID), 'read');
    return replicationBody(await svc.updateReplication(r.id, body));
  });

  app.delete('/api/v2/replications/:id', cfg, async (req, reply) => {
    const r = replicationOf(authenticate(req, t), id(req), 'write');
    await svc.deleteReplication(r.id);
    return reply.code(204).send();
  });
}
