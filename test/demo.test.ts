// Demo mode (src/demo): on a fresh server the seeds run against it through its
// public API, in an org of their own; the webhook's points and the Wemos'
// points arrive; a restart reuses that org and updates the same integration
// and devices instead of adding more; the user's orgs are never touched.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql, startTestServer, tempDir, BUCKET, ORG, type TestServer } from './helpers/server.ts';
import { allAccess } from '../src/tenancy/permissions.ts';
import { until } from './e2e/browser.ts';
import { DEMO_BUCKET, DEMO_DEVICES, DEMO_ORG } from '../src/demo/start-demo.ts';
import { deviceIdFor } from '../src/simulate/devices.ts';
import { interpolate } from '../web/src/lib/dashboard-vars.ts';

let server: TestServer | undefined;
after(() => server?.stop());

const env = { HOOKLINE_DEMO: 'true', HOOKLINE_DEMO_PERIOD: '100ms' };

/** The server seen with an all-access token of the demo's own org. */
async function asDemo(s: TestServer): Promise<TestServer> {
  const org = s.tenancy.orgByName(DEMO_ORG);
  assert.ok(org, 'the demo org exists');
  const { token } = await s.tenancy.createAuthorization({ orgID: org.id, description: 'test: demo org reader', permissions: allAccess(org.id) });
  return Object.assign(Object.create(s), { token }) as TestServer;
}

async function count(s: TestServer, q: string): Promise<number> {
  try {
    return (await sql<{ n: number }>(s, q, DEMO_BUCKET))[0].n;
  } catch {
    return 0; // the measurement does not exist yet
  }
}

test('demo: the seeds’ devices, webhook and Wemos run against the server', async () => {
  server = await startTestServer(env);
  const s = await asDemo(server);
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
  const tags = await sql<{ device: string }>(s, 'SELECT DISTINCT device FROM data ORDER BY device', DEMO_BUCKET);
  assert.deepEqual(tags.map((t) => t.device), DEMO_DEVICES.map(deviceIdFor).sort());
  // The Wemos' OpenTSDB JSON -> /api/put.
  await until('Wemos points', async () => (await count(s, 'SELECT count(*)::INTEGER AS n FROM universe')) > 0, 30_000);
  const log = (await (await api(s, `/api/hookline/integrations/${hook.id}/log`)).json()).entries as Array<{ outcome: string }>;
  assert.ok(log.some((e) => e.outcome === 'success'));
});

test('demo: one dashboard per seed, and every panel query answers with data', async () => {
  const s = await asDemo(server!);
  const { dashboards } = (await (await api(s, '/api/hookline/dashboards')).json()) as { dashboards: Array<{ name: string; panels: Array<{ title: string; type: string; queries?: Array<{ language: string; bucket: string; query: string }> }> }> };
  assert.deepEqual(dashboards.map((d) => d.name), ['Particle seed: count per device', 'Wemos seed: universe']);
  const device = deviceIdFor(DEMO_DEVICES[0]);
  const now = Date.now();
  for (const d of dashboards) {
    for (const p of d.panels) {
      for (const q of p.queries ?? []) {
        const text = interpolate(q.query, { language: q.language as 'sql', values: { device }, fromMs: now - 15 * 60_000, toMs: now, intervalMs: 10_000 });
        const r =
          q.language === 'sql'
            ? await api(s, `/api/v3/query_sql?db=${q.bucket}&format=json&q=${encodeURIComponent(text)}`)
            : q.language === 'opentsdb'
              ? await api(s, `/api/query?bucket=${q.bucket}&start=${now - 15 * 60_000}&end=${now}&m=${encodeURIComponent(text)}`)
              : await api(s, `/query?db=${q.bucket}&epoch=ms&q=${encodeURIComponent(text)}`);
        const body = await r.text();
        assert.equal(r.status, 200, `${d.name} / ${p.title}: ${body}`);
        assert.ok(!body.includes('"error"') && body.length > 20, `${d.name} / ${p.title} answered no data: ${body}`);
      }
    }
  }
});

