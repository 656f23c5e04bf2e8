// The dashboards API (issue 14) against a real server: the document comes back
// as sent (plus id and timestamps), survives a restart, is invisible to
// another org, read-only for a read token, and bounded by its settings.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, startTestServer, type TestServer } from './helpers/server.ts';

// The example document, verbatim.
const FREEZERS = {
  name: 'Freezers',
  time: { from: 'now-1h', to: 'now' },
  refresh: '10s',
  variables: [{ name: 'device', type: 'query', language: 'influxql', bucket: 'hookline', query: 'SHOW TAG VALUES FROM "data" WITH KEY = "device"', current: 'd1' }],
  panels: [
    {
      title: 'Temperature',
      type: 'timeseries',
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      queries: [{ language: 'influxql', bucket: 'hookline', query: `SELECT mean("temp") FROM "data" WHERE "device" = '$device' AND time > now() - 1h GROUP BY time(1m) fill(none)` }],
    },
    { title: 'Now', type: 'stat', gridPos: { x: 12, y: 0, w: 6, h: 8 }, queries: [{ language: 'influxql', bucket: 'hookline', query: `SELECT last("temp") FROM "data" WHERE "device" = '$device'` }] },
    { title: 'Recent', type: 'table', gridPos: { x: 0, y: 8, w: 18, h: 8 }, queries: [{ language: 'sql', bucket: 'hookline', query: 'SELECT "time", "device", "temp" FROM "data" ORDER BY "time" DESC LIMIT 10' }] },
  ],
};

let s: TestServer;
const tokens: Record<string, string> = {};

