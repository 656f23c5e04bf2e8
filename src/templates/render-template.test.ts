import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { render } from './render-template.ts';
import { parseTemplate, TemplateSyntaxError } from './parse-template.ts';
import { eventContext, parseEventData, predefinedVariables } from './event-context.ts';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/render-cases.json', import.meta.url), 'utf8'));

for (const c of fixtures.cases) {
  test(`render: ${c.name}`, () => {
    const data = c.data === 'docs' ? fixtures.docs : c.data;
    assert.equal(render(c.template, { data, reserved: c.reserved ?? {} }), c.expected);
  });
}

for (const e of fixtures.errors) {
  test(`syntax error: ${e.template}`, () => {
    assert.throws(() => parseTemplate(e.template), (err: Error) => err instanceof TemplateSyntaxError && err.message.includes(e.message));
  });
}

test('predefined variables and SPARK_* aliases for an event', () => {
  const ev = { id: 'e1', name: 'data', data: '{"a":1}', coreid: '0123456789abcdef01234567', publishedAt: '2025-12-01T21:51:47.123Z', ttl: 60, public: false };
  const v = predefinedVariables(ev);
  assert.equal(v.PARTICLE_EVENT_VALUE, '{"a":1}');
  assert.equal(v.SPARK_CORE_ID, ev.coreid);
  assert.equal(v.SPARK_PUBLISHED_AT, ev.publishedAt);
  assert.equal(v.PARTICLE_EVENT_PUBLIC, 'false');
  assert.deepEqual(JSON.parse(v.PARTICLE_EVENT_JSON), { name: 'data', data: '{"a":1}', ttl: 60, published_at: ev.publishedAt, coreid: ev.coreid });
  assert.equal(Buffer.from(v.PARTICLE_EVENT_BASE64, 'base64').toString(), v.PARTICLE_EVENT_JSON);
  const ctx = eventContext({ ...ev, data: '{"PARTICLE_EVENT_NAME":"x","a":2}' }, { S: 'v' });
  assert.equal(render('{{PARTICLE_EVENT_NAME}} {{a}} {{S}}', ctx), 'data 2 v');
});

test('only JSON objects become variables', () => {
  assert.deepEqual(parseEventData('[1,2]'), {});
  assert.deepEqual(parseEventData('42'), {});
  assert.deepEqual(parseEventData('{bad json'), {});
  assert.deepEqual(parseEventData(null), {});
  assert.deepEqual(parseEventData(' {"a":1}'), { a: 1 });
});

test('random templates and data never throw anything but a syntax error, and never hang', () => {
  const piece = fc.oneof(fc.constantFrom('{{', '}}', '{{{', '}}}', '{{#a}}', '{{/a}}', '{{^b}}', '{{/b}}', '{{a.b}}', '{{.}}', '\n', ' ', '{{=| |=}}', '|a|'), fc.string({ maxLength: 5 }));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 20 }), fc.jsonValue(), (parts, data) => {
      try {
        render(parts.join(''), { data, reserved: { R: 'r' } });
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
      }
    }),
    { seed: 42, numRuns: 2000 },
  );
});

test('sections nested deeper than MAX_SECTION_DEPTH are a syntax error, not a stack overflow (found by test/fuzz-parsers.test.ts)', async () => {
  const { MAX_SECTION_DEPTH } = await import('./parse-template.ts');
  const nest = (n: number, open = '{{#a}}') => `${open.repeat(n)}x${'{{/a}}'.repeat(n)}`;
  assert.equal(render(nest(MAX_SECTION_DEPTH), { data: { a: true }, reserved: {} }), 'x');
  for (const t of [nest(MAX_SECTION_DEPTH + 1), nest(20_000), nest(20_000, '{{^a}}')]) {
    assert.throws(() => render(t, { data: {}, reserved: {} }), (e: Error) => e instanceof TemplateSyntaxError && /nest deeper than/.test(e.message));
  }
});
