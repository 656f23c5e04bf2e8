// Integrations and secrets through the Particle API (docs.particle.io/reference/cloud-apis/webhooks/,
// §5.4), with particle-api-js where it has a call for it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { api, startTestServer, type TestServer } from './helpers/server.ts';
import { captureServer, createDevice, createIntegration, json, particle, publish, putSecret, type CaptureServer } from './helpers/particle.ts';

let s: TestServer;
let cap: CaptureServer;
before(async () => {
  s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' });
  cap = await captureServer();
});
after(async () => {
  await cap.close();
  await s.stop();
});

const post = (path: string, body: unknown, method = 'POST') => api(s, path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('invalid definitions are 400s that name the field', async () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ url: 'https://x.example/' }, 'event', /required/],
    [{ event: 'a' }, 'url', /required/],
    [{ event: 'a', url: 'ftp://x.example/' }, 'url', /http/],
    [{ event: 'a b', url: 'https://x.example/' }, 'event', /letters/],
    [{ event: 'a', url: 'https://x.example/', requestType: 'PATCH' }, 'requestType', /GET, POST, PUT or DELETE/],
    [{ event: 'a', url: 'https://x.example/', json: {}, body: 'x' }, 'body', /mutually exclusive/],
    [{ event: 'a', url: 'https://x.example/', body: '{{#a}}' }, 'body', /unclosed section/],
    [{ event: 'a', url: 'https://x.example/', headers: { 'Bad Header': 'x' } }, 'headers.Bad Header', /header name/],
    [{ event: 'a', url: 'https://x.example/', noDefaults: 'yes' }, 'noDefaults', /true or false/],
    [{ event: 'a', url: 'https://x.example/', deviceID: 'kitchen' }, 'deviceID', /24-hex/],
    [{ event: 'a', url: 'https://x.example/', secrets: [{ name: 'NOPE' }] }, 'secrets[0].name', /does not exist/],
    [{ event: 'a', url: 'https://x.example/', integration_type: 'GoogleMaps' }, 'integration_type', /not supported/],
  ];
  for (const [def, field, re] of cases) {
    const r = await post('/v1/integrations', def);
    const b = await json(r);
    assert.equal(r.status, 400, JSON.stringify(def));
    assert.equal(b.ok, false);
    assert.equal(b.field, field, JSON.stringify(b));
    assert.match(b.error, re);
    assert.ok(b.error.startsWith(`${field}: `));
  }
});

test('aliases are accepted: eventName, deviceid, responseEvent, errorResponseEvent, data_url_response_event', async () => {
  const d = await createDevice(s);
  const c = await createIntegration(s, { eventName: 'alias', url: `${cap.url}/a`, deviceid: d.id.toUpperCase(), responseEvent: 'r', errorResponseEvent: 'e', data_url_response_event: true });
  assert.equal(c.event, 'alias');
  assert.equal(c.deviceID, d.id);
  assert.equal(c.eventName, 'alias');
  const got = await json(await api(s, `/v1/integrations/${c.id}`));
  assert.equal(got.responseEvent, 'r');
  assert.ok(Array.isArray(got.logs));
});

