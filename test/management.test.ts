// /api/v2/orgs, /api/v2/buckets, /api/v2/authorizations through the official
// client's management APIs, plus /ping and /health.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InfluxDB } from '@influxdata/influxdb-client';
import { AuthorizationsAPI, BucketsAPI, OrgsAPI, PingAPI, HealthAPI } from '@influxdata/influxdb-client-apis';
import { startTestServer, writeLp, sql, ORG, type TestServer } from './helpers/server.ts';

let s: TestServer;
let client: InfluxDB;
before(async () => {
  s = await startTestServer();
  client = new InfluxDB({ url: s.url, token: s.token });
});
after(() => s.stop());

test('ping (GET and HEAD) answers 204 with X-Influxdb-Version; health answers pass', async () => {
  for (const method of ['GET', 'HEAD']) {
    const r = await fetch(`${s.url}/ping`, { method });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('x-influxdb-version'), '2.7.11');
  }
  await new PingAPI(client).getPing();
  const health = await new HealthAPI(client).getHealth();
  assert.equal(health.status, 'pass');
});

test('orgs: list, find by name, create', async () => {
  const orgs = new OrgsAPI(client);
  const list = await orgs.getOrgs({ org: ORG });
  assert.equal(list.orgs?.length, 1);
  assert.equal(list.orgs?.[0].name, ORG);
  assert.match(list.orgs![0].id!, /^[0-9a-f]{16}$/);
  const created = await orgs.postOrgs({ body: { name: 'second-org', description: 'd' } });
  assert.equal(created.name, 'second-org');
  assert.equal((await orgs.getOrgsID({ orgID: created.id! })).description, 'd');
});

test('buckets: create with retention, list, get, update, delete (which deletes its data)', async () => {
  const orgID = (await new OrgsAPI(client).getOrgs({ org: ORG })).orgs![0].id!;
  const buckets = new BucketsAPI(client);
  const b = await buckets.postBuckets({ body: { orgID, name: 'weekly', retentionRules: [{ type: 'expire', everySeconds: 604800 }] } });
  assert.equal(b.name, 'weekly');
  assert.equal(b.retentionRules[0].everySeconds, 604800);
  assert.equal(b.retentionRules[0].shardGroupDurationSeconds, 86400);
  const found = await buckets.getBuckets({ orgID, name: 'weekly' });
  assert.equal(found.buckets?.[0].id, b.id);
  const patched = await buckets.patchBucketsID({ bucketID: b.id!, body: { retentionRules: [{ type: 'expire', everySeconds: 7200 }] } });
  assert.equal(patched.retentionRules[0].everySeconds, 7200);
  await assert.rejects(buckets.postBuckets({ body: { orgID, name: 'weekly', retentionRules: [] } }), /already exists/);
  assert.equal((await writeLp(s, `gone v=1 ${Math.floor(Date.now() / 1000)}`, `org=${ORG}&bucket=weekly&precision=s`)).status, 204);
  assert.equal((await sql(s, 'SELECT * FROM gone', 'weekly')).length, 1);
  await buckets.deleteBucketsID({ bucketID: b.id! });
  assert.equal((await buckets.getBuckets({ orgID, name: 'weekly' }).catch(() => ({ buckets: [] }))).buckets?.length ?? 0, 0);
  const r = await fetch(`${s.url}/api/v3/query_sql?db=weekly&q=SELECT%201`, { headers: { authorization: `Token ${s.token}` } });
  assert.equal(r.status, 404);
});

