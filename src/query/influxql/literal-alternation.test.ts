import { test } from 'node:test';
import assert from 'node:assert/strict';
import { literalAlternation } from './literal-alternation.ts';

test('anchored alternations of literal values become the values', () => {
  assert.deepEqual(literalAlternation('^(d1|d2|d3)$'), ['d1', 'd2', 'd3']);
  assert.deepEqual(literalAlternation('^(?:a|b)$'), ['a', 'b']);
  assert.deepEqual(literalAlternation('^single$'), ['single']);
  // Grafana escapes the values it interpolates.
  assert.deepEqual(literalAlternation('^(server\\.1|web\\-2|a\\/b)$'), ['server.1', 'web-2', 'a/b']);
  assert.deepEqual(literalAlternation('^(with space|ünïcode)$'), ['with space', 'ünïcode']);
});

test('anything more than literal values stays a regex', () => {
  for (const src of ['d1|d2', '^(d1|d2)', '(d1|d2)$', '^d.$', '^(d1|d2)+$', '^(a|)$', '^()$', '^(?i)abc$', '^[ab]$', '^(a)|(b)$', '^a\\d$', '^a\\$', '^(a|b{2})$']) {
    assert.equal(literalAlternation(src), undefined, src);
  }
});

test('the values are exactly what the regex matches, for each of them and nothing else (RE2 through RegExp on these simple patterns)', () => {
  const src = '^(server\\.1|web\\-2|x)$';
  const re = new RegExp(src);
  const values = literalAlternation(src)!;
  for (const v of values) assert.ok(re.test(v), v);
  for (const v of ['server1', 'serverX1', 'web-22', 'xx', '', 'server.1 ']) assert.equal(re.test(v), values.includes(v), v);
});
