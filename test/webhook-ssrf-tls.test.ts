// SSRF protection and TLS verification of webhook targets (issue 4 "SSRF";
// docs.particle.io webhooks rejectUnauthorized). The server allows only 127.0.0.2 among
// private addresses: 127.0.0.1 and localhost stay refused, hookline's own URL
// stays allowed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startTestServer, tempDir, type TestServer } from './helpers/server.ts';
import { captureServer, createDevice, createIntegration, openStream, publish, type CaptureServer } from './helpers/particle.ts';

let s: TestServer;
let cap: CaptureServer;
let dev: { id: string; token: string };
let stream: Awaited<ReturnType<typeof openStream>>;
before(async () => {
  s = await startTestServer({ HOOKLINE_WEBHOOK_ALLOW_PRIVATE: '127.0.0.2/32' });
  cap = await captureServer('127.0.0.1');
  dev = await createDevice(s);
  stream = await openStream(s, { name: 'hook-' });
});
after(async () => {
  stream.close();
  await cap.close();
  await s.stop();
});

test('loopback targets are refused, by address and by name; nothing is sent and nothing is retried', async () => {
  await createIntegration(s, { event: 'ip', url: `${cap.url}/x` });
  await createIntegration(s, { event: 'name', url: cap.url.replace('127.0.0.1', 'localhost') + '/y' });
  await createIntegration(s, { event: 'meta', url: 'http://169.254.169.254/latest/meta-data/' });
  await publish(s, dev.token, 'ip', '');
  await publish(s, dev.token, 'name', '');
  await publish(s, dev.token, 'meta', '');
  assert.match((await stream.waitFor((e) => e.name === 'hook-error/ip/0')).data!, /^refused: 127\.0\.0\.1 is an internal address/);
  assert.match((await stream.waitFor((e) => e.name === 'hook-error/name/0')).data!, /^refused: localhost resolves to (127\.0\.0\.1|::1)/);
  assert.match((await stream.waitFor((e) => e.name === 'hook-error/meta/0')).data!, /^refused: 169\.254\.169\.254/);
  assert.equal(cap.requests.length, 0);
  assert.equal(stream.events.some((e) => e.name === 'hook-sent/ip'), false);
});

test('an allowed range (127.0.0.2/32) and hookline\'s own URL are reachable', async () => {
  const ok = await captureServer('127.0.0.2');
  try {
    await createIntegration(s, { event: 'allowed', url: `${ok.url}/z` });
    await createIntegration(s, { event: 'self', url: `${s.url}/ping`, requestType: 'GET' });
    await publish(s, dev.token, 'allowed', '');
    await publish(s, dev.token, 'self', '');
    await ok.waitFor(1);
    await stream.waitFor((e) => e.name === 'hook-sent/self');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(stream.events.some((e) => e.name === 'hook-error/self/0'), false);
  } finally {
    await ok.close();
  }
});

test('rejectUnauthorized: a self-signed target fails by default and is reached with false', async () => {
  const dir = await tempDir('hookline-tls-');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.2', '-addext', 'subjectAltName=IP:127.0.0.2'], { stdio: 'ignore' });
  const seen: string[] = [];
  const srv = https.createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200).end('secure');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.2', r));
  const url = `https://127.0.0.2:${(srv.address() as AddressInfo).port}`;
  try {
    await createIntegration(s, { event: 'strict', url: `${url}/strict` });
    await createIntegration(s, { event: 'lax', url: `${url}/lax`, rejectUnauthorized: false });
    await publish(s, dev.token, 'strict', '');
    await publish(s, dev.token, 'lax', '');
    assert.equal((await stream.waitFor((e) => e.name === 'hook-error/strict/0')).data, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal((await stream.waitFor((e) => e.name === 'hook-response/lax/0')).data, 'secure');
    assert.deepEqual(seen, ['/lax']);
  } finally {
    srv.close();
  }
});
