// HTTPS for devices that pin certificates: the Wemos/ESP8266 seed's request,
// byte for byte over TLS, gets 204 on the main port and on the OpenTSDB port;
// `universe` = 42 reads back through /api/query, SQL and InfluxQL; the
// self-signed certificate survives restarts; `hookline tls fingerprint`
// prints what `openssl x509 -fingerprint -sha1` prints, for the data
// directory's certificate and for HOOKLINE_TLS_CERT.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import tls from 'node:tls';
import { startTestServer, freePort, tempDir, BUCKET, TOKEN, type TestServer } from './helpers/server.ts';
import { rawRequest, Telnet } from './helpers/opentsdb.ts';

let s: TestServer;
let tsdbPort: number;
let cert: Buffer;
const REPO = new URL('..', import.meta.url).pathname;

before(async () => {
  tsdbPort = await freePort();
  s = await startTestServer({ HOOKLINE_TLS: 'self-signed', HOOKLINE_OPENTSDB_PORT: String(tsdbPort) });
  cert = readFileSync(join(s.dataDir, 'tls', 'self-signed.crt'));
});
after(() => s.stop());

/** The seed's request (github.com/landru29/ovh_metrics_wemos): ESP8266HTTPClient's headers in its order, lower-case `basic`. */
function wemosRequest(host: string): string {
  const body = '[{"metric":"universe","value":42.00,"tags":{}}]';
  const auth = `basic ${Buffer.from(`DESC:${TOKEN}`).toString('base64')}`;
  return (
    `POST /api/put HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ESP8266HTTPClient\r\nConnection: close\r\n` +
    `Accept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nContent-Type: application/json\r\nAuthorization: ${auth}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** Verifies the chain against the served certificate itself, for the name localhost. */
const trust = () => ({ ca: cert, servername: 'localhost' });
const mainPort = () => Number(new URL(s.url).port);

async function get(path: string, authorization = `Token ${TOKEN}`) {
  const r = await rawRequest(mainPort(), `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${authorization}\r\nConnection: close\r\n\r\n`, { tls: trust() });
  return r;
}

test('the Wemos request, byte for byte over TLS, gets 204 on the main HTTPS port and on the OpenTSDB port', async () => {
  const req = wemosRequest('opentsdb.gra1.metrics.ovh.net');
  assert.equal(req.split('\r\n\r\n')[1].length, 47, 'Content-Length 47 as the device sends it');
  assert.match(req, /Authorization: basic /);
  for (const port of [mainPort(), tsdbPort]) {
    const r = await rawRequest(port, req, { tls: trust() });
    assert.equal(r.status, 204, r.raw);
    assert.equal(r.body, '');
  }
});

test('universe = 42 reads back through /api/query, SQL and InfluxQL', async () => {
  const q = await get('/api/query?start=1h-ago&m=sum:universe', `basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}`);
  assert.equal(q.status, 200, q.raw);
  const [r] = JSON.parse(q.body) as Array<{ metric: string; dps: Record<string, number> }>;
  assert.equal(r.metric, 'universe');
  // Two devices' posts may fall in one second (summed with `sum`); each is 42.
  assert.ok(Object.values(r.dps).every((v) => v % 42 === 0 && v > 0), q.body);
  const max = await get('/api/query?start=1h-ago&m=max:universe');
  assert.ok(Object.values((JSON.parse(max.body) as Array<{ dps: Record<string, number> }>)[0].dps).every((v) => v === 42));

  const sqlR = await get(`/api/v3/query_sql?db=${BUCKET}&format=json&q=${encodeURIComponent('SELECT DISTINCT value FROM universe')}`);
  assert.deepEqual(JSON.parse(sqlR.body), [{ value: 42 }]);

  const iql = await get(`/query?db=${BUCKET}&q=${encodeURIComponent('SELECT max("value") FROM "universe"')}`);
  if (iql.status === 404) return; // InfluxQL is another concern; when present it must agree.
  assert.equal(iql.status, 200, iql.raw);
  assert.equal(JSON.parse(iql.body).results[0].series[0].values[0][1], 42);
});

test('the served certificate is the data directory\'s; it validates for localhost; plain HTTP is served beside it', async () => {
  const served = await new Promise<tls.PeerCertificate>((resolve, reject) => {
    const c = tls.connect({ host: '127.0.0.1', port: tsdbPort, ...trust() }, () => {
      resolve(c.getPeerCertificate());
      c.end();
    });
    c.on('error', reject);
  });
  const openssl = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: cert }).toString();
  assert.equal(served.fingerprint, openssl.replace(/.*=/, '').trim());
  // Plain HTTP is served beside HTTPS unless HOOKLINE_TLS_PLAIN_HTTP=false (test/tls-dual.test.ts).
  const plain = await rawRequest(tsdbPort, `GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: Token ${TOKEN}\r\nConnection: close\r\n\r\n`);
  assert.equal(plain.status, 200);
});

test('telnet over TLS, and plain telnet for clients that cannot do TLS, on the OpenTSDB port', async () => {
  for (const opts of [{ tls: trust() }, {}]) {
    const t = await Telnet.connect(tsdbPort, opts);
    t.send(`auth ${TOKEN}\nversion\n`);
    assert.match((await t.lines(1))[0], /OpenTSDB 2\.4\.0 API/);
    t.close();
  }
});

test('`hookline tls fingerprint` prints the seed\'s config.h form, equal to openssl\'s, and the certificate survives a restart', async () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['bin/hookline.js', 'tls', 'fingerprint', ...args], { cwd: REPO, env: { ...process.env, ...env }, encoding: 'utf8' });
  const openssl = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: cert }).toString();
  const seedForm = openssl.replace(/.*=/g, '').replace(/:/g, ' ').trim();
  const sha1 = run(['--sha1', '--data-dir', s.dataDir]);
  assert.equal(sha1.status, 0, sha1.stderr);
  assert.equal(sha1.stdout, seedForm + '\n');
  const full = run([], { HOOKLINE_DATA_DIR: s.dataDir });
  assert.match(full.stdout, new RegExp(`config.h: +#define FINGERPRINT "${seedForm}"`));
  const sha256 = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], { input: cert }).toString().replace(/.*=/, '').trim();
  assert.match(full.stdout, new RegExp(`SHA-256: +${sha256}`));

  s = await s.restart();
  assert.deepEqual(readFileSync(join(s.dataDir, 'tls', 'self-signed.crt')), cert);

  // HOOKLINE_TLS_CERT: an operator's own certificate (made by openssl here, as an operator would).
  const dir = await tempDir('hookline-tls-own-');
  try {
    const [crt, key] = [join(dir, 'own.crt'), join(dir, 'own.key')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const own = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1', '-in', crt]).toString().replace(/.*=/g, '').replace(/:/g, ' ').trim();
    const r = run(['--sha1'], { HOOKLINE_TLS_CERT: crt, HOOKLINE_TLS_KEY: key, HOOKLINE_DATA_DIR: dir });
    assert.equal(r.stdout, own + '\n');
    const none = run([], { HOOKLINE_DATA_DIR: join(dir, 'empty') });
    assert.equal(none.status, 1);
    assert.match(none.stderr, /HOOKLINE_TLS=self-signed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
