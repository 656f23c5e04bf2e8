import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckDoc } from './check-spec.ts';
import { evaluateDeadman, evaluateError, evaluateThreshold } from './evaluate-check.ts';
import { LastValueCache } from './last-value-cache.ts';

const base = { id: 'c1', orgId: 'o', bucket: 'b', bucketId: 'B', every: '10s', createdAt: '', updatedAt: '' };
const deadman: CheckDoc = { ...base, name: 'silent', type: 'deadman', measurement: 'm', groupBy: ['device'], staleAfter: '60s', level: 'crit' };
const point = (device: string | undefined, sec: number) => ({ measurement: 'm', tags: device ? ([['device', device]] as Array<[string, string]>) : [], fields: [['v', { type: 'float' as const, value: 1 }]] as never, sec, nsec: 0 });

test('deadman: silent past staleAfter goes to the level, back to ok on data; remembered series stay watched', () => {
  const lvc = new LastValueCache();
  lvc.record('B', [point('a', 1000), point('b', 1000), point(undefined, 1000)], 2_000_000);
  const e1 = evaluateDeadman(deadman, lvc, undefined, 1_030_000);
  assert.deepEqual(e1.changes, []);
  assert.deepEqual(Object.keys(e1.state.series).sort(), ['device=a', 'device=b']);
  lvc.record('B', [point('a', 1090)], 2_000_000);
  const e2 = evaluateDeadman(deadman, lvc, e1.state, 1_100_000);
  assert.deepEqual(e2.changes.map((c) => [c.tags.device, c.previous, c.level]), [['b', 'ok', 'crit']]);
  assert.equal(e2.changes[0].value, 100);
  // After a restart the cache is empty: the remembered series is still silent, already reported.
  const e3 = evaluateDeadman(deadman, new LastValueCache(), e2.state, 1_200_000);
  assert.deepEqual(e3.changes.map((c) => [c.tags.device, c.level]), [['a', 'crit']]);
  lvc.record('B', [point('b', 1250)], 2_000_000);
  const e4 = evaluateDeadman(deadman, lvc, e3.state, 1_251_000);
  assert.deepEqual(e4.changes.map((c) => [c.tags.device, c.previous, c.level]), [['b', 'crit', 'ok']]);
});

test('threshold: per series; an error is reported once, and its end once', () => {
  const check: CheckDoc = { ...base, name: 'hot', type: 'threshold', language: 'influxql', query: 'q', levels: { crit: '> 30', warn: '> 25' } };
  const e1 = evaluateThreshold(check, [{ tags: { d: '1' }, value: 31 }, { tags: { d: '2' }, value: 20 }], undefined, 1000);
  assert.deepEqual(e1.changes.map((c) => [c.tags.d, c.level]), [['1', 'crit']]);
  const e2 = evaluateError(check, e1.state, 'boom', 2000);
  assert.deepEqual(e2.changes.map((c) => c.level), ['error']);
  const e3 = evaluateError(check, e2.state, 'boom', 3000);
  assert.deepEqual(e3.changes, []);
  const e4 = evaluateThreshold(check, [{ tags: { d: '1' }, value: 26 }], e3.state, 4000);
  assert.deepEqual(e4.changes.map((c) => [c.previous, c.level]), [['error', 'ok'], ['crit', 'warn']]);
  assert.equal(e4.state.error, undefined);
});
