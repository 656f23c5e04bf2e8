import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PointBatch, WriteResult } from '../core/ports/point-store.ts';
import { storedLines } from './replicating-point-store.ts';

const batch = (body: string, precision: 'ns' | 's' = 's'): PointBatch => ({
  bucketId: 'b',
  data: { format: 'line-protocol', body: Buffer.from(body), precision },
  now: { sec: 1_700_000_123, nsec: 456_000_000 },
  onParseError: 'skip',
});
const result = (drops: number[] = []): WriteResult => ({
  written: 0,
  parseErrors: [],
  drops: drops.map((point) => ({ point, line: point + 1, ordinal: point + 1, measurement: 'm', reason: 'type-conflict', message: 'x' })),
  lines: 0,
});

test('what is queued is ns line protocol with every point timed, minus what the store dropped', () => {
  const out = storedLines(batch('m,t=a v=1 1700000000\nbad line\nm,t=b v=2\nm,t=c v="x" 1700000001'), result([2]));
  assert.equal(out.toString('utf8'), 'm,t=a v=1 1700000000000000000\nm,t=b v=2 1700000123000000000');
});

test('escapes survive the round trip', () => {
  const out = storedLines(batch('my\\ m,t\\=k=a\\,b s="q\\"uote",i=3i 5', 'ns'), result());
  assert.equal(out.toString('utf8'), 'my\\ m,t\\=k=a\\,b s="q\\"uote",i=3i 5');
});
