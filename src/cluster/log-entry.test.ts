import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEntry, encodeEntry, type LogEntry } from './log-entry.ts';

const roundTrip = (e: LogEntry) => {
  const { meta, body } = encodeEntry(e);
  return decodeEntry(meta, body);
};

test('a line-protocol write keeps its bytes, now and options', () => {
  const e: LogEntry = { kind: 'write', batch: { bucketId: 'b1', data: { format: 'line-protocol', body: Buffer.from('m v=1 1\nm v=2 2'), precision: 's' }, now: { sec: 1700000000, nsec: 5 }, onParseError: 'reject', atomic: true, rejectDuplicateFields: true } };
  const back = roundTrip(e);
  assert.equal(back.kind, 'write');
  if (back.kind !== 'write' || back.batch.data.format !== 'line-protocol') throw new Error('kind');
  assert.equal(back.batch.data.body.toString(), 'm v=1 1\nm v=2 2');
  assert.deepEqual({ ...back.batch, data: undefined }, { ...e.batch, data: undefined });
});

test('points keep integers beyond 2^53 as bigint', () => {
  const big = 2n ** 62n + 7n;
  const e: LogEntry = { kind: 'write', batch: { bucketId: 'b', data: { format: 'points', points: [{ measurement: 'm', tags: [['k', 'v']], fields: [['i', { type: 'integer', value: big }], ['s', { type: 'string', value: '{"$n":"1"}' }]], sec: 1, nsec: 2 }] }, now: { sec: 3, nsec: 4 }, onParseError: 'skip' } };
  const back = roundTrip(e);
  assert.deepEqual(back, e);
});

test('deletes keep their predicate with nanosecond bounds; drops their measurement', () => {
  const del: LogEntry = { kind: 'delete', bucketId: 'b', predicate: { measurement: 'm', tags: { op: 'and', args: [{ op: '=', key: 'host', value: 'a' }, { op: '=~', key: 'dc', value: '^eu' }] }, minNs: -5n, maxNs: 9223372036854775806n } };
  assert.deepEqual(roundTrip(del), del);
  const drop: LogEntry = { kind: 'drop-measurement', bucketId: 'b', measurement: 'cpu load' };
  assert.deepEqual(roundTrip(drop), drop);
});

test('an entry of an unknown kind is refused, not guessed', () => {
  assert.throws(() => decodeEntry('{"k":"truncate","b":"x"}', new Uint8Array(0)), /unknown write-log entry kind/);
});
