import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatRfc3339Nano, fromBigIntNs, toBigIntNs, truncateTo, writeIntWords, writeNsWords } from './time.ts';
import { formatGoDuration } from './go-duration.ts';

test('writeNsWords writes sec*1e9+nsec as an exact little-endian int64, negative times included', () => {
  const words = new Int32Array(2);
  const view = new BigInt64Array(words.buffer);
  fc.assert(
    fc.property(fc.integer({ min: -9_223_372_036, max: 9_223_372_035 }), fc.integer({ min: 0, max: 999_999_999 }), (sec, nsec) => {
      writeNsWords(words, 0, sec, nsec);
      assert.equal(view[0], toBigIntNs(sec, nsec));
    }),
    { numRuns: 20000, seed: 1 },
  );
});

test('writeIntWords is exact for every safe integer', () => {
  const words = new Int32Array(2);
  const view = new BigInt64Array(words.buffer);
  fc.assert(
    fc.property(fc.maxSafeInteger().chain((n) => fc.constantFrom(n, -n)), (v) => {
      writeIntWords(words, 0, v);
      assert.equal(view[0], BigInt(v));
    }),
    { numRuns: 20000, seed: 2 },
  );
});

test('fromBigIntNs and toBigIntNs round-trip, nanoseconds always in [0, 1e9)', () => {
  for (const ns of [0n, 1n, -1n, -1_000_000_000n, -1_000_000_001n, 9223372036854775806n, -9223372036854775806n]) {
    const t = fromBigIntNs(ns);
    assert.ok(t.nsec >= 0 && t.nsec < 1e9);
    assert.equal(toBigIntNs(t.sec, t.nsec), ns);
  }
});

test('truncateTo and RFC3339 formatting', () => {
  assert.deepEqual(truncateTo({ sec: 3725, nsec: 123456789 }, 'us'), { sec: 3725, nsec: 123456000 });
  assert.deepEqual(truncateTo({ sec: 3725, nsec: 5 }, 'h'), { sec: 3600, nsec: 0 });
  assert.equal(formatRfc3339Nano(0, 0), '1970-01-01T00:00:00Z');
  assert.equal(formatRfc3339Nano(1, 500_000_000), '1970-01-01T00:00:01.5Z');
  assert.equal(formatRfc3339Nano(-1, 999_999_999), '1969-12-31T23:59:59.999999999Z');
});

test('Go duration strings as InfluxDB prints retention periods', () => {
  const s = (n: number) => formatGoDuration(BigInt(n) * 1_000_000_000n);
  assert.equal(s(0), '0s');
  assert.equal(s(3600), '1h0m0s');
  assert.equal(s(7200), '2h0m0s');
  assert.equal(s(604800), '168h0m0s');
  assert.equal(s(90), '1m30s');
  assert.equal(s(45), '45s');
  assert.equal(formatGoDuration(1_500_000_000n), '1.5s');
  assert.equal(formatGoDuration(500_000_000n), '500ms');
  assert.equal(formatGoDuration(1500n), '1.5µs');
  assert.equal(formatGoDuration(42n), '42ns');
});
