// POST /write (InfluxDB 1.x): node-influx writes unchanged; partial writes keep
// the good lines; 1.x auth forms and precisions.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InfluxDB as Influx1 } from 'influx';
import { startTestServer, sql, BUCKET, type TestServer } from './helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.stop());

function write1(params: string, body: string, headers: Record<string, string> = { authorization: `Token ${s.token}` }) {
  return fetch(`${s.url}/write?${params}`, { method: 'POST', body, headers });
}

test('node-influx (npm influx) writes through /write unchanged', async () => {
  const host = new URL(s.url);
  const influx = new Influx1({ host: host.hostname, port: Number(host.port), database: BUCKET, username: 'any', password: s.token });
  await influx.writePoints(
    [
      { measurement: 'nodeinflux', tags: { host: 'a' }, fields: { v: 1.5, n: 3 }, timestamp: new Date(1_700_000_000_000) },
      { measurement: 'nodeinflux', tags: { host: 'b' }, fields: { v: 2.5, n: 4 }, timestamp: new Date(1_700_000_001_000) },
    ],
    { precision: 'ms' },
  );
  assert.deepEqual(await sql(s, 'SELECT host, n, v, time FROM nodeinflux ORDER BY time'), [
    { host: 'a', n: 3, v: 1.5, time: '2023-11-14T22:13:20' },
    { host: 'b', n: 4, v: 2.5, time: '2023-11-14T22:13:21' },
  ]);
  const ping = await influx.ping(2000);
  assert.equal(ping[0].online, true);
  assert.equal(ping[0].version, '2.7.11');
});

test('good lines are written, bad ones reported: 400 partial write', async () => {
  const r = await write1(`db=${BUCKET}`, 'p1 v=1 1\nbad line\np1 v=2 2');
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.deepEqual(body, { error: `partial write: unable to parse 'bad line': invalid field format dropped=0 for database: ${BUCKET}` });
  assert.equal(r.headers.get('x-influxdb-error'), body.error);
  assert.equal((await sql(s, 'SELECT * FROM p1')).length, 2);
});

test('all lines bad: 400 with the parse errors; storage conflicts: 400 partial write naming db and rp', async () => {
  const r = await write1(`db=${BUCKET}`, 'foo');
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { error: "unable to parse 'foo': missing fields" });
  assert.equal((await write1(`db=${BUCKET}`, 'c1 v=1 1')).status, 204);
  const c = await write1(`db=${BUCKET}`, 'c1 v=2i 2\nc1 v=3 3');
  assert.equal(c.status, 400);
  assert.deepEqual(await c.json(), {
    error: `partial write: field type conflict: input field "v" on measurement "c1" is type integer, already exists as type float dropped=1 for database: ${BUCKET} for retention policy: autogen`,
  });
});

test('precisions n u ms s m h; "us" is refused as in 1.x', async () => {
  const cases: Array<[string, string, string]> = [
    ['n', '1700000000123456789', '2023-11-14T22:13:20.123456789'],
    ['u', '1700000000123456', '2023-11-14T22:13:20.123456'],
    ['ms', '1700000000123', '2023-11-14T22:13:20.123'],
    ['s', '1700000000', '2023-11-14T22:13:20'],
    ['m', '28333333', '2023-11-14T22:13:00'],
    ['h', '472222', '2023-11-14T22:00:00'],
  ];
  for (const [p, ts, iso] of cases) {
    assert.equal((await write1(`db=${BUCKET}&precision=${p}`, `prec,p=${p} v=1 ${ts}`)).status, 204, p);
    const [row] = await sql<{ time: string }>(s, `SELECT time FROM prec WHERE p = '${p}'`);
    assert.equal(row.time, iso, p);
  }
  const bad = await write1(`db=${BUCKET}&precision=us`, 'prec v=1 1');
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: 'invalid precision "us" (use n, u, ms, s, m or h)' });
});

test('1.x auth: u/p parameters, Basic, Token user:pass; missing credentials 401 with WWW-Authenticate', async () => {
  assert.equal((await write1(`db=${BUCKET}&u=me&p=${s.token}`, 'auth1 v=1 1', {})).status, 204);
  const basic = Buffer.from(`me:${s.token}`).toString('base64');
  assert.equal((await write1(`db=${BUCKET}`, 'auth1 v=2 2', { authorization: `Basic ${basic}` })).status, 204);
  assert.equal((await write1(`db=${BUCKET}`, 'auth1 v=3 3', { authorization: `Token me:${s.token}` })).status, 204);
  const none = await write1(`db=${BUCKET}`, 'auth1 v=4 4', {});
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Basic realm="InfluxDB"');
  assert.deepEqual(await none.json(), { error: 'unable to parse authentication credentials' });
  const wrong = await write1(`db=${BUCKET}&u=me&p=nope`, 'auth1 v=4 4', {});
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), { error: 'authorization failed' });
});

test('db is required; an unknown db is 404; rp autogen maps to the bucket', async () => {
  const r = await write1('', 'x v=1');
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { error: 'database is required' });
  const nf = await write1('db=nodb', 'x v=1');
  assert.equal(nf.status, 404);
  assert.deepEqual(await nf.json(), { error: 'database not found: "nodb"' });
  assert.equal((await write1(`db=${BUCKET}&rp=autogen`, 'rp1 v=1 1')).status, 204);
});
