// /api/v3/query_sql: InfluxDB 3's request and response shapes, read-only and
// confined to the buckets the token may read.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, writeLp, api, sql, ORG, BUCKET, type TestServer } from './helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
  await writeLp(s, 'cpu,host=a,region=us-east usage=0.9,n=1i 3000000000\ncpu,host=b usage=0.5,n=9007199254740993i 3000000001', `org=${ORG}&bucket=${BUCKET}&precision=ns`);
});
after(() => s.stop());

const q = (query: string, extra = '') => api(s, `/api/v3/query_sql?db=${BUCKET}&q=${encodeURIComponent(query)}${extra}`);

test('json: an array of row objects, time without a zone, nulls left out, big integers exact', async () => {
  const r = await q('SELECT * FROM cpu ORDER BY time', '&format=json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /^application\/json/);
  assert.equal(
    await r.text(),
    '[{"host":"a","n":1,"region":"us-east","time":"1970-01-01T00:00:03","usage":0.9},{"host":"b","n":9007199254740993,"time":"1970-01-01T00:00:03.000000001","usage":0.5}]',
  );
});

test('POST with a JSON body {db, q, format}; jsonl, csv and pretty formats', async () => {
  const post = (format: string) => api(s, '/api/v3/query_sql', { method: 'POST', body: JSON.stringify({ db: BUCKET, q: 'SELECT host, usage FROM cpu ORDER BY host', format }), headers: { 'content-type': 'application/json' } });
  assert.equal(await (await post('jsonl')).text(), '{"host":"a","usage":0.9}\n{"host":"b","usage":0.5}\n');
  assert.equal(await (await post('csv')).text(), 'host,usage\na,0.9\nb,0.5\n');
  assert.equal(
    await (await post('pretty')).text(),
    '+------+-------+\n| host | usage |\n+------+-------+\n| a    | 0.9   |\n| b    | 0.5   |\n+------+-------+\n',
  );
});

test('named parameters ($name) with params', async () => {
  const r = await api(s, '/api/v3/query_sql', { method: 'POST', body: JSON.stringify({ db: BUCKET, q: 'SELECT usage FROM cpu WHERE host = $h', params: { h: 'b' } }) });
  assert.deepEqual(await r.json(), [{ usage: 0.5 }]);
});

test('params: deeply nested JSON in the string, or values that are not scalars, are a 400 naming params', async () => {
  const post = (params: unknown) => api(s, '/api/v3/query_sql', { method: 'POST', body: JSON.stringify({ db: BUCKET, q: 'SELECT usage FROM cpu WHERE host = $h', params }) });
  const deep = '{"h":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  for (const bad of [deep, '{"h":{"x":1}}', '{"h":[1]}', '[1]', '"b"', 'not json', { h: { x: 1 } }, { h: [1, 2] }]) {
    const r = await post(bad);
    assert.equal(r.status, 400, String(bad).slice(0, 40));
    assert.match((await r.json()).error, /params/, String(bad).slice(0, 40));
  }
  // A JSON string of scalars still works.
  const ok = await post('{"h":"b"}');
  assert.deepEqual(await ok.json(), [{ usage: 0.5 }]);
  assert.equal((await fetch(`${s.url}/ping`)).status, 204);
});

test('missing db or q: 400; unknown db: 404; no token: 401', async () => {
  const r = await api(s, '/api/v3/query_sql?db=x');
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { error: "missing query parameters 'db' and 'q'" });
  const nf = await api(s, `/api/v3/query_sql?db=nodb&q=SELECT%201`);
  assert.equal(nf.status, 404);
  const un = await fetch(`${s.url}/api/v3/query_sql?db=${BUCKET}&q=SELECT%201`);
  assert.equal(un.status, 401);
});

test('read-only: only SELECT; no table functions, files, other schemas or the catalog', async () => {
  const refused = [
    'DELETE FROM cpu',
    'CREATE TABLE x (a INT)',
    "COPY cpu TO '/tmp/x.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    'SELECT * FROM ev_tenancy_authorizations',
    'SELECT * FROM main.ev_tenancy_authorizations',
    'SELECT * FROM hot.s1',
    "SELECT * FROM query('SELECT 1')",
    'SELECT * FROM cpu; SELECT * FROM cpu',
    "ATTACH '/tmp/other.db' AS o",
    'PRAGMA version',
    'SHOW ALL TABLES',
    'SHOW TABLES',
    'DESCRIBE ev_tenancy_authorizations',
    'SUMMARIZE cpu',
    'SELECT * FROM (SHOW TABLES)',
    "SELECT current_setting('temp_directory')",
  ];
  for (const stmt of refused) {
    const r = await q(stmt);
    assert.equal(r.status, 400, stmt);
    assert.ok((await r.json()).error, stmt);
  }
  // CTEs and subqueries over the bucket's own tables are fine.
  const ok = await q('WITH x AS (SELECT host FROM cpu) SELECT count(*) AS n FROM x WHERE host IN (SELECT host FROM cpu)');
  assert.deepEqual(await ok.json(), [{ n: 2 }]);
});

test('a token sees only the buckets it may read', async () => {
  const org = s.tenancy.orgByName(ORG)!;
  const other = await s.tenancy.createBucket({ orgID: org.id, name: 'other' });
  await writeLp(s, 'secret v=1 1', `org=${ORG}&bucket=other&precision=s`);
  const mine = s.tenancy.bucketByName(org.id, BUCKET)!;
  const { token } = await s.tenancy.createAuthorization({ orgID: org.id, permissions: [{ action: 'read', resource: { type: 'buckets', orgID: org.id, id: mine.id } }] });
  const reader = { url: s.url, token };
  assert.equal((await sql(reader, 'SELECT count(*) AS n FROM cpu'))[0].n, 2);
  const denied = await api(reader, `/api/v3/query_sql?db=${other.name}&q=${encodeURIComponent('SELECT * FROM secret')}`);
  assert.equal(denied.status, 403);
  // The other bucket's measurement is not a table of this one.
  const hidden = await api(reader, `/api/v3/query_sql?db=${BUCKET}&q=${encodeURIComponent('SELECT * FROM secret')}`);
  assert.equal(hidden.status, 400);
});

test('a SQL error is a clear 400, not a crash', async () => {
  const r = await q('SELECT nope FROM cpu');
  assert.equal(r.status, 400);
  assert.match((await r.json()).error, /nope/);
  assert.equal((await q('SELECT 1 AS one')).status, 200);
});
