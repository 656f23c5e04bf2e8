// The delivery queue survives restarts and kill -9: an event accepted with
// {"ok":true} is delivered (at least once) even if hookline dies before the
// webhook answered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { spawnServer, startTestServer, tempDir, TOKEN } from './helpers/server.ts';
import { captureServer, createDevice, createIntegration, publish } from './helpers/particle.ts';

const ids = (bodies: string[]) => new Set(bodies.map((b) => JSON.parse(b).id as string));

test('deliveries in flight at a clean restart are sent again after it', async () => {
  const cap = await captureServer();
  cap.reply = () => ({ status: 204, delayMs: 4000 });
  let s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1' });
  try {
    const d = await createDevice(s);
    await createIntegration(s, { event: 'keep', url: `${cap.url}/k`, json: { id: '{{{PARTICLE_EVENT_ID}}}' }, noDefaults: true });
    for (let i = 0; i < 5; i++) assert.equal((await publish(s, d.token, 'keep', String(i))).status, 200);
    await cap.waitFor(5);
    cap.reply = () => ({ status: 204 });
    s = await s.restart();
    await cap.waitFor(10);
    assert.equal(ids(cap.requests.slice(5).map((r) => r.body)).size, 5);
    assert.deepEqual(ids(cap.requests.slice(5).map((r) => r.body)), ids(cap.requests.slice(0, 5).map((r) => r.body)));
  } finally {
    await s.stop();
    await cap.close();
  }
});

test('kill -9 with deliveries queued: every accepted event is delivered after the restart', async () => {
  const cap = await captureServer();
  cap.reply = () => ({ status: 503 });
  const dir = await tempDir();
  const env = { HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1', HOOKLINE_WEBHOOK_CONCURRENCY: '4' };
  let child = await spawnServer(dir, env);
  const srv = { url: child.url, token: TOKEN } as Parameters<typeof createDevice>[0];
  try {
    const d = await createDevice(srv);
    await createIntegration(srv, { event: 'crash', url: `${cap.url}/c`, json: { id: '{{{PARTICLE_EVENT_ID}}}' }, noDefaults: true });
    const n = 30;
    for (let i = 0; i < n; i++) assert.equal((await publish(srv, d.token, 'crash', String(i))).status, 200);
    await child.kill('SIGKILL');
    const before = cap.requests.length;
    cap.reply = () => ({ status: 204 });
    child = await spawnServer(dir, env);
    // The first attempts failed with 503 (retried after ~2 s); the rest were never tried.
    await cap.waitFor(before + n, 15_000);
    const delivered = ids(cap.requests.filter((_, i) => i >= before).map((r) => r.body));
    assert.equal(delivered.size, n);
  } finally {
    await child.kill('SIGKILL');
    await cap.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a full queue answers 429 with Retry-After and shows its depth; history survives a restart', async () => {
  const cap = await captureServer();
  cap.reply = () => ({ status: 204, delayMs: 3000 });
  let s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1', HOOKLINE_WEBHOOK_QUEUE_LIMIT: '3' });
  try {
    const d = await createDevice(s);
    await createIntegration(s, { event: 'full', url: `${cap.url}/f` });
    for (let i = 0; i < 3; i++) assert.equal((await publish(s, d.token, 'full', String(i))).status, 200);
    const r = await publish(s, d.token, 'full', 'one too many');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.match((await r.json()).error, /webhook queue full/);
    assert.equal((await publish(s, d.token, 'unwatched', 'no webhook, no queue')).status, 200);
    const status = await (await fetch(`${s.url}/api/hookline/webhooks/status`, { headers: { authorization: `Bearer ${s.token}` } })).json();
    assert.equal(status.queue.depth, 3);
    assert.equal(status.queue.limit, 3);
    cap.reply = () => ({ status: 204 });
    s = await s.restart();
    const hist = await (await fetch(`${s.url}/api/hookline/devices/${d.id}/events`, { headers: { authorization: `Bearer ${s.token}` } })).json();
    assert.deepEqual(hist.events.map((e: { data: string }) => e.data), ['no webhook, no queue', '2', '1', '0']);
  } finally {
    await s.stop();
    await cap.close();
  }
});
