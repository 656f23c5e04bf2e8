import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HooklineError } from './errors.ts';
import { jsonDepthExceeds, parseJsonBounded, valueDepthExceeds } from './parse-json-bounded.ts';

test('the pre-scan agrees with the depth of the parsed value, strings and escapes included', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 12 }), (v, max) => {
      const text = JSON.stringify(v);
      assert.equal(jsonDepthExceeds(text, max), valueDepthExceeds(v, max), text);
    }),
    { numRuns: 500 },
  );
  assert.equal(jsonDepthExceeds('{"a":"[[[[\\"[[["}', 1), false);
  assert.equal(jsonDepthExceeds('[[1]]', 1), true);
});

test('parseJsonBounded: deep or invalid input is a 400 HooklineError naming the limit, never a RangeError', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.throws(() => parseJsonBounded(deep, 'the body', 64), (e) => e instanceof HooklineError && e.status === 400 && /deeper than 64 levels \(HOOKLINE_MAX_JSON_DEPTH\)/.test(e.message));
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ':', ',', '1', 'a') }), (s) => {
      try {
        parseJsonBounded(s, 'x', 8);
      } catch (e) {
        assert.ok(e instanceof HooklineError && e.status === 400, String(e));
      }
    }),
    { numRuns: 2000 },
  );
  assert.deepEqual(parseJsonBounded('{"__proto__":{"polluted":1}}', 'x'), JSON.parse('{"__proto__":{"polluted":1}}'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