test('demo: a restart updates what the last run installed', async () => {
  server = await server!.restart();
  const s = await asDemo(server);
  assert.equal(server.tenancy.listOrgs().filter((o) => o.name === DEMO_ORG).length, 1);
  const integrations = (await (await api(s, '/v1/integrations')).json()) as unknown[];
  assert.equal(integrations.length, 1);
  assert.equal(((await (await api(s, '/v1/devices')).json()) as unknown[]).length, 2);
  assert.equal(((await (await api(s, '/api/hookline/dashboards')).json()) as { dashboards: unknown[] }).dashboards.length, 2, 'the demo dashboards are not made twice');
  const auths = (await (await api(s, '/api/v2/authorizations')).json()).authorizations as Array<{ description: string }>;
  const demoTokens = auths.filter((a) => a.description.startsWith('hookline demo'));
  assert.equal(demoTokens.length, 3, demoTokens.map((a) => a.description).join('\n'));
  assert.ok(auths.some((a) => a.description === 'test: demo org reader'), 'listed are the demo org\'s tokens');
  const before = await count(s, 'SELECT count(*)::INTEGER AS n FROM data');
  await until('new webhook points after the restart', async () => (await count(s, 'SELECT count(*)::INTEGER AS n FROM data')) > before, 30_000);
});

test('demo on an existing data directory: nothing in the user\'s org changes (secrets, integrations, buckets, tokens)', async () => {
  const dir = await tempDir('hookline-demo-user-');
  let s = await startTestServer({}, dir);
  const put = (name: string, value: string) => api(s, `/v1/secrets/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: { value } }) });
  for (const [k, v] of [['INFLUX_API_KEY', 'users-own-key'], ['INFLUX_ORG', 'users-org'], ['INFLUX_BUCKET', 'users-bucket']]) assert.equal((await put(k, v)).status, 201);
  const mine = { name: 'InfluxDB', event: 'data', url: 'https://example.com/api/v2/write', requestType: 'POST', body: 'x', secrets: [{ name: 'INFLUX_API_KEY' }] };
  assert.equal((await api(s, '/v1/integrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mine) })).status, 201);
  const org = s.tenancy.orgByName(ORG)!;
  const snapshot = async (t: TestServer) => ({
    secrets: await (await api(t, '/v1/secrets')).json(),
    integrations: await (await api(t, '/v1/integrations')).json(),
    buckets: t.tenancy.listBuckets({ orgID: org.id }).map((b) => [b.id, b.name]),
    tokens: t.tenancy.listAuthorizations({ orgID: org.id }).map((a) => [a.id, a.description, a.updatedAt]),
    devices: await (await api(t, '/v1/devices')).json(),
  });
  const before = await snapshot(s);
  await s.close();
  for (let run = 0; run < 2; run++) {
    s = await startTestServer(env, dir);
    assert.deepEqual(await snapshot(s), before);
    assert.equal(s.tenancy.listOrgs().filter((o) => o.name === DEMO_ORG).length, 1, 'a second demo start reuses the demo org');
    await s.close();
  }
  // The user's webhook still renders the user's secrets: the demo wrote its own INFLUX_* in its own org.
  s = await startTestServer({}, dir);
  try {
    const demo = await asDemo(s);
    const demoSecrets = (await (await api(demo, '/v1/secrets')).json()).secrets as Array<{ name: string }>;
    assert.deepEqual(demoSecrets.map((x) => x.name).sort(), ['INFLUX_API_KEY', 'INFLUX_BUCKET', 'INFLUX_ORG']);
    assert.deepEqual(await snapshot(s), before);
    assert.ok(s.tenancy.bucketByName(org.id, BUCKET));
  } finally {
    await s.stop();
  }
});
