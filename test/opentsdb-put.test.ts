// POST /api/put against a real server: every status and body OpenTSDB 2.4
// answers (PutDataPointRpc.processDataPoint; TestPutRpc), ?summary, ?details,
// ?sync, both modes (global and per token), where points land, how tokens are
// sent, and that good points are stored beside refused ones.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startTestServer, sql, writeLp, BUCKET, type TestServer } from './helpers/server.ts';
import { basic } from './helpers/opentsdb.ts';
import { allAccess } from '../src/tenancy/permissions.ts';

let s: TestServer;
let strictToken: string;
let plainToken: string;
const SEE = 'Please see the TSD logs or append "details" to the put request';

before(async () => {
  s = await startTestServer();
  const org = s.tenancy.listOrgs()[0];
  const bucket = s.tenancy.listBuckets({ name: BUCKET })[0];
  strictToken = (await s.tenancy.createAuthorization({ orgID: org.id, permissions: allAccess(org.id), defaultBucketID: bucket.id, opentsdbMode: 'strict' })).token;
  plainToken = (await s.tenancy.createAuthorization({ orgID: org.id, permissions: allAccess(org.id) })).token;
  await s.tenancy.createBucket({ orgID: org.id, name: 'other', retentionSeconds: 0 });
});
after(() => s.stop());

