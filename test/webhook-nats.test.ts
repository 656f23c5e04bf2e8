// Two hookline nodes sharing one NATS JetStream server (127.0.0.1:4222):
// configuration made on one node is seen by the other, an event published on
// one reaches the other's SSE clients, and deliveries are shared and made once.
// Both nodes start from copies of one data directory; their tenancy is the
// cluster's (JetStream key-value, test/cluster-tenancy.test.ts).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dropNatsCluster, requireNats } from './helpers/nats.ts';
import { api, startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { captureServer, createDevice, createIntegration, json, openStream, publish, putSecret, type CaptureServer } from './helpers/particle.ts';

const ns = `hltest_${randomBytes(4).toString('hex')}`;
let a: TestServer;
let b: TestServer;
let cap: CaptureServer;
let dirs: string[] = [];

before(async () => {
  await requireNats();
  const keyDir = await tempDir('hookline-key-');
  const env = { HOOKLINE_NATS_URL: `nats://127.0.0.1:4222/${ns}`, HOOKLINE_SECRETS_KEY_FILE: join(keyDir, 'secrets.key'), HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1' };
  const dirA = await tempDir();
  const dirB = await tempDir();
  dirs = [keyDir, dirA, dirB];
  const first = await startTestServer(env, dirA);
  await first.close();
  await cp(dirA, dirB, { recursive: true });
  a = await startTestServer(env, dirA);
  b = await startTestServer(env, dirB);
  cap = await captureServer();
});

after(async () => {
  await cap.close();
  await a.stop();
  await b.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  await dropNatsCluster(ns);
});

async function eventually<T>(f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('devices, secrets and integrations made on one node are seen by the other', async () => {
  const d = await createDevice(a, { name: 'shared' });
  assert.equal((await putSecret(a, 'SHARED_KEY', 'shared-value')).status, 201);
  const integ = await createIntegration(a, { event: 'nats', url: `${cap.url}/n`, json: { id: '{{{PARTICLE_EVENT_ID}}}' }, headers: { 'X-Key': '{{{SHARED_KEY}}}' }, secrets: ['SHARED_KEY'], noDefaults: true });
  const onB = await eventually<{ name: string }>(async () => {
    const r = await api(b, `/v1/devices/${d.id}`);
    return r.status === 200 ? json(r) : undefined;
  });
  assert.equal(onB.name, 'shared');
  await eventually(async () => ((await api(b, `/v1/integrations/${integ.id}`)).status === 200 ? true : undefined));
  const secrets = await json(await api(b, '/v1/secrets'));
  assert.deepEqual(secrets.secrets.map((x: { name: string }) => x.name), ['SHARED_KEY']);
});

test('an event published on node B reaches node A\'s stream; the webhook fires once with the shared secret', async () => {
  const d = await createDevice(a, { name: 'cross' });
  await eventually(async () => ((await api(b, `/v1/devices/${d.id}`)).status === 200 ? true : undefined));
  const st = await openStream(a, { deviceId: d.id });
  cap.requests.length = 0;
  try {
    assert.equal((await publish(b, d.token, 'nats-one', '{"x":1}')).status, 200);
    const e = await st.waitFor((x) => x.name === 'nats-one');
    assert.equal(e.coreid, d.id);
    const [r] = await cap.waitFor(1);
    assert.equal(r.headers['x-key'], 'shared-value');
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(cap.requests.length, 1);
  } finally {
    st.close();
  }
});

test('deliveries published on both nodes are all made, each exactly once here', async () => {
  const d = await createDevice(a, { name: 'many' });
  await eventually(async () => ((await api(b, `/v1/devices/${d.id}`)).status === 200 ? true : undefined));
  cap.requests.length = 0;
  for (let i = 0; i < 20; i++) assert.equal((await publish(i % 2 ? a : b, d.token, 'nats-many', String(i))).status, 200);
  await cap.waitFor(20);
  await new Promise((res) => setTimeout(res, 300));
  const ids = cap.requests.map((r) => JSON.parse(r.body).id);
  assert.equal(new Set(ids).size, 20);
  assert.equal(ids.length, 20);
  const status = await json(await api(a, '/api/hookline/webhooks/status'));
  assert.equal(status.mode, 'nats');
});

test('delivery logs and dead letters are shared: each node lists every node\'s deliveries and dead letters', async () => {
  const d = await createDevice(a, { name: 'logged' });
  const ok = await createIntegration(a, { event: 'nats-logged', url: `${cap.url}/ok`, noDefaults: true });
  const doomed = await createIntegration(a, { event: 'nats-doomed', url: `${cap.url}/doomed`, noDefaults: true });
  await eventually(async () => ((await api(b, `/v1/integrations/${doomed.id}`)).status === 200 ? true : undefined));
  cap.reply = (c) => (c.url.startsWith('/doomed') ? { status: 400 } : { status: 204 });
  try {
    for (let i = 0; i < 6; i++) assert.equal((await publish(i % 2 ? a : b, d.token, 'nats-logged', String(i))).status, 200);
    assert.equal((await publish(b, d.token, 'nats-doomed', 'x')).status, 200);
    for (const node of [a, b]) {
      await eventually(async () => {
        const log = await json(await api(node, `/api/hookline/integrations/${ok.id}/log`));
        return log.entries?.length === 6 ? true : undefined;
      }, 10_000);
      const dead = await eventually(async () => {
        const x = await json(await api(node, `/api/hookline/integrations/${doomed.id}/dead-letters`));
        return x.deadLetters.length === 1 ? x : undefined;
      }, 10_000);
      assert.equal(dead.deadLetters[0].event.data, 'x');
    }
    // Purged through B, gone on A.
    assert.equal((await json(await api(b, `/api/hookline/dead-letters?integration=${doomed.id}`, { method: 'DELETE' }))).deleted, 1);
    await eventually(async () => ((await json(await api(a, `/api/hookline/integrations/${doomed.id}/dead-letters`))).deadLetters.length === 0 ? true : undefined));
  } finally {
    cap.reply = () => ({ status: 204 });
  }
});
