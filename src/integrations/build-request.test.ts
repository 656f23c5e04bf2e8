import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildRequest, BuildError } from './build-request.ts';
import { parseWebhook } from './integration-schema.ts';
import { eventContext } from '../templates/event-context.ts';

const fx = JSON.parse(readFileSync(new URL('./fixtures/build-request-cases.json', import.meta.url), 'utf8'));
const sortPairs = (p: string[][]) => [...p].map((x) => x.join('\u0000')).sort();

for (const c of fx.cases) {
  test(`request: ${c.name}`, () => {
    const spec = parseWebhook(c.webhook);
    const ev = { ...fx.event, ...(c.eventData !== undefined ? { data: c.eventData } : {}) };
    const secrets = Object.fromEntries(Object.entries(c.secrets ?? {}).filter(([k]) => spec.secrets.includes(k))) as Record<string, string>;
    const req = buildRequest(spec, ev, eventContext(ev, secrets));
    const e = c.expected;
    assert.equal(req.method, e.method);
    const url = new URL(req.url);
    assert.equal(url.origin + url.pathname, e.url);
    assert.deepEqual(sortPairs([...url.searchParams]), sortPairs(e.query ?? []));
    if (c.expectedUrlRaw) assert.equal(req.url, c.expectedUrlRaw);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [k, v] of Object.entries(e.headers ?? {})) assert.equal(headers[k], v, `header ${k}`);
    for (const k of c.absentHeaders ?? []) assert.equal(headers[k], undefined, `header ${k} must be absent`);
    if (e.bodyType === 'none') assert.equal(req.body, undefined);
    else if (e.bodyType === 'exact') assert.equal(req.body, e.body);
    else if (e.bodyType === 'json') assert.deepEqual(JSON.parse(req.body!), e.body);
    else if (e.bodyType === 'form') assert.deepEqual(sortPairs([...new URLSearchParams(req.body!)]), sortPairs(e.body));
    if (c.expectedBodyRaw) assert.equal(req.body, c.expectedBodyRaw);
  });
}

test('a json string template that renders invalid JSON is a build error naming json', () => {
  const spec = parseWebhook({ event: 'd', url: 'https://x.example/', json: '{"a": "{{{s}}}"}', noDefaults: true });
  const ev = { ...fx.event, data: '{"s":"a\\"b"}' };
  assert.throws(() => buildRequest(spec, ev, eventContext(ev)), (e: Error) => e instanceof BuildError && e.field === 'json');
});

test('a header value with a line break from device data is refused', () => {
  const spec = parseWebhook({ event: 'd', url: 'https://x.example/', headers: { 'X-A': '{{{s}}}' } });
  const ev = { ...fx.event, data: '{"s":"a\\r\\nInjected: 1"}' };
  assert.throws(() => buildRequest(spec, ev, eventContext(ev)), /line break/);
});

test('any device data: an object-form json body is always valid JSON, and nothing but a BuildError is thrown', async () => {
  const fc = (await import('fast-check')).default;
  const objSpec = parseWebhook({ event: 'd', url: 'https://x.example/{{{p}}}', json: { a: '{{{a}}}', b: '{{b}}', '{{{k}}}': ['{{{a.b}}}'] } });
  const bodySpec = parseWebhook({ event: 'd', url: 'https://x.example/', headers: { 'X-A': '{{{a}}}' }, query: { q: '{{{a}}}' }, form: { f: '{{{b}}}' } });
  fc.assert(
    fc.property(fc.jsonValue(), fc.string(), (value, raw) => {
      for (const data of [JSON.stringify({ a: value, b: value, k: value, p: value }), raw]) {
        const ev = { ...fx.event, data };
        try {
          const r = buildRequest(objSpec, ev, eventContext(ev));
          JSON.parse(r.body!);
        } catch (e) {
          if (!(e instanceof BuildError)) throw e;
        }
        try {
          buildRequest(bodySpec, ev, eventContext(ev));
        } catch (e) {
          if (!(e instanceof BuildError)) throw e;
        }
      }
    }),
    { seed: 7, numRuns: 1000 },
  );
});
