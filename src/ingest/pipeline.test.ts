// The pipeline in memory, over a stub PointStore: the bytes reach the store
// untouched (no decoding or re-encoding on the hot path), `now` is the
// caller's or the clock's, and a store's refusal of the whole write comes
// back as the coded error it is (HL_OVERLOADED with Retry-After, HL_WAL_FAILED).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERRORS, HooklineError, hooklineError } from '../core/errors.ts';
import type { PointBatch, PointStore, WriteResult } from '../core/ports/point-store.ts';
import { IngestPipeline, isWriteUnavailable, refusedByIndex } from './pipeline.ts';

function stub(answer: (b: PointBatch) => Promise<WriteResult>): { store: PointStore; batches: PointBatch[] } {
  const batches: PointBatch[] = [];
  const store = {
    write: (b: PointBatch) => (batches.push(b), answer(b)),
  } as unknown as PointStore;
  return { store, batches };
}

const ok = async (): Promise<WriteResult> => ({ written: 1, parseErrors: [], drops: [], lines: 1 });

test('line-protocol bytes reach the store as the same Buffer, with the options and the clock', async () => {
  const { store, batches } = stub(ok);
  const p = new IngestPipeline(store, () => ({ sec: 7, nsec: 8 }));
  const body = Buffer.from('m v=1\n');
  const r = await p.ingest({ bucketId: 'b', data: { format: 'line-protocol', body, precision: 'auto' }, onParseError: 'reject', atomic: true, rejectDuplicateFields: true });
  assert.equal(batches.length, 1);
  assert.equal((batches[0].data as { body: Buffer }).body, body);
  assert.deepEqual(
    { ...batches[0], data: undefined },
    { bucketId: 'b', data: undefined, now: { sec: 7, nsec: 8 }, onParseError: 'reject', atomic: true, rejectDuplicateFields: true },
  );
  assert.deepEqual(r, { written: 1, parseErrors: [], drops: [], lines: 1, now: { sec: 7, nsec: 8 } });
  await p.ingest({ bucketId: 'b', data: { format: 'points', points: [] }, now: { sec: 1, nsec: 2 }, onParseError: 'skip' });
  assert.deepEqual(batches[1].now, { sec: 1, nsec: 2 });
});

test('a full buffer or a failed WAL comes back as the coded error, unchanged', async () => {
  const overloaded = new HooklineError(ERRORS.OVERLOADED, 'write buffer full, retry later', { retryAfter: 1 });
  const p = new IngestPipeline(stub(() => Promise.reject(overloaded)).store);
  await assert.rejects(p.ingest({ bucketId: 'b', data: { format: 'points', points: [] }, onParseError: 'skip' }), (e) => e === overloaded);
  assert.equal(isWriteUnavailable(overloaded), true);
  assert.equal(isWriteUnavailable(new HooklineError(ERRORS.WAL_FAILED, 'disk full')), true);
  assert.equal(isWriteUnavailable(hooklineError('INTERNAL', 'x')), false);
  assert.equal(isWriteUnavailable(new Error('x')), false);
});

test('refusedByIndex: 0-based line -> the parser reason or the drop message', () => {
  const r: WriteResult = {
    written: 1,
    lines: 3,
    parseErrors: [{ line: 3, ordinal: 3, text: 'bad', kind: 'missing-fields', reason: 'missing fields', message: "unable to parse 'bad': missing fields" }],
    drops: [{ point: 0, line: 1, ordinal: 1, measurement: 'm', reason: 'type-conflict', message: 'field type conflict' }],
  };
  assert.deepEqual([...refusedByIndex(r)], [
    [2, 'missing fields'],
    [0, 'field type conflict'],
  ]);
  assert.equal(refusedByIndex({ written: 0, lines: 0, parseErrors: [], drops: [] }).size, 0);
});

test('observers see the rows of a stored write; one that throws does not fail it; nothing stored, nothing seen', async () => {
  let written = 1;
  const { store } = stub(async () => ({ written, parseErrors: [], drops: [], lines: 1 }));
  const p = new IngestPipeline(store, () => ({ sec: 7, nsec: 0 }));
  const seen: string[] = [];
  p.observe(() => {
    throw new Error('observer bug');
  });
  const stop = p.observe((w) => w.forEachRow((r) => seen.push(`${w.bucketId} ${r.measurement()} ${JSON.stringify(r.tags())} ${r.fieldName(0)}=${r.fieldValue(0)} @${r.timeMs}`)));
  await p.ingest({ bucketId: 'b', data: { format: 'line-protocol', body: Buffer.from('m,z=1,a=2 v=1.5\nm v="s" 3'), precision: 's' }, onParseError: 'skip' });
  assert.deepEqual(seen, ['b m [["a","2"],["z","1"]] v=1.5 @7000', 'b m [] v=s @3000']);
  written = 0;
  await p.ingest({ bucketId: 'b', data: { format: 'line-protocol', body: Buffer.from('m v=2'), precision: 's' }, onParseError: 'skip' });
  assert.equal(seen.length, 2);
  stop();
  written = 1;
  await p.ingest({ bucketId: 'b', data: { format: 'points', points: [{ measurement: 'm', tags: [], fields: [['v', { type: 'float', value: 3 }]], sec: 1, nsec: 0 }] }, onParseError: 'skip' });
  assert.equal(seen.length, 2);
});
