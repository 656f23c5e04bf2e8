// Demo mode (src/demo): on a fresh server the seeds run against it through its
// public API; the webhook's points and the Wemos' points arrive; a restart
// updates the same integration and devices instead of adding more.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './e2e/browser.ts';
import { DEMO_DEVICES } from '../src/demo/start-demo.ts';
import { deviceIdFor } from '../src/simulate/devices.ts';

let server: TestServer | undefined;
after(() => server?.stop());

const env = { HOOKLINE_DEMO: 'true', HOOKLINE_DEMO_PERIOD: '100ms' };

async function count(s: TestServer, q: string): Promise<number> {
  try {
    return (await sql<{ n: number }>(s, q))[0].n;
  } catch {
    return 0; // the measurement does not exist yet
  }
}

test('demo: the seeds’ devices, webhook and Wemos run against the server', async () => {
  server = await startTestServer(env);
  const s = server;
  const integrations = (await (await api(s, '/v1/integrations')).json()) as Array<Record<string, unknown>>;
  assert.equal(integrations.length, 1);
  const hook = integrations[0];
  assert.equal(hook.name, 'InfluxDB');
  assert.equal(hook.url, `${s.url}/api/v2/write`);
  assert.equal(hook.body, 'data,device={{{PARTICLE_DEVICE_ID}}} count={{{count}}} {{{time}}}');
  const secrets = (await (await api(s, '/v1/secrets')).json()).secrets as Array<{ name: string }>;
  assert.deepEqual(secrets.map((x) => x.name).sort(), ['INFLUX_API_KEY', 'INFLUX_BUCKET', 'INFLUX_ORG']);
  const devices = (await (await api(s, '/v1/devices')).json()) as Array<{ id: string; name: string }>;
  assert.deepEqual(devices.map((d) => d.name).sort(), DEMO_DEVICES);

  // Events -> webhook -> /api/v2/write: one series per demo device.
  await until('webhook points from both devices', async () => (await count(s, 'SELECT count(DISTINCT device)::INTEGER AS n FROM data')) === 2, 30_000);
  const tags = await sql<{ device: string }>(s, 'SELECT DISTINCT device FROM data ORDER BY device');
  assert.deepEqual(tags.map((t) => t.device), DEMO_DEVICES.map(deviceIdFor).sort());
  // The Wemos' OpenTSDB JSON -> /api/put.
  await until('Wemos points', async () => (await count(s, 'SELECT count(*)::INTEGER AS n FROM universe')) > 0, 30_000);
  const log = (await (await api(s, `/api/hookline/integrations/${hook.id}/log`)).json()).entries as Array<{ outcome: string }>;
  assert.ok(log.some((e) => e.outcome === 'success'));
});

test('demo: a restart updates what the last run installed', async () => {
  const s = (server = await server!.restart());
  const integrations = (await (await api(s, '/v1/integrations')).json()) as unknown[];
  assert.equal(integrations.length, 1);
  assert.equal(((await (await api(s, '/v1/devices')).json()) as unknown[]).length, 2);
  const auths = (await (await api(s, '/api/v2/authorizations')).json()).authorizations as Array<{ description: string }>;
  const demoTokens = auths.filter((a) => a.description.startsWith('hookline demo'));
  assert.equal(demoTokens.length, 3, demoTokens.map((a) => a.description).join('\n'));
  const before = await count(s, 'SELECT count(*)::INTEGER AS n FROM data');
  await until('new webhook points after the restart', async () => (await count(s, 'SELECT count(*)::INTEGER AS n FROM data')) > before, 30_000);
});
