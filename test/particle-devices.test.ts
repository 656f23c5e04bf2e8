// Devices and publishing through the Particle API, against a real server:
// registry shapes, device and API tokens, the publish rules, last_heard and history.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, startTestServer, type TestServer } from './helpers/server.ts';
import { createDevice, json, particle, publish } from './helpers/particle.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.stop());

test('POST /v1/devices registers a device and shows its token once; GET lists it in Particle\'s shape', async () => {
  const d = await createDevice(s, { id: '0123456789ABCDEF01234567', name: 'kitchen' });
  assert.equal(d.id, '0123456789abcdef01234567');
  assert.equal(d.name, 'kitchen');
  assert.match(d.token, /^hld_[A-Za-z0-9_-]{40,}$/);
  const gen = await createDevice(s);
  assert.match(gen.id, /^[0-9a-f]{24}$/);
  assert.ok(gen.name);
  const list = (await particle(s).listDevices({ auth: s.token })).body as unknown as Array<Record<string, unknown>>;
  const k = list.find((x) => x.id === d.id)!;
  for (const field of ['id', 'name', 'last_heard', 'online', 'connected', 'platform_id', 'product_id', 'cellular', 'last_ip_address']) assert.ok(field in k, field);
  assert.equal(k.last_heard, null);
  assert.equal(JSON.stringify(list).includes(d.token), false);
  const byName = (await particle(s).getDevice({ deviceId: 'kitchen', auth: s.token })).body as unknown as Record<string, unknown>;
  assert.equal(byName.id, d.id);
});

test('device registration errors are 400s naming the problem', async () => {
  const bad = await api(s, '/v1/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'xyz' }) });
  assert.equal(bad.status, 400);
  assert.match((await json(bad)).error, /24 hexadecimal/);
  await createDevice(s, { id: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
  const dup = await api(s, '/v1/devices', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }) });
  assert.equal((await json(dup)).ok, false);
  assert.ok(dup.status >= 400 && dup.status < 500);
  const noToken = await fetch(`${s.url}/v1/devices`);
  assert.equal(noToken.status, 401);
  assert.equal((await json(noToken)).ok, false);
});

test('a device publishes with its token; last_heard follows; an API token publishes as device "api"', async () => {
  const d = await createDevice(s, { name: 'publisher' });
  const r = await publish(s, d.token, 'temp', '21.5');
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { ok: true });
  const info = (await json(await api(s, `/v1/devices/${d.id}`))) as Record<string, unknown>;
  assert.ok(typeof info.last_heard === 'string' && Date.now() - Date.parse(info.last_heard as string) < 10_000);
  assert.equal(info.online, true);
  const viaApi = await particle(s).publishEvent({ name: 'from-api', data: 'x', isPrivate: true, auth: s.token });
  assert.deepEqual(viaApi.body, { ok: true });
  const hist = await json(await api(s, `/api/hookline/devices/api/events?limit=5`));
  assert.equal(hist.events[0].name, 'from-api');
  assert.equal(hist.events[0].coreid, 'api');
  const mine = await json(await api(s, `/api/hookline/devices/${d.id}/events`));
  assert.equal(mine.events[0].name, 'temp');
  assert.equal(mine.events[0].data, '21.5');
  assert.equal(mine.events[0].coreid, d.id);
});

test('publish accepts a form body (name, data, private, ttl)', async () => {
  const d = await createDevice(s);
  const r = await fetch(`${s.url}/v1/devices/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'form/event', data: 'a b&c', private: 'false', ttl: '120' }).toString(),
  });
  assert.equal(r.status, 200);
  const hist = await json(await api(s, `/api/hookline/devices/${d.id}/events`));
  assert.equal(hist.events[0].name, 'form/event');
  assert.equal(hist.events[0].data, 'a b&c');
  assert.equal(hist.events[0].public, true);
  assert.equal(hist.events[0].ttl, 60, 'a user ttl is accepted and ignored (docs.particle.io/reference/cloud-apis/api/#publish-an-event)');
});

test('publish rules: clear 400s for names and data', async () => {
  const d = await createDevice(s);
  const cases: Array<[string | undefined, string | undefined, RegExp]> = [
    [undefined, 'x', /name is required/],
    ['', 'x', /name is required/],
    ['a'.repeat(65), 'x', /65 characters.*at most 64/],
    ['bad name', 'x', /letters, digits, underscores, dashes and slashes/],
    ['temp.c', 'x', /letters, digits/],
    ['spark/status', 'x', /reserved/],
    ['Particle-thing', 'x', /reserved/],
    ['big', 'x'.repeat(16385), /16385 bytes; at most 16384/],
  ];
  for (const [name, data, re] of cases) {
    const r = await publish(s, d.token, name as string, data);
    assert.equal(r.status, 400, `${name}`);
    const body = await json(r);
    assert.equal(body.ok, false);
    assert.match(body.error, re);
  }
  assert.equal((await publish(s, d.token, 'a'.repeat(64), 'x'.repeat(16384))).status, 200);
  assert.equal((await publish(s, d.token, 'A_b-c/9', undefined)).status, 200);
  assert.equal((await publish(s, 'not-a-token', 'x', 'y')).status, 401);
});

test('DELETE /v1/devices/:id removes the device; its token stops working', async () => {
  const d = await createDevice(s);
  const del = await api(s, `/v1/devices/${d.id}`, { method: 'DELETE' });
  assert.deepEqual(await json(del), { ok: true });
  assert.equal((await api(s, `/v1/devices/${d.id}`)).status, 404);
  assert.equal((await publish(s, d.token, 'x', 'y')).status, 401);
});