function put(body: string | Buffer, query = '', headers: Record<string, string> = {}, token = s.token): Promise<Response> {
  return fetch(`${s.url}/api/put${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: basic(token), ...headers } });
}

const point = (o: Record<string, unknown> = {}) => ({ metric: 'sys.cpu.user', timestamp: 1365465600, value: 42, tags: { host: 'web01' }, ...o });
const json = (x: unknown) => JSON.stringify(x);

test('a good point: 204 with no body, stored as measurement = metric, float field `value`, tags', async () => {
  const r = await put(json(point({ metric: 'put.basic', value: 42 })));
  assert.equal(r.status, 204);
  assert.equal(await r.text(), '');
  assert.deepEqual(await sql(s, 'SELECT * FROM "put.basic"'), [{ host: 'web01', time: '2013-04-09T00:00:00', value: 42 }]);
});

test('tokens: Basic (any user, scheme in any case), Token, Bearer; none or a wrong one is 401 in the OpenTSDB envelope', async () => {
  for (const authorization of [basic(s.token, 'metrics', 'basic'), basic(s.token, '', 'BASIC'), `Token ${s.token}`, `Bearer ${s.token}`]) {
    assert.equal((await put(json(point({ metric: 'put.auth' })), '', { authorization })).status, 204, authorization);
  }
  for (const authorization of ['', basic('wrong')]) {
    const r = await fetch(`${s.url}/api/put`, { method: 'POST', body: json(point()), headers: authorization ? { authorization } : {} });
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error.code, 401);
  }
});

test('one bad point, no flags: 400 "One or more data points had errors", the good points are written', async () => {
  const r = await put(json([point({ metric: 'put.mixed', timestamp: 1365465600 }), point({ metric: 'put.mixed', value: 'x' }), point({ metric: 'put.mixed', timestamp: 1365465601 })]));
  assert.equal(r.status, 400);
  assert.equal(await r.text(), json({ error: { code: 400, message: 'One or more data points had errors', details: SEE } }));
  assert.deepEqual(await sql(s, 'SELECT count(*) AS n FROM "put.mixed"'), [{ n: 2 }]);
});

test('?summary: 200 {"success","failed"} when all pass, 400 when a point failed validation', async () => {
  let r = await put(json([point({ metric: 'put.summary' }), point({ metric: 'put.summary', timestamp: 1365465601 })]), '?summary');
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '{"success":2,"failed":0}');
  r = await put(json([point({ metric: 'put.summary' }), point({ metric: '' })]), '?summary');
  assert.equal(r.status, 400);
  assert.equal(await r.text(), '{"success":1,"failed":1}');
});

test('?details: errors list each refused point as received, with OpenTSDB\'s message; details wins over summary', async () => {
  let r = await put(json(point({ metric: 'put.details' })), '?details');
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '{"success":1,"failed":0,"errors":[]}');
  r = await put('[{"metric":"put.details","timestamp":1365465600,"value":"NaN","tags":{"host":"web01"}},{"value":42.50,"tags":{"host":"web01"}},{"metric":"put.details","timestamp":1365465600,"value":1}]', '?summary&details');
  assert.equal(r.status, 400);
  assert.equal(
    await r.text(),
    '{"success":1,"failed":2,"errors":[' +
      '{"datapoint":{"metric":"put.details","timestamp":1365465600,"value":"NaN","tags":{"host":"web01"}},"error":"Unable to parse value to a number"},' +
      '{"datapoint":{"timestamp":0,"value":"42.50","tags":{"host":"web01"}},"error":"Metric name was empty"}]}',
  );
});

test('?sync changes nothing (writes are always durable before the answer); sync_timeout adds "timeouts"', async () => {
  assert.equal((await put(json(point({ metric: 'put.sync' })), '?sync')).status, 204);
  const r = await put(json(point({ metric: 'put.sync' })), '?sync&sync_timeout=30000&summary');
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '{"success":1,"timeouts":0,"failed":0}');
});

test('body errors: missing content, not JSON, bad JSON (all points discarded), no points', async () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['', { code: 400, message: 'Missing request content' }],
    ['Hello World', { code: 400, message: 'The JSON must start as an object or an array' }],
    ['[]', { code: 400, message: 'No datapoints found in content' }],
  ];
  for (const [body, error] of cases) {
    const r = await put(body);
    assert.equal(r.status, 400, body);
    assert.deepEqual(await r.json(), { error });
  }
  const r = await put('[{"metric":"put.badjson","timestamp":1365465600,"value":42,"tags":{}},{"metric":"put.badjson","value":nan}]');
  assert.equal(r.status, 400);
  const e = (await r.json()).error;
  assert.equal(e.message, 'Unable to parse the given JSON');
  assert.match(e.details, /Unexpected 'n'/);
  assert.equal(s.store.measurementOf(s.tenancy.listBuckets({ name: BUCKET })[0].id, 'put.badjson'), undefined);
});

test('GET /api/put: 405 as PutDataPointRpc answers', async () => {
  const r = await fetch(`${s.url}/api/put`, { headers: { authorization: basic(s.token) } });
  assert.equal(r.status, 405);
  assert.deepEqual(await r.json(), { error: { code: 405, message: 'Method not allowed', details: 'The HTTP method [GET] is not permitted for this endpoint' } });
});

test('lenient (default): the seed\'s body without timestamp or tags is stored at the server time', async () => {
  const before = Date.now();
  const r = await put('[{"metric":"put.seed","value":42.00,"tags":{}}]');
  assert.equal(r.status, 204);
  const [row] = await sql<{ value: number; ms: number }>(s, 'SELECT value, epoch_ms(time) AS ms FROM "put.seed"');
  assert.equal(row.value, 42);
  assert.ok(row.ms >= before - 1 && row.ms <= Date.now(), `${row.ms}`);
});

test('strict per token: the seed\'s body is refused ("Invalid timestamp"), OpenTSDB\'s limits apply', async () => {
  let r = await put('[{"metric":"put.strict","value":42.00,"tags":{}}]', '?details', {}, strictToken);
  assert.equal(r.status, 400);
  assert.equal((await r.json()).errors[0].error, 'Invalid timestamp');
  r = await put(json(point({ metric: 'put.strict', tags: {} })), '?details', {}, strictToken);
  assert.equal((await r.json()).errors[0].error, 'Missing tags');
  r = await put(json(point({ metric: 'put strict' })), '?details', {}, strictToken);
  assert.equal((await r.json()).errors[0].error, 'Invalid metric name ("put strict"): illegal character:  ');
  assert.equal((await put(json(point({ metric: 'put.strict' })), '', {}, strictToken)).status, 204);
});

test('where points land: ?bucket= and ?db= override the default bucket; unknown buckets and tokens without a default are refused', async () => {
  assert.equal((await put(json(point({ metric: 'put.where' })), '?bucket=other')).status, 204);
  assert.equal((await put(json(point({ metric: 'put.where', value: 7 })), '?db=other')).status, 204);
  assert.deepEqual(await sql(s, 'SELECT value FROM "put.where" ORDER BY value', 'other'), [{ value: 7 }]);
  let r = await put(json(point()), '?bucket=nope');
  assert.equal(r.status, 404);
  assert.deepEqual(await r.json(), { error: { code: 404, message: 'bucket "nope" not found' } });
  r = await put(json(point()), '', {}, plainToken);
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /no default bucket/);
  assert.equal((await put(json(point({ metric: 'put.where' })), '?bucket=other', {}, plainToken)).status, 204);
});

test('gzip bodies and the /api/v1/put alias', async () => {
  assert.equal((await put(gzipSync(json([point({ metric: 'put.gzip' })])), '', { 'content-encoding': 'gzip' })).status, 204);
  const r = await fetch(`${s.url}/api/v1/put`, { method: 'POST', body: json(point({ metric: 'put.gzip', timestamp: 1365465601 })), headers: { authorization: basic(s.token) } });
  assert.equal(r.status, 204);
  assert.deepEqual(await sql(s, 'SELECT count(*) AS n FROM "put.gzip"'), [{ n: 2 }]);
});

test('a point the store refuses (type conflict with line-protocol data) is a storage failure: 400 without flags, 200 with a summary', async () => {
  assert.equal((await writeLp(s, 'put.conflict,host=web01 value="text" 1365465600')).status, 204);
  let r = await put(json([point({ metric: 'put.conflict' }), point({ metric: 'put.ok' })]));
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.message, 'One or more data points had errors');
  // Lines are grouped by metric on the way to the store; the refusal still names the right point.
  r = await put(json([point({ metric: 'put.ok' }), point({ metric: 'put.conflict' }), point({ metric: 'put.ok', timestamp: 1365465601 })]), '?details');
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.success, 2);
  assert.equal(body.failed, 1);
  assert.deepEqual(body.errors[0].datapoint, { metric: 'put.conflict', timestamp: 1365465600, value: '42', tags: { host: 'web01' } });
  assert.match(body.errors[0].error, /^Storage exception: field type conflict/);
});

test('integers and floats share one float field, so a metric never changes type', async () => {
  assert.equal((await put(json([point({ metric: 'put.types', value: 1 }), point({ metric: 'put.types', value: 1.5, timestamp: 1365465601 }), point({ metric: 'put.types', value: '3', timestamp: 1365465602 })]))).status, 204);
  assert.deepEqual(await sql(s, 'SELECT value FROM "put.types" ORDER BY time'), [{ value: 1 }, { value: 1.5 }, { value: 3 }]);
});
