// The sender against real loopback servers: what goes on the wire and how
// undici's answers and failures come back (named as node:http named them
// before issue 15, so logs, status causes and retries keep their meaning).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from './build-request.ts';
import { MAX_RESPONSE_BYTES } from './response-events.ts';
import { WebhookSender } from './send-webhook.ts';
import { addressPolicy } from './ssrf-guard.ts';

function request(url: string, method = 'POST', headers: Record<string, string> = {}, body?: string): WebhookRequest {
  return { method, url, headers, target: new URL(url), ...(body !== undefined ? { body } : {}) };
}

async function listen(server: http.Server | net.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sender = () => new WebhookSender({ policy: addressPolicy('1'), ownOrigins: () => new Set(), timeoutMs: 5000, maxSockets: 2 });

test('send: the request as rendered, URL credentials as Basic auth, connection fields left to the client', async () => {
  const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end('ok');
    });
  });
  const host = await listen(server);
  const s = sender();
  try {
    const r = await s.send(request(`http://us%40er:p%3Ass@${host}/hook?x=1`, 'POST', { 'Content-Type': 'application/json', Connection: 'close', 'Transfer-Encoding': 'chunked', 'Content-Length': '999' }, '{"a":"é"}'), true);
    assert.ok(r.ok);
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'ok');
    assert.equal(r.bodyBytes, 2);
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    const got = seen[0];
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/hook?x=1');
    assert.equal(got.body, '{"a":"é"}');
    assert.equal(got.headers['content-length'], String(Buffer.byteLength('{"a":"é"}')));
    assert.equal(got.headers['transfer-encoding'], undefined);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers.authorization, `Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);

    // A template's Authorization wins over URL credentials; a POST without a body says Content-Length: 0.
    const r2 = await s.send(request(`http://u:p@${host}/empty`, 'POST', { Authorization: 'Bearer t' }), true);
    assert.ok(r2.ok);
    assert.equal(seen[1].headers.authorization, 'Bearer t');
    assert.equal(seen[1].headers['content-length'], '0');
  } finally {
    s.close();
    server.close();
  }
});

test('send: only the first MAX_RESPONSE_BYTES of a body are kept, the total is counted', async () => {
  const size = MAX_RESPONSE_BYTES + 12345;
  const server = http.createServer((_req, res) => res.end(Buffer.alloc(size, 'x')));
  const host = await listen(server);
  const s = sender();
  try {
    const r = await s.send(request(`http://${host}/big`, 'GET'), true);
    assert.ok(r.ok);
    assert.equal(r.body.length, MAX_RESPONSE_BYTES);
    assert.equal(r.bodyBytes, size);
  } finally {
    s.close();
    server.close();
  }
});

test('send: a connection closed before the response is ECONNRESET; a refused one ECONNREFUSED', async () => {
  const server = net.createServer((socket) => socket.once('data', () => socket.destroy()));
  const host = await listen(server);
  const closed = net.createServer();
  const refusedHost = await listen(closed);
  await new Promise<void>((r) => closed.close(() => r()));
  const s = sender();
  try {
    const r = await s.send(request(`http://${host}/reset`, 'POST', {}, 'x'), true);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'ECONNRESET');
    const r2 = await s.send(request(`http://${refusedHost}/gone`, 'POST', {}, 'x'), true);
    assert.equal(!r2.ok && r2.code, 'ECONNREFUSED');
  } finally {
    s.close();
    server.close();
  }
});

test('send: a name resolving to an internal address is refused by the guarded lookup (EADDRBLOCKED)', async () => {
  const s = new WebhookSender({ policy: addressPolicy(''), ownOrigins: () => new Set(), timeoutMs: 5000, maxSockets: 1 });
  try {
    const r = await s.send(request('http://localhost:9/hook', 'POST', {}, 'x'), true);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'EADDRBLOCKED');
  } finally {
    s.close();
  }
});
