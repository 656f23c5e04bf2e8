import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesKey, step } from './series-state.ts';

test('a new series at ok reports nothing; a change reports once', () => {
  const a = step(undefined, { d: '1' }, 'ok', 1, 1000, 0);
  assert.equal(a.change, undefined);
  const b = step(a.state, { d: '1' }, 'crit', 40, 2000, 0);
  assert.deepEqual(b.change, { previous: 'ok', level: 'crit' });
  const c = step(b.state, { d: '1' }, 'crit', 41, 3000, 0);
  assert.equal(c.change, undefined);
  assert.equal(c.state.value, 41);
  const d = step(c.state, { d: '1' }, 'ok', 20, 4000, 0);
  assert.deepEqual(d.change, { previous: 'crit', level: 'ok' });
});

test('for: a level is reported only once it has held that long', () => {
  const a = step(undefined, {}, 'warn', 26, 0, 10_000);
  assert.equal(a.change, undefined);
  assert.equal(a.state.pending?.level, 'warn');
  const b = step(a.state, {}, 'warn', 26, 5_000, 10_000);
  assert.equal(b.change, undefined);
  const c = step(b.state, {}, 'warn', 26, 10_000, 10_000);
  assert.deepEqual(c.change, { previous: 'ok', level: 'warn' });
  // A blip back to the reported level clears the pending one.
  const d = step(c.state, {}, 'crit', 31, 11_000, 10_000);
  const e = step(d.state, {}, 'warn', 26, 12_000, 10_000);
  assert.equal(e.state.pending, undefined);
  assert.equal(step(e.state, {}, 'crit', 31, 22_000, 10_000).change, undefined);
});

test('series keys sort tags', () => {
  assert.equal(seriesKey({ b: '2', a: '1' }), 'a=1,b=2');
});
