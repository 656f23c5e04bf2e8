// The OpenTSDB port: telnet commands answered on the line as OpenTSDB does,
// `auth`, HOOKLINE_OPENTSDB_TELNET_TOKEN, the 1024-byte line limit, and HTTP
// on the same socket (first byte decides).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, freePort, sql, BUCKET, TOKEN, type TestServer } from './helpers/server.ts';
import { basic, rawRequest, Telnet } from './helpers/opentsdb.ts';
import { allAccess } from '../src/tenancy/permissions.ts';

let a: TestServer; // default: lenient, no telnet token
let b: TestServer; // strict, HOOKLINE_OPENTSDB_TELNET_TOKEN
let portA: number;
let portB: number;
let lenientToken: string;

before(async () => {
  portA = await freePort();
  portB = await freePort();
  [a, b] = await Promise.all([
    startTestServer({ HOOKLINE_OPENTSDB_PORT: String(portA) }),
    startTestServer({ HOOKLINE_OPENTSDB_PORT: String(portB), HOOKLINE_OPENTSDB_MODE: 'strict', HOOKLINE_OPENTSDB_TELNET_TOKEN: TOKEN }),
  ]);
  const org = a.tenancy.listOrgs()[0];
  await a.tenancy.createBucket({ orgID: org.id, name: 'telnet', retentionSeconds: 0 });
  const orgB = b.tenancy.listOrgs()[0];
  const bucketB = b.tenancy.listBuckets({ name: BUCKET })[0];
  lenientToken = (await b.tenancy.createAuthorization({ orgID: orgB.id, permissions: allAccess(orgB.id), defaultBucketID: bucketB.id, opentsdbMode: 'lenient' })).token;
});
after(() => Promise.all([a.stop(), b.stop()]));

