// Bad input stays a 4xx (issue 10, finding 8): JSON nested deeper than
// HOOKLINE_MAX_JSON_DEPTH on every entry point is the dialect's 400 naming the
// limit, deep templates and InfluxQL nesting are refused, malformed URLs are
// 400s; nothing here may answer 500.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TOKEN, type TestServer } from './helpers/server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.stop();
});

const deepObj = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const deepArr = (n: number) => '['.repeat(n) + ']'.repeat(n);
const H = { authorization: `Token ${TOKEN}`, 'content-type': 'application/json' };
const FORM = { authorization: `Token ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' };
const webhook = (extra: Record<string, unknown>) => ({ event: 'deep', url: 'https://example.com/hook', integration_type: 'Webhook', ...extra });
const LIMIT = /deeper than 64 levels \(HOOKLINE_MAX_JSON_DEPTH\)/;

type Shape = 'v2' | 'v1' | 'v3' | 'particle' | 'opentsdb';
function checkShape(shape: Shape, body: any, pattern: RegExp): void {
  const message = shape === 'v2' ? body.message : shape === 'opentsdb' ? `${body.error.message} ${body.error.details ?? ''}` : body.error;
  if (shape === 'v2') assert.equal(body.code, 'invalid');
  if (shape === 'particle') assert.equal(body.ok, false);
  if (shape === 'opentsdb') assert.equal(body.error.code, 400);
  assert.match(String(message), pattern);
}

const CASES: Array<{ name: string; path: string; init: RequestInit; shape: Shape; pattern?: RegExp }> = [
  { name: 'InfluxDB 2 API body (orgs)', path: '/api/v2/orgs', init: { method: 'POST', headers: H, body: deepObj(5000) }, shape: 'v2' },
  { name: 'InfluxDB 2 API body (buckets, arrays)', path: '/api/v2/buckets', init: { method: 'POST', headers: H, body: deepArr(100_000) }, shape: 'v2' },
  { name: 'SQL JSON body', path: '/api/v3/query_sql', init: { method: 'POST', headers: H, body: `{"db":"test-bucket","q":"select 1","params":${deepObj(5000)}}` }, shape: 'v3' },
  { name: 'InfluxQL v3 JSON body', path: '/api/v3/query_influxql', init: { method: 'POST', headers: H, body: `{"db":"test-bucket","q":"show databases","params":${deepObj(5000)}}` }, shape: 'v3' },
  { name: 'Particle publish body', path: '/v1/devices/events', init: { method: 'POST', headers: H, body: deepObj(5000) }, shape: 'particle' },
  { name: 'integration definition', path: '/v1/integrations', init: { method: 'POST', headers: H, body: JSON.stringify(webhook({})).slice(0, -1) + `,"json":${deepObj(5000)}}` }, shape: 'particle' },
  { name: 'integration json string template', path: '/v1/integrations', init: { method: 'POST', headers: H, body: JSON.stringify(webhook({ json: deepObj(5000) })) }, shape: 'particle' },
  { name: 'integration json object template one level over', path: '/v1/integrations', init: { method: 'POST', headers: H, body: JSON.stringify(webhook({ json: JSON.parse(deepObj(64)) })) }, shape: 'particle' },
  { name: 'integration responseTemplate', path: '/v1/integrations', init: { method: 'POST', headers: H, body: JSON.stringify(webhook({ responseTemplate: deepArr(5000) })) }, shape: 'particle' },
  { name: 'integration test definition', path: '/v1/integrations/test', init: { method: 'POST', headers: H, body: JSON.stringify({ integration: webhook({ json: deepArr(5000) }), data: '1' }) }, shape: 'particle' },
  { name: 'template sections', path: '/v1/integrations', init: { method: 'POST', headers: H, body: JSON.stringify(webhook({ body: '{{#a}}'.repeat(5000) + '{{/a}}'.repeat(5000) })) }, shape: 'particle', pattern: /sections nest deeper than 64 levels/ },
  { name: 'OpenTSDB put', path: '/api/put', init: { method: 'POST', headers: H, body: `[{"metric":"m","timestamp":1,"value":1,"tags":{"a":"b"},"x":${deepArr(100_000)}}]` }, shape: 'opentsdb', pattern: /JSON|nesting/ },
  { name: 'OpenTSDB suggest body', path: '/api/suggest', init: { method: 'POST', headers: H, body: deepObj(100_000) }, shape: 'opentsdb' },
  { name: 'OpenTSDB query body', path: '/api/query', init: { method: 'POST', headers: H, body: `{"start":1,"queries":${deepArr(100_000)}}` }, shape: 'opentsdb', pattern: /./ },
  { name: 'InfluxQL 100k parentheses', path: '/query', init: { method: 'POST', headers: FORM, body: new URLSearchParams({ db: 'test-bucket', q: 'SELECT * FROM m WHERE ' + '('.repeat(100_000) + 'a = 1' + ')'.repeat(100_000) }).toString() }, shape: 'v1', pattern: /nest deeper than 200 levels/ },
  { name: 'InfluxQL 5k subqueries', path: '/query', init: { method: 'POST', headers: FORM, body: new URLSearchParams({ db: 'test-bucket', q: 'SELECT * FROM ' + '(SELECT * FROM '.repeat(5000) + 'm' + ')'.repeat(5000) }).toString() }, shape: 'v1', pattern: /nest deeper than 200 levels/ },
  { name: 'InfluxQL v3 parentheses', path: '/api/v3/query_influxql', init: { method: 'POST', headers: H, body: JSON.stringify({ db: 'test-bucket', q: 'SELECT ' + 'abs('.repeat(100_000) + 'v' + ')'.repeat(100_000) + ' FROM m' }) }, shape: 'v3', pattern: /nest deeper than 200 levels/ },
  { name: 'malformed percent-encoding (Particle)', path: '/v1/devices/events/%E0%A4%A', init: { headers: H }, shape: 'particle', pattern: /not a valid url/ },
  { name: 'malformed percent-encoding (InfluxDB 2)', path: '/api/v2/buckets/%E0%A4%A', init: { headers: H }, shape: 'v2', pattern: /not a valid url/ },
];

for (const c of CASES) {
  test(`deep or malformed input is the dialect's 400: ${c.name}`, async () => {
    const r = await fetch(s.url + c.path, c.init);
    const text = await r.text();
    assert.equal(r.status, 400, text.slice(0, 300));
    checkShape(c.shape, JSON.parse(text), c.pattern ?? LIMIT);
  });
}

