// The event stream, consumed with particle-api-js's own SSE parser
// (getEventStream) and checked byte for byte with a raw request (docs.particle.io/reference/cloud-apis/api/#get-a-stream-of-events).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { createDevice, json, openStream, orgToken, particle, publish } from './helpers/particle.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.stop());

test('getEventStream (mine) receives device events with data, ttl, published_at, coreid', async () => {
  const d = await createDevice(s, { name: 'sse1' });
  const st = await openStream(s, { deviceId: 'mine' });
  try {
    assert.equal((await publish(s, d.token, 'data', '{"count":42,"time":1764625907}')).status, 200);
    const e = await st.waitFor((x) => x.name === 'data');
    assert.equal(e.data, '{"count":42,"time":1764625907}');
    assert.equal(e.ttl, 60);
    assert.equal(e.coreid, d.id);
    assert.match(e.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  } finally {
    st.close();
  }
});

test('a prefix matches case-sensitively, as webhooks do; a device stream only has that device', async () => {
  const a = await createDevice(s, { name: 'sse_a' });
  const b = await createDevice(s, { name: 'sse_b' });
  const all = await openStream(s, { name: 'temp' });
  const onlyA = await openStream(s, { deviceId: a.id, name: 'temp' });
  try {
    await publish(s, b.token, 'temp', 'from b');
    for (const n of ['temp', 'temperature/basement', 'Temp', 'high_temp', 'temp-end']) await publish(s, a.token, n, n);
    await all.waitFor((e) => e.name === 'temp-end');
    await onlyA.waitFor((e) => e.name === 'temp-end');
    assert.deepEqual(all.events.map((e) => `${e.name}:${e.data}`), ['temp:from b', 'temp:temp', 'temperature/basement:temperature/basement', 'temp-end:temp-end']);
    assert.deepEqual(onlyA.events.map((e) => e.name), ['temp', 'temperature/basement', 'temp-end']);
  } finally {
    all.close();
    onlyA.close();
  }
});

test('raw framing: ":ok" first, then "event:" and one-line "data:" JSON; access_token query works', async () => {
  const d = await createDevice(s, { name: 'raw' });
  const chunks: string[] = [];
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.get(`${s.url}/v1/devices/${d.id}/events?access_token=${s.token}`, resolve);
    req.on('error', reject);
  });
  try {
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/event-stream');
    assert.equal(res.headers['cache-control'], 'no-cache');
    res.setEncoding('utf8');
    res.on('data', (c: string) => chunks.push(c));
    await new Promise((r) => setTimeout(r, 50));
    await publish(s, d.token, 'quote', 'he said "hi"\nbye');
    for (let i = 0; i < 100 && !chunks.join('').includes('event: quote'); i++) await new Promise((r) => setTimeout(r, 20));
    const text = chunks.join('');
    assert.ok(text.startsWith(':ok\n\n'), JSON.stringify(text));
    const m = /event: quote\ndata: (.*)\n\n/.exec(text);
    assert.ok(m, text);
    const payload = JSON.parse(m[1]);
    assert.deepEqual(Object.keys(payload), ['data', 'ttl', 'published_at', 'coreid']);
    assert.equal(payload.data, 'he said "hi"\nbye');
  } finally {
    res.destroy();
  }
});

test('GET /v1/events without a prefix is a 400; a bad token is refused before streaming', async () => {
  const r = await fetch(`${s.url}/v1/events`, { headers: { authorization: `Bearer ${s.token}` } });
  assert.equal(r.status, 400);
  assert.match((await json(r)).error, /prefix is required/);
  await assert.rejects(particle(s).getEventStream({ deviceId: 'mine', auth: 'wrong' }), (e: { statusCode: number }) => e.statusCode === 401);
});

test('another org never sees these events, and its own events reach only its streams', async () => {
  const other = await orgToken(s, 'sse-other-org');
  const mineHere = await createDevice(s, { name: 'iso_here' });
  const theirs = await openStream(s, { deviceId: 'mine', auth: other.token });
  try {
    await publish(s, mineHere.token, 'secret-event', 'x');
    const r = await fetch(`${s.url}/v1/devices`, { method: 'POST', headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' }, body: '{"name":"theirs"}' });
    const theirDevice = await json(r);
    await publish(s, theirDevice.token, 'their-event', 'y');
    const e = await theirs.waitFor((x) => x.name === 'their-event');
    assert.equal(e.coreid, theirDevice.id);
    assert.equal(theirs.events.some((x) => x.name === 'secret-event'), false);
  } finally {
    theirs.close();
  }
});
