// InfluxDB 1.x users over HTTP: created with InfluxQL by an all-access token,
// then signing in with a name and password the ways 1.x clients send them
// (u/p, Basic, `Token user:password`, node-influx's username/password), with
// the rights GRANT gave them, kept across a restart, never stored in clear.
// The statements' own answers are checked against influxd 1.6 in
// test/influxql-influxd16.test.ts (group own_users).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InfluxDB as Influx1 } from 'influx';
import { api, startTestServer, type TestServer } from './helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.stop());

async function admin(q: string): Promise<unknown> {
  const r = await api(s, `/query?q=${encodeURIComponent(q)}`, { method: 'POST' });
  assert.equal(r.status, 200);
  const body = (await r.json()) as { results: Array<{ error?: string }> };
  for (const x of body.results) assert.equal(x.error, undefined, `${q}: ${x.error}`);
  return body;
}

const basic = (user: string, pw: string) => 'Basic ' + Buffer.from(`${user}:${pw}`).toString('base64');

async function asUser(path: string, user: string, pw: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const r = await fetch(s.url + path, { ...init, headers: { authorization: basic(user, pw), ...(init.headers ?? {}) } });
  return { status: r.status, body: await r.text() };
}

test('a user created with CREATE USER signs in with its password, with the rights GRANT gave it', async () => {
  await admin(`CREATE DATABASE farm; CREATE DATABASE other; CREATE USER "sensor writer" WITH PASSWORD 's3cret'; GRANT WRITE ON farm TO "sensor writer"; CREATE USER reader WITH PASSWORD 'r3ad'; GRANT READ ON farm TO reader`);

  // u/p query parameters, as Telegraf's influxdb output sends them.
  let r = await fetch(`${s.url}/write?db=farm&u=${encodeURIComponent('sensor writer')}&p=s3cret`, { method: 'POST', body: 'soil,bed=a moisture=0.31 1700000000000000000' });
  assert.equal(r.status, 204);
  // `Token user:password`, as InfluxDB 2's 1.x compatibility accepts it.
  r = await fetch(`${s.url}/write?db=farm`, { method: 'POST', body: 'soil,bed=b moisture=0.42 1700000000000000000', headers: { authorization: 'Token sensor writer:s3cret' } });
  assert.equal(r.status, 204);

  // The writer may not read, the reader may not write, neither may touch another database.
  let x = await asUser(`/query?db=farm&q=${encodeURIComponent('SELECT * FROM soil')}`, 'sensor writer', 's3cret');
  assert.equal(x.status, 403);
  assert.equal(JSON.parse(x.body).error, `error authorizing query: sensor writer not authorized to execute statement 'SELECT * FROM soil', requires READ on farm`);
  x = await asUser('/write?db=farm', 'reader', 'r3ad', { method: 'POST', body: 'soil,bed=c moisture=1' });
  assert.equal(x.status, 403);
  assert.equal(JSON.parse(x.body).error, '"reader" user is not authorized to write to database "farm"');
  x = await asUser('/write?db=other', 'sensor writer', 's3cret', { method: 'POST', body: 'soil,bed=c moisture=1' });
  assert.equal(x.status, 403);

  x = await asUser(`/query?db=farm&q=${encodeURIComponent('SELECT moisture FROM soil')}`, 'reader', 'r3ad');
  assert.equal(x.status, 200);
  assert.equal(x.body.trim(), '{"results":[{"statement_id":0,"series":[{"name":"soil","columns":["time","moisture"],"values":[["2023-11-14T22:13:20Z",0.31],["2023-11-14T22:13:20Z",0.42]]}]}]}');

  // A non-admin user may not manage users or databases (1.x: requires admin privilege).
  x = await asUser(`/query?q=${encodeURIComponent('SHOW USERS')}`, 'reader', 'r3ad');
  assert.equal(x.status, 403);
  assert.equal(JSON.parse(x.body).error, `error authorizing query: reader not authorized to execute statement 'SHOW USERS', requires admin privilege`);
  x = await asUser(`/query?q=${encodeURIComponent('CREATE DATABASE mine')}`, 'reader', 'r3ad', { method: 'POST' });
  assert.equal(x.status, 403);

  // A wrong password is refused as 1.x refuses it, and is not taken for a token.
  x = await asUser(`/query?db=farm&q=${encodeURIComponent('SHOW MEASUREMENTS')}`, 'reader', 'wrong');
  assert.equal(x.status, 401);
  assert.equal(JSON.parse(x.body).error, 'authorization failed');
});

