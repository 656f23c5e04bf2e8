// The authorization matrix (issue 10): every registered HTTP route x every
// kind of token -> the status class it must answer, from the table in
// fixtures/authorization-matrix.json. The route list comes from fastify
// itself (app.registeredRoutes), so a new route fails here until the table
// says who may call it. Statuses only: bodies belong to the routes' own tests,
// except that no 2xx answer to a token other than org 1's all-access may
// carry the marker written into things only that token may read.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RESOURCE_TYPES } from '../src/tenancy/model.ts';
import { api, freePort, startTestServer, type TestServer } from './helpers/server.ts';

interface Entry {
  name: string;
  route?: string;
  routes?: string[];
  url?: string;
  query?: string;
  body?: unknown;
  form?: Record<string, string>;
  stream?: boolean;
  last?: boolean;
  readers?: Kind[];
  expect: Partial<Record<Kind, string>>;
}
type Kind = 'none' | 'invalid' | 'device' | 'ro' | 'wo' | 'org2' | 'admin' | 'v1user';

const TABLE_PATH = new URL('./fixtures/authorization-matrix.json', import.meta.url);
const table = JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as { kinds: Kind[]; entries: Entry[] };
/** Only org 1's all-access token may read things holding this. */
const MARKER = 'zqmark7k3';
const B1 = 'matrix-b1';
const HIDDEN = `matrix-hidden-${MARKER}`;
const V1_USER = `${MARKER}user`;
const V1_PASSWORD = 'v1-password';

/** The table's expectation; a 1.x user's defaults to ro's on the two 1.x routes (same grant), elsewhere to an invalid token's. */
function expected(entry: Entry, route: string, kind: Kind): string {
  const e = entry.expect[kind];
  if (e !== undefined) return e;
  if (kind !== 'v1user') throw new Error(`entry "${entry.name}" has no expectation for ${kind}`);
  const path = splitRoute(route).path;
  return path === '/query' || path === '/write' ? entry.expect.ro! : entry.expect.invalid!;
}

let s: TestServer;
const tokens: Partial<Record<Kind, string>> = {};
const ids: Record<string, string> = {};
let uniq = 0;

