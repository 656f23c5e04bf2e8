import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRaw, parseWebhook } from './integration-schema.ts';

test('defaults of docs.particle.io/reference/cloud-apis/webhooks', () => {
  const s = parseWebhook({ event: 'e', url: 'https://x.example/' });
  assert.equal(s.requestType, 'POST');
  assert.equal(s.noDefaults, false);
  assert.equal(s.rejectUnauthorized, true);
  assert.equal(s.disabled, false);
  assert.equal(s.unchunked, false);
  assert.deepEqual(s.secrets, []);
});

test('PUT merges: an alias replaces its canonical key; null removes a field', () => {
  const merged = mergeRaw({ event: 'a', url: 'u', deviceID: 'x', body: 'b' }, { eventName: 'b', deviceid: null, body: undefined });
  assert.deepEqual(merged, { url: 'u', body: 'b', eventName: 'b' });
});

test('templated URLs are accepted when they start with a scheme or a tag', () => {
  assert.equal(parseWebhook({ event: 'e', url: 'https://x.example/{{{path}}}' }).url, 'https://x.example/{{{path}}}');
  assert.equal(parseWebhook({ event: 'e', url: '{{{BASE_URL}}}/x' }).url, '{{{BASE_URL}}}/x');
  assert.throws(() => parseWebhook({ event: 'e', url: 'x.example/{{{p}}}' }), /http/);
});