test('depths real payloads use still work: a 5-level integration, 60-level JSON bodies, 150 nested parentheses', async () => {
  const ok = await fetch(`${s.url}/v1/integrations`, { method: 'POST', headers: H, body: JSON.stringify(webhook({ json: { a: { b: { c: { d: ['{{{x}}}'] } } } } })) });
  assert.equal(ok.status, 201, await ok.text());
  const org = await fetch(`${s.url}/api/v2/orgs`, { method: 'POST', headers: H, body: JSON.stringify({ name: 'nested-ok', description: 'x', extra: JSON.parse(deepObj(60)) }) });
  assert.equal(org.status, 201, await org.text());
  const q = await fetch(`${s.url}/query`, { method: 'POST', headers: FORM, body: new URLSearchParams({ db: 'test-bucket', q: 'SELECT * FROM m WHERE ' + '('.repeat(150) + 'a = 1' + ')'.repeat(150) }).toString() });
  assert.equal(q.status, 200, await q.text());
});

test('deep event data gives a template no variables instead of an error; the webhook test still answers', async () => {
  const r = await fetch(`${s.url}/v1/integrations/test`, { method: 'POST', headers: H, body: JSON.stringify({ integration: webhook({ json: { v: '{{{a}}}' } }), data: deepObj(2000) }) });
  assert.notEqual(r.status, 500, await r.text());
  assert.ok(r.status < 500);
});

test('a "__proto__" key in an integration definition is dropped, never becomes the prototype of the stored definition', async () => {
  const r = await fetch(`${s.url}/v1/integrations`, { method: 'POST', headers: H, body: '{"__proto__":{"url":"https://attacker.example/x","polluted":1},"event":"proto","url":"https://example.com/p","integration_type":"Webhook"}' });
  const body = await r.json();
  assert.equal(r.status, 201, JSON.stringify(body));
  assert.equal(body.url, 'https://example.com/p');
  assert.equal(Object.hasOwn(body, '__proto__'), false);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const again = await (await fetch(`${s.url}/v1/integrations/${body.id}`, { headers: H })).json();
  assert.equal(again.polluted, undefined);
});
