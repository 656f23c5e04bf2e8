// InfluxDB 2's edge data replication API (/api/v2/remotes, /api/v2/replications)
// against a real second hookline on loopback (it speaks /api/v2/write): every
// point written to the replicated bucket arrives, including points written
// while the remote was down and across a restart of the sending hub (the
// queue is on disk); shapes and errors as InfluxDB's swagger; the remote's
// token is never returned and never stored in plain text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api, BUCKET, freePort, sql, startTestServer, tempDir, writeLp, type TestServer } from './helpers/server.ts';

const T0 = 1_700_000_000;
const lines = (from: number, n: number) => Array.from({ length: n }, (_, k) => `rep,dev=d${(from + k) % 7} v=${(from + k) * 0.25},n=${from + k}i ${T0 + from + k}`).join('\n');

async function j(r: Response): Promise<any> {
  const t = await r.text();
  return t ? JSON.parse(t) : undefined;
}
const send = (s: TestServer, path: string, method: string, body?: unknown) =>
  api(s, path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

async function countOn(s: TestServer): Promise<number> {
  try {
    return Number((await sql<{ n: number }>(s, 'SELECT count(*) AS n FROM rep'))[0]!.n);
  } catch {
    return 0; // the measurement does not exist yet
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('replication to a second hookline: every point arrives, through remote downtime and a restart', { timeout: 240_000 }, async () => {
  const remotePort = await freePort();
  const remoteDir = await tempDir('hookline-remote-');
  let b: TestServer | undefined = await startTestServer({ HOOKLINE_HTTP_PORT: String(remotePort) }, remoteDir);
  let a: TestServer = await startTestServer({ HOOKLINE_REPLICATION_MAX_RETRY_DELAY: '500ms', HOOKLINE_REPLICATION_ALLOW_PRIVATE: '127.0.0.0/8' });
  try {
    const orgA = a.tenancy.listOrgs()[0]!.id;
    const bucketA = a.tenancy.listBuckets({ orgID: orgA }).find((x) => x.name === BUCKET)!.id;
    const orgB = b.tenancy.listOrgs()[0]!.id;
    // A write-only token of the remote, as one would make for a replication.
    const remoteToken = (await j(await send(b, '/api/v2/authorizations', 'POST', { orgID: orgB, description: 'replication in', permissions: [{ action: 'write', resource: { type: 'buckets', orgID: orgB } }] }))).token as string;
    assert.ok(remoteToken);

    // ---- remotes
    const bad = await send(a, '/api/v2/remotes', 'POST', { orgID: orgA, name: 'x', remoteURL: 'ftp://nowhere', remoteAPIToken: 't' });
    assert.equal(bad.status, 400);
    assert.equal((await j(bad)).code, 'invalid');
    const created = await send(a, '/api/v2/remotes', 'POST', { orgID: orgA, name: 'hub-b', remoteURL: b.url, remoteAPIToken: remoteToken, remoteOrgID: orgB, allowInsecureTLS: false });
    assert.equal(created.status, 201);
    const remote = await j(created);
    assert.deepEqual(Object.keys(remote).sort(), ['allowInsecureTLS', 'id', 'name', 'orgID', 'remoteOrgID', 'remoteURL']);
    assert.equal(remote.remoteURL, b.url);
    assert.ok(!JSON.stringify(remote).includes(remoteToken));
    const listed = await j(await api(a, `/api/v2/remotes?orgID=${orgA}`));
    assert.equal(listed.remotes.length, 1);
    assert.ok(!JSON.stringify(listed).includes(remoteToken));
    assert.equal((await api(a, '/api/v2/remotes')).status, 400, 'orgID is required');
    const patched = await j(await send(a, `/api/v2/remotes/${remote.id}`, 'PATCH', { description: 'the other hub' }));
    assert.equal(patched.description, 'the other hub');
    assert.equal((await api(a, '/api/v2/remotes/0000000000000abc')).status, 404);

    // ---- replications
    const small = await send(a, '/api/v2/replications', 'POST', { orgID: orgA, name: 'r', remoteID: remote.id, localBucketID: bucketA, remoteBucketName: BUCKET, maxQueueSizeBytes: 1000 });
    assert.equal(small.status, 400);
    assert.match((await j(small)).message, /maxQueueSizeBytes must be an integer from 33554430/);
    const rc = await send(a, '/api/v2/replications', 'POST', { orgID: orgA, name: 'to-b', remoteID: remote.id, localBucketID: bucketA, remoteBucketName: BUCKET });
    assert.equal(rc.status, 201);
    const rep = await j(rc);
    assert.equal(rep.maxQueueSizeBytes, 67108860, "InfluxDB's default");
    assert.equal(rep.maxAgeSeconds, 604800);
    assert.equal(rep.dropNonRetryableData, false);
    assert.equal(rep.currentQueueSizeBytes, 0);
    assert.equal(rep.localBucketID, bucketA);
    assert.equal((await send(a, `/api/v2/remotes/${remote.id}`, 'DELETE')).status, 422, 'a remote in use is not deleted');

    // ---- writes arrive
    for (let i = 0; i < 5000; i += 1000) assert.equal((await writeLp(a, lines(i, 1000))).status, 204);
    await until('5000 points on the remote', async () => (await countOn(b!)) === 5000);
    const st = await j(await api(a, `/api/v2/replications/${rep.id}`));
    assert.equal(st.latestResponseCode, 204);
    await until('an empty queue', async () => (await j(await api(a, `/api/v2/replications/${rep.id}`))).currentQueueSizeBytes === 0);

    // ---- the remote goes down; writes go on, queue on disk; the sender restarts too
    await b.close();
    b = undefined;
    for (let i = 5000; i < 8000; i += 500) assert.equal((await writeLp(a, lines(i, 500))).status, 204, 'local writes go on while the remote is down');
    await until('an error recorded', async () => (await j(await api(a, `/api/v2/replications/${rep.id}`))).latestErrorMessage !== undefined);
    const down = await j(await api(a, `/api/v2/replications/${rep.id}`));
    assert.ok(down.currentQueueSizeBytes > 0, JSON.stringify(down));
    assert.match(down.latestErrorMessage, /ECONNREFUSED|refused/i);
    a = await a.restart();
    assert.ok((await j(await api(a, `/api/v2/replications/${rep.id}`))).currentQueueSizeBytes > 0, 'the queue survived the restart');
    for (let i = 8000; i < 9000; i += 500) assert.equal((await writeLp(a, lines(i, 500))).status, 204);
    b = await startTestServer({ HOOKLINE_HTTP_PORT: String(remotePort) }, remoteDir);
    await until('9000 points on the remote', async () => (await countOn(b!)) === 9000);
    for (const i of [0, 4999, 5000, 7777, 8999]) {
      const rows: Array<{ v: number; dev: string; time: string }> = await sql(b!, `SELECT v, dev, time FROM rep WHERE n = ${i}`);
      assert.equal(rows.length, 1, `point ${i}`);
      assert.equal(rows[0]!.v, i * 0.25);
      assert.equal(rows[0]!.dev, `d${i % 7}`);
      assert.equal(new Date(rows[0]!.time).getTime(), (T0 + i) * 1000);
    }

    // A point without a timestamp keeps the sender's time, not the remote's later one.
    const t0 = Date.now();
    assert.equal((await writeLp(a, 'rep,dev=now v=1,n=-1i')).status, 204);
    await until('the untimed point', async () => (await countOn(b!)) === 9001);
    const [p] = await sql<{ time: string }>(b, 'SELECT time FROM rep WHERE n = -1');
    assert.ok(Math.abs(new Date(p!.time).getTime() - t0) < 60_000);

    // ---- list, patch, delete
    const reps = await j(await api(a, `/api/v2/replications?orgID=${orgA}&localBucketID=${bucketA}`));
    assert.equal(reps.replications.length, 1);
    const rp = await j(await send(a, `/api/v2/replications/${rep.id}`, 'PATCH', { maxQueueSizeBytes: 33554430, dropNonRetryableData: true }));
    assert.equal(rp.maxQueueSizeBytes, 33554430);
    assert.equal(rp.dropNonRetryableData, true);
    assert.equal((await send(a, `/api/v2/replications/${rep.id}`, 'DELETE')).status, 204);
    assert.equal((await api(a, `/api/v2/replications/${rep.id}`)).status, 404);
    assert.equal((await send(a, `/api/v2/remotes/${remote.id}`, 'DELETE')).status, 204);

    // The remote's token is in A's catalog only encrypted.
    const dir = a.dataDir;
    await a.close();
    const catalog = await readFile(join(dir, 'hookline.duckdb'));
    assert.ok(!catalog.includes(remoteToken), 'the remote token is stored in plain text');
    a = await startTestServer({ HOOKLINE_REPLICATION_ALLOW_PRIVATE: '127.0.0.0/8' }, dir);
  } finally {
    await b?.stop();
    await a.stop();
  }
});

test('a remote on an internal address is refused unless HOOKLINE_REPLICATION_ALLOW_PRIVATE allows it', { timeout: 60_000 }, async () => {
  const a = await startTestServer({ HOOKLINE_REPLICATION_MAX_RETRY_DELAY: '200ms' });
  try {
    const orgID = a.tenancy.listOrgs()[0]!.id;
    const bucketID = a.tenancy.listBuckets({ orgID }).find((x) => x.name === BUCKET)!.id;
    for (const host of ['127.0.0.1', 'localhost', '169.254.169.254']) {
      const remote = await j(await send(a, '/api/v2/remotes', 'POST', { orgID, name: `r-${host}`, remoteURL: `http://${host}:9`, remoteAPIToken: 't' }));
      const rep = await j(await send(a, '/api/v2/replications', 'POST', { orgID, name: `to-${host}`, remoteID: remote.id, localBucketID: bucketID, remoteBucketName: 'x' }));
      assert.equal((await writeLp(a, `m v=1 ${T0}`)).status, 204, 'the local write stands');
      await until(`refusal of ${host}`, async () => /internal address \(set HOOKLINE_REPLICATION_ALLOW_PRIVATE/.test((await j(await api(a, `/api/v2/replications/${rep.id}`))).latestErrorMessage ?? ''));
      assert.equal((await send(a, `/api/v2/replications/${rep.id}`, 'DELETE')).status, 204);
    }
  } finally {
    await a.stop();
  }
});
