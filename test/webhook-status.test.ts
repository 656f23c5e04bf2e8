// Failures a user can see and act on (issue 12), over real sockets: a loopback
// target that resets connections, then answers 500, then recovers. The
// integration's one-line status (failing with a cause, then its host
// sleeping), failures grouped by cause, "retry now" waking the host before
// its cool-down ends, per-integration dead letters replayed and delivered,
// duplicate names refused, and the warning for a webhook aimed at this hub by
// a scheme or port it does not serve.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, ORG, startTestServer, type TestServer } from './helpers/server.ts';
import { createDevice, createIntegration, json, orgToken, publish } from './helpers/particle.ts';
import { until } from './e2e/browser.ts';

const RFC3339_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Mode = 'reset' | 'status500' | 'status400' | 'ok';
interface Target {
  url: string;
  mode: Mode;
  received: Array<{ path: string; body: string; at: number }>;
  close(): Promise<void>;
}

/** A loopback HTTP target whose behaviour the test switches: reset the connection, 500, 400 or 204. */
async function target(host: string): Promise<Target> {
  const t: Target = { url: '', mode: 'ok', received: [], close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (t.mode === 'reset') return req.socket.resetAndDestroy();
      if (t.mode === 'status500') return res.writeHead(500).end('boom');
      if (t.mode === 'status400') return res.writeHead(400).end('bad');
      t.received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString(), at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  t.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return t;
}

let s: TestServer;
let dev: { id: string; token: string };
const statusOf = async (id: string, token?: string) => json(await (token ? fetch(`${s.url}/api/hookline/integrations/${id}/status`, { headers: { authorization: `Bearer ${token}` } }) : api(s, `/api/hookline/integrations/${id}/status`)));
const post = (path: string) => api(s, path, { method: 'POST' });

before(async () => {
  s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1', HOOKLINE_WEBHOOK_TIMEOUT: '2s', HOOKLINE_WEBHOOK_MAX_ATTEMPTS: '10' });
  dev = await createDevice(s, { name: 'status-dev' });
});
after(() => s.stop());

test('status: healthy, then failing with ECONNRESET, then sleeping; failures grouped by cause; retry now wakes the host', async () => {
  const t = await target('127.0.0.3');
  try {
    const integ = await createIntegration(s, { name: 'flaky', event: 'flaky', url: `${t.url}/in` });
    let st = await statusOf(integ.id);
    assert.equal(st.state, 'healthy');
    assert.equal(st.warning, null);

    t.mode = 'reset';
    for (let i = 0; i < 4; i++) await publish(s, dev.token, 'flaky', `r${i}`);
    st = await until('failing with ECONNRESET', async () => {
      const x = await statusOf(integ.id);
      return x.state === 'failing' && x.attempts >= 4 ? x : undefined;
    });
    assert.equal(st.cause, 'ECONNRESET');
    assert.match(st.since, RFC3339_MS);
    assert.match(st.summary, /^failing since \S+Z with ECONNRESET, \d+ attempts$/);
    assert.equal(st.host, '127.0.0.3');

    t.mode = 'status500';
    for (let i = 0; i < 8; i++) await publish(s, dev.token, 'flaky', `f${i}`);
    st = await until('the host sleeping', async () => {
      const x = await statusOf(integ.id);
      return x.state === 'sleeping' ? x : undefined;
    });
    // More events while it sleeps are skipped: folded into the state, not listed as failures.
    for (let i = 0; i < 5; i++) await publish(s, dev.token, 'flaky', `s${i}`);
    st = await until('skips counted', async () => {
      const x = await statusOf(integ.id);
      return x.state === 'sleeping' && x.skipped >= 5 ? x : undefined;
    });
    assert.match(st.sleepingUntil, RFC3339_MS);
    // Until a time to come, or (on a slow machine, past the 5 s cool-down) awake for one probe.
    assert.match(st.summary, /^host 127\.0\.0\.3 (sleeping until \S+Z|awake for one probe request) \(too many errors\), \d+ deliveries skipped; failing since/);
    const causes = Object.fromEntries(st.failures.map((f: { cause: string; count: number }) => [f.cause, f]));
    assert.deepEqual(Object.keys(causes).sort(), ['ECONNRESET', 'HTTP 500']);
    assert.ok(causes.ECONNRESET.count >= 4);
    assert.ok(causes['HTTP 500'].count >= 1);
    for (const f of st.failures) {
      assert.match(f.first, RFC3339_MS);
      assert.match(f.last, RFC3339_MS);
    }
    assert.ok(st.attempts >= 10);
    assert.ok(st.waiting > 0, 'deliveries wait for a retry');
    // Skipped entries have their own log ring: the errors are still there to read.
    const log = (await json(await api(s, `/api/hookline/integrations/${integ.id}/log?outcome=error`))).entries;
    assert.ok(log.some((e: { error?: string }) => e.error === 'ECONNRESET'));

    // Fixed: "retry now" wakes the host and sends the waiting deliveries at once, long before the cool-down would.
    t.mode = 'ok';
    const sleepingUntil = Date.parse((await statusOf(integ.id)).sleepingUntil);
    const asleep = sleepingUntil > Date.now();
    const r = await post(`/api/hookline/integrations/${integ.id}/retry`);
    assert.equal(r.status, 200);
    const woke = await json(r);
    assert.equal(woke.host, '127.0.0.3');
    assert.equal(woke.woken, true);
    assert.ok(woke.retried > 0);
    st = await until('healthy again', async () => {
      const x = await statusOf(integ.id);
      return x.state === 'healthy' && x.waiting === 0 ? x : undefined;
    });
    assert.ok(t.received.length > 0);
    if (asleep) assert.ok(t.received[0].at < sleepingUntil, 'delivered before the breaker would have let a probe through');
    assert.equal(st.since, null);
    assert.equal(st.cause, null);
    assert.match(st.lastSuccess, RFC3339_MS);
    assert.equal(st.failures.length, 2, 'the grouped history stays');
  } finally {
    await t.close();
  }
});

test('dead letters per integration: listed, counted in the status, replayed one and all, and delivered', async () => {
  const t = await target('127.0.0.4');
  try {
    const integ = await createIntegration(s, { name: 'doomed', event: 'doomed', url: `${t.url}/d` });
    t.mode = 'status400';
    await publish(s, dev.token, 'doomed', 'one');
    await publish(s, dev.token, 'doomed', 'two');
    const listed = await until('two dead letters', async () => {
      const x = await json(await api(s, `/api/hookline/integrations/${integ.id}/dead-letters`));
      return x.deadLetters.length === 2 ? x : undefined;
    });
    assert.equal(listed.total, 2);
    assert.match(listed.deadLetters[0].at, RFC3339_MS);
    assert.equal(listed.deadLetters[0].reason, 'error status 400 from 127.0.0.4');
    assert.equal((await statusOf(integ.id)).deadLetters, 2);
    // The org-wide route keeps its contract.
    assert.equal((await json(await api(s, `/api/hookline/dead-letters?integration=${integ.id}`))).deadLetters.length, 2);

    t.mode = 'ok';
    const one = listed.deadLetters.find((l: { event: { data: string } }) => l.event.data === 'one');
    assert.equal((await post(`/api/hookline/integrations/${integ.id}/dead-letters/nope/replay`)).status, 404);
    const r1 = await post(`/api/hookline/integrations/${integ.id}/dead-letters/${one.event.id}/replay`);
    assert.equal(r1.status, 200);
    assert.deepEqual(await json(r1), { queued: 1 });
    await until('the replayed one delivered', async () => t.received.length === 1);
    assert.match(t.received[0].body, /data=one/);
    const rest = await json(await api(s, `/api/hookline/integrations/${integ.id}/dead-letters`));
    assert.deepEqual(rest.deadLetters.map((l: { event: { data: string } }) => l.event.data), ['two']);

    assert.deepEqual(await json(await post(`/api/hookline/integrations/${integ.id}/dead-letters/replay`)), { queued: 1 });
    await until('the other delivered', async () => t.received.length === 2);
    assert.match(t.received[1].body, /data=two/);
    assert.equal((await statusOf(integ.id)).deadLetters, 0);
  } finally {
    await t.close();
  }
});

test('duplicate names within an org: refused on create and rename with a Particle 400; other orgs and unnamed ones are free', async () => {
  await createIntegration(s, { name: 'Influx twin', event: 'twin', url: 'https://a.example/x' });
  const dup = await api(s, '/v1/integrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Influx twin', event: 'twin2', url: 'https://b.example/x' }) });
  assert.equal(dup.status, 400);
  const body = await json(dup);
  assert.equal(body.ok, false);
  assert.match(body.error, /an integration named "Influx twin" already exists in this org \(id [0-9a-f]+\)/);
  assert.equal(body.field, 'name');

  const other = await createIntegration(s, { name: 'Influx other', event: 'twin3', url: 'https://c.example/x' });
  const rename = await api(s, `/v1/integrations/${other.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Influx twin' }) });
  assert.equal(rename.status, 400);
  assert.equal((await json(rename)).ok, false);
  // Saving under its own name is no rename.
  assert.equal((await api(s, `/v1/integrations/${other.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Influx other', url: 'https://d.example/x' }) })).status, 200);
  // Unnamed integrations may repeat (Particle §1.2); another org may use the name.
  await createIntegration(s, { event: 'anon', url: 'https://a.example/y' });
  await createIntegration(s, { event: 'anon', url: 'https://a.example/y' });
  const org2 = await orgToken(s, 'status-org-2');
  const r = await fetch(`${s.url}/v1/integrations`, { method: 'POST', headers: { authorization: `Bearer ${org2.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Influx twin', event: 'twin', url: 'https://a.example/x' }) });
  assert.equal(r.status, 201);
});

test('a webhook aimed at this hub by a scheme or port it does not serve is warned about', async () => {
  const port = new URL(s.url).port;
  const https = await createIntegration(s, { event: 'self-https', url: `https://127.0.0.1:${port}/api/v2/write` });
  const w1 = (await statusOf(https.id)).warning;
  assert.match(w1, new RegExp(`calls https://127\\.0\\.0\\.1:${port} but this hub serves http there`));
  const wrongPort = await createIntegration(s, { event: 'self-port', url: `http://localhost:1/api/v2/write` });
  assert.match((await statusOf(wrongPort.id)).warning, /on port 1, which hookline does not serve; it serves http:\/\/localhost:\d+/);
  const right = await createIntegration(s, { event: 'self-ok', url: `http://localhost:${port}/api/v2/write` });
  assert.equal((await statusOf(right.id)).warning, null);
  const elsewhere = await createIntegration(s, { event: 'elsewhere', url: 'https://influx.example.com/api/v2/write' });
  assert.equal((await statusOf(elsewhere.id)).warning, null);
});

test('the new routes need a token with read (GET) or write (POST) rights on integrations in the org', async () => {
  const integ = await createIntegration(s, { name: 'guarded', event: 'guarded', url: 'https://a.example/g' });
  const reader = await orgToken(s, 'status-reader', ['integrations'], ['read']);
  const routes: Array<[string, string]> = [
    ['GET', `/api/hookline/integrations/${integ.id}/status`],
    ['POST', `/api/hookline/integrations/${integ.id}/retry`],
    ['GET', `/api/hookline/integrations/${integ.id}/dead-letters`],
    ['POST', `/api/hookline/integrations/${integ.id}/dead-letters/replay`],
    ['POST', `/api/hookline/integrations/${integ.id}/dead-letters/e1/replay`],
  ];
  const call = (m: string, p: string, token?: string) => fetch(`${s.url}${p}`, { method: m, headers: token ? { authorization: `Bearer ${token}` } : {} });
  for (const [m, p] of routes) {
    assert.equal((await call(m, p)).status, 401, `${m} ${p} without a token`);
    // The reader's org does not hold this integration.
    assert.equal((await call(m, p, reader.token)).status, m === 'GET' ? 404 : 403, `${m} ${p} from another org`);
  }
  const orgID = (await json(await api(s, `/api/v2/orgs?org=${ORG}`))).orgs[0].id;
  const ownReader = await api(s, '/api/v2/authorizations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orgID, description: 'status reader', permissions: [{ action: 'read', resource: { type: 'integrations', orgID } }] }),
  });
  const readToken = (await json(ownReader)).token;
  assert.equal((await call('GET', `/api/hookline/integrations/${integ.id}/status`, readToken)).status, 200);
  assert.equal((await call('GET', `/api/hookline/integrations/${integ.id}/dead-letters`, readToken)).status, 200);
  assert.equal((await call('POST', `/api/hookline/integrations/${integ.id}/retry`, readToken)).status, 403);
  assert.equal((await call('POST', `/api/hookline/integrations/${integ.id}/dead-letters/replay`, readToken)).status, 403);
});