/** Polls a SQL count until it reaches `n` (telnet answers nothing on success). */
async function waitCount(s: TestServer, table: string, n: number, bucket = BUCKET): Promise<number> {
  let got = -1;
  for (let i = 0; i < 100; i++) {
    got = await sql<{ n: number }>(s, `SELECT count(*) AS n FROM "${table}"`, bucket).then((r) => r[0].n, () => 0);
    if (got >= n) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
  return got;
}

test('without auth and without a telnet token, puts are refused on the line; version, help, unknown commands answer', async () => {
  const t = await Telnet.connect(portA);
  t.send('put sys.cpu 1365465600 42 host=a\nversion\nhelp\nfoo bar\ndropcaches\n');
  assert.deepEqual(await t.lines(6), [
    'put: unauthorized: send `auth <token>` first',
    'hookline built at revision hookline (MINT): OpenTSDB 2.4.0 API',
    'Built by hookline',
    'available commands: put auth version help exit dropcaches ',
    "unknown command: foo.  Try `help'.",
    'Caches dropped.',
  ]);
  t.close();
});

test('auth <token>: a wrong token is refused, then puts are silent on success and answered on error', async () => {
  const t = await Telnet.connect(portA);
  t.send('auth nope\n');
  assert.deepEqual(await t.lines(1), ['auth: unauthorized: invalid token']);
  t.send(`auth ${TOKEN}\r\nput telnet.a 1365465600 42 host=web01\r\nput telnet.a 1365465601 43\r\nput telnet.a 1365465602 notanum host=web01\nput telnet.a 1365465603 44 host=a host=b\n`);
  assert.deepEqual(await t.lines(2), ["put: invalid value: Invalid character 'n' in notanum", 'put: illegal argument: duplicate tag: host=b, tags={host=a}']);
  assert.equal(await t.quiet(100), '');
  assert.equal(await waitCount(a, 'telnet.a', 2), 2);
  assert.deepEqual(await sql(a, 'SELECT host, value FROM "telnet.a" ORDER BY time'), [{ host: 'web01', value: 42 }, { value: 43 }]);
  t.close();
});

test('a thousand puts in one write are stored (one batch), and `auth <token> <bucket>` picks the bucket', async () => {
  const t = await Telnet.connect(portA);
  let lines = `auth ${TOKEN} telnet\n`;
  for (let i = 0; i < 1000; i++) lines += `put telnet.bulk ${1365465600 + i} ${i} host=h${i % 10}\n`;
  t.send(lines);
  assert.equal(await waitCount(a, 'telnet.bulk', 1000, 'telnet'), 1000);
  assert.equal(await t.quiet(50), '');
  t.close();
});

test('lines up to 1024 bytes; a longer line closes the connection (LineBasedFrameDecoder(1024))', async () => {
  const t = await Telnet.connect(portA);
  const ok = `put telnet.long 1365465600 1 k=${'v'.repeat(1024 - 'put telnet.long 1365465600 1 k='.length)}`;
  assert.equal(Buffer.byteLength(ok), 1024);
  t.send(`auth ${TOKEN}\n${ok}\n`);
  assert.equal(await waitCount(a, 'telnet.long', 1), 1);
  t.send(`put telnet.long 1365465601 1 k=${'v'.repeat(1100)}\n`);
  assert.deepEqual(await t.lines(1), ['error: line exceeds 1024 bytes, closing']);
  assert.equal(await t.waitClosed(), true);
});

test('exit closes the connection after writing what came before it', async () => {
  const t = await Telnet.connect(portA);
  t.send(`auth ${TOKEN}\nput telnet.exit 1365465600 1 host=a\nexit\nput telnet.exit 1365465601 2 host=a\n`);
  assert.equal(await t.waitClosed(), true);
  assert.equal(await waitCount(a, 'telnet.exit', 1), 1);
  assert.deepEqual(await sql(a, 'SELECT count(*) AS n FROM "telnet.exit"'), [{ n: 1 }]);
});

test('HOOKLINE_OPENTSDB_TELNET_TOKEN: unauthenticated puts get its rights, in the server\'s (strict) mode', async () => {
  const t = await Telnet.connect(portB);
  t.send('put telnet.tok 1365465600 42 host=a\nput telnet.tok 1365465601 42\nput telnet.tok 0 1 host=a\n');
  assert.deepEqual(await t.lines(2), ['put: illegal argument: not enough arguments (need least 4, got 3)', 'put: illegal argument: invalid timestamp: 0']);
  assert.equal(await waitCount(b, 'telnet.tok', 1), 1);
  // A token with its own mode overrides the server's.
  t.send(`auth ${lenientToken}\nput telnet.tok 1365465602 43\n`);
  assert.equal(await waitCount(b, 'telnet.tok', 2), 2);
  t.close();
});

test('HTTP on the same port (first byte A-Z): the same /api routes; InfluxDB\'s are not served there', async () => {
  let r = await fetch(`http://127.0.0.1:${portA}/api/put`, { method: 'POST', headers: { authorization: basic(TOKEN) }, body: '{"metric":"telnet.http","timestamp":1365465600,"value":1,"tags":{"host":"a"}}' });
  assert.equal(r.status, 204);
  r = await fetch(`http://127.0.0.1:${portA}/api/query?start=1365465000&end=1365466000&m=sum:telnet.http`, { headers: { authorization: basic(TOKEN) } });
  assert.deepEqual(await r.json(), [{ metric: 'telnet.http', tags: { host: 'a' }, aggregateTags: [], dps: { '1365465600': 1 } }]);
  r = await fetch(`http://127.0.0.1:${portA}/api/v2/write?bucket=${BUCKET}`, { method: 'POST', headers: { authorization: `Token ${TOKEN}` }, body: 'x v=1' });
  assert.equal(r.status, 404);
  // A raw request and keep-alive on the telnet port behave as HTTP/1.1 does.
  const raw = await rawRequest(portA, `GET /api/aggregators HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(TOKEN)}\r\nConnection: close\r\n\r\n`);
  assert.equal(raw.status, 200);
  assert.ok((JSON.parse(raw.body) as string[]).includes('zimsum'));
});

test('HOOKLINE_OPENTSDB_MODE=strict applies to HTTP puts too', async () => {
  const r = await fetch(`${b.url}/api/put?details`, { method: 'POST', headers: { authorization: basic(TOKEN) }, body: '[{"metric":"universe","value":42.00,"tags":{}}]' });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).errors[0].error, 'Invalid timestamp');
});
