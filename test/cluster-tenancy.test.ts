// Tenancy shared through NATS JetStream (issue 16): two hookline nodes with
// their own, empty data directories and one NATS server (127.0.0.1:4222).
// The first node's first run creates the org, bucket and token in the
// cluster's key-value buckets; the second node finds them and creates none.
// A token, 1.x user, continuous query or bucket made through one node is
// there on the other within a second; a bucket dropped on one disappears
// from the other.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dropNatsCluster, requireNats } from './helpers/nats.ts';
import { api, BUCKET, ORG, startTestServer, tempDir, type TestServer } from './helpers/server.ts';

const ns = `hltest_${randomBytes(4).toString('hex')}`;
let a: TestServer;
let b: TestServer;
let dirs: string[] = [];

before(async () => {
  await requireNats();
  const keyDir = await tempDir('hookline-key-');
  const env = { HOOKLINE_NATS_URL: `nats://127.0.0.1:4222/${ns}`, HOOKLINE_SECRETS_KEY_FILE: join(keyDir, 'secrets.key') };
  const dirA = await tempDir();
  const dirB = await tempDir();
  dirs = [keyDir, dirA, dirB];
  a = await startTestServer(env, dirA);
  // B is told a different first-run token: it must not create anything, the cluster already has an org.
  b = await startTestServer({ ...env, HOOKLINE_INIT_TOKEN: 'another-token-that-must-not-exist-0000' }, dirB);
});

after(async () => {
  await a?.stop();
  await b?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  await dropNatsCluster(ns);
});

async function eventually<T>(what: string, f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const json = async (r: Response) => (await r.json()) as Record<string, unknown>;

test('the second node shares the first node\'s first run: one org, and the first token works on both', async () => {
  assert.equal(b.firstRun, undefined, 'B created nothing');
  assert.ok(a.firstRun, 'A made the first run');
  const orgs = (await json(await api(b, '/api/v2/orgs'))).orgs as Array<{ name: string }>;
  assert.deepEqual(orgs.map((o) => o.name), [ORG]);
  const other = await fetch(`${b.url}/api/v2/orgs`, { headers: { authorization: 'Token another-token-that-must-not-exist-0000' } });
  assert.equal(other.status, 401);
});

test('a token created on A works on B within a second, and stops working on B once deleted on A', async () => {
  const orgID = (b.tenancy.listOrgs()[0]).id;
  const created = await json(await api(a, '/api/v2/authorizations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgID, description: 'shared', permissions: [{ action: 'read', resource: { type: 'buckets', orgID } }] }) }));
  const token = created.token as string;
  await eventually('the token on B', async () => ((await fetch(`${b.url}/api/v2/buckets`, { headers: { authorization: `Token ${token}` } })).status === 200 ? true : undefined), 1500);
  assert.equal((await api(a, `/api/v2/authorizations/${created.id as string}`, { method: 'DELETE' })).status, 204);
  await eventually('the token refused on B', async () => ((await fetch(`${b.url}/api/v2/buckets`, { headers: { authorization: `Token ${token}` } })).status === 401 ? true : undefined), 1500);
});

test('a bucket created on A appears on B; dropped on B, it disappears from A', async () => {
  const orgID = a.tenancy.listOrgs()[0].id;
  const made = await json(await api(a, '/api/v2/buckets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgID, name: 'shared-bucket' }) }));
  const names = async (s: TestServer) => ((await json(await api(s, `/api/v2/buckets?orgID=${orgID}`))).buckets as Array<{ name: string }>).map((x) => x.name);
  await eventually('the bucket on B', async () => ((await names(b)).includes('shared-bucket') ? true : undefined), 1500);
  assert.equal((await api(b, `/api/v2/buckets/${made.id as string}`, { method: 'DELETE' })).status, 204);
  await eventually('the bucket gone from A', async () => (!(await names(a)).includes('shared-bucket') ? true : undefined), 1500);
  assert.ok((await names(a)).includes(BUCKET));
});

test('a 1.x user and a continuous query made through A are known to B', async () => {
  const q = (s: TestServer, stmt: string, auth = `Token ${s.token}`) => fetch(`${s.url}/query?db=${BUCKET}&q=${encodeURIComponent(stmt)}`, { method: 'POST', headers: { authorization: auth } });
  assert.equal((await q(a, "CREATE USER alice WITH PASSWORD 's3cret-pw'")).status, 200);
  assert.equal((await q(a, `GRANT READ ON "${BUCKET}" TO alice`)).status, 200);
  const basic = `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`;
  await eventually('alice signs in on B', async () => {
    const r = await q(b, 'SHOW MEASUREMENTS', basic);
    return r.status === 200 ? true : undefined;
  }, 3000);
  assert.equal((await q(a, `CREATE CONTINUOUS QUERY cq_shared ON "${BUCKET}" BEGIN SELECT mean(v) INTO m_1h FROM m GROUP BY time(1h) END`)).status, 200);
  await eventually('the continuous query on B', async () => {
    const body = await (await q(b, 'SHOW CONTINUOUS QUERIES')).text();
    return body.includes('cq_shared') ? true : undefined;
  }, 1500);
});
