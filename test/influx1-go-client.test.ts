// InfluxDB's Go client for 1.x (github.com/influxdata/influxdb1-client v2,
// client.go Query) sends every query as a body-less POST with an empty
// `Content-Type:` header and `params=null`, and large reads with
// chunked=true&chunk_size=N. These tests send exactly those bytes over a raw
// socket, as fetch() would never send an empty Content-Type.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startTestServer, writeLp, BUCKET, type TestServer } from './helpers/server.ts';

let s: TestServer;
const T0 = 1_700_000_000; // s

before(async () => {
  s = await startTestServer();
  const lines: string[] = [];
  for (let i = 0; i < 5; i++) lines.push(`m,host=a value=${i} ${T0 + i}`, `m,host=b value=${i * 2} ${T0 + i}`);
  assert.equal((await writeLp(s, lines.join('\n'))).status, 204);
});
after(() => s.stop());

/** Sends raw bytes, reads until the server closes; returns status, headers and the de-chunked body. */
function rawRequest(bytes: string): Promise<{ status: number; headers: string; body: string; chunks: string[] }> {
  const { hostname, port } = new URL(s.url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname);
    const parts: Buffer[] = [];
    sock.on('data', (d) => parts.push(d));
    sock.on('error', reject);
    sock.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const sep = text.indexOf('\r\n\r\n');
      const headers = text.slice(0, sep);
      let rest = text.slice(sep + 4);
      const chunks: string[] = [];
      if (/^transfer-encoding: chunked$/im.test(headers)) {
        for (;;) {
          const nl = rest.indexOf('\r\n');
          const n = parseInt(rest.slice(0, nl), 16);
          if (!n) break;
          chunks.push(rest.slice(nl + 2, nl + 2 + n));
          rest = rest.slice(nl + 2 + n + 2);
        }
      } else chunks.push(rest);
      resolve({ status: Number(headers.split(' ')[1]), headers, body: chunks.join(''), chunks });
    });
    sock.write(bytes);
  });
}

function goClientQuery(query: string): string {
  const auth = Buffer.from(`admin:${s.token}`).toString('base64');
  return (
    `POST /query?${query} HTTP/1.1\r\n` +
    `Host: ${new URL(s.url).host}\r\n` +
    'User-Agent: InfluxDBClient\r\n' +
    'Content-Length: 0\r\n' +
    `Authorization: Basic ${auth}\r\n` +
    'Content-Type: \r\n' +
    'Accept-Encoding: gzip\r\n' +
    'Connection: close\r\n\r\n'
  );
}

test('a body-less POST with an empty Content-Type and params=null is answered (show field keys)', async () => {
  const r = await rawRequest(goClientQuery(`db=${BUCKET}&rp=autogen&params=null&q=show+field+keys`));
  assert.equal(r.status, 200, r.body);
  assert.equal(r.body, '{"results":[{"statement_id":0,"series":[{"name":"m","columns":["fieldKey","fieldType"],"values":[["value","float"]]}]}]}\n');
});

test('a body-less POST without any Content-Type is answered too', async () => {
  const r = await rawRequest(goClientQuery(`db=${BUCKET}&q=show+measurements`).replace('Content-Type: \r\n', ''));
  assert.equal(r.status, 200, r.body);
  assert.equal(r.body, '{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["m"]]}]}]}\n');
});

test('chunked=true&chunk_size=N streams one JSON object per chunk, split per series and per N rows', async () => {
  const q = encodeURIComponent('SELECT value FROM m GROUP BY host');
  const r = await rawRequest(goClientQuery(`db=${BUCKET}&rp=autogen&params=null&epoch=s&chunked=true&chunk_size=3&q=${q}`));
  assert.equal(r.status, 200, r.body);
  const row = (tag: string, values: number[][], partial: boolean) =>
    `{"name":"m","tags":{"host":"${tag}"},"columns":["time","value"],"values":${JSON.stringify(values)}${partial ? ',"partial":true' : ''}}`;
  const objects = [
    `{"results":[{"statement_id":0,"series":[${row('a', [[T0, 0], [T0 + 1, 1], [T0 + 2, 2]], true)}],"partial":true}]}\n`,
    `{"results":[{"statement_id":0,"series":[${row('a', [[T0 + 3, 3], [T0 + 4, 4]], false)}],"partial":true}]}\n`,
    `{"results":[{"statement_id":0,"series":[${row('b', [[T0, 0], [T0 + 1, 2], [T0 + 2, 4]], true)}],"partial":true}]}\n`,
    `{"results":[{"statement_id":0,"series":[${row('b', [[T0 + 3, 6], [T0 + 4, 8]], false)}]}]}\n`,
  ];
  assert.equal(r.body, objects.join(''));
  // Each object is written (and flushed) on its own, as handler.go does per result.
  assert.deepEqual(r.chunks, objects);
});

test('a write with a body and an empty Content-Type is accepted, as influxd accepts it', async () => {
  const body = `gw,host=c value=7 ${T0}`;
  const auth = Buffer.from(`admin:${s.token}`).toString('base64');
  const r = await rawRequest(
    `POST /write?db=${BUCKET}&rp=&precision=s&consistency= HTTP/1.1\r\nHost: ${new URL(s.url).host}\r\nUser-Agent: InfluxDBClient\r\n` +
      `Content-Length: ${body.length}\r\nAuthorization: Basic ${auth}\r\nContent-Type: \r\nConnection: close\r\n\r\n${body}`,
  );
  assert.equal(r.status, 204, r.body);
  const q = await rawRequest(goClientQuery(`db=${BUCKET}&params=null&epoch=s&q=${encodeURIComponent('SELECT value FROM gw')}`));
  assert.equal(q.body, `{"results":[{"statement_id":0,"series":[{"name":"gw","columns":["time","value"],"values":[[${T0},7]]}]}]}\n`);
});