test('node-influx with a username and password, and an admin user', async () => {
  await admin(`CREATE USER ops WITH PASSWORD 'opspw' WITH ALL PRIVILEGES`);
  const host = new URL(s.url);
  const influx = new Influx1({ host: host.hostname, port: Number(host.port), database: 'farm', username: 'ops', password: 'opspw' });
  await influx.writePoints([{ measurement: 'air', tags: { bed: 'a' }, fields: { temp: 21.5 }, timestamp: new Date(1_700_000_000_000) }]);
  const rows = await influx.query<{ temp: number }>('SELECT temp FROM air');
  assert.deepEqual(rows.map((r) => r.temp), [21.5]);
  assert.deepEqual((await influx.getUsers()).map((u) => [u.user, u.admin]), [
    ['sensor writer', false],
    ['reader', false],
    ['ops', true],
  ]);
  await influx.createDatabase('ops_db');
  assert.ok((await influx.getDatabaseNames()).includes('ops_db'));
});

test('REVOKE and SET PASSWORD take effect at once; DROP USER signs the user out', async () => {
  await admin(`CREATE USER temp WITH PASSWORD 'one'; GRANT ALL ON farm TO temp`);
  const q = `/query?db=farm&q=${encodeURIComponent('SHOW MEASUREMENTS')}`;
  assert.equal((await asUser(q, 'temp', 'one')).status, 200);
  await admin(`REVOKE READ ON farm FROM temp`);
  const refused = await asUser(q, 'temp', 'one');
  assert.equal(refused.status, 403);
  assert.equal(JSON.parse(refused.body).error, `error authorizing query: temp not authorized to execute statement 'SHOW MEASUREMENTS', requires READ on farm`);
  assert.equal((await asUser('/write?db=farm', 'temp', 'one', { method: 'POST', body: 'x v=1' })).status, 204);
  await admin(`SET PASSWORD FOR temp = 'two'`);
  assert.equal((await asUser('/write?db=farm', 'temp', 'one', { method: 'POST', body: 'x v=1' })).status, 401);
  assert.equal((await asUser('/write?db=farm', 'temp', 'two', { method: 'POST', body: 'x v=1' })).status, 204);
  await admin(`DROP USER temp`);
  assert.equal((await asUser('/write?db=farm', 'temp', 'two', { method: 'POST', body: 'x v=1' })).status, 401);
});

test('users survive a restart; passwords are stored only as salted digests and never echoed', async () => {
  s = await s.restart();
  const x = await asUser(`/query?db=farm&q=${encodeURIComponent('SELECT count(moisture) FROM soil')}`, 'reader', 'r3ad');
  assert.equal(x.status, 200);
  assert.match(x.body, /"count"\],"values":\[\["1970-01-01T00:00:00Z",2\]\]/);
  // The GET form warns with the statement, password redacted (as 1.x does).
  const r = await api(s, `/query?q=${encodeURIComponent("CREATE USER late WITH PASSWORD 'hunter2-plain'")}`);
  const text = await r.text();
  assert.ok(text.includes(`deprecated use of 'CREATE USER late WITH PASSWORD [REDACTED]'`), text);
  assert.ok(!text.includes('hunter2-plain'));
  // No file of the data directory holds a password in clear.
  const files = await readdir(s.dataDir, { recursive: true, withFileTypes: true });
  for (const f of files) {
    if (!f.isFile()) continue;
    const bytes = await readFile(join(f.parentPath ?? (f as unknown as { path: string }).path, f.name));
    for (const pw of ['s3cret', 'r3ad', 'opspw', 'hunter2-plain']) assert.equal(bytes.includes(pw), false, `${pw} found in ${f.name}`);
  }
});
