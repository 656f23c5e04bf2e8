import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkUtf8, errorEvent, responseEvents } from './response-events.ts';
import { parseWebhook } from './integration-schema.ts';

const ctx = { data: {}, reserved: { PARTICLE_DEVICE_ID: 'dev', PARTICLE_EVENT_NAME: 'my-hooks/get_weather' } };
const res = (body: string | Buffer, type = 'text/plain') => ({ status: 200, headers: { 'content-type': type }, body: Buffer.from(body) });

test('512-byte parts; every part but the last is exactly 512 bytes; exact multiples end without an empty part', () => {
  assert.deepEqual(chunkUtf8(Buffer.alloc(1024, 'a')).map((p) => p.length), [512, 512]);
  assert.deepEqual(chunkUtf8(Buffer.alloc(1025, 'a')).map((p) => p.length), [512, 512, 1]);
  assert.deepEqual(chunkUtf8(Buffer.alloc(0)), []);
});

test('a part never cuts a UTF-8 character in two', () => {
  const text = 'a'.repeat(511) + 'é' + 'b';
  const parts = chunkUtf8(Buffer.from(text));
  assert.deepEqual(parts, ['a'.repeat(511), 'éb']);
  assert.equal(parts.join(''), text);
});

test('the triggering event name, not the webhook prefix, names the response (the my-hooks example of docs.particle.io/reference/cloud-apis/webhooks)', () => {
  const spec = parseWebhook({ event: 'my-hooks', url: 'https://x.example/' });
  assert.deepEqual(responseEvents(spec, 'my-hooks/get_weather', ctx, res('sunny')), [{ name: 'hook-response/my-hooks/get_weather/0', data: 'sunny' }]);
  assert.deepEqual(responseEvents(spec, 'my-hooks/get_weather', ctx, res('')), []);
  assert.deepEqual(errorEvent(spec, 'my-hooks/get_weather', ctx, 'error status 404 from requestb.in'), { name: 'hook-error/my-hooks/get_weather/0', data: 'error status 404 from requestb.in' });
});

test('only the first 100 KB are published', () => {
  const spec = parseWebhook({ event: 'e', url: 'https://x.example/' });
  const ev = responseEvents(spec, 'e', ctx, res(Buffer.alloc(150 * 1024, 'x')));
  assert.equal(ev.length, 200);
  assert.equal(ev.reduce((n, e) => n + e.data.length, 0), 100 * 1024);
});

test('responseTemplate: string and object forms over the JSON body; a non-JSON body gives no variables', () => {
  const body = JSON.stringify({ results: [{ location: { lat: 39.7, lng: -104.9 }, elevation: 1608.6 }] });
  const str = parseWebhook({ event: 'e', url: 'https://x.example/', responseTemplate: '{{results.0.elevation}}' });
  assert.equal(responseEvents(str, 'e', ctx, res(body, 'application/json'))[0].data, '1608.6');
  const obj = parseWebhook({ event: 'e', url: 'https://x.example/', responseTemplate: { lat: '{{{results.0.location.lat}}}', dev: '{{PARTICLE_DEVICE_ID}}' } });
  assert.equal(responseEvents(obj, 'e', ctx, res(body))[0].data, '{"lat":"39.7","dev":"dev"}');
  assert.equal(responseEvents(str, 'e', ctx, res('<xml/>')).length, 0, 'empty rendering publishes nothing');
});
