import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesFingerprints } from './series-fingerprints.ts';

test('a fingerprint set counts each series key once, across growth', () => {
  const s = new SeriesFingerprints();
  for (let i = 0; i < 50_000; i++) assert.equal(s.add(`m,host=h${i}`), true);
  for (let i = 0; i < 50_000; i += 7) assert.equal(s.add(`m,host=h${i}`), false);
  assert.equal(s.size, 50_000);
  assert.equal(s.has('m,host=h49999'), true);
  assert.equal(s.has('m,host=h50000'), false);
  s.addLast();
  assert.equal(s.has('m,host=h50000'), true, 'addLast adds the key last looked up');
  assert.equal(s.size, 50_001);
  assert.ok(s.bytes <= 50_001 * 32, 'at most 32 bytes a series');
});
