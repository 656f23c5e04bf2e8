import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteKeyMap, hashBytes } from './byte-key-map.ts';

test('behaves like a Map keyed by the bytes, through many rehashes', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 3000 }), (ops) => {
      const m = new ByteKeyMap();
      const model = new Map<string, number>();
      for (const [key, v] of ops) {
        const buf = Buffer.concat([Buffer.from('xx'), key, Buffer.from('yy')]);
        const h = hashBytes(buf, 2, 2 + key.length);
        const k = Buffer.from(key).toString('hex');
        assert.equal(m.get(buf, 2, 2 + key.length, h), model.get(k) ?? -1);
        m.set(buf, 2, 2 + key.length, h, v);
        model.set(k, v);
      }
      assert.equal(m.size, model.size);
    }),
    { numRuns: 60, seed: 5 },
  );
});
