// Issue 13, "Done when": a deadman check sees a device go silent and come
// back, a threshold check sees a value cross and return, each change arrives
// once at a loopback HTTP sink through an ordinary integration on `alert/`,
// the statuses are in `_monitoring`, and a restart in between sends nothing
// twice. Real sockets; deadlines are generous hang guards, not timing asserts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, writeLp, startTestServer, BUCKET, type TestServer } from './helpers/server.ts';
import { captureServer, createIntegration, type CaptureServer } from './helpers/particle.ts';

let s: TestServer;
let cap: CaptureServer;
const ENV = { HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '1' };

before(async () => {
  s = await startTestServer(ENV);
  cap = await captureServer();
});
after(async () => {
  await cap?.close();
  await s?.stop();
});

async function call(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
  const r = await api(s, path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

/** Alerts the sink received, decoded from the integration's default form body. */
function alerts(): Array<{ event: string; data: any }> {
  return cap.requests.map((r) => {
    const f = new URLSearchParams(r.body);
    return { event: f.get('event')!, data: JSON.parse(f.get('data')!) };
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every check has run `n` more times after now (its lastRun moved on n periods). */
async function runsPass(ids: string[], n = 2): Promise<void> {
  const start = Date.now();
  await until(`${n} evaluations`, async () => {
    const { body } = await call('/api/hookline/checks');
    return ids.every((id) => {
      const c = body.checks.find((x: any) => x.id === id);
      return c?.state.lastRun && Date.parse(c.state.lastRun) > start + (n - 1) * 1000;
    }) || undefined;
  });
}

const beat = () => writeLp(s, `beat,device=d1 up=1i ${Math.floor(Date.now() / 1000)}`);
const temp = (v: number) => writeLp(s, `data,device=d2 temp=${v} ${Math.floor(Date.now() / 1000)}`);

test('deadman and threshold checks: each change once at an HTTP sink through an integration on alert/, statuses in _monitoring, none repeated by a restart', async () => {
  assert.equal((await beat()).status, 204);
  assert.equal((await temp(20)).status, 204);
  await createIntegration(s, { event: 'alert/', url: `${cap.url}/alert`, requestType: 'POST' });
  const hot = await call('/api/hookline/checks', 'POST', {
    name: 'too-hot', type: 'threshold', bucket: BUCKET, language: 'influxql',
    query: 'SELECT last("temp") FROM "data" WHERE time > now() - 5m GROUP BY "device"',
    every: '1s', levels: { crit: '> 30', warn: '> 25' },
  });
  assert.equal(hot.status, 201, JSON.stringify(hot.body));
  assert.match(hot.body.id, /^[0-9a-f]{16}$/);
  const silent = await call('/api/hookline/checks', 'POST', { name: 'silent', type: 'deadman', bucket: BUCKET, measurement: 'beat', groupBy: ['device'], staleAfter: '2s', every: '1s', level: 'crit' });
  assert.equal(silent.status, 201, JSON.stringify(silent.body));
  const ids = [hot.body.id, silent.body.id];

  // d1 stops beating: the deadman check goes crit.
  const [first] = await cap.waitFor(1, 30_000);
  const a1 = alerts()[0];
  assert.equal(a1.event, 'alert/silent');
  assert.equal(a1.data.level, 'crit');
  assert.equal(a1.data.previous, 'ok');
  assert.deepEqual(a1.data.tags, { device: 'd1' });
  assert.equal(a1.data.check, 'silent');
  assert.equal(a1.data.checkId, silent.body.id);
  assert.equal(typeof a1.data.value, 'number');
  assert.match(a1.data.time, /Z$/);
  assert.match(a1.data.message, /silent is crit on d1/);
  assert.equal(first.path, '/alert');

  // d2 gets hot: the threshold check goes crit.
  await temp(35);
  await cap.waitFor(2, 30_000);
  const a2 = alerts()[1];
  assert.equal(a2.event, 'alert/too-hot');
  assert.deepEqual([a2.data.level, a2.data.previous, a2.data.value, a2.data.tags], ['crit', 'ok', 35, { device: 'd2' }]);

  const list = await call('/api/hookline/checks');
  const hotView = list.body.checks.find((c: any) => c.id === hot.body.id);
  assert.equal(hotView.state.level, 'crit');
  assert.deepEqual(hotView.state.series.map((x: any) => [x.tags.device, x.level]), [['d2', 'crit']]);

  // A restart while both are crit (and notified): nothing is sent again.
  s = await s.restart();
  await runsPass(ids, 3);
  assert.equal(cap.requests.length, 2, `after the restart: ${JSON.stringify(alerts().slice(2))}`);
  assert.equal((await call(`/api/hookline/checks/${silent.body.id}`)).body.state.level, 'crit');

  // Both come back: one ok each.
  await beat();
  // d1 keeps beating to the end of the test (else it goes silent again, rightly).
  const beating = setInterval(() => void beat().catch(() => undefined), 500);
  after(() => clearInterval(beating));
  await temp(20);
  await cap.waitFor(4, 30_000);
  await runsPass(ids, 2);
  const all = alerts();
  assert.equal(all.length, 4, JSON.stringify(all));
  const back = all.slice(2).map((a) => [a.event, a.data.previous, a.data.level]).sort();
  assert.deepEqual(back, [['alert/silent', 'crit', 'ok'], ['alert/too-hot', 'crit', 'ok']]);

  // Statuses: one point per change in _monitoring (queryable by InfluxQL and SQL), and per check in the API.
  const st = await call(`/api/hookline/checks/${hot.body.id}/statuses`);
  assert.equal(st.status, 200);
  assert.deepEqual(st.body.statuses.map((x: any) => x.level), ['ok', 'crit']);
  assert.equal(st.body.statuses[1].device, 'd2');
  assert.equal(st.body.statuses[1].value, 35);
  const r = await api(s, `/api/v3/query_sql?db=_monitoring&format=json&q=${encodeURIComponent('SELECT "check", level, device, value FROM statuses ORDER BY time')}`);
  const rows = JSON.parse(await r.text());
  assert.equal(r.status, 200, JSON.stringify(rows));
  assert.equal(rows.length, 4, JSON.stringify(rows));
  assert.deepEqual(rows.map((x: any) => `${x.check}:${x.level}:${x.device}`).sort(), ['silent:crit:d1', 'silent:ok:d1', 'too-hot:crit:d2', 'too-hot:ok:d2']);
  clearInterval(beating);
  // The deadman check would see d1 go silent again from here: it goes.
  assert.equal((await call(`/api/hookline/checks/${silent.body.id}`, 'DELETE')).status, 204);
});

test('device state: last seen, online and last values from memory, per device and for all', async () => {
  await writeLp(s, `env,device=d9,site=n temp=4.5,door="shut" ${Math.floor(Date.now() / 1000)}`);
  const one = await call('/api/hookline/devices/d9/state');
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.equal(one.body.online, true);
  assert.deepEqual(Object.keys(one.body.values[BUCKET].env).sort(), ['door', 'temp']);
  assert.equal(one.body.values[BUCKET].env.temp.value, 4.5);
  const all = await call('/api/hookline/devices/state');
  assert.ok(all.body.devices.some((d: any) => d.device === 'd9'));
  assert.equal((await call('/api/hookline/devices/nope/state')).status, 404);
  // Another tag names the device in this bucket.
  assert.equal((await call(`/api/hookline/buckets/${BUCKET}/device-settings`, 'PUT', { deviceTag: 'site' })).status, 200);
  assert.equal((await call('/api/hookline/devices/n/state')).status, 200);
  assert.equal((await call(`/api/hookline/buckets/${BUCKET}/device-settings`, 'PUT', { deviceTag: 'device' })).status, 200);
  // Rebuilt on start from the store.
  s = await s.restart();
  const again = await until('device state after restart', async () => {
    const r = await call('/api/hookline/devices/d9/state');
    return r.status === 200 && r.body.values[BUCKET]?.env?.temp ? r.body : undefined;
  });
  assert.equal(again.values[BUCKET].env.temp.value, 4.5);
  assert.equal(again.values[BUCKET].env.door.value, 'shut');
});

test('errors name the field at fault; a check needs read on its bucket; other orgs do not see it', async () => {
  const bad = await call('/api/hookline/checks', 'POST', { name: 'x', type: 'threshold', bucket: BUCKET, query: 'SELECT 1', levels: { crit: 'above 3' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'levels.crit');
  assert.equal((await call('/api/hookline/checks', 'POST', { name: 'x y', type: 'deadman', bucket: BUCKET })).body.field, 'name');
  assert.equal((await call('/api/hookline/checks', 'POST', { name: 'x', type: 'deadman', bucket: 'nope' })).body.field, 'bucket');
  const org2 = await call('/api/v2/orgs', 'POST', { name: 'alerts-org-2' });
  const b2 = await call('/api/v2/buckets', 'POST', { orgID: org2.body.id, name: 'b2' });
  const token = await call('/api/v2/authorizations', 'POST', { orgID: org2.body.id, permissions: [{ action: 'read', resource: { type: 'checks', orgID: org2.body.id } }, { action: 'write', resource: { type: 'checks', orgID: org2.body.id } }] });
  const as2 = (path: string, method = 'GET', body?: unknown) => fetch(s.url + path, { method, headers: { authorization: `Token ${token.body.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const denied = await as2('/api/hookline/checks', 'POST', { name: 'x', type: 'deadman', bucket: 'b2', measurement: 'm' });
  assert.equal(denied.status, 403);
  assert.equal((await denied.json()).field, 'bucket');
  assert.ok(b2.body.id);
  const theirs = await (await as2('/api/hookline/checks')).json();
  assert.deepEqual(theirs.checks, []);
  const mine = (await call('/api/hookline/checks')).body.checks[0];
  assert.equal((await as2(`/api/hookline/checks/${mine.id}`)).status, 404);
  assert.equal((await as2(`/api/hookline/checks/${mine.id}`, 'DELETE')).status, 404);
});

test('preview runs the query now; PATCH and DELETE', async () => {
  await writeLp(s, `data,device=d3 temp=27 ${Math.floor(Date.now() / 1000)}`);
  const p = await call('/api/hookline/checks/preview', 'POST', { type: 'threshold', bucket: BUCKET, query: 'SELECT last("temp") FROM "data" WHERE time > now() - 5m GROUP BY "device"', levels: { crit: '> 30', warn: '> 25' } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.series.find((x: any) => x.tags.device === 'd3').level, 'warn');
  const c = await call('/api/hookline/checks', 'POST', { name: 'sql-hot', type: 'threshold', bucket: BUCKET, language: 'sql', query: 'SELECT device, arg_max(temp, time) AS value FROM data GROUP BY device', every: '1m', levels: { crit: '> 30', warn: '> 26' } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  // Run through the SQL sandbox (not the last-value cache): d3 is at warn.
  const sqlState = await until('the SQL check to run', async () => {
    const v = (await call(`/api/hookline/checks/${c.body.id}`)).body;
    return v.state.lastRun ? v.state : undefined;
  });
  assert.equal(sqlState.series.find((x: any) => x.tags.device === 'd3')?.level, 'warn', JSON.stringify(sqlState));
  // A query that fails puts the check itself in error, with the message.
  const broken = await call('/api/hookline/checks', 'POST', { name: 'broken', type: 'threshold', bucket: BUCKET, query: 'SELECT mean("temp") FROM "nowhere" WHERE time > now() - 1m GROUP BY nonsense(', every: '1m', levels: { crit: '> 30' } });
  assert.equal(broken.status, 201, JSON.stringify(broken.body));
  const errState = await until('the broken check to run', async () => {
    const v = (await call(`/api/hookline/checks/${broken.body.id}`)).body;
    return v.state.lastRun ? v.state : undefined;
  });
  assert.equal(errState.level, 'error');
  assert.match(errState.error, /pars/i);
  const patched = await call(`/api/hookline/checks/${c.body.id}`, 'PATCH', { levels: { warn: '> 26' }, every: '30s' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual(patched.body.levels, { warn: '> 26' });
  assert.equal(patched.body.language, 'sql');
  assert.equal((await call(`/api/hookline/checks/${c.body.id}`, 'PATCH', { every: 'soon' })).body.field, 'every');
  assert.equal((await call(`/api/hookline/checks/${c.body.id}`, 'DELETE')).status, 204);
  assert.equal((await call(`/api/hookline/checks/${c.body.id}`)).status, 404);
});
