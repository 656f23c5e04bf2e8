// Webhook delivery over real HTTP to a capture server (docs.particle.io/reference/cloud-apis/webhooks/):
// request shapes, response events and chunking, errors, retries, timeouts,
// filters, loop protection and the per-host circuit breaker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, startTestServer, type TestServer } from './helpers/server.ts';
import { captureServer, createDevice, createIntegration, json, openStream, publish, putSecret, type CaptureServer } from './helpers/particle.ts';

let s: TestServer;
let cap: CaptureServer;
let dev: { id: string; token: string };
let stream: Awaited<ReturnType<typeof openStream>>;

before(async () => {
  s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1', HOOKLINE_WEBHOOK_TIMEOUT: '1s', HOOKLINE_WEBHOOK_MAX_ATTEMPTS: '2' });
  cap = await captureServer();
  dev = await createDevice(s, { name: 'hooked' });
  stream = await openStream(s, { deviceId: 'mine' });
});
after(async () => {
  stream.close();
  await cap.close();
  await s.stop();
});

/** Events published back for one triggering event name, in arrival order. */
function results(prefix: string) {
  return stream.events.filter((e) => e.name.startsWith(prefix));
}

test('default request: the four default fields as a form, ParticleBot user agent; hook-sent follows', async () => {
  cap.requests.length = 0;
  await createIntegration(s, { event: 'plain', url: `${cap.url}/plain` });
  await publish(s, dev.token, 'plain', '{"a":1}');
  const [r] = await cap.waitFor(1);
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/plain');
  assert.equal(r.headers['user-agent'], 'ParticleBot/1.1 (https://docs.particle.io/webhooks)');
  assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
  const form = Object.fromEntries(new URLSearchParams(r.body));
  assert.equal(form.event, 'plain');
  assert.equal(form.data, '{"a":1}');
  assert.equal(form.coreid, dev.id);
  assert.match(form.published_at, /Z$/);
  const sent = await stream.waitFor((e) => e.name === 'hook-sent/plain');
  assert.equal(sent.data, 'undefined');
  assert.equal(sent.coreid, 'particle-internal');
});

test('json object: a quote in device data cannot break the JSON; numbers via a json string template', async () => {
  cap.requests.length = 0;
  await createIntegration(s, { event: 'jsonobj', url: `${cap.url}/j`, json: { msg: '{{{msg}}}', n: '{{n}}' }, noDefaults: true });
  await createIntegration(s, { event: 'jsonstr', url: `${cap.url}/k`, json: '{"n": {{n}}, "dev": "{{{PARTICLE_DEVICE_ID}}}"}', noDefaults: true });
  await publish(s, dev.token, 'jsonobj', JSON.stringify({ msg: 'say "hi" \\ <b>', n: 5 }));
  await publish(s, dev.token, 'jsonstr', JSON.stringify({ n: 5 }));
  const reqs = await cap.waitFor(2);
  const j = reqs.find((r) => r.path === '/j')!;
  assert.equal(j.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(j.body), { msg: 'say "hi" \\ <b>', n: '5' });
  assert.deepEqual(JSON.parse(reqs.find((r) => r.path === '/k')!.body), { n: 5, dev: dev.id });
});

test('GET with query, headers, auth and secrets; the log masks the secret', async () => {
  cap.requests.length = 0;
  await putSecret(s, 'HOOK_KEY', 'k3y-v@lue==');
  const integ = await createIntegration(s, {
    event: 'get-me',
    url: `${cap.url}/g/{{{PARTICLE_EVENT_NAME}}}`,
    requestType: 'GET',
    query: { key: '{{HOOK_KEY}}', v: '{{{v}}}' },
    headers: { 'X-Key': 'Bearer {{HOOK_KEY}}' },
    auth: { username: 'u', password: '{{{HOOK_KEY}}}' },
    secrets: [{ name: 'HOOK_KEY' }],
    noDefaults: true,
  });
  await publish(s, dev.token, 'get-me', '{"v":"a b"}');
  const [r] = await cap.waitFor(1);
  assert.equal(r.method, 'GET');
  assert.equal(r.path, '/g/get-me');
  assert.equal(r.query.get('key'), 'k3y-v@lue==');
  assert.equal(r.query.get('v'), 'a b');
  assert.equal(r.headers['x-key'], 'Bearer k3y-v@lue==');
  assert.equal(r.headers.authorization, `Basic ${Buffer.from('u:k3y-v@lue==').toString('base64')}`);
  assert.equal(r.body, '');
  await new Promise((res) => setTimeout(res, 100));
  const log = await json(await api(s, `/api/hookline/integrations/${integ.id}/log`));
  const text = JSON.stringify(log);
  assert.equal(text.includes('k3y-v@lue'), false, text);
  assert.equal(log.entries[0].request.headers['X-Key'], 'Bearer [[SENSITIVE]]');
});

