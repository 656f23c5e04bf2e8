// The per-bucket series limit (HOOKLINE_MAX_SERIES_PER_BUCKET, InfluxDB 1.x's
// max-series-per-database) against a real server: a point of a new series
// beyond it is refused in each dialect's partial-write answer while points of
// existing series in the same request are written; the count survives a
// restart (series in Parquet files and in the WAL count once); every bucket
// has its own budget.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, api, sql, writeLp, BUCKET, ORG, type TestServer } from './helpers/server.ts';
import { basic } from './helpers/opentsdb.ts';

const LIMIT = 10;
const REASON = `max-series-per-database limit exceeded: (${LIMIT})`;
let s: TestServer;

before(async () => {
  s = await startTestServer({ HOOKLINE_MAX_SERIES_PER_BUCKET: String(LIMIT) });
  await s.tenancy.createBucket({ orgID: s.tenancy.orgByName(ORG)!.id, name: 'second', retentionSeconds: 0 });
});
after(() => s.stop());

const bucketId = (name = BUCKET) => s.tenancy.bucketByName(s.tenancy.orgByName(ORG)!.id, name)!.id;
const hosts = async (measurement = 'card') => (await sql<{ host: string }>(s, `SELECT DISTINCT host FROM ${measurement} ORDER BY host`)).map((r) => r.host);
const lines = (from: number, to: number, t: number) => Array.from({ length: to - from }, (_, i) => `card,host=h${String(from + i).padStart(2, '0')} v=${from + i} ${t}`).join('\n');

test('1.x /write: new series beyond the limit get 400 partial write, existing and fitting ones are written', async () => {
  assert.equal((await writeLp(s, lines(0, 8, 100))).status, 204);
  await s.store.flush(); // some of the series now live only in files
  const r = await fetch(`${s.url}/write?db=${BUCKET}&precision=s`, {
    method: 'POST',
    headers: { authorization: `Token ${s.token}` },
    body: `card,host=h00 v=0 101\n${lines(8, 12, 101)}`,
  });
  assert.equal(r.status, 400);
  const body = (await r.json()) as { error: string };
  // 1.8's PartialWriteError names the database and policy, as hookline's other 1.x partial writes do.
  assert.equal(body.error, `partial write: ${REASON} dropped=2 for database: ${BUCKET} for retention policy: autogen`);
  assert.deepEqual(await hosts(), ['h00', 'h01', 'h02', 'h03', 'h04', 'h05', 'h06', 'h07', 'h08', 'h09']);
  assert.equal((await sql(s, `SELECT v FROM card WHERE host = 'h00' AND epoch(time) = 101`)).length, 1, 'the existing series kept writing');
  assert.equal(s.store.seriesCount(bucketId()), LIMIT);
});

test('v2 /api/v2/write: 422 "failure writing points to database: partial write: ..." for the new series only', async () => {
  const r = await writeLp(s, 'card,host=h01 v=1 102\ncard,host=new1 v=1 102\ncard,host=new2 v=1 102');
  assert.equal(r.status, 422);
  assert.deepEqual(await r.json(), { code: 'unprocessable entity', message: `failure writing points to database: partial write: ${REASON} dropped=2`, line: 2 });
  assert.equal((await sql(s, `SELECT v FROM card WHERE host = 'h01' AND epoch(time) = 102`)).length, 1);
});

test('v3 /api/v3/write_lp: each refused line in the error data, the others written', async () => {
  const r = await api(s, `/api/v3/write_lp?db=${BUCKET}&precision=second`, { method: 'POST', body: 'card,host=h02 v=2 103\ncard,host=new3 v=3 103' });
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), {
    error: 'partial write of line protocol occurred',
    data: [{ error_message: REASON, line_number: 2, original_line: 'card,host=new3 v=3 1' }],
  });
  assert.equal((await sql(s, `SELECT v FROM card WHERE host = 'h02' AND epoch(time) = 103`)).length, 1);
});

test('OpenTSDB /api/put?details: the refused point is listed as a storage exception (200, as OpenTSDB answers those), the other is stored', async () => {
  const points = [
    { metric: 'card', timestamp: 104, value: 3, tags: { host: 'h03' } },
    { metric: 'card', timestamp: 104, value: 4, tags: { host: 'new4' } },
  ];
  const r = await fetch(`${s.url}/api/put?details&bucket=${BUCKET}`, { method: 'POST', body: JSON.stringify(points), headers: { authorization: basic(s.token) } });
  assert.equal(r.status, 200);
  // OpenTSDB echoes the value as the text it parsed.
  assert.deepEqual(await r.json(), { success: 1, failed: 1, errors: [{ datapoint: { ...points[1], value: '4' }, error: `Storage exception: ${REASON}` }] });
  assert.deepEqual(await hosts(), ['h00', 'h01', 'h02', 'h03', 'h04', 'h05', 'h06', 'h07', 'h08', 'h09']);
});

test('another bucket has its own budget', async () => {
  const r = await writeLp(s, lines(0, LIMIT, 100), `org=${ORG}&bucket=second&precision=s`);
  assert.equal(r.status, 204);
  assert.equal(s.store.seriesCount(bucketId('second')), LIMIT);
  assert.equal((await writeLp(s, 'card,host=zz v=1 100', `org=${ORG}&bucket=second&precision=s`)).status, 422);
});

test('after a restart the count is the same: series in files and in the WAL count once', async () => {
  s = await s.restart();
  assert.equal(s.store.seriesCount(bucketId()), LIMIT);
  assert.equal(s.store.seriesCount(bucketId('second')), LIMIT);
  assert.equal((await writeLp(s, 'card,host=h05 v=5 105\ncard,host=h09 v=9 105')).status, 204, 'series from files and from the WAL write');
  const r = await writeLp(s, 'card,host=after v=1 105');
  assert.equal(r.status, 422);
  assert.match(((await r.json()) as { message: string }).message, /max-series-per-database limit exceeded: \(10\) dropped=1$/);
  assert.equal(s.store.seriesCount(bucketId()), LIMIT);
});

test('deleting series gives them back: DROP SERIES recounts from the files left, dropping the measurement frees all', async () => {
  const second = bucketId('second');
  // DROP SERIES FROM card WHERE host = 'h00' (storage's physical columns: t0 is the first tag key)
  await s.store.deletePoints(second, 'card', `t0 = 'h00'`);
  assert.equal(s.store.seriesCount(second), LIMIT - 1);
  assert.equal((await writeLp(s, 'card,host=fresh v=1 100', `org=${ORG}&bucket=second&precision=s`)).status, 204, 'the freed place is usable');
  await s.store.dropMeasurement(second, 'card');
  assert.equal(s.store.seriesCount(second), 0);
  assert.equal(s.store.seriesCount(bucketId()), LIMIT, 'the other bucket is untouched');
});
