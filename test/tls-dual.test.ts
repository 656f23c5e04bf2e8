// HTTP and HTTPS together (issue 12): with HOOKLINE_TLS=self-signed the main
// port and the OpenTSDB port answer both plain HTTP and HTTPS (the first byte
// decides); the Particle seed's webhook aimed at this hub over http:// and
// over https:// is delivered; HOOKLINE_TLS_PLAIN_HTTP=false turns plain HTTP
// off with a 400 that says why.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, freePort, sql, BUCKET, ORG, TOKEN, type TestServer } from './helpers/server.ts';
import { basic, rawRequest } from './helpers/opentsdb.ts';
import { createDevice, createIntegration, openStream, publish, putSecret } from './helpers/particle.ts';

let s: TestServer;
let plainView: TestServer;
let tsdbPort: number;
let trust: () => { ca: Buffer; servername: string };
const port = () => Number(new URL(s.url).port);
const ping = `GET /ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token ${TOKEN}\r\nConnection: close\r\n\r\n`;

before(async () => {
  tsdbPort = await freePort();
  s = await startTestServer({ HOOKLINE_TLS: 'self-signed', HOOKLINE_OPENTSDB_PORT: String(tsdbPort) });
  const cert = readFileSync(join(s.dataDir, 'tls', 'self-signed.crt'));
  trust = () => ({ ca: cert, servername: 'localhost' });
  // The same server seen through its plain-HTTP URL (fetch would not trust the self-signed certificate).
  plainView = Object.assign(Object.create(s), { url: s.url.replace(/^https:/, 'http:') });
});
after(() => s.stop());

test('the main port and the OpenTSDB port answer plain HTTP and HTTPS side by side', async () => {
  assert.match(s.url, /^https:/);
  for (const p of [port(), tsdbPort]) {
    const path = p === port() ? '/ping' : '/api/version';
    const req = ping.replace('/ping', path);
    const secure = await rawRequest(p, req, { tls: trust() });
    const plain = await rawRequest(p, req);
    assert.equal(secure.status, p === port() ? 204 : 200, secure.raw);
    assert.equal(plain.status, secure.status, plain.raw);
  }
  // fetch over plain HTTP, with keep-alive, several times on one connection.
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${plainView.url}/ping`)).status, 204);
});

test('the seed\'s webhook aimed at this hub by http:// and by https:// is delivered while TLS is on', async () => {
  assert.equal((await putSecret(plainView, 'INFLUX_API_KEY', TOKEN)).status, 201);
  assert.equal((await putSecret(plainView, 'INFLUX_ORG', ORG)).status, 201);
  assert.equal((await putSecret(plainView, 'INFLUX_BUCKET', BUCKET)).status, 201);
  const seed = JSON.parse(readFileSync(new URL('../src/integrations/fixtures/seed-template.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  await createIntegration(plainView, { ...seed, name: 'plain', url: `http://localhost:${port()}/api/v2/write` });
  await createIntegration(plainView, { ...seed, name: 'secure', event: 'sdata', url: `https://localhost:${port()}/api/v2/write` });
  const dev = await createDevice(plainView);
  const st = await openStream(plainView, { name: 'hook-' });
  try {
    assert.equal((await publish(plainView, dev.token, 'data', '{"count":1,"time":1764625907}')).status, 200);
    assert.equal((await publish(plainView, dev.token, 'sdata', '{"count":2,"time":1764625908}')).status, 200);
    await st.waitFor((e) => e.name === 'hook-sent/data');
    await st.waitFor((e) => e.name === 'hook-sent/sdata');
    let rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100 && rows.length < 2; i++) {
      rows = await sql(plainView, 'SELECT "count" FROM data ORDER BY time').catch(() => []);
      if (rows.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(rows, [{ count: 1 }, { count: 2 }]);
    assert.equal(st.events.some((e) => e.name.startsWith('hook-error')), false, JSON.stringify(st.events));
  } finally {
    st.close();
  }
});

test('HOOKLINE_TLS_PLAIN_HTTP=false: HTTPS only, plain HTTP gets a 400 naming the setting on both ports', async () => {
  const p2 = await freePort();
  const only = await startTestServer({ HOOKLINE_TLS: 'self-signed', HOOKLINE_TLS_PLAIN_HTTP: 'false', HOOKLINE_OPENTSDB_PORT: String(p2) });
  try {
    const cert = readFileSync(join(only.dataDir, 'tls', 'self-signed.crt'));
    const mp = Number(new URL(only.url).port);
    for (const p of [mp, p2]) {
      const plain = await rawRequest(p, `GET /api/version HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(TOKEN)}\r\nConnection: close\r\n\r\n`);
      assert.equal(plain.status, 400);
      assert.match(plain.body, /plain HTTP request was sent to an HTTPS port \(HOOKLINE_TLS_PLAIN_HTTP=false\)/);
    }
    const body = '[{"metric":"universe","value":42.00,"tags":{}}]';
    const put = await rawRequest(mp, `POST /api/put HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${basic(TOKEN)}\r\nContent-Length: ${body.length}\r\n\r\n${body}`, { tls: { ca: cert, servername: 'localhost' } });
    assert.equal(put.status, 204, put.raw);
  } finally {
    await only.stop();
  }
});

test('the seed\'s fingerprint one-liner, pointed at hookline\'s port, prints the same bytes as `hookline tls fingerprint --sha1`', async () => {
  // docs/tls.md: the OVH seed's command with ${HOST}:443 replaced by hookline's host and port.
  const cmd = `HOST=localhost; PORT=${port()}; echo | openssl s_client -showcerts -servername \${HOST} -connect \${HOST}:\${PORT} 2>/dev/null | openssl x509 -noout -fingerprint -sha1 -inform pem | sed -e "s/.*=//g" | sed -e "s/\\:/ /g"`;
  // Asynchronously: the server runs in this process and must answer the handshake.
  const { stdout: openssl } = await promisify(execFile)('bash', ['-c', cmd], { encoding: 'utf8' });
  const ours = spawnSync(process.execPath, ['bin/hookline.js', 'tls', 'fingerprint', '--sha1', '--data-dir', s.dataDir], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' });
  assert.equal(ours.status, 0, ours.stderr);
  assert.match(openssl, /^([0-9A-F]{2} ){19}[0-9A-F]{2}\n$/);
  assert.equal(ours.stdout, openssl);
});