test('particle-api-js: createWebhook, listWebhooks, deleteWebhook; createIntegration, editIntegration, listIntegrations', async () => {
  const p = particle(s);
  const w = (await p.createWebhook({ event: 'legacy', url: `${cap.url}/legacy`, auth: s.token, hook: { method: 'PUT', responseEvent: 'legacy-resp' } } as never)).body as unknown as Record<string, unknown>;
  assert.equal(w.ok, true);
  assert.match(String(w.id), /^[0-9a-f]{24}$/);
  const list = (await p.listWebhooks({ auth: s.token })).body as unknown as Array<Record<string, unknown>>;
  const mine = list.find((x) => x.id === w.id)!;
  assert.equal(mine.requestType, 'PUT');
  assert.equal(mine.event, 'legacy');
  await p.deleteWebhook({ hookId: String(w.id), auth: s.token });
  assert.equal(((await p.listWebhooks({ auth: s.token })).body as unknown[]).some((x) => (x as { id: string }).id === w.id), false);

  const i = (await p.createIntegration({ event: 'int', settings: { url: `${cap.url}/int`, requestType: 'POST', noDefaults: true, body: 'v={{{v}}}' }, auth: s.token } as never)).body as unknown as Record<string, unknown>;
  assert.equal(i.integration_type, 'Webhook');
  assert.equal(i.body, 'v={{{v}}}');
  const edited = (await p.editIntegration({ integrationId: String(i.id), settings: { disabled: true }, auth: s.token } as never)).body as unknown as Record<string, unknown>;
  assert.equal(edited.disabled, true);
  assert.equal(edited.url, `${cap.url}/int`, 'fields not sent are kept');
  const all = (await p.listIntegrations({ auth: s.token } as never)).body as unknown as Array<Record<string, unknown>>;
  assert.ok(all.some((x) => x.id === i.id));
  const del = await api(s, `/v1/integrations/${i.id}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  assert.equal((await api(s, `/v1/integrations/${i.id}`)).status, 404);
});

test('secrets: PUT {secret:{value}}, listed without values, masked, deleted only when unused, encrypted at rest', async () => {
  const value = 'sup3r-s3cret-v4lue-' + Date.now();
  assert.equal((await putSecret(s, 'API_KEY', value)).status, 201);
  const upd = await putSecret(s, 'API_KEY', value);
  assert.equal(upd.status, 200);
  const one = await json(upd);
  assert.equal(one.secret.name, 'API_KEY');
  assert.equal(JSON.stringify(one).includes(value), false);
  assert.equal((await putSecret(s, 'bad-name', 'x')).status, 400);
  assert.equal((await api(s, '/v1/secrets/X', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"secret":{}}' })).status, 400);

  const integ = await createIntegration(s, { name: 'uses key', event: 'sec', url: `${cap.url}/sec`, headers: { Authorization: 'Bearer {{{API_KEY}}}' }, secrets: [{ name: 'API_KEY' }] });
  const listed = await json(await api(s, '/v1/secrets'));
  const entry = listed.secrets.find((x: { name: string }) => x.name === 'API_KEY');
  assert.deepEqual(entry.integrations, [{ name: 'uses key', id: integ.id }]);
  assert.deepEqual(entry.logic_functions, []);
  for (const k of ['created_at', 'updated_at', 'created_by', 'updated_by', 'last_accessed_at']) assert.ok(k in entry, k);
  assert.equal(JSON.stringify(listed).includes(value), false);

  const busy = await api(s, '/v1/secrets/API_KEY', { method: 'DELETE' });
  assert.equal(busy.status, 400);
  assert.match((await json(busy)).error, /used by 1 integration/);

  const d = await createDevice(s);
  cap.requests.length = 0;
  await publish(s, d.token, 'sec', 'x');
  const [req] = await cap.waitFor(1);
  assert.equal(req.headers.authorization, `Bearer ${value}`);
  const got = await json(await api(s, '/v1/secrets/API_KEY'));
  assert.ok(got.secret.last_accessed_at);

  // Nothing under the data directory holds the plain value; the key file is 0600.
  await fetch(`${s.url}/debug/flush`, { method: 'POST', headers: { authorization: `Token ${s.token}` } });
  const files: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else files.push(join(dir, e.name));
    }
  };
  await walk(s.dataDir);
  for (const f of files) assert.equal((await readFile(f)).includes(Buffer.from(value)), false, `${f} holds the secret`);
  assert.equal((await stat(join(s.dataDir, 'secrets.key'))).mode & 0o777, 0o600);

  await api(s, `/v1/integrations/${integ.id}`, { method: 'DELETE' });
  assert.equal((await api(s, '/v1/secrets/API_KEY', { method: 'DELETE' })).status, 204);
  assert.equal((await api(s, '/v1/secrets/API_KEY')).status, 404);
});

test('the test endpoint renders an unsaved definition without sending it, secrets masked', async () => {
  await putSecret(s, 'TK', 'value-of-tk');
  const r = await post('/v1/integrations/test', {
    integration: { event: 'x', url: `${cap.url}/t?k={{{TK}}}`, json: { a: '{{{a}}}' }, secrets: ['TK'] },
    data: { a: 1 },
    deviceId: '0123456789abcdef01234567',
  });
  const rep = await json(r);
  assert.equal(rep.sent, false);
  assert.equal(rep.request.url, `${cap.url}/t?k=[[SENSITIVE]]`);
  assert.deepEqual(JSON.parse(rep.request.body).a, '1');
  assert.equal(JSON.parse(rep.request.body).coreid, '0123456789abcdef01234567');
  assert.equal(JSON.stringify(rep).includes('value-of-tk'), false);
});