test('a non-empty 2xx body comes back on responseTopic/<i> in 512-byte parts', async () => {
  const body = 'x'.repeat(512) + 'y'.repeat(512) + 'z'.repeat(100);
  cap.reply = (r) => (r.path === '/big' ? { status: 200, headers: { 'content-type': 'text/plain' }, body } : { status: 204 });
  await createIntegration(s, { event: 'chunky', url: `${cap.url}/big`, responseTopic: '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}' });
  await publish(s, dev.token, 'chunky', '1');
  await stream.waitFor((e) => e.name === `${dev.id}/hook-response/chunky/2`);
  const parts = results(`${dev.id}/hook-response/chunky/`);
  assert.deepEqual(parts.map((e) => e.name.split('/').pop()), ['0', '1', '2']);
  assert.deepEqual(parts.map((e) => e.data!.length), [512, 512, 100]);
  assert.equal(parts.map((e) => e.data).join(''), body);
  assert.equal(parts[0].coreid, 'particle-internal');
});

test('unchunked, dataUrlResponseEvent and responseTemplate', async () => {
  cap.reply = (r) =>
    r.path === '/elev'
      ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results: [{ elevation: 1608.637939453125 }] }) }
      : r.path === '/bin'
        ? { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0xa7, 0x22, 0x98]) }
        : { status: 200, body: 'u'.repeat(700) };
  await createIntegration(s, { event: 'elev', url: `${cap.url}/elev`, responseTemplate: '{{{results.0.elevation}}}' });
  await createIntegration(s, { event: 'binary', url: `${cap.url}/bin`, dataUrlResponseEvent: true });
  await createIntegration(s, { event: 'whole', url: `${cap.url}/whole`, unchunked: true });
  await publish(s, dev.token, 'elev', '');
  await publish(s, dev.token, 'binary', '');
  await publish(s, dev.token, 'whole', '');
  assert.equal((await stream.waitFor((e) => e.name === 'hook-response/elev/0')).data, '1608.637939453125');
  assert.equal((await stream.waitFor((e) => e.name === 'hook-response/binary/0')).data, 'data:application/octet-stream;base64,pyKY');
  assert.equal((await stream.waitFor((e) => e.name === 'hook-response/whole/0')).data, 'u'.repeat(700));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(results('hook-response/whole/1').length, 0);
  cap.reply = () => ({ status: 204 });
});

test('a 404 publishes "error status 404 from <host>" on the error topic and is not retried', async () => {
  cap.requests.length = 0;
  cap.reply = (r) => (r.path === '/missing' ? { status: 404, body: 'nope' } : { status: 204 });
  const integ = await createIntegration(s, { event: 'lost', url: `${cap.url}/missing`, errorResponseTopic: 'oops/{{PARTICLE_EVENT_NAME}}' });
  await publish(s, dev.token, 'lost', '');
  const e = await stream.waitFor((x) => x.name === 'oops/lost/0');
  assert.equal(e.data, 'error status 404 from 127.0.0.1');
  const log = await json(await api(s, `/api/hookline/integrations/${integ.id}/log`));
  assert.equal(log.entries[0].next, 'dead-lettered');
  assert.equal(log.entries[0].response.body, 'nope');
  assert.equal(cap.requests.filter((r) => r.path === '/missing').length, 1);
  cap.reply = () => ({ status: 204 });
});