function as(token: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Token ${token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return fetch(s.url + path, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
}

async function json(r: Response, status: number): Promise<any> {
  const text = await r.text();
  assert.equal(r.status, status, text);
  return text ? JSON.parse(text) : undefined;
}

function withoutServerFields(d: Record<string, unknown>): Record<string, unknown> {
  const { id: _i, createdAt: _c, updatedAt: _u, ...rest } = d;
  return rest;
}

before(async () => {
  s = await startTestServer({ HOOKLINE_MAX_DASHBOARD_BYTES: '4KiB', HOOKLINE_MAX_DASHBOARDS_PER_ORG: '3' });
  tokens.admin = s.token;
  const org1 = s.firstRun!.org.id;
  const bucket = s.tenancy.listBuckets({ orgID: org1 })[0].id;
  const mk = async (orgID: string, permissions: unknown[]) => (await json(await api(s, '/api/v2/authorizations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgID, permissions }) }), 201)).token as string;
  tokens.ro = await mk(org1, [{ action: 'read', resource: { type: 'buckets', id: bucket, orgID: org1 } }]);
  tokens.wo = await mk(org1, [{ action: 'write', resource: { type: 'buckets', id: bucket, orgID: org1 } }]);
  const org2 = (await json(await api(s, '/api/v2/orgs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'other' }) }), 201)).id;
  tokens.org2 = await mk(org2, [
    { action: 'read', resource: { type: 'dashboards', orgID: org2 } },
    { action: 'write', resource: { type: 'dashboards', orgID: org2 } },
  ]);
});
after(() => s?.stop());

let id = '';

test('POST answers 201 with the document as sent, plus id and timestamps; GET gives it back unchanged', async () => {
  const created = await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', json: { ...FREEZERS, custom: { kept: [1, 'two', null] } } }), 201);
  assert.match(created.id, /^[0-9a-f]{16}$/);
  assert.ok(Date.parse(created.createdAt) > 0 && created.updatedAt === created.createdAt);
  assert.deepEqual(withoutServerFields(created), { ...FREEZERS, custom: { kept: [1, 'two', null] } });
  id = created.id;
  const got = await json(await as(tokens.admin, `/api/hookline/dashboards/${id}`), 200);
  assert.deepEqual(got, created);
  const list = await json(await as(tokens.admin, '/api/hookline/dashboards'), 200);
  assert.deepEqual(list.dashboards, [created]);
});

test('PUT replaces the whole document; an exported document imports as a new one, equal but for the server fields', async () => {
  const changed = { ...FREEZERS, name: 'Freezers (moved)', panels: [{ ...FREEZERS.panels[1], gridPos: { x: 0, y: 0, w: 6, h: 4 } }] };
  const put = await json(await as(tokens.admin, `/api/hookline/dashboards/${id}`, { method: 'PUT', json: { ...changed, id: 'ignored', createdAt: 'ignored' } }), 200);
  assert.equal(put.id, id);
  assert.deepEqual(withoutServerFields(put), changed);
  const exported = await json(await as(tokens.admin, `/api/hookline/dashboards/${id}`), 200);
  const imported = await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', json: exported }), 201);
  assert.notEqual(imported.id, id);
  assert.deepEqual(withoutServerFields(imported), withoutServerFields(exported));
  await json(await as(tokens.admin, `/api/hookline/dashboards/${imported.id}`, { method: 'DELETE' }), 204);
  await json(await as(tokens.admin, `/api/hookline/dashboards/${imported.id}`), 404);
});

test('a read token views but cannot change; a write-only bucket token sees nothing', async () => {
  const got = await json(await as(tokens.ro, `/api/hookline/dashboards/${id}`), 200);
  assert.equal(got.name, 'Freezers (moved)');
  assert.equal((await json(await as(tokens.ro, '/api/hookline/dashboards'), 200)).dashboards.length, 1);
  for (const [method, path] of [['POST', '/api/hookline/dashboards'], ['PUT', `/api/hookline/dashboards/${id}`], ['DELETE', `/api/hookline/dashboards/${id}`]]) {
    const body = await json(await as(tokens.ro, path, { method, json: method === 'DELETE' ? undefined : FREEZERS }), 403);
    assert.equal(body.code, 'forbidden');
  }
  await json(await as(tokens.wo, `/api/hookline/dashboards/${id}`), 403);
});

test("another org's dashboards are invisible: not listed, 404 by id, not changeable", async () => {
  assert.deepEqual((await json(await as(tokens.org2, '/api/hookline/dashboards'), 200)).dashboards, []);
  await json(await as(tokens.org2, `/api/hookline/dashboards/${id}`), 404);
  await json(await as(tokens.org2, `/api/hookline/dashboards/${id}`, { method: 'PUT', json: FREEZERS }), 404);
  await json(await as(tokens.org2, `/api/hookline/dashboards/${id}`, { method: 'DELETE' }), 404);
  await json(await as(tokens.admin, `/api/hookline/dashboards/${id}`), 200);
});

test('a bad document is a 400 naming the field at fault, in the {"code","message"} dialect', async () => {
  const cases: Array<[unknown, string]> = [
    [{ ...FREEZERS, name: '' }, 'name'],
    [[1, 2], '(body)'],
    [{ ...FREEZERS, panels: [{ ...FREEZERS.panels[0], gridPos: { x: 20, y: 0, w: 12, h: 8 } }] }, 'panels[0].gridPos.x'],
    [{ ...FREEZERS, panels: [{ ...FREEZERS.panels[0], queries: [{ language: 'flux', query: 'from()' }] }] }, 'panels[0].queries[0].language'],
    [{ ...FREEZERS, variables: [{ name: 'bad name', type: 'custom' }] }, 'variables[0].name'],
    [{ ...FREEZERS, refresh: 'often' }, 'refresh'],
  ];
  for (const [doc, field] of cases) {
    const body = await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', json: doc }), 400);
    assert.equal(body.code, 'invalid');
    assert.equal(body.field, field);
    assert.ok(body.message.startsWith(`${field}: `), body.message);
  }
  const notJson = await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } }), 400);
  assert.equal(notJson.code, 'invalid');
});

test('limits: HOOKLINE_MAX_DASHBOARD_BYTES gives 413, HOOKLINE_MAX_DASHBOARDS_PER_ORG gives 422', async () => {
  const big = await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', json: { ...FREEZERS, notes: 'x'.repeat(5000) } }), 413);
  assert.match(big.message, /HOOKLINE_MAX_DASHBOARD_BYTES/);
  await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', json: { name: 'two' } }), 201);
  await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', json: { name: 'three' } }), 201);
  const over = await json(await as(tokens.admin, '/api/hookline/dashboards', { method: 'POST', json: { name: 'four' } }), 422);
  assert.match(over.message, /HOOKLINE_MAX_DASHBOARDS_PER_ORG/);
  // The other org has its own count.
  await json(await as(tokens.org2, '/api/hookline/dashboards', { method: 'POST', json: { name: 'theirs' } }), 201);
});

test('dashboards survive a restart', async () => {
  const before = await json(await as(tokens.admin, `/api/hookline/dashboards/${id}`), 200);
  s = await s.restart();
  const afterRestart = await json(await as(tokens.admin, `/api/hookline/dashboards/${id}`), 200);
  assert.deepEqual(afterRestart, before);
});