test('authorizations: create a bucket-scoped write token, the token is shown once, it works and is limited', async () => {
  const orgID = (await new OrgsAPI(client).getOrgs({ org: ORG })).orgs![0].id!;
  const bucket = (await new BucketsAPI(client).getBuckets({ orgID })).buckets!.find((x) => x.name !== 'weekly')!;
  const auths = new AuthorizationsAPI(client);
  const created = await auths.postAuthorizations({
    body: { orgID, description: 'device writer', permissions: [{ action: 'write', resource: { type: 'buckets', id: bucket.id, orgID } }] },
  });
  assert.ok(created.token && created.token.length >= 40);
  assert.equal(created.permissions?.[0].resource.name, bucket.name);
  const again = await auths.getAuthorizationsID({ authID: created.id! });
  assert.equal((again as { token?: string }).token, undefined, 'the token is never returned again');
  const writer = { url: s.url, token: created.token };
  assert.equal((await writeLp(writer, 'scoped v=1 1', `org=${ORG}&bucket=${bucket.name}&precision=s`)).status, 204);
  const readAttempt = await fetch(`${s.url}/api/v3/query_sql?db=${bucket.name}&q=SELECT%201`, { headers: { authorization: `Token ${created.token}` } });
  assert.equal(readAttempt.status, 403);
  await auths.patchAuthorizationsID({ authID: created.id!, body: { status: 'inactive' } });
  assert.equal((await writeLp(writer, 'scoped v=2 2', `org=${ORG}&bucket=${bucket.name}&precision=s`)).status, 401);
  await auths.deleteAuthorizationsID({ authID: created.id! });
  const list = await auths.getAuthorizations({ orgID });
  assert.ok(!list.authorizations?.some((a) => a.id === created.id));
});

test("authorizations: hookline's extras (default bucket, OpenTSDB mode) are set, shown, changed and cleared", async () => {
  const orgID = (await new OrgsAPI(client).getOrgs({ org: ORG })).orgs![0].id!;
  const bucket = (await new BucketsAPI(client).getBuckets({ orgID })).buckets![0];
  const perm = [{ action: 'write', resource: { type: 'buckets', id: bucket.id, orgID } }];
  const post = (body: object) => fetch(`${s.url}/api/v2/authorizations`, { method: 'POST', headers: { authorization: `Token ${s.token}` }, body: JSON.stringify(body) });
  const created = await post({ orgID, permissions: perm, defaultBucketID: bucket.id, opentsdbMode: 'strict' });
  assert.equal(created.status, 201);
  const c = (await created.json()) as { id: string; defaultBucketID?: string; opentsdbMode?: string };
  assert.equal(c.defaultBucketID, bucket.id);
  assert.equal(c.opentsdbMode, 'strict');
  assert.equal((await post({ orgID, permissions: perm, opentsdbMode: 'loose' })).status, 400);
  assert.equal((await post({ orgID, permissions: perm, defaultBucketID: 'nope' })).status, 400);
  const patch = (body: object) =>
    fetch(`${s.url}/api/v2/authorizations/${c.id}`, { method: 'PATCH', headers: { authorization: `Token ${s.token}` }, body: JSON.stringify(body) }).then((r) => r.json());
  const lenient = (await patch({ opentsdbMode: 'lenient' })) as Record<string, unknown>;
  assert.equal(lenient.opentsdbMode, 'lenient');
  assert.equal(lenient.defaultBucketID, bucket.id, 'untouched extras stay');
  const cleared = (await patch({ defaultBucketID: null, description: 'x' })) as Record<string, unknown>;
  assert.equal(cleared.defaultBucketID, undefined);
  assert.equal(cleared.opentsdbMode, 'lenient');
  assert.equal(s.tenancy.authorization(c.id)?.defaultBucketID, undefined);
});

test('tokens are stored hashed: the catalog never holds the clear token', async () => {
  const rows = await s.store.duck.meta.rows<{ doc: string }>('SELECT doc FROM ev_tenancy_authorizations');
  assert.ok(rows.length > 0);
  for (const r of rows) {
    assert.match((JSON.parse(r.doc) as { tokenHash: string }).tokenHash, /^[0-9a-f]{64}$/);
    assert.ok(!r.doc.includes(s.token), 'the clear token is not in the stored document');
  }
});

test('setup is already done: GET allowed=false, POST is a conflict', async () => {
  const r = await fetch(`${s.url}/api/v2/setup`);
  assert.deepEqual(await r.json(), { allowed: false });
  const p = await fetch(`${s.url}/api/v2/setup`, { method: 'POST', body: '{}' });
  assert.equal(p.status, 422);
});