test('a 500 is retried after a backoff and then succeeds; a timeout is named ESOCKETTIMEDOUT', async () => {
  cap.requests.length = 0;
  let n = 0;
  cap.reply = (r) => (r.path === '/flaky' ? (n++ === 0 ? { status: 500 } : { status: 200, body: 'ok now' }) : r.path === '/slow' ? { status: 204, delayMs: 1500 } : { status: 204 });
  const flaky = await createIntegration(s, { event: 'flaky', url: `${cap.url}/flaky` });
  await createIntegration(s, { event: 'slow', url: `${cap.url}/slow` });
  await publish(s, dev.token, 'flaky', '');
  await publish(s, dev.token, 'slow', '');
  assert.equal((await stream.waitFor((e) => e.name === 'hook-error/flaky/0')).data, 'error status 500 from 127.0.0.1');
  assert.equal((await stream.waitFor((e) => e.name === 'hook-error/slow/0')).data, 'ESOCKETTIMEDOUT');
  assert.equal((await stream.waitFor((e) => e.name === 'hook-response/flaky/0', 6000)).data, 'ok now');
  const tries = cap.requests.filter((r) => r.path === '/flaky');
  assert.equal(tries.length, 2);
  const gap = tries[1].at - tries[0].at;
  assert.ok(gap >= 1400 && gap <= 3500, `retry after ${gap} ms`);
  const log = await json(await api(s, `/api/hookline/integrations/${flaky.id}/log`));
  assert.deepEqual(log.entries.map((e: { outcome: string; attempt: number }) => `${e.outcome}#${e.attempt}`), ['success#2', 'error#1']);
  assert.match(log.entries[1].next, /^retry at /);
  cap.reply = () => ({ status: 204 });
});

test('prefix match is case-sensitive; deviceID filters; disabled integrations do not fire', async () => {
  cap.requests.length = 0;
  const other = await createDevice(s, { name: 'other' });
  await createIntegration(s, { event: 'temp', url: `${cap.url}/temp` });
  await createIntegration(s, { event: 'only', url: `${cap.url}/only`, deviceID: other.id });
  await createIntegration(s, { event: 'off', url: `${cap.url}/off`, disabled: true });
  for (const n of ['Temp', 'high_temp', 'temperature', 'temp']) await publish(s, dev.token, n, '');
  await publish(s, dev.token, 'only', '');
  await publish(s, other.token, 'only', '');
  await publish(s, dev.token, 'off', '');
  await cap.waitFor(3);
  await new Promise((r) => setTimeout(r, 300));
  // This test's targets only (earlier tests' retries may still arrive).
  const seen = cap.requests
    .filter((r) => ['/temp', '/only', '/off'].includes(r.path))
    .map((r) => `${r.path}:${new URLSearchParams(r.body).get('event')}:${new URLSearchParams(r.body).get('coreid') === other.id ? 'other' : 'dev'}`).sort();
  assert.deepEqual(seen, ['/only:only:other', '/temp:temp:dev', '/temp:temperature:dev']);
});

test('hook-sent, hook-response and hook-error never trigger webhooks, even from a device', async () => {
  cap.requests.length = 0;
  await createIntegration(s, { event: 'hook', url: `${cap.url}/loop` });
  await createIntegration(s, { event: 'loopy', url: `${cap.url}/loopy` });
  await publish(s, dev.token, 'loopy', '');
  await publish(s, dev.token, 'hook-response/fake/0', 'x');
  await cap.waitFor(1);
  await stream.waitFor((e) => e.name === 'hook-sent/loopy');
  await new Promise((r) => setTimeout(r, 300));
  // Only this test's two targets: earlier tests' retries (e.g. /slow) may still reach the shared capture server.
  const mine = cap.requests.map((r) => r.path).filter((p) => p === '/loop' || p === '/loopy');
  assert.deepEqual(mine, ['/loopy']);
});

test('circuit breaker: after mostly errors a host sleeps ("Sleeping, too many errors, please wait and try again")', async () => {
  const sick = await captureServer('127.0.0.2');
  sick.reply = () => ({ status: 503 });
  try {
    await createIntegration(s, { event: 'sick', url: `${sick.url}/x` });
    for (let i = 0; i < 10; i++) await publish(s, dev.token, 'sick', String(i));
    await sick.waitFor(10);
    await new Promise((r) => setTimeout(r, 200));
    await publish(s, dev.token, 'sick', 'late');
    const e = await stream.waitFor((x) => x.name === 'hook-error/sick/0' && x.data === 'Sleeping, too many errors, please wait and try again');
    assert.ok(e);
    const status = await json(await api(s, '/api/hookline/webhooks/status'));
    assert.equal(status.hosts.find((h: { host: string }) => h.host === '127.0.0.2').state, 'open');
    assert.equal(typeof status.queue.depth, 'number');
    assert.equal(status.queue.limit, 100000);
  } finally {
    await sick.close();
  }
});
