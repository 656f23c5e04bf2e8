// /api/v2/buckets (InfluxDB 2 BucketService). Deleting a bucket deletes its data
// and frees its space (tenancy.onBucketDeleted -> store.deleteBucket).

import type { FastifyInstance } from 'fastify';
import { hooklineError } from '../../core/errors.ts';
import { can, canBucket } from '../../tenancy/permissions.ts';
import { authenticate } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { readJson } from '../read-body.ts';
import { bucketJson, page } from '../v2-shapes.ts';

interface BucketBody {
  orgID?: string;
  org?: string;
  name?: string;
  description?: string;
  retentionRules?: Array<{ type?: string; everySeconds?: number; shardGroupDurationSeconds?: number }>;
}

function retentionOf(body: BucketBody): { retentionSeconds?: number; shardGroupSeconds?: number } {
  const rule = body.retentionRules?.find((r) => (r.type ?? 'expire') === 'expire');
  if (!rule) return {};
  return { retentionSeconds: Number(rule.everySeconds ?? 0), shardGroupSeconds: rule.shardGroupDurationSeconds ? Number(rule.shardGroupDurationSeconds) : undefined };
}

export function registerV2Buckets(app: FastifyInstance, deps: AppDeps): void {
  const t = deps.tenancy;
  const max = deps.config.maxDecompressedBytes;
  const cfg = { config: { dialect: 'v2' as const, auth: {} } };

  app.get('/api/v2/buckets', cfg, async (req) => {
    const auth = authenticate(req, t);
    const q = req.query as Record<string, string | undefined>;
    let orgID = q.orgID;
    if (q.org !== undefined) {
      const org = t.findOrg(q.org);
      if (!org) throw hooklineError('ORG_NOT_FOUND');
      orgID = org.id;
    }
    let buckets = t.listBuckets({ orgID, name: q.name, id: q.id }).filter((b) => canBucket(auth, 'read', b));
    if (q.after) buckets = buckets.filter((b) => b.id > q.after!);
    return { links: { self: `/api/v2/buckets?descending=false&limit=${q.limit ?? 20}&offset=${q.offset ?? 0}` }, buckets: page(buckets, q).map(bucketJson) };
  });

  app.post('/api/v2/buckets', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    const body = await readJson<BucketBody>(req, max);
    const org = body.orgID ? t.org(body.orgID) : body.org ? t.findOrg(body.org) : undefined;
    if (!body.orgID && !body.org) throw hooklineError('BAD_REQUEST', 'orgID is required');
    if (!org) throw hooklineError('ORG_NOT_FOUND');
    if (!can(auth, 'write', 'buckets', org.id)) throw hooklineError('FORBIDDEN', 'insufficient permissions to create a bucket');
    if (!body.name) throw hooklineError('BAD_REQUEST', 'bucket name is empty');
    const b = await t.createBucket({ orgID: org.id, name: body.name, description: body.description, ...retentionOf(body) });
    return reply.code(201).send(bucketJson(b));
  });

  app.get('/api/v2/buckets/:id', cfg, async (req) => {
    const auth = authenticate(req, t);
    const b = t.bucket((req.params as { id: string }).id);
    if (!b || !canBucket(auth, 'read', b)) throw hooklineError('BUCKET_NOT_FOUND');
    return bucketJson(b);
  });

  app.patch('/api/v2/buckets/:id', cfg, async (req) => {
    const auth = authenticate(req, t);
    const b = t.bucket((req.params as { id: string }).id);
    if (!b) throw hooklineError('BUCKET_NOT_FOUND');
    if (!canBucket(auth, 'write', b)) throw hooklineError('FORBIDDEN');
    const body = await readJson<BucketBody>(req, max);
    const r = retentionOf(body);
    return bucketJson(await t.updateBucket(b.id, { name: body.name, description: body.description, retentionSeconds: r.retentionSeconds, shardGroupSeconds: r.shardGroupSeconds }));
  });

  app.delete('/api/v2/buckets/:id', cfg, async (req, reply) => {
    const auth = authenticate(req, t);
    const b = t.bucket((req.params as { id: string }).id);
    if (!b) throw hooklineError('BUCKET_NOT_FOUND');
    if (!canBucket(auth, 'write', b)) throw hooklineError('FORBIDDEN');
    await t.deleteBucket(b.id);
    return reply.code(204).send();
  });
}
