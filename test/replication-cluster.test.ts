// Replication with several nodes (issue 16): remotes and replications are
// JetStream key-value buckets every node follows, and each node queues and
// forwards the writes that come in through it. Two hookline nodes share a NATS
// server (127.0.0.1:4222, as the other cluster tests) and a secrets key; the
// replication is made through node A, points are written through A and B, and
// a third hookline (the remote) receives each point once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'nats';
import { api, BUCKET, sql, startTestServer, tempDir, writeLp, type TestServer } from './helpers/server.ts';

const ns = `hlrep_${randomBytes(4).toString('hex')}`;

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function count(s: TestServer): Promise<number> {
  try {
    return Number((await sql<{ n: number }>(s, 'SELECT count(*) AS n FROM crep'))[0]!.n);
  } catch {
    return 0;
  }
}

test('a replication made on one node forwards the writes of every node, each once', { timeout: 180_000 }, async () => {
  await connect({ servers: '127.0.0.1:4222', timeout: 2000 }).then(
    (nc) => nc.close(),
    () => {
      throw new Error('this test needs NATS with JetStream on 127.0.0.1:4222 (nats-server -js)');
    },
  );
  const keyDir = await tempDir('hookline-key-');
  const env = {
    HOOKLINE_NATS_URL: `nats://127.0.0.1:4222/${ns}`,
    HOOKLINE_SECRETS_KEY_FILE: join(keyDir, 'secrets.key'),
    HOOKLINE_REPLICATION_ALLOW_PRIVATE: '127.0.0.1',
    HOOKLINE_REPLICATION_MAX_RETRY_DELAY: '500ms',
  };
  const c = await startTestServer();
  const a = await startTestServer(env);
  const b = await startTestServer({ ...env, HOOKLINE_INIT_TOKEN: 'another-token-that-must-not-exist-0000' });
  b.token = a.token; // the cluster's token: B's first run made none
  try {
    const orgID = a.tenancy.listOrgs()[0]!.id;
    const bucketID = a.tenancy.listBuckets({ orgID }).find((x) => x.name === BUCKET)!.id;
    const post = (path: string, body: unknown) => api(a, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const remote = await (await post('/api/v2/remotes', { orgID, name: 'c', remoteURL: c.url, remoteAPIToken: c.token, remoteOrgID: c.tenancy.listOrgs()[0]!.id })).json();
    const rep = await (await post('/api/v2/replications', { orgID, name: 'to-c', remoteID: remote.id, localBucketID: bucketID, remoteBucketName: BUCKET })).json();
    assert.ok(rep.id, JSON.stringify(rep));
    // B follows: the replication is there within a moment.
    await until('the replication on B', async () => (await api(b, `/api/v2/replications/${rep.id}`)).status === 200, 10_000);

    const T0 = 1_700_000_000;
    for (let i = 0; i < 2000; i += 500) {
      const via = i % 1000 === 0 ? a : b;
      const body = Array.from({ length: 500 }, (_, k) => `crep,via=${via === a ? 'a' : 'b'} n=${i + k}i ${T0 + i + k}`).join('\n');
      assert.equal((await writeLp(via, body)).status, 204);
    }
    await until('2000 points on the remote', async () => (await count(c)) === 2000);
    const perNode = await sql<{ via: string; n: number }>(c, 'SELECT via, count(*) AS n FROM crep GROUP BY via ORDER BY via');
    assert.deepEqual(perNode.map((r) => [r.via, Number(r.n)]), [['a', 1000], ['b', 1000]]);
    // Each node forwarded its own writes: both queues drain to empty.
    for (const s of [a, b]) await until('an empty queue', async () => ((await (await api(s, `/api/v2/replications/${rep.id}`)).json()) as { currentQueueSizeBytes: number }).currentQueueSizeBytes === 0);
    assert.equal((await api(a, `/api/v2/replications/${rep.id}`, { method: 'DELETE' })).status, 204);
    await until('the replication gone on B', async () => (await api(b, `/api/v2/replications/${rep.id}`)).status === 404, 10_000);
  } finally {
    await a.stop();
    await b.stop();
    await c.stop();
    await rm(keyDir, { recursive: true, force: true });
    const nc = await connect({ servers: '127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    for await (const s of jsm.streams.list()) if (s.config.name.startsWith(ns) || s.config.name.startsWith(`KV_${ns}`)) await jsm.streams.delete(s.config.name);
    await nc.close();
  }
});
