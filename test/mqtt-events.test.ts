// Devices over MQTT (docs/particle.md "MQTT"): login with device id + token,
// publish events/<name> (same pipeline as HTTP: webhooks, SSE, history),
// subscribe to events/... for the org's events, e.g. webhook responses.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { api, freePort, startTestServer, type TestServer } from './helpers/server.ts';
import { captureServer, createDevice, createIntegration, json, openStream, orgToken, type CaptureServer } from './helpers/particle.ts';

let s: TestServer;
let cap: CaptureServer;
let port: number;
before(async () => {
  port = await freePort();
  s = await startTestServer({ HOOKLINE_MQTT_PORT: String(port), HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1' });
  cap = await captureServer();
});
after(async () => {
  await cap.close();
  await s.stop();
});

function connect(username: string, password: string): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 5000 });
}

test('a device publishes over MQTT: the webhook fires, SSE and history see it, the response comes back over MQTT', async () => {
  const d = await createDevice(s, { name: 'mqtt-dev' });
  cap.reply = () => ({ status: 200, body: 'stored' });
  await createIntegration(s, { event: 'data', url: `${cap.url}/m`, json: { c: '{{{count}}}' }, noDefaults: true, responseTopic: '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}' });
  const st = await openStream(s, { deviceId: d.id });
  const client = await connect(d.id, d.token);
  try {
    await client.subscribeAsync(`events/${d.id}/hook-response/#`, { qos: 1 });
    const got = new Promise<[string, string]>((resolve) => client.on('message', (t, p) => resolve([t, p.toString()])));
    await client.publishAsync('events/data', '{"count":7}', { qos: 1 });
    const [req] = await cap.waitFor(1);
    assert.deepEqual(JSON.parse(req.body), { c: '7' });
    const e = await st.waitFor((x) => x.name === 'data');
    assert.equal(e.data, '{"count":7}');
    assert.equal(e.coreid, d.id);
    assert.deepEqual(await got, [`events/${d.id}/hook-response/data/0`, 'stored']);
    const info = await json(await api(s, `/v1/devices/${d.id}`));
    assert.ok(info.last_heard);
  } finally {
    st.close();
    await client.endAsync();
  }
});

test('a wrong password is refused at CONNECT; an API token publishes as "api"', async () => {
  const d = await createDevice(s);
  await assert.rejects(connect(d.id, 'wrong'), /Bad username or password|Not authorized|connack/i);
  const client = await connect('anything', s.token);
  const st = await openStream(s, { deviceId: 'api' });
  try {
    await client.publishAsync('events/from-mqtt-api', 'hello', { qos: 1 });
    assert.equal((await st.waitFor((x) => x.name === 'from-mqtt-api')).data, 'hello');
  } finally {
    st.close();
    await client.endAsync();
  }
});

test('an invalid event name is acknowledged and dropped; other orgs\' events never reach a subscriber', async () => {
  const d = await createDevice(s);
  const other = await orgToken(s, 'mqtt-other');
  const watcher = await connect('watcher', other.token);
  const seen: string[] = [];
  watcher.on('message', (t) => seen.push(t));
  await watcher.subscribeAsync('events/#', { qos: 0 });
  const client = await connect(d.id, d.token);
  try {
    await client.publishAsync('events/spark/reserved', 'x', { qos: 1 });
    await client.publishAsync('events/fine', 'y', { qos: 1 });
    const hist = await json(await api(s, `/api/hookline/devices/${d.id}/events`));
    assert.deepEqual(hist.events.map((e: { name: string }) => e.name), ['fine']);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(seen, []);
    // Only events/... may be subscribed to (SUBACK failure 0x80).
    await assert.rejects(watcher.subscribeAsync('$SYS/#'), /Subscribe error/);
  } finally {
    await client.endAsync();
    await watcher.endAsync();
  }
});