async function ok(r: Response, what: string): Promise<any> {
  const text = await r.text();
  assert.ok(r.status >= 200 && r.status < 300, `setup: ${what} answered ${r.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** As the operator (first-start) token. */
function post(path: string, body: unknown, method = 'POST'): Promise<Response> {
  return api(s, path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function createToken(orgID: string, description: string, permissions: unknown[]): Promise<{ id: string; token: string }> {
  return ok(await post('/api/v2/authorizations', { orgID, description, permissions }), `token ${description}`);
}

function allAccess(orgID: string): unknown[] {
  return RESOURCE_TYPES.flatMap((type) => (['read', 'write'] as const).map((action) => ({ action, resource: { type, orgID } })));
}

const now = () => String(Math.floor(Date.now() / 1000));

/** A fresh org-1 resource for one destructive request; answers its id (or name). */
async function fresh(kind: string): Promise<string> {
  const n = `${++uniq}`;
  switch (kind) {
    case 'bucket':
      return (await ok(await post('/api/v2/buckets', { orgID: ids.org1, name: `matrix-victim-${n}` }), 'bucket')).id;
    case 'bucketName':
      return (await ok(await post('/api/v2/buckets', { orgID: ids.org1, name: `matrix-victim-${n}` }), 'bucket')).name;
    case 'authorization':
      return (await createToken(ids.org1, `victim ${n}`, [{ action: 'read', resource: { type: 'buckets', id: ids.bucket1 } }])).id;
    case 'device':
      return (await ok(await post('/v1/devices', { name: `victim-${n}` }), 'device')).id;
    case 'secret':
      await ok(await post(`/v1/secrets/VICTIM_${n}`, { secret: { value: 'v' } }, 'PUT'), 'secret');
      return `VICTIM_${n}`;
    case 'dashboard':
      return (await ok(await post('/api/hookline/dashboards', { name: `victim ${n}` }), 'dashboard')).id;
    case 'check':
      return (await ok(await post('/api/hookline/checks', { name: `victim-${n}`, type: 'deadman', bucket: B1, measurement: 'cpu', every: '1h' }), 'check')).id;
    case 'integration':
      return (await ok(await post('/v1/integrations', { event: 'matrix/never', url: 'https://example.com/victim', requestType: 'POST' }), 'integration')).id;
    case 'remote':
      return (await ok(await post('/api/v2/remotes', { orgID: ids.org1, name: `victim-${n}`, remoteURL: 'http://127.0.0.1:9', remoteAPIToken: 'victim' }), 'remote')).id;
    case 'replication':
      return (await ok(await post('/api/v2/replications', { orgID: ids.org1, name: `victim-${n}`, remoteID: ids.remote1, localBucketID: ids.bucket2, remoteBucketName: 'victim' }), 'replication')).id;
  }
  throw new Error(`unknown fresh resource ${kind}`);
}

async function fill(template: string): Promise<string> {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\{([A-Za-z0-9:]+)\}/g)) {
    const key = m[1];
    let v: string;
    if (key.startsWith('new:')) v = await fresh(key.slice(4));
    else if (key === 'uniq') v = `${Date.now().toString(36)}${++uniq}`;
    else if (key === 'UNIQ') v = `U${++uniq}_${Date.now()}`;
    else if (key === 'now') v = now();
    else if (key in ids) v = ids[key];
    else throw new Error(`unknown placeholder {${key}} in ${TABLE_PATH.pathname}`);
    out += template.slice(last, m.index) + v;
    last = m.index! + m[0].length;
  }
  return out + template.slice(last);
}

function splitRoute(route: string): { method: string; path: string } {
  const [method, path] = route.split(' ');
  return { method, path };
}

function matches(status: number, expected: string): boolean {
  return expected.split('|').some((e) => (/^\dxx$/.test(e) ? Math.floor(status / 100) === Number(e[0]) : status === Number(e)));
}

async function call(entry: Entry, route: string, kind: Kind): Promise<{ status: number; body: string; sent: string }> {
  const { method, path } = splitRoute(route);
  const url = await fill(entry.url ?? path + (entry.query ?? ''));
  const headers = new Headers();
  let body: string | undefined;
  if (entry.form) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    const form: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.form)) form[k] = await fill(v);
    body = new URLSearchParams(form).toString();
  } else if (typeof entry.body === 'string') {
    headers.set('content-type', 'text/plain');
    body = await fill(entry.body);
  } else if (entry.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = await fill(JSON.stringify(entry.body).replaceAll('"{now}"', '{now}'));
  }
  const token = kind === 'v1user' ? `${V1_USER}:${V1_PASSWORD}` : tokens[kind];
  if (token) headers.set('authorization', `Token ${token}`);
  // A hang guard, not a timing assertion: a route that never answers fails here.
  const r = await fetch(s.url + url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  let text = '';
  if (entry.stream && r.status < 300) await r.body?.cancel();
  else text = await r.text();
  return { status: r.status, body: text, sent: url + (body ?? '') };
}

before(async () => {
  // Private targets allowed: one test needs a webhook to a closed loopback port to fail.
  s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' });
  ids.org1 = s.firstRun!.org.id;
  ids.org2 = (await ok(await post('/api/v2/orgs', { name: 'matrix-org-2' }), 'org 2')).id;
  ids.bucket1 = (await ok(await post('/api/v2/buckets', { orgID: ids.org1, name: B1 }), 'bucket 1')).id;
  ids.bucket2 = (await ok(await post('/api/v2/buckets', { orgID: ids.org1, name: HIDDEN, description: MARKER }), 'hidden bucket')).id;
  await ok(await post('/api/v2/buckets', { orgID: ids.org2, name: 'org2-bucket' }), 'org 2 bucket');
  await ok(await post(`/api/v2/orgs/${ids.org1}`, { description: `org 1 ${MARKER}` }, 'PATCH'), 'org 1 description');

  const b1 = { type: 'buckets', id: ids.bucket1, orgID: ids.org1 };
  tokens.ro = (await createToken(ids.org1, 'read b1', [{ action: 'read', resource: b1 }])).token;
  tokens.wo = (await createToken(ids.org1, 'write b1', [{ action: 'write', resource: b1 }])).token;
  tokens.admin = (await createToken(ids.org1, 'all access org 1', allAccess(ids.org1))).token;
  tokens.org2 = (await createToken(ids.org2, 'all access org 2', allAccess(ids.org2))).token;
  tokens.invalid = 'hl_this_token_does_not_exist_0123456789';
  ids.authz = (await createToken(ids.org1, `spare ${MARKER}`, [{ action: 'read', resource: { type: 'buckets', id: ids.bucket2 } }])).id;

  const device = await ok(await post('/v1/devices', { name: `dev-${MARKER}` }), 'device');
  ids.device1 = device.id;
  tokens.device = device.token;
  ids.integration1 = (await ok(await post('/v1/integrations', { name: `hook-${MARKER}`, event: `matrix/${MARKER}`, url: `https://example.com/${MARKER}`, requestType: 'POST' }), 'integration')).id;
  ids.dashboard1 = (await ok(await post('/api/hookline/dashboards', { name: 'matrix dashboard', panels: [] }), 'dashboard')).id;
  ids.check1 = (await ok(await post('/api/hookline/checks', { name: `chk-${MARKER}`, type: 'deadman', bucket: B1, measurement: MARKER, every: '1h' }), 'check')).id;
  ids.secret1 = `MATRIX_${MARKER.toUpperCase()}`;
  await ok(await post(`/v1/secrets/${ids.secret1}`, { secret: { value: MARKER } }, 'PUT'), 'secret');
  // A remote and a replication of org 1 (to a closed loopback port: the forwarder only retries).
  ids.remote1 = (await ok(await post('/api/v2/remotes', { orgID: ids.org1, name: `remote-${MARKER}`, remoteURL: `http://127.0.0.1:9/${MARKER}`, remoteAPIToken: 'matrix-remote-token' }), 'remote')).id;
  ids.replication1 = (await ok(await post('/api/v2/replications', { orgID: ids.org1, name: `rep-${MARKER}`, remoteID: ids.remote1, localBucketID: ids.bucket2, remoteBucketName: MARKER }), 'replication')).id;

  // Data: bucket 1 (readable by ro) holds no marker; the hidden bucket and org 1's events do.
  await ok(await api(s, `/api/v2/write?org=${ids.org1}&bucket=${B1}&precision=s`, { method: 'POST', body: `cpu,host=m usage=1 ${now()}` }), 'write b1');
  await ok(await post(`/api/put?bucket=${B1}`, [{ metric: 'sys.cpu', timestamp: Number(now()), value: 1, tags: { host: 'm' } }]), 'put b1');
  await ok(await api(s, `/api/v2/write?org=${ids.org1}&bucket=${HIDDEN}&precision=s`, { method: 'POST', body: `${MARKER},tag=${MARKER} ${MARKER}=1 ${now()}` }), 'write hidden');
  await ok(await api(s, '/v1/devices/events', { method: 'POST', headers: { authorization: `Bearer ${tokens.device}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `evt/${MARKER}`, data: MARKER }) }), 'publish');

  // A retention policy of the readable database that maps to a bucket ro may not read.
  await ok(await post('/api/v2/buckets', { orgID: ids.org1, name: `${B1}/hidden` }), 'hidden retention policy');
  await ok(await api(s, `/api/v2/write?org=${ids.org1}&bucket=${B1}/hidden&precision=s`, { method: 'POST', body: `secretm,tag=${MARKER} v=1 ${now()}` }), 'write hidden rp');
  // 1.x users and a continuous query of org 1 (made with the operator token, whose org is org 1).
  for (const q of [
    `CREATE USER "${V1_USER}" WITH PASSWORD '${V1_PASSWORD}'`,
    `GRANT READ ON "${B1}" TO "${V1_USER}"`,
    `CREATE USER "grantee" WITH PASSWORD 'pw'`,
    `CREATE CONTINUOUS QUERY "cq_${MARKER}" ON "${HIDDEN}" BEGIN SELECT mean(${MARKER}) INTO "${HIDDEN}"."autogen"."agg_${MARKER}" FROM ${MARKER} GROUP BY time(1h) END`,
  ]) {
    const r = await api(s, '/query', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ q }).toString() });
    const text = await r.text();
    assert.ok(r.status === 200 && !text.includes('"error"'), `setup: ${q} answered ${r.status}: ${text}`);
  }

  const index = await (await fetch(s.url + '/')).text();
  const asset = /\/assets\/([^"'?]+)/.exec(index);
  assert.ok(asset, 'the explorer page names an asset');
  ids.asset = asset[1];
});
after(() => s?.stop());

test('every registered route has an entry in the matrix, and every entry names a registered route', () => {
  // HEAD routes are fastify's automatic twins of GET routes (exposeHeadRoutes).
  const registered = new Set(s.app.registeredRoutes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
  const covered = new Set(table.entries.flatMap((e) => e.routes ?? [e.route!]));
  const missing = [...registered].filter((r) => !covered.has(r));
  const stale = [...covered].filter((r) => !registered.has(r));
  assert.deepEqual(missing, [], `routes without an entry: add each to test/fixtures/authorization-matrix.json with the status every kind of token must get:\n  ${missing.join('\n  ')}`);
  assert.deepEqual(stale, [], `entries for routes that are no longer registered: remove or rename them in test/fixtures/authorization-matrix.json:\n  ${stale.join('\n  ')}`);
  for (const e of table.entries) for (const k of table.kinds) if (k !== 'v1user') assert.ok(e.expect[k], `entry "${e.name}" has no expectation for the ${k} token`);
});

test("the webhook status shows another org none of this org's failing hosts", async () => {
  // A host is scored across every integration (Particle's "sleep"), but which hosts an org calls is its own business.
  const port = await freePort();
  await ok(await post('/v1/integrations', { event: 'matrix-fail/', url: `http://127.0.0.1:${port}/down`, requestType: 'POST' }), 'failing integration');
  // Several failures: a host is listed while its decaying failure score is at least 1.
  for (let i = 0; i < 5; i++) await ok(await post('/v1/devices/events', { name: 'matrix-fail/x', data: String(i) }), 'publish to the failing integration');
  const status = async (kind: Kind) => {
    const r = await fetch(`${s.url}/api/hookline/webhooks/status`, { headers: { authorization: `Token ${tokens[kind]}` } });
    assert.equal(r.status, 200);
    return ((await r.json()) as { hosts: Array<{ host: string }> }).hosts.map((h) => h.host);
  };
  // Polled until the deliveries have failed (a hang guard bounds it, not a timing assertion).
  for (let i = 0; ; i++) {
    const [mine, theirs] = await Promise.all([status('admin'), status('org2')]);
    if (mine.includes('127.0.0.1')) {
      assert.deepEqual(theirs, []);
      break;
    }
    assert.ok(i < 300, "the failed deliveries never showed in org 1's webhook status");
    await new Promise((r) => setTimeout(r, 50));
  }
});

test("a write token's DELETE on its database leaves the database's other retention policies alone", async () => {
  // wo may write matrix-b1 (the autogen policy) but not matrix-b1/hidden, a policy of the same database.
  const del = await fetch(`${s.url}/query`, {
    method: 'POST',
    headers: { authorization: `Token ${tokens.wo}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ db: B1, q: 'DELETE FROM "secretm"' }).toString(),
  });
  assert.equal(del.status, 200, await del.text());
  const r = await api(s, `/query?db=${B1}&q=${encodeURIComponent('SELECT * FROM "matrix-b1"."hidden"."secretm"')}`);
  assert.match(await r.text(), new RegExp(MARKER));
});

test('a continuous query may read only the retention policies its creator may read (it runs later as the org)', async () => {
  const b1 = { type: 'buckets', id: ids.bucket1, orgID: ids.org1 };
  const rw = await createToken(ids.org1, 'read and write b1', [{ action: 'read', resource: b1 }, { action: 'write', resource: b1 }]);
  const cq = (from: string) =>
    fetch(`${s.url}/query`, {
      method: 'POST',
      headers: { authorization: `Token ${rw.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q: `CREATE CONTINUOUS QUERY "cq_${++uniq}" ON "${B1}" BEGIN SELECT count(v) INTO "${B1}"."autogen"."copied" FROM ${from} GROUP BY time(1h) END` }).toString(),
    });
  const own = await cq('"cpu"');
  assert.equal(own.status, 200, await own.text());
  const stolen = await cq(`"${B1}"."hidden"."secretm"`);
  assert.equal(stolen.status, 403, await stolen.text());
});

test('each route answers each kind of token what its permissions give', async (t) => {
  const ordered = [...table.entries.filter((e) => !e.last), ...table.entries.filter((e) => e.last)];
  const wrong: string[] = [];
  let adminSawMarker = false;
  for (const entry of ordered) {
    for (const route of entry.routes ?? [entry.route!]) {
      await t.test(`${route}: ${entry.name}`, async () => {
        const here: string[] = [];
        // org 1's all-access token goes last, so a row it changes (a DELETE) was already seen by the others.
        for (const kind of table.kinds) {
          const r = await call(entry, route, kind);
          const want = expected(entry, route, kind);
          if (!matches(r.status, want)) here.push(`${kind}: expected ${want}, got ${r.status} ${r.body.slice(0, 200)}`);
          if (kind === 'admin' && !r.sent.toLowerCase().includes(MARKER) && r.body.toLowerCase().includes(MARKER)) adminSawMarker = true;
          const leak = kind !== 'admin' && !entry.readers?.includes(kind) && r.status < 300 && !r.sent.toLowerCase().includes(MARKER) && r.body.toLowerCase().includes(MARKER);
          if (leak) here.push(`${kind}: a ${r.status} answer holds data only org 1's all-access token may read: ${r.body.slice(0, 300)}`);
        }
        wrong.push(...here.map((h) => `${route} (${entry.name}) ${h}`));
        assert.deepEqual(here, []);
      });
    }
  }
  if (wrong.length) console.error(`authorization matrix: ${wrong.length} mismatch(es)\n${wrong.join('\n')}`);
  // The leak check above is only worth something if the marker does show up where it may.
  assert.ok(adminSawMarker, `no answer to org 1's all-access token held the marker ${MARKER}: the leak check has nothing to find`);
});
