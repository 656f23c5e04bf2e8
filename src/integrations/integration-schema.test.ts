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

test('an object-form json nested deeper than HOOKLINE_MAX_JSON_DEPTH is a field error naming json, not a stack overflow', async () => {
  const { FieldError } = await import('./integration-schema.ts');
  const { jsonLimits } = await import('../core/parse-json-bounded.ts');
  const MAX_JSON_DEPTH = jsonLimits.maxDepth;
  const nest = (n: number, leaf: unknown = '{{{PARTICLE_EVENT_VALUE}}}') => {
    let v = leaf;
    for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };
  assert.ok(parseWebhook({ event: 'e', url: 'https://x.example/', json: nest(MAX_JSON_DEPTH) }).json);
  for (const n of [MAX_JSON_DEPTH + 1, 5000, 50_000]) {
    assert.throws(() => parseWebhook({ event: 'e', url: 'https://x.example/', json: nest(n) }), (e: Error) => e instanceof FieldError && e.field === 'json' && /nests deeper than/.test(e.message));
  }
});
