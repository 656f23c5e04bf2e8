import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matches, parseComparison } from './comparison.ts';
import { levelOf } from './levels.ts';

test('comparisons parse and match', () => {
  const cases: Array<[string, number, boolean]> = [
    ['> 30', 31, true],
    ['> 30', 30, false],
    ['>=30', 30, true],
    ['< -15', -16, true],
    ['< -15', -15, false],
    ['<= 0.5', 0.5, true],
    ['== 1', 1, true],
    ['!= 1', 1, false],
    ['outside 10..20', 9, true],
    ['outside 10..20', 15, false],
    ['inside 10..20', 20, true],
    ['inside -1.5..2e1', 20, true],
  ];
  for (const [text, v, want] of cases) {
    const c = parseComparison(text);
    assert.equal(typeof c, 'object', text);
    assert.equal(matches(c as Exclude<typeof c, string>, v), want, `${text} on ${v}`);
  }
});

test('bad comparisons are messages', () => {
  for (const t of ['30', '> ', '>> 3', 'outside 20..10', 'between 1..2', 3]) assert.equal(typeof parseComparison(t), 'string', String(t));
});

test('first level that matches wins: crit, warn, info, else ok', () => {
  const levels = { crit: parseComparison('> 30'), warn: parseComparison('> 25'), info: parseComparison('outside 0..20') } as never;
  assert.equal(levelOf(31, levels), 'crit');
  assert.equal(levelOf(26, levels), 'warn');
  assert.equal(levelOf(22, levels), 'info');
  assert.equal(levelOf(10, levels), 'ok');
});
