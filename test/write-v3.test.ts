// POST /api/v3/write_lp (InfluxDB 3): partial writes with numbered line
// errors, accept_partial=false, precision auto, database created on first write.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, sql, api, type TestServer } from './helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.stop());

const write3 = (params: string, body: string) => api(s, `/api/v3/write_lp?${params}`, { method: 'POST', body });

test('a new db is created on first write; precision=auto guesses per timestamp; 204', async () => {
  const r = await write3('db=v3db', 'm v=1 1764625907\nm v=2 1764625908000\nm v=3 1764625909000000\nm v=4 1764625910000000000');
  assert.equal(r.status, 204);
  const rows = await sql<{ time: string }>(s, 'SELECT time FROM m ORDER BY time', 'v3db');
  assert.deepEqual(rows.map((x) => x.time), ['2025-12-01T21:51:47', '2025-12-01T21:51:48', '2025-12-01T21:51:49', '2025-12-01T21:51:50']);
});

test('accept_partial (default): good lines written, 400 lists the bad ones with line numbers', async () => {
  const r = await write3('db=v3db&precision=s', 'p v=1 1000\ncpu,host=a val= 123\np v=3 3000');
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), {
    error: 'partial write of line protocol occurred',
    data: [{ error_message: 'No fields were provided', line_number: 2, original_line: 'cpu,host=a val= 123' }],
  });
  assert.deepEqual((await sql<{ v: number }>(s, 'SELECT v FROM p ORDER BY time', 'v3db')).map((x) => x.v), [1, 3]);
});

test('accept_partial=false: one bad line and nothing is written', async () => {
  const r = await write3('db=v3db&precision=s&accept_partial=false', 'q v=1 1000\nq v=1 5 6');
  assert.equal(r.status, 400);
  const body = await r.json();
  assert.equal(body.error, 'line protocol parsing error');
  assert.equal(body.data.line_number, 2);
  const q = await api(s, `/api/v3/query_sql?db=v3db&q=${encodeURIComponent('SELECT * FROM q')}`);
  assert.equal(q.status, 400);
});

test('a field named twice in a line is refused, as InfluxDB 3 does', async () => {
  const r = await write3('db=v3db', 'dup v=1,v=2 5');
  assert.equal(r.status, 400);
  assert.equal((await r.json()).data[0].error_message, "invalid line protocol - multiple instances of 'v' field found");
});

test('db missing or malformed: 400; empty body: 400', async () => {
  assert.deepEqual(await (await write3('', 'm v=1')).json(), { error: "missing query parameter 'db'" });
  assert.deepEqual(await (await write3('db=_x', 'm v=1')).json(), { error: 'db name did not start with a number or letter' });
  assert.equal((await write3('db=v3db', '')).status, 400);
});
