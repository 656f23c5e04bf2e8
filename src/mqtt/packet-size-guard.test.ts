import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FixedHeaderScanner } from './packet-size-guard.ts';

/** A packet's fixed header: type byte and the Remaining Length varint ([MQTT-2.2.3]). */
function header(type: number, length: number): Buffer {
  const out = [type];
  do {
    let b = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) b |= 0x80;
    out.push(b);
  } while (length > 0);
  return Buffer.from(out);
}

test('packets within the limit pass, across any chunking; one over it is refused', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 97 }), (lengths, cut) => {
      const stream = Buffer.concat(lengths.map((n) => Buffer.concat([header(0x30, n), Buffer.alloc(n)])));
      const s = new FixedHeaderScanner(10_000);
      let ok = true;
      for (let i = 0; i < stream.length && ok; i += cut) ok = s.feed(stream.subarray(i, i + cut));
      assert.equal(ok, lengths.every((n) => n <= 10_000));
    }),
  );
});

test('the varint edges: 127, 128, 16383, 16384, 268435455; a fifth length byte is malformed', () => {
  for (const n of [0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152]) assert.ok(new FixedHeaderScanner(n).feed(header(0x30, n)), `${n} at its own limit`);
  for (const n of [128, 16_384, 2_097_152, 268_435_455]) assert.equal(new FixedHeaderScanner(n - 1).feed(header(0x30, n)), false, `${n} over ${n - 1}`);
  assert.equal(new FixedHeaderScanner(1e9).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])), false);
});
