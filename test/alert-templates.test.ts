// The ready alert templates of the integration editor (issue 13): each is an
// ordinary integration the server accepts, and each sends an alert event in
// its service's shape to a loopback HTTP sink.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, startTestServer, type TestServer } from './helpers/server.ts';
import { captureServer, createIntegration, putSecret, type CaptureServer } from './helpers/particle.ts';
import { ALERT_TEMPLATES } from '../web/src/pages/integrations/alert-templates.ts';

let s: TestServer;
let cap: CaptureServer;

before(async () => {
  s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1' });
  cap = await captureServer();
});
after(async () => {
  await cap?.close();
  await s?.stop();
});

test('every alert template is accepted and renders an alert in its service\'s shape', async () => {
  await putSecret(s, 'PUSHOVER_TOKEN', 'tok');
  await putSecret(s, 'PUSHOVER_USER', 'usr');
  for (const t of ALERT_TEMPLATES) await createIntegration(s, { ...t.template, url: `${cap.url}/${t.key}` });
  const data = { check: 'too-hot', checkId: '0123456789abcdef', level: 'crit', previous: 'ok', value: 35, tags: { device: 'd2' }, time: new Date().toISOString(), message: 'too-hot is crit on "d2" (value 35)' };
  const r = await api(s, '/v1/devices/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alert/too-hot', data: JSON.stringify(data) }) });
  assert.equal(r.status, 200);
  const reqs = await cap.waitFor(ALERT_TEMPLATES.length, 20_000);
  const by = (k: string) => reqs.find((x) => x.path === `/${k}`)!;
  assert.deepEqual(JSON.parse(by('slack').body), { text: data.message });
  assert.deepEqual(JSON.parse(by('discord').body), { content: data.message });
  assert.equal(by('ntfy').body, data.message);
  assert.equal(by('ntfy').headers.title, 'too-hot is crit');
  const form = Object.fromEntries(new URLSearchParams(by('pushover').body));
  assert.deepEqual(form, { token: 'tok', user: 'usr', title: 'too-hot is crit', message: data.message });
  assert.equal(JSON.parse(by('teams').body).text, data.message);
  assert.deepEqual(JSON.parse(by('json').body), data);
});
