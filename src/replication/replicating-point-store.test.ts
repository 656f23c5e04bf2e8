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

test('over the parser corpus, what is queued parses back to the very points the batch holds', async () => {
  const { readFileSync } = await import('node:fs');
  const { parseLineProtocol } = await import('../ingest/line-protocol/parse.ts');
  const { toPoints } = await import('../ingest/line-protocol/decode.ts');
  const now = { sec: 1_700_000_123, nsec: 456_789_000 };
  let checked = 0;
  for (const f of ['parse-cases.json', 'upstream-cases.json']) {
    const cases = JSON.parse(readFileSync(new URL(`../ingest/line-protocol/fixtures/${f}`, import.meta.url), 'utf8')) as Array<{ name: string; input: string; precision?: string }>;
    for (const c of cases) {
      const precision = (c.precision ?? 'ns') as 'ns';
      const want = toPoints(parseLineProtocol(Buffer.from(c.input), { precision, now }));
      if (want.length === 0) continue;
      const out = storedLines({ bucketId: 'b', data: { format: 'line-protocol', body: Buffer.from(c.input), precision }, now, onParseError: 'skip' }, result());
      const back = parseLineProtocol(out, { precision: 'ns', now: { sec: 1, nsec: 0 } });
      assert.deepEqual(back.errors, [], `${c.name}: ${out.toString('utf8')}`);
      assert.deepEqual(toPoints(back), want, c.name);
      checked++;
    }
  }
  assert.ok(checked > 50, `${checked} cases checked`);
});

test('a queue record turns back into the stored points, untimed ones at the write time', async () => {
  const { encodeQueued, queuedLines } = await import('./replicating-point-store.ts');
  const rec = encodeQueued(batch('m,t=a v=1 1700000000\nbad line\nm,t=b v=2\nm,t=c v="x" 1700000001'), result([2]));
  assert.equal(queuedLines(rec).toString('utf8'), 'm,t=a v=1 1700000000000000000\nm,t=b v=2 1700000123000000000');
  const objects = encodeQueued(
    { bucketId: 'b', data: { format: 'points', points: [{ measurement: 'p', tags: [], fields: [['f', { type: 'integer', value: 3 }]], sec: 5, nsec: 6 }] }, now: { sec: 0, nsec: 0 }, onParseError: 'skip' },
    result(),
  );
  assert.equal(queuedLines(objects).toString('utf8'), 'p f=3i 5000000006');
});
