// docs/walkthrough.md, step by step: both seeds on one hub with TLS on. The
// Particle seed's template verbatim, its url pointed at the hub over plain
// HTTP; the Wemos' exact request over HTTPS with basic auth; both read back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, BUCKET, ORG, TOKEN, type TestServer } from './helpers/server.ts';
import { rawRequest } from './helpers/opentsdb.ts';

let s: TestServer;
let plain: string;
let port: number;
let ca: Buffer;
before(async () => {
  s = await startTestServer({ HOOKLINE_TLS: 'self-signed' });
  port = Number(new URL(s.url).port);
  plain = `http://localhost:${port}`;
  ca = readFileSync(join(s.dataDir, 'tls', 'self-signed.crt'));
});
after(() => s.stop());

const H = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const https = (req: string) => rawRequest(port, req, { tls: { ca, servername: 'localhost' } });

test('walkthrough: Particle over plain HTTP and the Wemos over HTTPS on one TLS-enabled hub', async () => {
  // Step 2: the seed's three secrets.
  for (const [name, value] of [['INFLUX_API_KEY', TOKEN], ['INFLUX_ORG', ORG], ['INFLUX_BUCKET', BUCKET]]) {
    const r = await fetch(`${plain}/v1/secrets/${name}`, { method: 'PUT', headers: H, body: JSON.stringify({ secret: { value } }) });
    assert.equal(r.status, 201);
  }
  // Step 3: the template verbatim, only its url changed (sed in the doc).
  const template = readFileSync(new URL('../src/integrations/fixtures/seed-template.json', import.meta.url), 'utf8').replace('https://us-east-1-1.aws.cloud2.influxdata.com', plain);
  assert.match(template, new RegExp(`"url": "${plain}/api/v2/write"`));
  assert.equal((await fetch(`${plain}/v1/integrations`, { method: 'POST', headers: H, body: template })).status, 201);
  // Step 4: a device, and its publish as the seed firmware sends it.
  const dev = (await (await fetch(`${plain}/v1/devices`, { method: 'POST', headers: { authorization: H.authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=photon' })).json()) as { id: string; token: string };
  const pub = await fetch(`${plain}/v1/devices/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${dev.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'data', data: '{"count":1,"timestamp":1764701}' }),
  });
  assert.equal(pub.status, 200);

  // Step 5: the Wemos' request, byte for byte, over HTTPS with basic auth.
  const body = '[{"metric":"universe","value":42.00,"tags":{}}]';
  const auth = `basic ${Buffer.from(`DESC:${TOKEN}`).toString('base64')}`;
  const put = await https(
    `POST /api/put HTTP/1.1\r\nHost: localhost:${port}\r\nUser-Agent: ESP8266HTTPClient\r\nConnection: close\r\n` +
      `Accept-Encoding: identity;q=1,chunked;q=0.1,*;q=0\r\nContent-Type: application/json\r\nAuthorization: ${auth}\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body}`,
  );
  assert.equal(put.status, 204, put.raw);

  // Step 6: both read back, over HTTPS.
  const q = async (sql: string) => {
    const r = await https(`GET /api/v3/query_sql?db=${BUCKET}&format=json&q=${encodeURIComponent(sql)} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token ${TOKEN}\r\nConnection: close\r\n\r\n`);
    return r.status === 200 ? (JSON.parse(r.body) as Array<Record<string, unknown>>) : [];
  };
  let data: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 100 && data.length === 0; i++) {
    data = await q('SELECT device, "count" FROM data');
    if (data.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(data, [{ device: dev.id, count: 1 }]);
  assert.deepEqual(await q('SELECT value FROM universe'), [{ value: 42 }]);
});
